/**
 * Settings → Regions, driven as an editor would: a real `strapi start` serving the built admin
 * panel (tests/helpers/e2e-app.ts) with trusted location headers configured, Debian's Chromium
 * through playwright-core.
 *
 *   1. An editor opens the Regions tab, sees the trusted headers, moves US-CA to the GDPR,
 *      changes the GDPR's model to opt-out, adds US-WA and removes France, saves, reloads and
 *      finds every change kept; c15t's /init follows for a visitor behind the trusted header,
 *      and the audit log has the change. "Reset to defaults", confirmed, restores the table.
 *      A table the server refuses shows the server's reasons.
 *   2. An admin holding only settings.read sees the table read-only.
 *   3. On an app without trusted headers configured, the tab warns that everyone gets the default.
 *
 * Screenshots land in tests/artifacts/e2e/ as regions-*.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { startApp, type RunningApp } from '../helpers/e2e-app';
import { PLUGIN_PATH, api, createAdminWithRole, expectPage, launchBrowser, logIn, newPage, registerSuperAdmin, screenshot } from '../helpers/e2e-browser';

const EDITOR = 'ada@northwind.example';
const GDPR = 'EU/EEA: GDPR and the ePrivacy Directive';
const REGIONS_PATH = `${PLUGIN_PATH}/settings?tab=regions`;

let app: RunningApp;
let browser: Browser;
let superToken: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  app = await startApp({
    PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({ regions: { countryHeaders: ['cf-ipcountry'], regionHeaders: ['cf-region'] } }),
  });
  browser = await launchBrowser();
  superToken = await registerSuperAdmin(app, EDITOR);
  // c15t's /init answers from a published declaration.
  await api(app, 'POST', '/privacy-centre/cookies/publish', superToken, {});
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await app?.stop();
});

/** c15t's /init for a visitor whose proxy says US-CA. */
const initForCalifornia = async () => {
  const response = await fetch(`${app.url}/api/privacy-centre/c15t/init`, { headers: { 'cf-ipcountry': 'US', 'cf-region': 'CA' } });
  expect(response.status).toBe(200);
  return (await response.json()) as { jurisdiction: string; policy: { model: string } };
};

async function openRegions(page: Page) {
  await page.goto(`${app.url}${REGIONS_PATH}`);
  await expectPage(page, 'settings', 'Settings');
  await page.getByTestId('privacy-centre-regions').waitFor();
}

async function choose(page: Page, combobox: string, option: string) {
  await page.getByRole('combobox', { name: combobox, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

const areaRow = (page: Page, area: string) => page.getByTestId(`privacy-centre-regions-area-${area}`);

test('an editor changes the table, saves, finds it kept after a reload, and resets it', async () => {
  const { page, errors } = await newPage(browser, contexts);
  await logIn(app, page, EDITOR);
  await openRegions(page);

  // The trusted headers, from config; no warning since a country header is configured.
  await expect(page.getByTestId('privacy-centre-regions-country-headers').textContent()).resolves.toBe('cf-ipcountry');
  await expect(page.getByTestId('privacy-centre-regions-region-headers').textContent()).resolves.toBe('cf-region');
  await expect(page.getByTestId('privacy-centre-regions-no-headers').count()).resolves.toBe(0);
  await page.getByText('The plugin’s default table: nobody has edited it.').waitFor();
  await expect(page.getByTestId('privacy-centre-regions-save').isDisabled()).resolves.toBe(true);
  await screenshot(page, 'regions-01-defaults');

  // The filter narrows the areas to the United States.
  await page.getByTestId('privacy-centre-regions-filter').fill('US-');
  await expect(areaRow(page, 'DE').count()).resolves.toBe(0);
  await areaRow(page, 'US-CA').waitFor();

  // US-CA to the GDPR (marked as changed), the GDPR's model to opt-out (marked too).
  await choose(page, 'Jurisdiction of US-CA', `${GDPR} (GDPR)`);
  await areaRow(page, 'US-CA').getByText('Changed; default: CCPA').waitFor();
  await choose(page, `Model of ${GDPR}`, 'Opt-out');
  await page.getByTestId('privacy-centre-regions-model-changed-GDPR').getByText('Changed; default: Opt-in').waitFor();

  // Add US-WA (typed in lower case: the table keeps upper case) under California's law.
  await page.getByTestId('privacy-centre-regions-add-area').fill('us-wa');
  await choose(page, 'Jurisdiction', 'California: CCPA/CPRA (CCPA)');
  await page.getByTestId('privacy-centre-regions-add-submit').click();
  await areaRow(page, 'US-WA').getByText('Added').waitFor();
  // A code already in the table is refused with a reason.
  await page.getByTestId('privacy-centre-regions-add-area').fill('US-CA');
  await page.getByText('US-CA is in the table already: change its jurisdiction below.').waitFor();
  await page.getByTestId('privacy-centre-regions-add-area').fill('');

  // Remove France.
  await page.getByTestId('privacy-centre-regions-filter').fill('FR');
  await page.getByTestId('privacy-centre-regions-area-remove-FR').click();
  await expect(areaRow(page, 'FR').count()).resolves.toBe(0);
  await expect(page.getByTestId('privacy-centre-regions-removed').textContent()).resolves.toContain('FR');
  await screenshot(page, 'regions-02-edited');

  // A table the server refuses (the page checks what it can, so the request is altered on its
  // way): the server's own words are listed, and nothing is saved.
  await page.route('**/privacy-centre/regions', (route) => {
    const request = route.request();
    if (request.method() !== 'PUT') return route.continue();
    const body = JSON.parse(request.postData() ?? '{}');
    return route.continue({ postData: JSON.stringify({ ...body, areas: { ...body.areas, 'us-or': 'OCPA' } }) });
  });
  await page.getByTestId('privacy-centre-regions-save').click();
  await expect(page.getByTestId('privacy-centre-regions-errors').textContent()).resolves.toContain(
    'areas must be ISO 3166 codes such as DE or US-CA: us-or'
  );
  // Brought into view: Save is in the header, the editor had scrolled down to the areas.
  await page.waitForFunction(() => {
    const { document, innerHeight } = globalThis as any;
    const box = document.querySelector('[data-testid="privacy-centre-regions-errors"]')?.getBoundingClientRect();
    return Boolean(box && box.top >= 0 && box.bottom <= innerHeight);
  });
  await screenshot(page, 'regions-02b-refused');
  await page.unroute('**/privacy-centre/regions');
  await expect((await api(app, 'GET', '/privacy-centre/regions', superToken)).data.edited).toBe(false);

  await page.getByTestId('privacy-centre-regions-save').click();
  await page.getByText('Regions saved').first().waitFor();
  await expect(page.getByTestId('privacy-centre-regions-errors').count()).resolves.toBe(0);

  // Kept after a reload.
  await page.reload();
  await page.getByTestId('privacy-centre-regions').waitFor();
  await page.getByText(/^Edited table, saved /).waitFor();
  await expect(page.getByRole('combobox', { name: 'Jurisdiction of US-CA', exact: true }).textContent()).resolves.toContain('(GDPR)');
  await expect(page.getByRole('combobox', { name: 'Jurisdiction of US-WA', exact: true }).textContent()).resolves.toContain('(CCPA)');
  await expect(page.getByRole('combobox', { name: `Model of ${GDPR}`, exact: true }).textContent()).resolves.toContain('Opt-out');
  await expect(areaRow(page, 'FR').count()).resolves.toBe(0);
  await screenshot(page, 'regions-03-saved');

  // c15t's /init follows, and the audit log says what changed.
  await expect(initForCalifornia()).resolves.toMatchObject({ jurisdiction: 'GDPR', policy: { model: 'opt-out' } });
  const audit = await api(app, 'GET', '/privacy-centre/audit-events?pageSize=10', superToken);
  expect(audit.results.find((e: any) => e.action === 'regions.update')).toMatchObject({
    details: {
      areas: { 'US-CA': { from: 'CCPA', to: 'GDPR' }, 'US-WA': { from: null, to: 'CCPA' }, FR: { from: 'GDPR', to: null } },
      models: { GDPR: { from: null, to: 'opt-out' } },
    },
  });

  // Reset to defaults, through the confirmation dialog.
  await page.getByTestId('privacy-centre-regions-reset').click();
  await page.getByRole('alertdialog').getByText('Reset the regions to the defaults?').waitFor();
  await screenshot(page, 'regions-04-reset-confirm');
  await page.getByRole('alertdialog').getByRole('button', { name: 'Confirm' }).click();
  await page.getByText('Regions reset to the defaults').first().waitFor();
  await page.getByText('The plugin’s default table: nobody has edited it.').waitFor();
  await expect(page.getByRole('combobox', { name: 'Jurisdiction of US-CA', exact: true }).textContent()).resolves.toContain('(CCPA)');
  await expect(areaRow(page, 'US-WA').count()).resolves.toBe(0);
  await areaRow(page, 'FR').waitFor();
  await expect(initForCalifornia()).resolves.toMatchObject({ jurisdiction: 'CCPA', policy: { model: 'opt-out' } });
  await screenshot(page, 'regions-05-reset');

  expect(errors).toEqual([]);
});

test('an admin holding only settings.read sees the regions read-only', async () => {
  const { email } = await createAdminWithRole(app, superToken, 'Regions Reader', ['plugin::privacy-centre.settings.read']);
  const { page, errors } = await newPage(browser, contexts);
  await logIn(app, page, email);
  await openRegions(page);
  await page.getByTestId('privacy-centre-regions-readonly').waitFor();
  await areaRow(page, 'US-CA').getByText('California: CCPA/CPRA (CCPA)').waitFor();
  for (const control of ['privacy-centre-regions-save', 'privacy-centre-regions-reset', 'privacy-centre-regions-add', 'privacy-centre-regions-area-remove-US-CA']) {
    await expect(page.getByTestId(control).count()).resolves.toBe(0);
  }
  await expect(page.getByRole('combobox', { name: 'Default jurisdiction', exact: true }).isDisabled()).resolves.toBe(true);
  await expect(page.getByRole('combobox', { name: `Model of ${GDPR}`, exact: true }).isDisabled()).resolves.toBe(true);
  await screenshot(page, 'regions-06-read-only');
  expect(errors).toEqual([]);
});

test('without a trusted country header configured, the tab warns that every visitor gets the default', async () => {
  const bare = await startApp();
  try {
    const email = 'grace@northwind.example';
    await registerSuperAdmin(bare, email);
    const { page, errors } = await newPage(browser, contexts);
    await logIn(bare, page, email);
    await page.goto(`${bare.url}${REGIONS_PATH}`);
    await expectPage(page, 'settings', 'Settings');
    await expect(page.getByTestId('privacy-centre-regions-no-headers').textContent()).resolves.toContain(
      'No trusted country header is configured: every visitor gets the default jurisdiction'
    );
    await expect(page.getByTestId('privacy-centre-regions-country-headers').textContent()).resolves.toBe('None');
    await screenshot(page, 'regions-07-no-headers');
    expect(errors).toEqual([]);
  } finally {
    await bare.stop();
  }
});
