/**
 * Browser and admin-API helpers for the e2e tests: a headless Chromium or Chrome (the one
 * tests/helpers/find-browser.js finds) through playwright-core, screenshots under tests/artifacts/e2e/ (git-ignored), and admins with roles
 * created the way Strapi does it (invitation, then registration).
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

import { REPO_ROOT, type RunningApp } from './e2e-app';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { findBrowser } = require('./find-browser');

export const ARTIFACTS = path.join(REPO_ROOT, 'tests', 'artifacts', 'e2e');
export const PASSWORD = 'Str0ngPassw0rd!';
export const PLUGIN_PATH = '/admin/plugins/privacy-centre';

export async function launchBrowser(): Promise<Browser> {
  const browser = findBrowser();
  if (!browser.path) throw new Error(`The browser tests need a browser: ${browser.reason}`);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: browser.path,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A fresh browser profile in English. Uncaught exceptions in the page are collected: a test
 * should fail on them, since a broken admin can still render a heading.
 */
export async function newPage(browser: Browser, contexts: BrowserContext[]): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', timezoneId: 'Europe/Helsinki' });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, errors };
}

export const screenshot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

/** A JSON request to the running app; throws with the body on any non-2xx answer. */
export async function api<T = any>(app: RunningApp, method: string, url: string, token: string | null, body?: unknown): Promise<T> {
  const response = await fetch(`${app.url}${url}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} → ${response.status}: ${text}`);
  return text ? JSON.parse(text) : (undefined as T);
}

/** A plugin page's frame is shown, with this heading (h1). */
export async function expectPage(page: Page, key: string, heading: string) {
  const frame = page.getByTestId(`privacy-centre-page-${key}`);
  await frame.waitFor({ state: 'visible' });
  await expect(frame.locator('h1').textContent()).resolves.toBe(heading);
}

/** An admin API token for an existing administrator (POST /admin/login). */
export async function adminToken(app: RunningApp, email: string): Promise<string> {
  const { data } = await api(app, 'POST', '/admin/login', null, { email, password: PASSWORD });
  return data.token;
}

/** Registers the first administrator (a fresh database has none) and returns their token. */
export async function registerSuperAdmin(app: RunningApp, email: string): Promise<string> {
  const { data } = await api(app, 'POST', '/admin/register-admin', null, {
    firstname: 'Ada',
    lastname: 'Lovelace',
    email,
    password: PASSWORD,
  });
  return data.token;
}

/**
 * An active admin holding one new role with exactly `actions`: the super admin invites (POST
 * /admin/users answers a registration token) and the invitee sets a password (POST /admin/register).
 */
export async function createAdminWithRole(app: RunningApp, superToken: string, name: string, actions: string[]) {
  const { data: role } = await api(app, 'POST', '/admin/roles', superToken, {
    name,
    description: `e2e: ${actions.join(', ') || 'no plugin action'}`,
  });
  await api(app, 'PUT', `/admin/roles/${role.id}/permissions`, superToken, {
    permissions: actions.map((action) => ({ action, subject: null, conditions: [], properties: {} })),
  });
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@northwind.example`;
  const { data: user } = await api(app, 'POST', '/admin/users', superToken, { firstname: name, lastname: 'E2E', email, roles: [role.id] });
  await api(app, 'POST', '/admin/register', null, {
    registrationToken: user.registrationToken,
    userInfo: { firstname: name, lastname: 'E2E', password: PASSWORD },
  });
  return { email };
}

export async function logIn(app: RunningApp, page: Page, email: string) {
  await page.goto(`${app.url}/admin/auth/login`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('button[type="submit"]');
  await page.waitForURL((url) => !url.pathname.startsWith('/admin/auth/'));
  // The main navigation is there once the admin has loaded the user's permissions.
  await page.locator('nav a[href="/admin"]').first().waitFor();
}
