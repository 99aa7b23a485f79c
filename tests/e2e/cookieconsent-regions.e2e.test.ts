/**
 * Regions in a browser: the README's cookieconsent block, served from another origin, talks to
 * tests/app through a proxy that sets the country headers as a CDN does (CF-IPCountry,
 * CF-Region; the app trusts exactly those), and adds Sec-GPC when the test says the browser
 * sends it.
 *
 *   1. California (opt-out): the banner does not block the page, marketing is granted before
 *      any choice, the banner carries the "Do Not Sell or Share" link; "accept all" records
 *      CCPA/opt-out in the receipt.
 *   2. With GPC on: marketing starts refused, and stays refused whatever is clicked; the receipt
 *      says the signal was honoured. The banner's link opts out in one click.
 *   3. Germany (opt-in): as before regions: nothing optional before a choice, no link.
 *
 * Screenshots: tests/artifacts/e2e/regions-*.png.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { startApp, type RunningApp } from '../helpers/e2e-app';
import { trustedHeadersConfig } from '../helpers/regions';
import { api, launchBrowser, registerSuperAdmin, screenshot } from '../helpers/e2e-browser';
import { COOKIECONSENT, README_URL, banner, bundle, heldReceipt, readmeBlock, visitor as siteVisitor } from '../helpers/cookieconsent-site';

let app: RunningApp;
let browser: Browser;
let site: http.Server;
let proxy: http.Server;
let siteUrl: string;
const contexts: BrowserContext[] = [];

/** What the CDN in front of Strapi says about the next requests. */
let where: { country: string; region?: string; gpc?: boolean } = { country: 'US', region: 'CA' };

beforeAll(async () => {
  [app, browser] = await Promise.all([
    startApp({ PRIVACY_CENTRE_EXTRA_CONFIG: trustedHeadersConfig() }),
    launchBrowser(),
  ]);
  const target = new URL(app.url);
  // The CDN: overwrites the location headers of every request (a browser's own are dropped).
  proxy = http.createServer((req, res) => {
    const headers = { ...req.headers, host: target.host };
    for (const name of ['cf-ipcountry', 'cf-region', 'sec-gpc']) delete headers[name];
    headers['cf-ipcountry'] = where.country;
    if (where.region) headers['cf-region'] = where.region;
    if (where.gpc) headers['sec-gpc'] = '1';
    const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()));
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

  const block = readmeBlock();
  expect(block.split(README_URL)).toHaveLength(2);
  const consentJs = await bundle(block.replace(README_URL, JSON.stringify(proxyUrl)));
  const page = `<!doctype html>
<html lang="fi">
<head><meta charset="utf-8"><title>Northwind</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/cookieconsent.css"></head>
<body><main><h1>Northwind Rowing Club</h1></main>
<script type="text/plain" data-category="marketing">window.marketingTagRan = true;</script>
<script type="text/plain" data-category="statistics">window.statisticsTagRan = true;</script>
<script type="module" src="/consent.js"></script>
</body>
</html>`;
  site = http.createServer((req, res) => {
    if (req.url === '/') return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page);
    if (req.url === '/cookieconsent.css') return res.writeHead(200, { 'content-type': 'text/css' }).end(fs.readFileSync(path.join(COOKIECONSENT, 'cookieconsent.css')));
    if (req.url === '/consent.js') return res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' }).end(consentJs);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', () => resolve()));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;

  const token = await registerSuperAdmin(app, 'ada@northwind.example');
  await api(app, 'POST', '/privacy-centre/cookies/publish', token);
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  for (const server of [site, proxy]) await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await app?.stop();
});

/** What cookieconsent treats as accepted now (before any decision too: its opt-out mode). */
const accepted = (page: Page, key: string) => page.evaluate((k) => (globalThis as any).CookieConsent.getUserPreferences().acceptedCategories.includes(k), key);
/** Whether the page's tag of a category ran (cookieconsent runs `data-category` scripts it accepts). */
const tagRan = (page: Page, key: string) => page.evaluate((k) => (globalThis as any)[`${k}TagRan`] === true, key);
const interactionBlocked = (page: Page) => page.evaluate(() => (globalThis as any).document.documentElement.classList.contains('disable--interaction'));

/** Runs `act` and waits for the adapter to keep the receipt its POST /consents answered. */
async function decide(page: Page, act: () => Promise<void>) {
  const posted = page.waitForResponse((r) => r.url().endsWith('/api/privacy-centre/consents') && r.request().method() === 'POST');
  await act();
  expect((await posted).status()).toBe(201);
  await page.waitForFunction(() => Boolean((globalThis as any).CookieConsent.getCookie('data')?.receipt));
  return heldReceipt(page);
}

test('California: opt-out, no blocking banner, marketing granted; GPC refuses it and is honoured', async () => {
  where = { country: 'US', region: 'CA' };
  const { page, shown } = await siteVisitor(browser, contexts);
  await page.goto(siteUrl);
  await shown(banner(page));
  await expect(interactionBlocked(page)).resolves.toBe(false);
  await expect(accepted(page, 'marketing')).resolves.toBe(true);
  await expect(accepted(page, 'statistics')).resolves.toBe(true);
  // Granted before any choice: the site's marketing tag has run.
  await page.waitForFunction(() => (globalThis as any).marketingTagRan === true);
  const link = banner(page).locator('a[data-privacy-centre-do-not-sell]');
  // In the declaration's language: this site has no Finnish, so English (the declaration's fallback).
  await expect(link.textContent()).resolves.toBe('Do Not Sell or Share My Personal Information');
  await expect(link.getAttribute('href')).resolves.toMatch(/\/api\/privacy-centre\/do-not-sell\?locale=en$/);
  await screenshot(page, 'regions-01-california');
  const receipt = await decide(page, () => banner(page).getByRole('button', { name: 'Hyväksy kaikki' }).click());
  expect(receipt).toMatchObject({
    jurisdiction: { code: 'CCPA', model: 'opt-out' },
    state: { necessary: true, preferences: true, statistics: true, marketing: true },
    gpc: { signal: false, refused: [], honoured: false },
  });

  // The same visitor's browser with Global Privacy Control on.
  where = { country: 'US', region: 'CA', gpc: true };
  const gpc = await siteVisitor(browser, contexts);
  await gpc.page.goto(siteUrl);
  await gpc.shown(banner(gpc.page));
  await expect(accepted(gpc.page, 'marketing')).resolves.toBe(false);
  await expect(accepted(gpc.page, 'statistics')).resolves.toBe(true);
  await gpc.page.waitForFunction(() => (globalThis as any).statisticsTagRan === true);
  await expect(tagRan(gpc.page, 'marketing')).resolves.toBe(false);
  const refused = await decide(gpc.page, () => banner(gpc.page).getByRole('button', { name: 'Hyväksy kaikki' }).click());
  expect(refused).toMatchObject({
    jurisdiction: { code: 'CCPA', model: 'opt-out' },
    state: { necessary: true, preferences: true, statistics: true, marketing: false },
    gpc: { signal: true, refused: ['marketing'], honoured: true },
  });
  // What the receipt refused, cookieconsent does not enable either.
  await gpc.page.waitForFunction(() => (globalThis as any).CookieConsent.acceptedCategory('statistics') === true);
  await expect(gpc.page.evaluate(() => (globalThis as any).CookieConsent.acceptedCategory('marketing'))).resolves.toBe(false);
  await expect(tagRan(gpc.page, 'marketing')).resolves.toBe(false);
});

test("California: the banner's Do Not Sell link opts out in one click", async () => {
  where = { country: 'US', region: 'CA' };
  const { page, shown } = await siteVisitor(browser, contexts);
  await page.goto(siteUrl);
  await shown(banner(page));
  const receipt = await decide(page, () => banner(page).locator('a[data-privacy-centre-do-not-sell]').click());
  expect(receipt).toMatchObject({ jurisdiction: { code: 'CCPA' }, state: { statistics: true, marketing: false } });
  await banner(page).waitFor({ state: 'hidden', timeout: 5000 });
  expect(page.url()).toBe(siteUrl);
  await expect(accepted(page, 'marketing')).resolves.toBe(false);
});

test('Germany: opt-in as before regions', async () => {
  where = { country: 'DE' };
  const { page, shown } = await siteVisitor(browser, contexts);
  await page.goto(siteUrl);
  await shown(banner(page));
  await expect(accepted(page, 'marketing')).resolves.toBe(false);
  await expect(accepted(page, 'statistics')).resolves.toBe(false);
  await expect(tagRan(page, 'marketing')).resolves.toBe(false);
  await expect(banner(page).locator('a[data-privacy-centre-do-not-sell]').count()).resolves.toBe(0);
  await screenshot(page, 'regions-02-germany');
  const receipt = await decide(page, () => banner(page).getByRole('button', { name: 'Hyväksy kaikki' }).click());
  expect(receipt).toMatchObject({
    jurisdiction: { code: 'GDPR', model: 'opt-in' },
    state: { necessary: true, preferences: true, statistics: true, marketing: true },
    gpc: { signal: false, honoured: false },
  });
});
