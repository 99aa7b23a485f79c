/**
 * The Privacy Centre admin, driven as a person would: a real `strapi start` serving the built
 * admin panel (tests/helpers/e2e-app.ts), Debian's Chromium through playwright-core.
 *
 *   1. The first administrator registers through Strapi's own registration page, opens
 *      Privacy Centre from the main menu, visits every page, saves the settings, sees them
 *      persisted after a reload and the change in the audit log.
 *   2. Admins with other roles: without any plugin action they see no menu entry and are
 *      refused at a typed URL; with only `audit.read` they see the overview and the audit log
 *      and nothing else; with only `settings.read` the settings are shown read-only.
 *
 * Screenshots of every page land in tests/artifacts/e2e/ (git-ignored).
 */
import type { Browser, BrowserContext } from 'playwright-core';

import { startApp, type RunningApp } from '../helpers/e2e-app';
import {
  PASSWORD,
  PLUGIN_PATH,
  adminToken,
  createAdminWithRole,
  expectPage,
  launchBrowser,
  logIn,
  newPage,
  screenshot,
} from '../helpers/e2e-browser';

const SUPER_ADMIN = { firstname: 'Ada', lastname: 'Lovelace', email: 'ada@northwind.example' };
const MENU_LINK = `nav a[href="${PLUGIN_PATH}"]`;

/** Every page of the plugin: nav key (also the data-testid suffix), path, English heading. */
const PAGES = [
  { key: 'overview', path: '', heading: 'Overview' },
  { key: 'policies', path: '/policies', heading: 'Policies' },
  { key: 'cookies', path: '/cookies', heading: 'Cookies' },
  { key: 'consents', path: '/consents', heading: 'Consent log' },
  { key: 'newsletter', path: '/newsletter', heading: 'Newsletter' },
  { key: 'subjects', path: '/subjects', heading: 'Data-subject requests' },
  { key: 'audit', path: '/audit', heading: 'Audit log' },
  { key: 'settings', path: '/settings', heading: 'Settings' },
] as const;

let app: RunningApp;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await app?.stop();
});

/** An admin holding one new role with exactly `actions`, invited by the super admin registered in the first test. */
async function createAdmin(name: string, actions: string[]) {
  return createAdminWithRole(app, await adminToken(app, SUPER_ADMIN.email), name, actions);
}

test('the first administrator registers, visits every Privacy Centre page and saves the settings', async () => {
  const { page, errors } = await newPage(browser, contexts);

  // Registration through Strapi's real page: a fresh database sends /admin there.
  await page.goto(`${app.url}/admin`);
  await page.waitForURL('**/admin/auth/register-admin');
  await page.fill('input[name="firstname"]', SUPER_ADMIN.firstname);
  await page.fill('input[name="lastname"]', SUPER_ADMIN.lastname);
  await page.fill('input[name="email"]', SUPER_ADMIN.email);
  await page.fill('input[name="password"]', PASSWORD);
  await page.fill('input[name="confirmPassword"]', PASSWORD);
  await screenshot(page, '00-register-admin');
  await page.click('button[type="submit"]');
  await page.waitForURL((url) => !url.pathname.startsWith('/admin/auth/'));

  // The plugin's entry in the main menu.
  const menuLink = page.locator(MENU_LINK);
  await menuLink.waitFor();
  await menuLink.click();
  await page.waitForURL(`**${PLUGIN_PATH}`);

  // Every page through the plugin's own side navigation.
  for (const [index, { key, path: pagePath, heading }] of PAGES.entries()) {
    await page.getByTestId(`privacy-centre-nav-${key}`).click();
    await page.waitForURL(`**${PLUGIN_PATH}${pagePath}`);
    await expectPage(page, key, heading);
    await screenshot(page, `${String(index + 1).padStart(2, '0')}-${key}`);
  }

  // The data-subject page opens on an empty register (nothing received yet).
  await page.goto(`${app.url}${PLUGIN_PATH}/subjects`);
  await page.getByTestId('privacy-centre-requests-empty').waitFor();

  // Settings: change the controller's name, save, reload, still changed.
  const newName = `Northwind Rowing Club ry (e2e ${Date.now()})`;
  await page.goto(`${app.url}${PLUGIN_PATH}/settings`);
  await expectPage(page, 'settings', 'Settings');
  const nameInput = page.locator('input[name="controller.name"]');
  await expect(nameInput.inputValue()).resolves.toBe('Northwind Rowing Club ry'); // from tests/app/config/plugins.ts

  // A value the server refuses: its validation message is shown, nothing is stored.
  const emailInput = page.locator('input[name="controller.email"]');
  await emailInput.fill('not an email');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText(/controller\.email must be empty or a bare e-mail address/).first().waitFor();
  await screenshot(page, '09-settings-refused');
  await emailInput.fill('privacy@northwind.example');

  await nameInput.fill(newName);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('Settings saved').first().waitFor();
  await screenshot(page, '10-settings-saved');

  await page.reload();
  await expectPage(page, 'settings', 'Settings');
  await expect(page.locator('input[name="controller.name"]').inputValue()).resolves.toBe(newName);
  await page.getByTestId('privacy-centre-settings-config').getByText('Configured', { exact: true }).waitFor();

  // The change is in the audit log, attributed to the administrator.
  await page.goto(`${app.url}${PLUGIN_PATH}/audit`);
  await expectPage(page, 'audit', 'Audit log');
  // Wait for the rows to load before counting them: count() does not wait.
  const row = page.getByTestId('privacy-centre-audit-row').filter({ hasText: 'settings.update' }).first();
  await row.waitFor();
  // Only the accepted change: the refused one stored nothing, so there is exactly one entry of
  // settings. (Counted among the settings' rows only: the retention purge, daily at 03:17 server
  // time by default, adds a `retention.purge` row of its own when the run crosses that minute.)
  await expect(page.getByTestId('privacy-centre-audit-row').filter({ hasText: /settings\./ }).count()).resolves.toBe(1);
  await expect(row.textContent()).resolves.toContain(SUPER_ADMIN.email);
  await row.getByText('Show details').click();
  const details = row.getByTestId('privacy-centre-audit-details').locator('pre');
  await details.waitFor({ state: 'visible' });
  await expect(details.textContent()).resolves.toContain(newName);
  await screenshot(page, '11-audit-after-save');

  expect(errors).toEqual([]);
});

test('an admin without any Privacy Centre action sees no menu entry and is refused at a typed URL', async () => {
  const { email } = await createAdmin('No Privacy', []);
  const { page, errors } = await newPage(browser, contexts);
  await logIn(app, page, email);

  await expect(page.locator(MENU_LINK).count()).resolves.toBe(0);
  await screenshot(page, '12-no-permission-home');

  await page.goto(`${app.url}${PLUGIN_PATH}/settings`);
  await page.getByText("You don't have the permissions to access that content").first().waitFor();
  await expect(page.getByTestId('privacy-centre-page-settings').count()).resolves.toBe(0);
  await screenshot(page, '13-no-permission-typed-url');

  expect(errors).toEqual([]);
});

test('an admin holding only audit.read sees the overview and the audit log, nothing else', async () => {
  const { email } = await createAdmin('Auditor', ['plugin::privacy-centre.audit.read']);
  const { page, errors } = await newPage(browser, contexts);
  await logIn(app, page, email);

  await page.locator(MENU_LINK).click();
  await expectPage(page, 'overview', 'Overview');
  const navKeys = await page
    .getByTestId('privacy-centre-nav')
    .locator('[data-testid^="privacy-centre-nav-"]')
    .evaluateAll((links) => links.map((link) => link.getAttribute('data-testid')));
  expect(navKeys).toEqual(['privacy-centre-nav-overview', 'privacy-centre-nav-audit']);
  // The overview is open to any read action, but shows an area's data only with that area's read action.
  await page.getByTestId('privacy-centre-overview-ready').waitFor({ state: 'attached' });
  await expect(page.getByTestId('privacy-centre-overview-newsletter').count()).resolves.toBe(0);
  await expect(page.getByTestId('privacy-centre-overview-policies').count()).resolves.toBe(0);

  await page.getByTestId('privacy-centre-nav-audit').click();
  await expectPage(page, 'audit', 'Audit log');
  await page.getByTestId('privacy-centre-audit-row').first().waitFor();
  await screenshot(page, '14-auditor-audit');

  await page.goto(`${app.url}${PLUGIN_PATH}/settings`);
  await page.getByText("You don't have the permissions to access that content").first().waitFor();
  await expect(page.getByTestId('privacy-centre-page-settings').count()).resolves.toBe(0);

  expect(errors).toEqual([]);
});

test('an admin holding only settings.read sees the settings read-only', async () => {
  const { email } = await createAdmin('Settings Reader', ['plugin::privacy-centre.settings.read']);
  const { page, errors } = await newPage(browser, contexts);
  await logIn(app, page, email);

  await page.goto(`${app.url}${PLUGIN_PATH}/settings`);
  await expectPage(page, 'settings', 'Settings');
  await page.getByTestId('privacy-centre-settings-readonly').waitFor();
  await expect(page.locator('input[name="controller.name"]').isDisabled()).resolves.toBe(true);
  await expect(page.getByRole('button', { name: 'Save' }).count()).resolves.toBe(0);
  await screenshot(page, '15-settings-read-only');

  expect(errors).toEqual([]);
});
