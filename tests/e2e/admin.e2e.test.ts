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
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

import { REPO_ROOT, startApp, type RunningApp } from '../helpers/e2e-app';

const ARTIFACTS = path.join(REPO_ROOT, 'tests', 'artifacts', 'e2e');
const CHROMIUM = '/usr/bin/chromium'; // Debian's package: `apt-get install -y chromium`
const PASSWORD = 'Str0ngPassw0rd!';
const SUPER_ADMIN = { firstname: 'Ada', lastname: 'Lovelace', email: 'ada@northwind.example' };
const PLUGIN_PATH = '/admin/plugins/privacy-centre';
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
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium)`);
  }
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  app = await startApp();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await app?.stop();
});

/**
 * A fresh browser profile in English. Uncaught exceptions in the page are collected: the test
 * fails on them, since a broken admin can still render a heading.
 */
async function newPage(): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, errors };
}

const screenshot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

async function expectPage(page: Page, key: string, heading: string) {
  const frame = page.getByTestId(`privacy-centre-page-${key}`);
  await frame.waitFor({ state: 'visible' });
  await expect(frame.locator('h1').textContent()).resolves.toBe(heading);
}

async function adminApi<T = any>(method: string, url: string, token: string | null, body?: unknown): Promise<T> {
  const response = await fetch(`${app.url}${url}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} → ${response.status}: ${text}`);
  return text ? JSON.parse(text) : (undefined as T);
}

/**
 * An active admin holding one new role with exactly `actions`, created the way Strapi does it:
 * the super admin invites (POST /admin/users answers a registration token) and the invitee
 * sets a password (POST /admin/register).
 */
async function createAdminWithRole(name: string, actions: string[]) {
  const { data: login } = await adminApi('POST', '/admin/login', null, { email: SUPER_ADMIN.email, password: PASSWORD });
  const token: string = login.token;
  const { data: role } = await adminApi('POST', '/admin/roles', token, { name, description: `e2e: ${actions.join(', ') || 'no plugin action'}` });
  await adminApi('PUT', `/admin/roles/${role.id}/permissions`, token, {
    permissions: actions.map((action) => ({ action, subject: null, conditions: [], properties: {} })),
  });
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@northwind.example`;
  const { data: user } = await adminApi('POST', '/admin/users', token, { firstname: name, lastname: 'E2E', email, roles: [role.id] });
  await adminApi('POST', '/admin/register', null, {
    registrationToken: user.registrationToken,
    userInfo: { firstname: name, lastname: 'E2E', password: PASSWORD },
  });
  return { email };
}

async function logIn(page: Page, email: string) {
  await page.goto(`${app.url}/admin/auth/login`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('button[type="submit"]');
  await page.waitForURL((url) => !url.pathname.startsWith('/admin/auth/'));
  // The main navigation is there once the admin has loaded the user's permissions.
  await page.locator('nav a[href="/admin"]').first().waitFor();
}

test('the first administrator registers, visits every Privacy Centre page and saves the settings', async () => {
  const { page, errors } = await newPage();

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

  // Areas not built yet say so instead of showing rows.
  await page.goto(`${app.url}${PLUGIN_PATH}/consents`);
  await page.getByTestId('privacy-centre-not-built-consents').waitFor();

  // Settings: change the controller's name, save, reload, still changed.
  const newName = `Northwind Rowing Club ry (e2e ${Date.now()})`;
  await page.goto(`${app.url}${PLUGIN_PATH}/settings`);
  await expectPage(page, 'settings', 'Settings');
  const nameInput = page.locator('input[name="controller.name"]');
  await expect(nameInput.inputValue()).resolves.toBe('Northwind Rowing Club ry'); // from tests/app/config/plugins.ts

  // A value the server refuses: its validation message is shown, nothing is stored.
  const emailInput = page.locator('input[name="controller.email"]');
  await emailInput.fill('not an email');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText(/must be a valid email/).first().waitFor();
  await screenshot(page, '09-settings-refused');
  await emailInput.fill('privacy@northwind.example');

  await nameInput.fill(newName);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Settings saved').first().waitFor();
  await screenshot(page, '10-settings-saved');

  await page.reload();
  await expectPage(page, 'settings', 'Settings');
  await expect(page.locator('input[name="controller.name"]').inputValue()).resolves.toBe(newName);
  await page.getByTestId('privacy-centre-settings-config').getByText('Configured', { exact: true }).waitFor();

  // The change is in the audit log, attributed to the administrator.
  await page.goto(`${app.url}${PLUGIN_PATH}/audit`);
  await expectPage(page, 'audit', 'Audit log');
  // Only the accepted change: the refused one stored nothing, so there is exactly one entry.
  await expect(page.getByTestId('privacy-centre-audit-row').count()).resolves.toBe(1);
  const row = page.getByTestId('privacy-centre-audit-row').filter({ hasText: 'settings.update' }).first();
  await row.waitFor();
  await expect(row.textContent()).resolves.toContain(SUPER_ADMIN.email);
  await row.getByText('Show details').click();
  const details = row.getByTestId('privacy-centre-audit-details').locator('pre');
  await details.waitFor({ state: 'visible' });
  await expect(details.textContent()).resolves.toContain(newName);
  await screenshot(page, '11-audit-after-save');

  expect(errors).toEqual([]);
});

test('an admin without any Privacy Centre action sees no menu entry and is refused at a typed URL', async () => {
  const { email } = await createAdminWithRole('No Privacy', []);
  const { page, errors } = await newPage();
  await logIn(page, email);

  await expect(page.locator(MENU_LINK).count()).resolves.toBe(0);
  await screenshot(page, '12-no-permission-home');

  await page.goto(`${app.url}${PLUGIN_PATH}/settings`);
  await page.getByText("You don't have the permissions to access that content").first().waitFor();
  await expect(page.getByTestId('privacy-centre-page-settings').count()).resolves.toBe(0);
  await screenshot(page, '13-no-permission-typed-url');

  expect(errors).toEqual([]);
});

test('an admin holding only audit.read sees the overview and the audit log, nothing else', async () => {
  const { email } = await createAdminWithRole('Auditor', ['plugin::privacy-centre.audit.read']);
  const { page, errors } = await newPage();
  await logIn(page, email);

  await page.locator(MENU_LINK).click();
  await expectPage(page, 'overview', 'Overview');
  const navKeys = await page
    .getByTestId('privacy-centre-nav')
    .locator('[data-testid^="privacy-centre-nav-"]')
    .evaluateAll((links) => links.map((link) => link.getAttribute('data-testid')));
  expect(navKeys).toEqual(['privacy-centre-nav-overview', 'privacy-centre-nav-audit']);

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
  const { email } = await createAdminWithRole('Settings Reader', ['plugin::privacy-centre.settings.read']);
  const { page, errors } = await newPage();
  await logIn(page, email);

  await page.goto(`${app.url}${PLUGIN_PATH}/settings`);
  await expectPage(page, 'settings', 'Settings');
  await page.getByTestId('privacy-centre-settings-readonly').waitFor();
  await expect(page.locator('input[name="controller.name"]').isDisabled()).resolves.toBe(true);
  await expect(page.getByRole('button', { name: 'Save' }).count()).resolves.toBe(0);
  await screenshot(page, '15-settings-read-only');

  expect(errors).toEqual([]);
});
