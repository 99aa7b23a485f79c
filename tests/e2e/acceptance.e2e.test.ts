/**
 * Policy acceptance by a signed-in user, in Debian's Chromium, on a site's own page (another
 * origin than Strapi's) as a site would build it: the page signs the user in through
 * users-permissions (`POST /api/auth/local`), opens the members area (the test app's
 * `GET /api/member-area`, guarded by the route policy `plugin::privacy-centre.policies-accepted`),
 * is refused with `PolicyAcceptanceRequired`, shows an Accept button, accepts what
 * `acceptances/me` names, and the members area lets the user in.
 *
 * The app requires `terms` through its config (PRIVACY_CENTRE_EXTRA_CONFIG), with no grace period.
 * Screenshots: tests/artifacts/e2e/acceptance-*.png.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { startApp, type RunningApp } from '../helpers/e2e-app';
import { api, launchBrowser, logIn, newPage, PLUGIN_PATH, registerSuperAdmin, screenshot } from '../helpers/e2e-browser';
import { sampleLocales } from '../helpers/policies';

let app: RunningApp;
let browser: Browser;
let site: http.Server;
let siteUrl: string;
let token: string;
let termsDocumentId: string;
const contexts: BrowserContext[] = [];
const EMAIL = 'member@northwind.example';
const PASSWORD = 'Member-passw0rd';

const sitePage = (apiUrl: string) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Members – Northwind Rowing Club</title></head>
<body>
<main>
  <h1>Members area</h1>
  <form id="login">
    <label>E-mail <input id="identifier" name="identifier" autocomplete="username"></label>
    <label>Password <input id="password" name="password" type="password" autocomplete="current-password"></label>
    <button type="submit">Sign in</button>
  </form>
  <p id="status" role="status"></p>
  <button id="accept" type="button" hidden>Accept the new terms</button>
  <p id="welcome"></p>
</main>
<script>
const API = ${JSON.stringify(apiUrl)};
let jwt = null;
const $ = (id) => document.getElementById(id);
const authorised = (extra = {}) => ({ ...extra, Authorization: 'Bearer ' + jwt });
async function openMembersArea() {
  const response = await fetch(API + '/member-area', { headers: authorised() });
  const body = await response.json();
  if (response.status === 403 && body.error && body.error.name === 'PolicyAcceptanceRequired') {
    $('status').textContent = 'Please accept: ' + body.error.details.policies.map((p) => p.slug + ' version ' + p.version).join(', ');
    $('accept').hidden = false;
    return;
  }
  $('accept').hidden = true;
  $('status').textContent = response.ok ? 'Signed in' : 'Error ' + response.status;
  if (response.ok) $('welcome').textContent = body.data.message;
}
$('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const response = await fetch(API + '/auth/local', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ identifier: $('identifier').value, password: $('password').value }),
  });
  jwt = (await response.json()).jwt;
  await openMembersArea();
});
$('accept').addEventListener('click', async () => {
  const me = await (await fetch(API + '/privacy-centre/acceptances/me', { headers: authorised() })).json();
  for (const policy of me.data.policies.filter((p) => p.mustAccept)) {
    const response = await fetch(API + '/privacy-centre/acceptances', {
      method: 'POST',
      headers: authorised({ 'Content-Type': 'application/json' }),
      body: JSON.stringify({ slug: policy.slug, version: policy.current.version, hash: policy.current.hash }),
    });
    window.lastReceipt = (await response.json()).data;
  }
  await openMembersArea();
});
</script>
</body>
</html>`;

beforeAll(async () => {
  [app, browser] = await Promise.all([
    startApp({ PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({ acceptance: { required: ['terms'], graceDays: 0 } }) }),
    launchBrowser(),
  ]);
  token = await registerSuperAdmin(app, 'ada@northwind.example');
  // The terms in force (the test app has en only here: one locale).
  const draft = await api(app, 'POST', '/privacy-centre/policies/drafts', token, { slug: 'terms', materialChange: true, locales: { en: sampleLocales('e2e').en } });
  await api(app, 'POST', `/privacy-centre/policies/drafts/${draft.data.documentId}/publish`, token, {});
  termsDocumentId = draft.data.documentId;
  // A member signs up through users-permissions (email confirmation is off in the test app).
  await api(app, 'POST', '/api/auth/local/register', null, { username: 'member', email: EMAIL, password: PASSWORD });

  const page = sitePage(`${app.url}/api`);
  site = http.createServer((req, res) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/') return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', () => resolve()));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
  expect(new URL(siteUrl).origin).not.toBe(new URL(app.url).origin);
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
  await app?.stop();
});

/** The page's status line says exactly `text`, once it has said it (it is written after a response is read). */
async function statusSays(page: Page, text: string) {
  await page.getByRole('status').filter({ hasText: text }).waitFor();
  expect(await page.getByRole('status').textContent()).toBe(text);
}

it('a signed-in member is refused until they accept the terms, then let in', async () => {
  const { page, errors } = await newPage(browser, contexts);
  await page.goto(siteUrl);
  await page.getByLabel('E-mail').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  const refused = page.waitForResponse((r) => r.url().endsWith('/api/member-area'));
  await page.getByRole('button', { name: 'Sign in' }).click();
  expect((await refused).status()).toBe(403);
  // The response arrives before the page has read it and written its status: wait for the words.
  await statusSays(page, 'Please accept: terms version 1');
  await screenshot(page, 'acceptance-refused');

  const accepted = page.waitForResponse((r) => r.url().endsWith('/api/privacy-centre/acceptances') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Accept the new terms' }).click();
  expect((await accepted).status()).toBe(201);
  await page.getByText('Welcome to the members area').waitFor();
  await statusSays(page, 'Signed in');
  expect(await page.getByRole('button', { name: 'Accept the new terms' }).isHidden()).toBe(true);
  await screenshot(page, 'acceptance-accepted');

  // The receipt the page got verifies, and the admin counts the member among those who accepted.
  const receipt = await page.evaluate(() => (globalThis as any).lastReceipt);
  expect(await api(app, 'POST', '/api/privacy-centre/acceptances/verify', null, { receipt })).toEqual({ data: { authentic: true, matchesRecord: true, reason: 'ok' } });
  const listed = await api(app, 'GET', `/privacy-centre/policies/versions/${termsDocumentId}/acceptances`, token);
  expect(listed.summary).toMatchObject({ slug: 'terms', version: 1, askedNow: true, accepted: 1, mustStill: 0 });
  expect(listed.data[0].user.username).toBe('member');
  expect(errors).toEqual([]);
});

it("the version's admin page shows who accepted it", async () => {
  const { page, errors } = await newPage(browser, contexts);
  await logIn(app, page, 'ada@northwind.example');
  await page.goto(`${app.url}${PLUGIN_PATH}/policies/${termsDocumentId}`);
  const panel = page.getByTestId('privacy-centre-policy-acceptances');
  await panel.waitFor();
  // The count is written once the panel's request is answered.
  const total = panel.getByTestId('privacy-centre-acceptances-total');
  await total.filter({ hasText: /^\d+ acceptances?$/ }).waitFor();
  await expect(total.textContent()).resolves.toBe('1 acceptance');
  // The design system's table is a grid: its cells are `td` elements of role gridcell.
  await expect(panel.locator('td').filter({ hasText: /^member$/ }).count()).resolves.toBe(1);
  await screenshot(page, 'acceptance-admin');
  expect(errors).toEqual([]);
});
