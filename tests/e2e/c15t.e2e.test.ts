/**
 * c15t's real headless runtime (`c15t@2.2.1` from npm, `getOrCreateConsentRuntime({ mode:
 * 'hosted', backendURL })`) pointed at the plugin's c15t backend, on a page of another origin,
 * in Debian's Chromium, against a real `strapi start` of tests/app:
 *
 *   1. The banner appears from GET /init: its switches are the declaration's categories, named
 *      as the declaration names them. "Accept all" is recorded (POST /subjects, 201) and the
 *      consent log (admin API) shows every category granted, c15t's subjectId, a network prefix.
 *   2. A reload asks nothing; in a fresh browser, "Reject all" (necessary only) is recorded too.
 *   3. A new declaration revision makes c15t ask again on the next page view.
 *   Throughout, c15t never falls back to its offline mode: no request to the backend fails or
 *   answers an error, c15t never warns that it falls back, and its offline queue
 *   (localStorage `c15t-pending-consent-submissions`) stays empty.
 *
 * The page script (tests/e2e/pages/c15t-banner.js) is bundled with esbuild. Cross-origin:
 * tests/app's strapi::cors allows c15t's request headers (x-c15t-version, X-Request-ID).
 * Screenshots: tests/artifacts/e2e/c15t-*.png.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { build } from 'esbuild';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { REPO_ROOT, startApp, type RunningApp } from '../helpers/e2e-app';
import { api, launchBrowser, newPage, registerSuperAdmin, screenshot } from '../helpers/e2e-browser';

const PENDING_KEY = 'c15t-pending-consent-submissions';

let app: RunningApp;
let browser: Browser;
let token: string;
let site: http.Server;
let siteUrl: string;
let backendURL: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  const bundle = build({
    entryPoints: [path.join(REPO_ROOT, 'tests/e2e/pages/c15t-banner.js')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    write: false,
    logLevel: 'silent',
  });
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  const script = (await bundle).outputFiles[0].text;
  backendURL = `${app.url}/api/privacy-centre/c15t`;
  const page = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Northwind Rowing Club</title><link rel="icon" href="data:,"></head>
<body>
<main><h1>Northwind Rowing Club</h1><p>Training times and regattas.</p></main>
<section id="consent-banner" hidden aria-label="Cookie consent"></section>
<script>window.C15T_BACKEND_URL = ${JSON.stringify(backendURL)};</script>
<script src="/c15t-banner.js"></script>
</body>
</html>`;
  const files: Record<string, [string, string]> = {
    '/': ['text/html; charset=utf-8', page],
    '/c15t-banner.js': ['text/javascript', script],
  };
  site = http.createServer((req, res) => {
    const file = files[new URL(req.url ?? '/', 'http://x').pathname];
    if (!file) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file[0], 'cache-control': 'no-store' }).end(file[1]);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', () => resolve()));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
  // Another origin than Strapi's: c15t's requests are cross-origin, credentialed, with its headers.
  expect(new URL(siteUrl).origin).not.toBe(new URL(app.url).origin);

  token = await registerSuperAdmin(app, 'ada@northwind.example');
  // The four default categories exist from the first boot: publish them as revision 1.
  await api(app, 'POST', '/privacy-centre/cookies/publish', token);
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
  await app?.stop();
});

/** A visitor's page, with everything that would show c15t falling back to its offline mode. */
async function visitor() {
  const { page, errors } = await newPage(browser, contexts);
  const fallbacks: string[] = [];
  page.on('console', (m) => {
    if (/offline mode|falling back|Failed to|pending/i.test(m.text())) fallbacks.push(`${m.type()}: ${m.text()}`);
  });
  page.on('requestfailed', (r) => r.url().startsWith(backendURL) && fallbacks.push(`failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => r.url().startsWith(backendURL) && r.status() >= 400 && fallbacks.push(`${r.status()}: ${r.request().method()} ${r.url()}`));
  return { page, errors, fallbacks };
}

const bannerOf = (page: Page) => page.locator('#consent-banner');
const pendingQueue = (page: Page) => page.evaluate((key) => (globalThis as any).localStorage.getItem(key), PENDING_KEY);

/** Opens the site and waits for c15t's GET /init to be answered (200). */
async function open(page: Page, reload = false) {
  const init = page.waitForResponse((r) => r.url().startsWith(`${backendURL}/init`) && r.request().method() === 'GET');
  await (reload ? page.reload() : page.goto(siteUrl));
  const response = await init;
  expect(response.status()).toBe(200);
  return response.json();
}

/** Clicks a banner button and returns c15t's POST /subjects answer (its body). */
async function decide(page: Page, button: string) {
  const posted = page.waitForResponse((r) => r.url() === `${backendURL}/subjects` && r.request().method() === 'POST');
  await bannerOf(page).getByRole('button', { name: button }).click();
  const response = await posted;
  expect({ status: response.status(), body: response.status() === 201 ? 'ok' : await response.text() }).toEqual({ status: 201, body: 'ok' });
  const request = response.request();
  // Credentialed and cross-origin, with c15t's own headers: CORS let all of it through.
  expect(request.headers()['x-c15t-version']).toBe('2.2.1');
  expect(request.headers()['x-request-id']).toBeTruthy();
  return response.json();
}

const record = async (consentId: string) => (await api(app, 'GET', `/privacy-centre/consents/records/${consentId}`, token)).data;

test('c15t hosted mode: the banner comes from /init, both choices are recorded, a new revision asks again, no offline fallback', async () => {
  // ---- 1. first visit: the banner from /init; "Accept all" recorded --------------------------
  const first = await visitor();
  const init = await open(first.page);
  expect(init).toMatchObject({ jurisdiction: 'GDPR', branding: 'none', policy: { id: 'privacy-centre-cookies-r1' } });
  await bannerOf(first.page).waitFor({ state: 'visible', timeout: 10_000 });
  // The switches are the declaration's categories (c15t shows only "necessary" on its own),
  // with the declaration's names ("Statistics", not c15t's "Measurement").
  await expect(bannerOf(first.page).locator('li').allTextContents()).resolves.toEqual(['Necessary', 'Preferences', 'Statistics', 'Marketing']);
  await expect(bannerOf(first.page).locator('li').evaluateAll((items) => items.map((i) => (i as any).dataset.type))).resolves.toEqual([
    'necessary',
    'functionality',
    'measurement',
    'marketing',
  ]);
  await screenshot(first.page, 'c15t-01-banner');

  const accepted = await decide(first.page, 'Accept All');
  await bannerOf(first.page).waitFor({ state: 'hidden' });
  const subjectId = await first.page.evaluate(() => (globalThis as any).c15tStore.getState().consentInfo?.subjectId);
  expect(subjectId).toMatch(/^sub_/);
  expect(accepted).toMatchObject({ subjectId, type: 'cookie_banner', appliedPreferences: { necessary: true, functionality: true, measurement: true, marketing: true } });
  const all = await record(accepted.consentId);
  expect(all).toMatchObject({
    via: 'c15t',
    subjectId,
    action: 'given',
    state: { necessary: true, preferences: true, statistics: true, marketing: true },
    ipPrefix: '127.0.0.0/24',
    declaration: { revision: 1 },
  });
  expect(all.userAgent).toMatch(/Chrome/);
  expect(all.source).toBe(siteUrl);

  // ---- 2. a reload asks nothing; a fresh browser chooses "necessary only" -------------------
  await open(first.page, true);
  await first.page.waitForFunction(() => (globalThis as any).c15tStore.getState().hasFetchedBanner === true);
  await expect(bannerOf(first.page).isHidden()).resolves.toBe(true);

  const second = await visitor();
  await open(second.page);
  await bannerOf(second.page).waitFor({ state: 'visible', timeout: 10_000 });
  const refused = await decide(second.page, 'Reject All');
  expect(refused.subjectId).not.toBe(subjectId);
  expect(await record(refused.consentId)).toMatchObject({
    via: 'c15t',
    subjectId: refused.subjectId,
    state: { necessary: true, preferences: false, statistics: false, marketing: false },
  });
  // Both decisions are in the consent log.
  const log = await api(app, 'GET', '/privacy-centre/consents?pageSize=100', token);
  expect(log.data.map((r: any) => r.consentId)).toEqual(expect.arrayContaining([accepted.consentId, refused.consentId]));

  // ---- 3. a new declaration revision asks again --------------------------------------------
  await api(app, 'PUT', '/privacy-centre/cookies/categories/statistics', token, {
    locales: { en: { name: 'Statistics', description: 'Count visits, without advertising.' } },
  });
  await api(app, 'POST', '/privacy-centre/cookies/publish', token);
  const again = await open(first.page, true);
  expect(again.policy.id).toBe('privacy-centre-cookies-r2');
  await bannerOf(first.page).waitFor({ state: 'visible', timeout: 10_000 });
  await screenshot(first.page, 'c15t-02-asked-again');
  const renewed = await decide(first.page, 'Reject All');
  // c15t forgets a decision made under an older policy, and its subject id with it.
  expect(await record(renewed.consentId)).toMatchObject({
    subjectId: renewed.subjectId,
    declaration: { revision: 2 },
    state: { necessary: true, preferences: false, statistics: false, marketing: false },
  });

  // ---- never the offline fallback ------------------------------------------------------------
  for (const visit of [first, second]) {
    await expect(pendingQueue(visit.page)).resolves.toBeNull();
    expect(visit.fallbacks).toEqual([]);
    expect(visit.errors).toEqual([]);
  }
});
