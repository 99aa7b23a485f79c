/**
 * The README's cookieconsent v3 block, run as a site would run it: the code between the
 * `cookieconsent-snippet` markers in README.md (so the docs are what is tested), bundled with
 * esbuild for a page served from another localhost origin, its two imports resolved to the real
 * vanilla-cookieconsent ESM build and to the plugin's built adapter (dist/cookieconsent), in
 * Debian's Chromium, against a real `strapi start` of tests/app (tests/helpers/e2e-app.ts).
 * The only change made to the block is the Strapi URL. The page also loads cookieconsent's CSS
 * and defines gtag, as a site with Google tags does.
 *
 *   1. The banner shows in Finnish, built from the declaration (Finnish category names, the
 *      cookie table); the visitor enables statistics and saves. The record (admin API) says
 *      necessary and statistics granted, with an IP prefix, cookieconsent's consentId as
 *      subjectId and the policy in force; the receipt kept in cookieconsent's cookie verifies.
 *   2. Two changes through the preferences (preferences on: `updated`; "reject all":
 *      `withdrawn`), each linked to the one before and to the browser.
 *   3. A reload asks nothing. A new declaration revision asks again (cookieconsent's revision),
 *      and the answer continues the chain; a material policy change asks again too (the
 *      plugin's askAgain), and once answered, a reload asks nothing.
 *   4. The client's beacon (navigator.sendBeacon, text/plain, cross-origin) is recorded.
 *   5. Cookie discovery (the adapter's reports): a page that sets a declared marketing cookie, an
 *      undeclared cookie the Open Cookie Database knows and a made-up one before any decision,
 *      and after a refusal a declared statistics cookie and a storage key the database knows by a
 *      wildcard entry. Its two reports (load, sampled at 1 here; decision) carry names only and
 *      the path only, and the admin's discovery lists put each name where it belongs.
 *
 * Cross-origin: tests/app keeps Strapi's default `strapi::cors` (every origin).
 * Screenshots: tests/artifacts/e2e/cookieconsent-*.png.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { REPO_ROOT, startApp, type RunningApp } from '../helpers/e2e-app';
import { PLUGIN_PATH, api, launchBrowser, logIn, newPage, registerSuperAdmin, screenshot } from '../helpers/e2e-browser';
import { ADAPTER, CLIENT, COOKIECONSENT, README_URL, banner, bundle, heldReceipt, preferences, readmeBlock, visitor as siteVisitor } from '../helpers/cookieconsent-site';

let app: RunningApp;
let browser: Browser;
let token: string;
let site: http.Server;
let siteUrl: string;
const contexts: BrowserContext[] = [];

const publishPolicy = async (tag: string, materialChange: boolean) => {
  const { data: draft } = await api(app, 'POST', '/privacy-centre/policies/drafts', token, {
    slug: 'privacy-policy',
    materialChange,
    locales: { en: { title: `Privacy policy ${tag}`, summary: tag, sections: [{ anchor: '', heading: '1. Who we are', markdown: `Northwind Rowing Club (${tag}).` }] } },
  });
  // A material change taking effect now has less than the notice period: it needs a reason (issue #18).
  await api(app, 'POST', `/privacy-centre/policies/drafts/${draft.documentId}/publish`, token, materialChange ? { noticeReason: 'e2e: immediate change' } : {});
};

beforeAll(async () => {
  const block = readmeBlock();
  expect(block.split(README_URL)).toHaveLength(2);
  expect(fs.existsSync(ADAPTER)).toBe(true); // the plugin build (npm run build) makes it
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  const [consentJs, clientJs, discoveryJs] = await Promise.all([
    bundle(block.replace(README_URL, JSON.stringify(app.url))),
    bundle(`import { createPrivacyCentre } from ${JSON.stringify(CLIENT)};\nglobalThis.privacyCentre = createPrivacyCentre({ url: ${JSON.stringify(app.url)} });`),
    // The README's block with every page view sampled (the default is one in ten) and a short wait.
    bundle(block.replace(README_URL, JSON.stringify(app.url)).replace("locale: 'fi' }", "locale: 'fi', discovery: { sampleRate: 1, delayMs: 300 } }")),
  ]);
  expect(discoveryJs).toContain('sampleRate');

  const page = `<!doctype html>
<html lang="fi">
<head>
<meta charset="utf-8">
<title>Northwind Rowing Club</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/cookieconsent.css">
<script>
window.dataLayer = window.dataLayer || [];
function gtag() { dataLayer.push(arguments); }
gtag('consent', 'default', { ad_storage: 'denied', analytics_storage: 'denied', security_storage: 'granted' });
</script>
</head>
<body>
<main><h1>Northwind Rowing Club</h1><p>Treeniajat ja regatat.</p>
<button type="button" data-cc="show-preferencesModal">Evästeasetukset</button></main>
<script type="module" src="/consent.js"></script>
<script type="module" src="/client.js"></script>
</body>
</html>`;
  // A site whose tags misbehave: what they store before any decision, and after a refusal.
  const discoveryPage = page.replace('<script type="module" src="/consent.js"></script>', `<script>
document.cookie = '_fbp=fb.1.secret-value-1; path=/';
document.cookie = '_hjid=secret-value-2; path=/';
document.cookie = 'northwind_made_up=secret-value-3; path=/';
const later = setInterval(() => {
  if (!document.cookie.includes('cc_cookie=')) return;
  clearInterval(later);
  document.cookie = '_pk_ses.1.a1b2=secret-value-4; path=/';
  localStorage.setItem('ab.storage.userId.4b1a2c3d', 'secret-value-5');
}, 20);
</script>
<script type="module" src="/discovery.js"></script>`);
  const files: Record<string, [string, string]> = {
    '/': ['text/html; charset=utf-8', page],
    '/shop/basket': ['text/html; charset=utf-8', discoveryPage],
    '/discovery.js': ['text/javascript', discoveryJs],
    '/cookieconsent.css': ['text/css', fs.readFileSync(path.join(COOKIECONSENT, 'cookieconsent.css'), 'utf8')],
    '/consent.js': ['text/javascript', consentJs],
    '/client.js': ['text/javascript', clientJs],
  };
  site = http.createServer((req, res) => {
    const file = files[new URL(req.url ?? '/', 'http://x').pathname];
    if (!file) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file[0], 'cache-control': 'no-store' }).end(file[1]);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', () => resolve()));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;

  token = await registerSuperAdmin(app, 'ada@northwind.example');
  await api(app, 'POST', '/i18n/locales', token, { code: 'fi', name: 'Finnish (fi)', isDefault: false });
  await api(app, 'PUT', '/privacy-centre/cookies/categories/statistics', token, {
    locales: { fi: { name: 'Tilastot', description: 'Kävijämäärät ilman tunnistamista.' } },
  });
  await api(app, 'POST', '/privacy-centre/cookies/definitions', token, {
    name: '_pk_id.*',
    category: 'statistics',
    provider: 'Matomo',
    storageType: 'cookie',
    thirdParty: false,
    locales: { en: { purpose: 'Tells visits apart.', duration: '13 months' }, fi: { purpose: 'Erottaa käynnit toisistaan.', duration: '13 kuukautta' } },
  });
  await api(app, 'POST', '/privacy-centre/cookies/publish', token);
  await publishPolicy('v1', false);
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
  await app?.stop();
});

const toggle = (page: Page, key: string) => preferences(page).locator(`input.section__toggle[value="${key}"]`);

/** Runs `act` and waits until the adapter has kept a new receipt (its POST answered 201). */
async function decide(page: Page, act: () => Promise<void>) {
  const before = (await heldReceipt(page))?.consentId ?? null;
  const posted = page.waitForResponse((r) => r.url() === `${app.url}/api/privacy-centre/consents` && r.request().method() === 'POST');
  await act();
  const response = await posted;
  expect({ status: response.status(), body: response.status() === 201 ? 'ok' : await response.text() }).toEqual({ status: 201, body: 'ok' });
  await page.waitForFunction((old) => (globalThis as any).CookieConsent.getCookie('data')?.receipt?.consentId !== old, before);
  return heldReceipt(page);
}

const record = async (consentId: string) => (await api(app, 'GET', `/privacy-centre/consents/records/${consentId}`, token)).data;

/** A reload checks the receipt (valid), asks nothing, and restores Consent Mode from it. */
async function reloadAsksNothing(page: Page, receipt: { consentId: string; consentMode: unknown }) {
  const checked = page.waitForResponse((r) => r.url() === `${app.url}/api/privacy-centre/consents/${receipt.consentId}`);
  await page.reload();
  expect((await checked).status()).toBe(200);
  await page.waitForFunction(() => (globalThis as any).CookieConsent?.validConsent?.() === true);
  await expect(banner(page).isVisible()).resolves.toBe(false);
  await expect(page.evaluate(() => Array.from((globalThis as any).dataLayer.at(-1)))).resolves.toEqual(['consent', 'update', receipt.consentMode]);
}

const visitor = () => siteVisitor(browser, contexts);

test("the README's three lines record, prove and update a visitor's choice", async () => {
  const { page, errors, consoleErrors, shown } = await visitor();

  await page.goto(siteUrl);
  await shown(banner(page).getByText('Käytämme evästeitä'));
  await screenshot(page, 'cookieconsent-01-banner');

  // Valitse → the preferences, built from GET /cookies?locale=fi: four categories and the cookie.
  await banner(page).getByRole('button', { name: 'Valitse' }).click();
  await preferences(page).getByText('Evästeasetukset').waitFor({ state: 'visible' });
  for (const key of ['necessary', 'preferences', 'statistics', 'marketing']) await expect(toggle(page, key).count()).resolves.toBe(1);
  await expect(toggle(page, 'necessary').isChecked()).resolves.toBe(true);
  await expect(toggle(page, 'necessary').isDisabled()).resolves.toBe(true);
  await expect(toggle(page, 'statistics').isChecked()).resolves.toBe(false);
  await expect(preferences(page).getByText('Tilastot').count()).resolves.toBeGreaterThan(0);
  await expect(preferences(page).locator('td').filter({ hasText: '_pk_id.*' }).count()).resolves.toBe(1);
  await expect(preferences(page).locator('td').filter({ hasText: 'Erottaa käynnit toisistaan.' }).count()).resolves.toBe(1);

  await toggle(page, 'statistics').check();
  await screenshot(page, 'cookieconsent-02-preferences');
  const given = await decide(page, () => preferences(page).getByRole('button', { name: 'Tallenna valintani' }).click());
  await banner(page).waitFor({ state: 'hidden', timeout: 5000 });
  const cookie = await page.evaluate(() => (globalThis as any).CookieConsent.getCookie());
  expect(cookie.consentId).toMatch(/^[0-9a-f-]{36}$/);

  expect(given).toMatchObject({
    subjectId: cookie.consentId,
    action: 'given',
    state: { necessary: true, preferences: false, statistics: true, marketing: false },
    previousConsentId: null,
    declaration: { revision: 1 },
    policy: { slug: 'privacy-policy', version: 1 },
  });
  expect(given.consentMode).toMatchObject({ analytics_storage: 'granted', ad_storage: 'denied', security_storage: 'granted' });
  // The adapter passed the receipt's Consent Mode to gtag.
  const lastGtag = await page.evaluate(() => Array.from((globalThis as any).dataLayer.at(-1)));
  expect(lastGtag).toEqual(['consent', 'update', given.consentMode]);

  const stored = await record(given.consentId);
  expect(stored).toMatchObject({
    consentId: given.consentId,
    subjectId: cookie.consentId,
    action: 'given',
    state: { necessary: true, preferences: false, statistics: true, marketing: false },
    ipPrefix: '127.0.0.0/24',
    source: siteUrl,
    language: 'fi',
    via: 'cookieconsent',
    status: 'valid',
    askAgain: false,
  });
  expect(stored.userAgent).toMatch(/Chrome\//);
  expect(JSON.stringify({ ...stored, source: null })).not.toContain('127.0.0.1');
  const { data: log } = await api(app, 'GET', '/privacy-centre/consents?category=statistics&granted=true', token);
  expect(log.map((r: any) => r.consentId)).toEqual([given.consentId]);

  // The receipt verifies (through the client, in the page); the same with marketing granted does not.
  const verify = (receipt: unknown) => page.evaluate((r) => (globalThis as any).privacyCentre.consents.verify(r), receipt);
  await expect(verify(given)).resolves.toEqual({ authentic: true, matchesRecord: true, reason: 'ok' });
  await expect(verify({ ...given, state: { ...given.state, marketing: true } })).resolves.toMatchObject({ authentic: false, reason: 'bad-signature' });

  // A change: preferences on too → `updated`, linked to the first.
  await page.getByRole('button', { name: 'Evästeasetukset' }).click();
  await preferences(page).getByText('Evästeasetukset').waitFor({ state: 'visible' });
  await expect(toggle(page, 'statistics').isChecked()).resolves.toBe(true);
  await toggle(page, 'preferences').check();
  const updated = await decide(page, () => preferences(page).getByRole('button', { name: 'Tallenna valintani' }).click());
  expect(updated).toMatchObject({
    subjectId: cookie.consentId,
    action: 'updated',
    previousConsentId: given.consentId,
    state: { necessary: true, preferences: true, statistics: true, marketing: false },
  });
  await expect(record(updated.consentId)).resolves.toMatchObject({ action: 'updated', previousConsentId: given.consentId, subjectId: cookie.consentId, status: 'valid' });
  await expect(record(given.consentId)).resolves.toMatchObject({ status: 'superseded' });

  // …then "reject all" → `withdrawn`, linked to the update.
  await page.getByRole('button', { name: 'Evästeasetukset' }).click();
  await preferences(page).getByText('Evästeasetukset').waitFor({ state: 'visible' });
  const withdrawn = await decide(page, () => preferences(page).getByRole('button', { name: 'Hylkää kaikki' }).click());
  await screenshot(page, 'cookieconsent-03-withdrawn');
  expect(withdrawn).toMatchObject({
    subjectId: cookie.consentId,
    action: 'withdrawn',
    previousConsentId: updated.consentId,
    state: { necessary: true, preferences: false, statistics: false, marketing: false },
  });
  expect(withdrawn.consentMode).toMatchObject({ analytics_storage: 'denied', functionality_storage: 'denied', security_storage: 'granted' });
  await expect(record(withdrawn.consentId)).resolves.toMatchObject({ action: 'withdrawn', previousConsentId: updated.consentId, subjectId: cookie.consentId, ipPrefix: '127.0.0.0/24' });
  await expect(verify(withdrawn)).resolves.toMatchObject({ authentic: true, matchesRecord: true, reason: 'ok' });
  const { data: history } = await api(app, 'GET', '/privacy-centre/consents', token);
  expect(history.map((r: any) => [r.action, r.subjectId])).toEqual([
    ['withdrawn', cookie.consentId],
    ['updated', cookie.consentId],
    ['given', cookie.consentId],
  ]);

  // A reload checks the receipt (valid), asks nothing, and restores Consent Mode from it.
  await reloadAsksNothing(page, withdrawn);

  // A new declaration revision: cookieconsent's revision changes and the banner shows again; the
  // answer continues the same chain.
  await api(app, 'POST', '/privacy-centre/cookies/definitions', token, {
    name: '_pk_ses.*',
    category: 'statistics',
    provider: 'Matomo',
    storageType: 'cookie',
    locales: { en: { purpose: 'Keeps a visit together.', duration: '30 minutes' } },
  });
  await api(app, 'POST', '/privacy-centre/cookies/publish', token);
  await expect(record(withdrawn.consentId)).resolves.toMatchObject({ askAgain: true, reasons: expect.arrayContaining(['declaration-changed']) });
  await page.reload();
  await shown(banner(page).getByText('Käytämme evästeitä'));
  await screenshot(page, 'cookieconsent-04-asked-again');
  const renewed = await decide(page, () => banner(page).getByRole('button', { name: 'Hyväksy kaikki' }).click());
  expect(renewed).toMatchObject({
    subjectId: cookie.consentId,
    action: 'updated',
    previousConsentId: withdrawn.consentId,
    declaration: { revision: 2 },
    state: { necessary: true, preferences: true, statistics: true, marketing: true },
  });
  await reloadAsksNothing(page, renewed);

  // A material change of the policy: the plugin says askAgain (same declaration revision), the
  // adapter has cookieconsent ask; once answered, a reload asks nothing again.
  await publishPolicy('v2', true);
  await page.reload();
  await shown(banner(page).getByText('Käytämme evästeitä'));
  const afterPolicy = await decide(page, () => banner(page).getByRole('button', { name: 'Hylkää kaikki' }).click());
  expect(afterPolicy).toMatchObject({
    subjectId: cookie.consentId,
    action: 'withdrawn',
    previousConsentId: renewed.consentId,
    declaration: { revision: 2 },
    policy: { slug: 'privacy-policy', version: 2 },
  });
  await reloadAsksNothing(page, afterPolicy);

  // The client's beacon from the page: a text/plain POST the browser queues, recorded.
  const queued = await page.evaluate(() => (globalThis as any).privacyCentre.consents.beacon({ state: { marketing: true }, subjectId: 'beacon-browser-1' }));
  expect(queued).toBe(true);
  let beaconed: any[] = [];
  for (let i = 0; i < 50 && !beaconed.length; i += 1) {
    beaconed = (await api(app, 'GET', '/privacy-centre/consents?pageSize=100', token)).data.filter((r: any) => r.subjectId === 'beacon-browser-1');
    if (!beaconed.length) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(beaconed).toMatchObject([{ action: 'given', via: 'plugin', state: { necessary: true, marketing: true }, ipPrefix: '127.0.0.0/24' }]);

  expect(errors).toEqual([]);
  expect(consoleErrors).toEqual([]);
}, 120_000);

test('under Global Privacy Control, what the receipt refuses stays off in cookieconsent too', async () => {
  const { page, errors, consoleErrors, shown } = await visitor();
  await page.context().setExtraHTTPHeaders({ 'Sec-GPC': '1' });
  await page.goto(siteUrl);
  await shown(banner(page).getByText('Käytämme evästeitä'));
  const receipt = await decide(page, () => banner(page).getByRole('button', { name: 'Hyväksy kaikki' }).click());
  expect(receipt).toMatchObject({ action: 'given', gpc: { signal: true, refused: ['marketing'] }, state: { necessary: true, preferences: true, statistics: true, marketing: false } });
  // cookieconsent never had marketing to accept: the adapter left out what the browser's GPC refuses.
  await expect(page.evaluate(() => (globalThis as any).CookieConsent.acceptedCategory('marketing'))).resolves.toBe(false);
  await expect(page.evaluate(() => [...(globalThis as any).CookieConsent.getCookie('categories')].sort())).resolves.toEqual(['necessary', 'preferences', 'statistics']);
  const { data: records } = await api(app, 'GET', '/privacy-centre/consents?pageSize=100', token);
  expect(records.filter((r: any) => r.subjectId === receipt.subjectId).map((r: any) => r.consentId)).toEqual([receipt.consentId]);
  // What cookieconsent keeps matches the receipt: the next page asks nothing.
  await reloadAsksNothing(page, receipt);
  expect(errors).toEqual([]);
  expect(consoleErrors).toEqual([]);
}, 60_000);

test("two tabs of one browser: a change from a tab's older receipt starts a chain of its own", async () => {
  const { page, errors, shown } = await visitor();
  await page.goto(siteUrl);
  await shown(banner(page).getByText('Käytämme evästeitä'));
  const first = await decide(page, () => banner(page).getByRole('button', { name: 'Hyväksy kaikki' }).click());
  const other = await page.context().newPage();
  await other.goto(siteUrl);
  await other.waitForFunction(() => (globalThis as any).CookieConsent?.validConsent?.() === true);

  // The first tab withdraws: it continues the first receipt.
  await page.getByRole('button', { name: 'Evästeasetukset' }).click();
  const withdrawn = await decide(page, () => preferences(page).getByRole('button', { name: 'Hylkää kaikki' }).click());
  expect(withdrawn).toMatchObject({ action: 'withdrawn', previousConsentId: first.consentId });

  // The other tab, still holding the first receipt, turns marketing off: the plugin refuses to
  // continue a receipt twice (409), and the adapter records the decision as a new chain.
  const answers: number[] = [];
  other.on('response', (r) => r.url() === `${app.url}/api/privacy-centre/consents` && answers.push(r.status()));
  await other.getByRole('button', { name: 'Evästeasetukset' }).click();
  await toggle(other, 'marketing').uncheck();
  await preferences(other).getByRole('button', { name: 'Tallenna valintani' }).click();
  await other.waitForFunction((old) => (globalThis as any).CookieConsent.getCookie('data')?.receipt?.consentId !== old, first.consentId);
  const own = await heldReceipt(other);
  expect(answers).toEqual([409, 201]);
  expect(own).toMatchObject({ subjectId: first.subjectId, action: 'given', previousConsentId: null, state: { statistics: true, marketing: false } });
  await expect(record(own.consentId)).resolves.toMatchObject({ subjectId: first.subjectId, status: 'valid' });
  expect(errors).toEqual([]);
}, 60_000);

test('cookie discovery: what a page stores before a decision and despite a refusal reaches the right lists, names only', async () => {
  // A declared marketing cookie (a new revision: the visitor below runs revision 3).
  await api(app, 'POST', '/privacy-centre/cookies/definitions', token, {
    name: '_fbp',
    category: 'marketing',
    provider: 'Meta',
    storageType: 'cookie',
    locales: { en: { purpose: 'Ads measurement.', duration: '3 months' } },
  });
  const { data: published } = await api(app, 'POST', '/privacy-centre/cookies/publish', token);

  const { page, errors, consoleErrors, shown } = await visitor();
  // What the page hands to sendBeacon (the network view of a beacon has no body), and what went out.
  await page.addInitScript(() => {
    const w = globalThis as any;
    const original = w.navigator.sendBeacon.bind(w.navigator);
    w.beacons = [];
    w.navigator.sendBeacon = (url: string, data: Blob) => {
      if (String(url).endsWith('/cookies/observations')) void data.text().then((body) => w.beacons.push({ type: data.type, body }));
      return original(url, data);
    };
  });
  const requests: string[] = [];
  page.on('request', (r) => {
    if (r.url() === `${app.url}/api/privacy-centre/cookies/observations`) requests.push(r.method());
  });
  let reports: Array<{ type: string; body: string }> = [];
  /** The body of the `count`th report, once the page has sent it. */
  const sent = async (count: number) => {
    for (let i = 0; i < 100 && (reports.length < count || requests.length < count); i += 1) {
      await page.waitForTimeout(50);
      reports = await page.evaluate(() => (globalThis as any).beacons);
    }
    expect({ reports: reports.length, requests }).toEqual({ reports: count, requests: Array(count).fill('POST') });
    return JSON.parse(reports[count - 1].body);
  };

  await page.goto(`${siteUrl}shop/basket?utm_source=secret-campaign#top`);
  await shown(banner(page).getByText('Käytämme evästeitä'));
  // At load: before any decision, what the page's tags set before asking.
  const atLoad = await sent(1);
  expect(reports[0].type).toMatch(/^text\/plain/);
  expect(atLoad).toEqual({
    revision: published.revision,
    path: '/shop/basket',
    granted: null,
    cookie: expect.arrayContaining(['_fbp', '_hjid', 'northwind_made_up']),
    localStorage: [],
    sessionStorage: [],
  });

  // "Reject all": statistics and marketing refused; the page's tags set more anyway.
  const receipt = await decide(page, () => banner(page).getByRole('button', { name: 'Hylkää kaikki' }).click());
  expect(receipt.state).toMatchObject({ statistics: false, marketing: false });
  const afterDecision = await sent(2);
  expect(afterDecision).toMatchObject({ revision: published.revision, path: '/shop/basket', granted: ['necessary'] });
  expect(afterDecision.cookie).toEqual(expect.arrayContaining(['_fbp', '_hjid', 'northwind_made_up', '_pk_ses.1.a1b2', 'cc_cookie']));
  expect(afterDecision.localStorage).toEqual(['ab.storage.userId.4b1a2c3d']);
  // Names only: no value, no query, no fragment left the page. At most one report per phase.
  for (const { body } of reports) expect(body).not.toMatch(/secret|utm_source|#top/);
  await page.waitForTimeout(1000);
  expect(requests).toHaveLength(2);

  // The admin's lists (written in batches: wait for the flush).
  let lists: any = null;
  for (let i = 0; i < 100; i += 1) {
    lists = (await api(app, 'GET', '/privacy-centre/cookies/discovery?days=7', token)).data;
    if (lists.undeclared.some((f: any) => f.name === 'ab.storage.userId.4b1a2c3d')) break;
    await page.waitForTimeout(100);
  }
  const find = (list: any[], name: string) => list.find((f: any) => f.name === name);
  expect(find(lists.undeclared, '_hjid')).toMatchObject({ storage: 'cookie', paths: ['/shop/basket'], suggestion: { platform: 'Hotjar', category: 'statistics' } });
  expect(find(lists.undeclared, 'northwind_made_up')).toMatchObject({ storage: 'cookie', count: 2, paths: ['/shop/basket'], suggestion: null });
  expect(find(lists.undeclared, 'ab.storage.userId.4b1a2c3d')).toMatchObject({ storage: 'localStorage', count: 1, suggestion: { platform: 'Braze' } });
  expect(find(lists.beforeConsent, '_fbp')).toMatchObject({ category: 'marketing', count: 1, paths: ['/shop/basket'] });
  expect(find(lists.beforeConsent, '_pk_ses.1.a1b2')).toBeUndefined(); // set after the decision only
  expect(find(lists.despiteRefusal, '_fbp')).toMatchObject({ category: 'marketing', count: 1 });
  expect(find(lists.despiteRefusal, '_pk_ses.1.a1b2')).toMatchObject({ category: 'statistics', count: 1, paths: ['/shop/basket'] });
  for (const list of ['undeclared', 'beforeConsent', 'despiteRefusal']) expect(find(lists[list], '_pk_id.*')).toBeUndefined();
  expect(JSON.stringify(lists)).not.toMatch(/secret|utm_source/);
  expect(errors).toEqual([]);
  expect(consoleErrors).toEqual([]);

  // …and the editor's Discovery tab shows each in its list, with the database's platform.
  const { page: admin } = await newPage(browser, contexts);
  await logIn(app, admin, 'ada@northwind.example');
  await admin.goto(`${app.url}${PLUGIN_PATH}/cookies?tab=discovery`);
  await admin.getByTestId('privacy-centre-discovery-ready').waitFor();
  const row = (list: string, name: string) =>
    admin.getByTestId(`privacy-centre-discovery-${list}`).locator(`[data-testid="privacy-centre-discovery-row"][data-name="${name}"]`);
  for (const [list, name, platform] of [
    ['before-consent', '_fbp', null],
    ['despite-refusal', '_fbp', null],
    ['despite-refusal', '_pk_ses.1.a1b2', null],
    ['undeclared', '_hjid', 'Hotjar'],
    ['undeclared', 'ab.storage.userId.4b1a2c3d', 'Braze'],
    ['undeclared', 'northwind_made_up', null],
  ] as const) {
    await row(list, name).waitFor();
    if (platform) await expect(row(list, name).getByTestId('privacy-centre-discovery-platform').textContent()).resolves.toBe(platform);
  }
  await expect(row('before-consent', '_pk_ses.1.a1b2').count()).resolves.toBe(0);
  await screenshot(admin, 'cookieconsent-05-discovery');
}, 120_000);
