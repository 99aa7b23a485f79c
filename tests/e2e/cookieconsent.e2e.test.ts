/**
 * The README's cookieconsent v3 snippet, run as a site would run it: the script between the
 * `cookieconsent-snippet` markers in README.md (so the docs are what is tested), on a page served
 * from another localhost origin with vanilla-cookieconsent's own UMD build and CSS, in Debian's
 * Chromium, against a real `strapi start` of tests/app (tests/helpers/e2e-app.ts).
 *
 *   1. The banner shows; the visitor opens the preferences, enables statistics and saves. The
 *      record the plugin keeps (admin API) says necessary and statistics granted, the rest
 *      refused; its IP is a network prefix; its subjectId is cookieconsent's consentId; the
 *      receipt the snippet stored verifies through the public `POST /consents/verify`.
 *   2. The visitor changes their mind twice through the preferences modal: preferences on (an
 *      `updated` record), then "Reject all" (a `withdrawn` record), each linked to the one before
 *      by previousConsentId and to the visitor by subjectId.
 *   3. A reload asks nothing (the receipt is still valid); once a new declaration revision is
 *      published, a reload shows the banner again.
 *
 * Cross-origin: tests/app keeps Strapi's default `strapi::cors` (every origin), so the page's
 * origin is allowed without configuration. Screenshots: tests/artifacts/e2e/cookieconsent-*.png.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { REPO_ROOT, startApp, type RunningApp } from '../helpers/e2e-app';
import { api, launchBrowser, newPage, registerSuperAdmin, screenshot } from '../helpers/e2e-browser';

const README_URL = "const PRIVACY_API = 'https://cms.example.com/api/privacy-centre';";
const DIST = path.join(REPO_ROOT, 'node_modules', 'vanilla-cookieconsent', 'dist');
const RECEIPT_KEY = 'privacy-consent-receipt';

/** The script between the README's markers, inside its ```js fence. */
function readmeSnippet(): string {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const block = /<!-- cookieconsent-snippet:start -->\s*```js\n([\s\S]*?)\n```\s*<!-- cookieconsent-snippet:end -->/.exec(readme);
  if (!block) throw new Error('README.md has no ```js block between the cookieconsent-snippet markers');
  return block[1];
}

let app: RunningApp;
let browser: Browser;
let token: string;
let site: http.Server;
let siteUrl: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  const snippet = readmeSnippet();
  expect(snippet).toContain(README_URL);
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  const script = snippet.replace(README_URL, `const PRIVACY_API = ${JSON.stringify(`${app.url}/api/privacy-centre`)};`);

  const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Northwind Rowing Club</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/cookieconsent.css">
</head>
<body>
<main><h1>Northwind Rowing Club</h1><p>Training times and regattas.</p>
<button type="button" data-cc="show-preferencesModal">Cookie settings</button></main>
<script src="/cookieconsent.umd.js"></script>
<script src="/consent.js"></script>
</body>
</html>`;
  const files: Record<string, [string, string]> = {
    '/': ['text/html; charset=utf-8', page],
    '/cookieconsent.css': ['text/css', fs.readFileSync(path.join(DIST, 'cookieconsent.css'), 'utf8')],
    '/cookieconsent.umd.js': ['text/javascript', fs.readFileSync(path.join(DIST, 'cookieconsent.umd.js'), 'utf8')],
    '/consent.js': ['text/javascript', script],
  };
  site = http.createServer((req, res) => {
    const file = files[new URL(req.url ?? '/', 'http://x').pathname];
    if (!file) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file[0], 'cache-control': 'no-store' }).end(file[1]);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', () => resolve()));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;

  token = await registerSuperAdmin(app, 'ada@northwind.example');
  // The four default categories exist from the first boot; one cookie so the tables have a row.
  await api(app, 'POST', '/privacy-centre/cookies/definitions', token, {
    name: '_pk_id.*',
    category: 'statistics',
    provider: 'Matomo',
    storageType: 'cookie',
    thirdParty: false,
    locales: { en: { purpose: 'Tells visits apart.', duration: '13 months' } },
  });
  await api(app, 'POST', '/privacy-centre/cookies/publish', token);
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
  await app?.stop();
});

const banner = (page: Page) => page.locator('#cc-main .cm');
const preferences = (page: Page) => page.locator('#cc-main .pm');
const toggle = (page: Page, key: string) => preferences(page).locator(`input.section__toggle[value="${key}"]`);
const storedReceipt = (page: Page) => page.evaluate((key) => JSON.parse((globalThis as any).localStorage.getItem(key) || 'null'), RECEIPT_KEY);

/** Runs `act` and waits until the snippet has stored a new receipt (its POST answered 201). */
async function decide(page: Page, act: () => Promise<void>) {
  const before = (await storedReceipt(page))?.consentId ?? null;
  const posted = page.waitForResponse((r) => r.url() === `${app.url}/api/privacy-centre/consents` && r.request().method() === 'POST');
  await act();
  const response = await posted;
  expect({ status: response.status(), body: response.status() === 201 ? 'ok' : await response.text() }).toEqual({ status: 201, body: 'ok' });
  await page.waitForFunction(([key, old]) => JSON.parse((globalThis as any).localStorage.getItem(key) || 'null')?.consentId !== old, [RECEIPT_KEY, before] as const);
  return storedReceipt(page);
}

const record = async (consentId: string) => (await api(app, 'GET', `/privacy-centre/consents/records/${consentId}`, token)).data;

test("the README's cookieconsent snippet records, proves and updates a visitor's choice", async () => {
  const { page, errors } = await newPage(browser, contexts);
  // cookieconsent hides its banner from bots, and an automated browser says it is one
  // (navigator.webdriver): this visitor is a person.
  await page.addInitScript(() => Object.defineProperty((globalThis as any).Navigator.prototype, 'webdriver', { get: () => false }));
  const consoleErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  // The snippet fails silently in the page: a missing banner says why through the console.
  const shown = (locator: ReturnType<Page['locator']>) =>
    locator.waitFor({ state: 'visible', timeout: 10_000 }).catch((error) => {
      throw new Error(`${error.message}\npage errors: ${JSON.stringify(errors)}\nconsole errors: ${JSON.stringify(consoleErrors)}`);
    });

  await page.goto(siteUrl);
  await shown(banner(page).getByText('We use cookies'));
  await screenshot(page, 'cookieconsent-01-banner');

  // Choose → the preferences modal, built from GET /cookies: the four categories and the cookie.
  await banner(page).getByRole('button', { name: 'Choose' }).click();
  await preferences(page).getByText('Cookie preferences').waitFor({ state: 'visible' });
  for (const key of ['necessary', 'preferences', 'statistics', 'marketing']) await expect(toggle(page, key).count()).resolves.toBe(1);
  await expect(toggle(page, 'necessary').isChecked()).resolves.toBe(true);
  await expect(toggle(page, 'necessary').isDisabled()).resolves.toBe(true);
  await expect(toggle(page, 'statistics').isChecked()).resolves.toBe(false);
  await expect(preferences(page).locator('td').filter({ hasText: '_pk_id.*' }).count()).resolves.toBe(1);

  await toggle(page, 'statistics').check();
  await screenshot(page, 'cookieconsent-02-preferences');
  const given = await decide(page, () => preferences(page).getByRole('button', { name: 'Save my choices' }).click());
  // The banner leaves with a CSS transition: wait for it to be hidden (fails after 5 s if it stays).
  await banner(page).waitFor({ state: 'hidden', timeout: 5000 });
  const cookie = await page.evaluate(() => (globalThis as any).CookieConsent.getCookie());
  expect(cookie.consentId).toMatch(/^[0-9a-f-]{36}$/);

  // The receipt the browser keeps.
  expect(given).toMatchObject({
    subjectId: cookie.consentId,
    action: 'given',
    state: { necessary: true, preferences: false, statistics: true, marketing: false },
    previousConsentId: null,
    declaration: { revision: 1 },
  });
  expect(given.consentMode).toMatchObject({ analytics_storage: 'granted', ad_storage: 'denied', security_storage: 'granted' });
  // The snippet passed the receipt's Consent Mode to gtag.
  const lastGtag = await page.evaluate(() => Array.from((globalThis as any).dataLayer.at(-1)));
  expect(lastGtag).toEqual(['consent', 'update', given.consentMode]);

  // What the plugin recorded, as the admin sees it.
  const stored = await record(given.consentId);
  expect(stored).toMatchObject({
    consentId: given.consentId,
    subjectId: cookie.consentId,
    action: 'given',
    state: { necessary: true, preferences: false, statistics: true, marketing: false },
    ipPrefix: '127.0.0.0/24',
    source: siteUrl,
    language: 'en',
    via: 'cookieconsent',
    status: 'valid',
    askAgain: false,
  });
  expect(stored.userAgent).toMatch(/Chrome\//);
  // The raw address is nowhere (the page's own URL, `source`, is on 127.0.0.1 too).
  expect(JSON.stringify({ ...stored, source: null })).not.toContain('127.0.0.1');
  const { data: log } = await api(app, 'GET', '/privacy-centre/consents?category=statistics&granted=true', token);
  expect(log.map((r: any) => r.consentId)).toEqual([given.consentId]);

  // The receipt verifies; the same receipt with marketing granted does not.
  const verify = (receipt: unknown) =>
    fetch(`${app.url}/api/privacy-centre/consents/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ receipt }) }).then(
      async (r) => ({ status: r.status, body: await r.json() })
    );
  await expect(verify(given)).resolves.toMatchObject({ status: 200, body: { data: { authentic: true, matchesRecord: true, reason: 'ok' } } });
  await expect(verify({ ...given, state: { ...given.state, marketing: true } })).resolves.toMatchObject({ status: 200, body: { data: { authentic: false, reason: 'bad-signature' } } });

  // The visitor changes their mind: preferences on too → `updated`, linked to the first.
  await page.getByRole('button', { name: 'Cookie settings' }).click();
  await preferences(page).getByText('Cookie preferences').waitFor({ state: 'visible' });
  await expect(toggle(page, 'statistics').isChecked()).resolves.toBe(true);
  await toggle(page, 'preferences').check();
  const updated = await decide(page, () => preferences(page).getByRole('button', { name: 'Save my choices' }).click());
  expect(updated).toMatchObject({
    subjectId: cookie.consentId,
    action: 'updated',
    previousConsentId: given.consentId,
    state: { necessary: true, preferences: true, statistics: true, marketing: false },
  });
  await expect(record(updated.consentId)).resolves.toMatchObject({ action: 'updated', previousConsentId: given.consentId, subjectId: cookie.consentId, status: 'valid' });
  await expect(record(given.consentId)).resolves.toMatchObject({ status: 'superseded' });

  // …then withdraws everything optional → `withdrawn`, linked to the update.
  await page.getByRole('button', { name: 'Cookie settings' }).click();
  await preferences(page).getByText('Cookie preferences').waitFor({ state: 'visible' });
  const withdrawn = await decide(page, () => preferences(page).getByRole('button', { name: 'Reject all' }).click());
  await screenshot(page, 'cookieconsent-03-withdrawn');
  expect(withdrawn).toMatchObject({
    subjectId: cookie.consentId,
    action: 'withdrawn',
    previousConsentId: updated.consentId,
    state: { necessary: true, preferences: false, statistics: false, marketing: false },
  });
  expect(withdrawn.consentMode).toMatchObject({ analytics_storage: 'denied', functionality_storage: 'denied', security_storage: 'granted' });
  await expect(record(withdrawn.consentId)).resolves.toMatchObject({ action: 'withdrawn', previousConsentId: updated.consentId, subjectId: cookie.consentId, ipPrefix: '127.0.0.0/24' });
  await expect(verify(withdrawn)).resolves.toMatchObject({ body: { data: { authentic: true, matchesRecord: true, reason: 'ok' } } });
  // The visitor's whole history, newest first, one subject.
  const { data: history } = await api(app, 'GET', '/privacy-centre/consents', token);
  expect(history.map((r: any) => [r.action, r.subjectId])).toEqual([
    ['withdrawn', cookie.consentId],
    ['updated', cookie.consentId],
    ['given', cookie.consentId],
  ]);

  // A reload checks the receipt (valid) and asks nothing.
  const checked = page.waitForResponse((r) => r.url() === `${app.url}/api/privacy-centre/consents/${withdrawn.consentId}`);
  await page.reload();
  expect((await checked).status()).toBe(200);
  await page.getByRole('button', { name: 'Cookie settings' }).waitFor();
  await page.waitForFunction(() => (globalThis as any).CookieConsent?.validConsent?.() === true);
  await expect(banner(page).isVisible()).resolves.toBe(false);

  // A new declaration revision: the receipt says askAgain, and the banner shows again.
  await api(app, 'POST', '/privacy-centre/cookies/definitions', token, {
    name: '_pk_ses.*',
    category: 'statistics',
    provider: 'Matomo',
    storageType: 'cookie',
    locales: { en: { purpose: 'Keeps a visit together.', duration: '30 minutes' } },
  });
  await api(app, 'POST', '/privacy-centre/cookies/publish', token);
  await expect(record(withdrawn.consentId)).resolves.toMatchObject({ status: 'withdrawn', askAgain: true, reasons: expect.arrayContaining(['declaration-changed']) });
  await page.reload();
  await shown(banner(page).getByText('We use cookies'));
  await screenshot(page, 'cookieconsent-04-asked-again');

  expect(errors).toEqual([]);
  expect(consoleErrors).toEqual([]);
}, 60_000);
