/**
 * The demo's example site (tests/app/scripts/example-site.js), as `npm run demo` starts it: tests/app
 * seeded as the demo seeds it (PRIVACY_CENTRE_DEMO_SEED=1; without the month of history, which
 * demo-seed.test.ts checks and these pages do not need), the site bundled and served on another
 * origin, each page loaded once in Chromium.
 *
 * A page whose part of the plugin is missing from the checkout (the client's or the adapter's
 * source, or the c15t backend's route) must say so with its "not available in this build" note;
 * when the part is there, the page must work. Which case applies is decided from the checkout
 * here, independently of the site's own check.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { REPO_ROOT, startApp, type RunningApp } from '../helpers/e2e-app';
import { api, launchBrowser, newPage, screenshot } from '../helpers/e2e-browser';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { startExampleSite } = require('../app/scripts/example-site');
const { DEMO_REGIONS } = require('../app/scripts/app-runner');

const hasSource = (file: string) => fs.existsSync(path.join(REPO_ROOT, 'server', 'src', 'client', file));
const client = hasSource('index.ts');
const adapter = hasSource('cookieconsent.ts');

let app: RunningApp;
let browser: Browser;
let site: { url: string; notes: Record<string, string>; close(): Promise<void> };
let c15tBackend: boolean;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [app, browser] = await Promise.all([
    startApp({ PRIVACY_CENTRE_DEMO_SEED: '1', PRIVACY_CENTRE_DEMO_MONTH: '0', PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({ regions: DEMO_REGIONS }) }),
    launchBrowser(),
  ]);
  c15tBackend = (await fetch(`${app.url}/api/privacy-centre/c15t/init`)).status !== 404;
  site = await startExampleSite({ strapiUrl: app.url, port: 0 });
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await site?.close();
  await app?.stop();
});

/** Loads a page of the site; returns it with the uncaught errors it raised. */
async function open(pathname: string) {
  const { page, errors } = await newPage(browser, contexts);
  // cookieconsent hides its banner from bots (`hideFromBots`, on by default, as the site keeps
  // it), and a browser under automation says it is one: this visitor is a person.
  await page.addInitScript(() => Object.defineProperty(Object.getPrototypeOf((globalThis as any).navigator), 'webdriver', { get: () => false }));
  const response = await page.goto(`${site.url}${pathname}`);
  expect(response?.status()).toBe(200);
  await expect(page.locator('header .brand').textContent()).resolves.toBe('Northwind Rowing Club');
  return { page, errors };
}

const note = (page: Page) => page.locator('#app .note');

describe("the demo's regions", () => {
  it('answer what the printed curls say: GDPR opt-in for Germany, CCPA opt-out with the Do Not Sell link for California', async () => {
    const cookies = async (headers: Record<string, string>) => ((await (await fetch(`${app.url}/api/privacy-centre/cookies`, { headers })).json()) as any).data;
    const germany = await cookies({ 'CF-IPCountry': 'DE' });
    expect(germany.jurisdiction).toMatchObject({ code: 'GDPR', model: 'opt-in' });
    expect(germany.doNotSell).toBeNull();
    const california = await cookies({ 'CF-IPCountry': 'US', 'CF-Region-Code': 'CA' });
    expect(california.jurisdiction).toMatchObject({ code: 'CCPA', model: 'opt-out', region: 'CA' });
    expect(Object.values(california.defaults).every(Boolean)).toBe(true);
    expect((await fetch(california.doNotSell.url)).status).toBe(200);
    const withGpc = await cookies({ 'CF-IPCountry': 'US', 'CF-Region-Code': 'CA', 'Sec-GPC': '1' });
    expect(withGpc.gpc).toMatchObject({ signal: true, honoured: true });
    expect(withGpc.defaults.marketing).toBe(false);
  });
});

describe('the demo example site', () => {
  it('home: the banner is cookieconsent through the adapter, and a choice is recorded', async () => {
    const { page, errors } = await open('/');
    if (!adapter) {
      await expect(note(page).textContent()).resolves.toContain('Not available in this build');
      return;
    }
    const banner = page.locator('#cc-main .cm');
    await banner.waitFor({ state: 'visible' });
    const posted = page.waitForResponse((r) => r.url().startsWith(`${app.url}/api/privacy-centre/consents`) && r.request().method() === 'POST');
    await banner.locator('[data-role="all"]').click();
    const response = await posted;
    expect(response.status()).toBe(201);
    const { data: receipt } = await response.json();
    // The page shows the receipt the plugin signed for this decision.
    await expect(page.locator('#app .ok code').textContent()).resolves.toBe(receipt.consentId);
    await screenshot(page, 'demo-site-home');
    expect(errors).toEqual([]);

    // The page's stray tag sets an undeclared cookie: cookie discovery lists it for the admin.
    // The demo's own administrator (seeded with the printed login).
    const { data: login } = await api(app, 'POST', '/admin/login', null, { email: 'admin@example.com', password: 'Privacy-Demo-2026' });
    const token = login.token;
    let finding: any;
    for (let i = 0; i < 100 && !finding; i += 1) {
      const { data } = await api(app, 'GET', '/privacy-centre/cookies/discovery?days=1', token);
      finding = data.undeclared.find((f: any) => f.name === '_hjid');
      if (!finding) await page.waitForTimeout(100);
    }
    expect(finding).toMatchObject({ storage: 'cookie', paths: ['/'], suggestion: { platform: 'Hotjar' } });
  });

  it('privacy: the policy rendered with the client shows the version the API serves, its date and its changelog', async () => {
    const api: any = await (await fetch(`${app.url}/api/privacy-centre/policies/privacy-policy/current`)).json();
    const { page, errors } = await open('/privacy');
    if (!client) {
      await expect(note(page).textContent()).resolves.toContain('Not available in this build');
      return;
    }
    await page.locator('#policy-meta [data-version]').waitFor();
    await expect(page.locator('#policy-meta [data-version]').textContent()).resolves.toBe(String(api.data.version));
    await expect(page.locator('#policy-meta time').getAttribute('datetime')).resolves.toBe(api.data.effectiveAt);
    await expect(page.locator('h1').first().textContent()).resolves.toBe(api.data.title);
    await expect(page.locator('main section h2').allTextContents()).resolves.toContain('7. Your rights');
    await expect(page.locator('.card table tbody tr').count()).resolves.toBeGreaterThanOrEqual(1);
    await screenshot(page, 'demo-site-privacy');
    expect(errors).toEqual([]);
  });

  it('newsletter: the form signs up through the client and says a confirmation is on its way', async () => {
    const { page, errors } = await open('/newsletter');
    if (!client) {
      await expect(note(page).textContent()).resolves.toContain('Not available in this build');
      return;
    }
    const posted = page.waitForResponse((r) => r.url() === `${app.url}/api/privacy-centre/newsletter/subscribe`);
    await page.fill('#email', 'visitor@northwind.example');
    await page.click('#subscribe button[type="submit"]');
    expect((await posted).status()).toBe(202);
    await expect(page.locator('#app .ok').textContent()).resolves.toContain('confirmation link');
    expect(errors).toEqual([]);
  });

  it('c15t: the headless runtime in hosted mode shows the banner from /init and records a choice', async () => {
    const { page, errors } = await open('/c15t');
    if (!c15tBackend) {
      await expect(note(page).textContent()).resolves.toContain('Not available in this build');
      return;
    }
    const banner = page.locator('#c15t-banner');
    await banner.waitFor({ state: 'visible' });
    const posted = page.waitForResponse((r) => r.url().startsWith(`${app.url}/api/privacy-centre/c15t/subjects`) && r.request().method() === 'POST');
    await banner.locator('[data-save="necessary"]').click();
    expect((await posted).status()).toBeLessThan(300);
    await banner.waitFor({ state: 'hidden' });
    await screenshot(page, 'demo-site-c15t');
    expect(errors).toEqual([]);
  });

  it('says in the site which parts this build lacks, and only those', () => {
    const expected = [
      ...(adapter ? [] : ['cookieconsent banner']),
      ...(client ? [] : ['privacy policy (client)', 'newsletter form']),
      ...(c15tBackend ? [] : ['c15t (hosted mode)']),
    ];
    expect(Object.keys(site.notes).sort()).toEqual(expected.sort());
  });
});
