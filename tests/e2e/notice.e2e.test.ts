/**
 * The advance notice of a material change, followed as a subscriber and an officer would: a real
 * `strapi start` serving the built admin, a real SMTP server started here, Debian's Chromium.
 *
 *   1. A policy is in force; a visitor subscribes and confirms (double opt-in).
 *   2. A material version is scheduled a week ahead with a reason (less than 30 days' notice):
 *      the notice reaches the subscriber, with List-Unsubscribe.
 *   3. The subscriber's browser follows the message's link to the changes and sees the changed
 *      section.
 *   4. The officer opens the version in the admin and sees the notice's progress (1 sent).
 *
 * Screenshots land in tests/artifacts/e2e/ (git-ignored) as notice-*.png.
 */
import type { Browser, BrowserContext } from 'playwright-core';

import { startApp, type RunningApp } from '../helpers/e2e-app';
import { PLUGIN_PATH, api, launchBrowser, logIn, newPage, registerSuperAdmin, screenshot } from '../helpers/e2e-browser';
import { sampleLocales } from '../helpers/policies';
import { rawHeader, startSmtp } from '../helpers/smtp';

let app: RunningApp;
let browser: Browser;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let superToken: string;
const contexts: BrowserContext[] = [];
const SUBSCRIBER = 'reader.e2e@example.org';
const ADMIN = 'ada.notice@northwind.example';

beforeAll(async () => {
  smtp = await startSmtp();
  app = await startApp({ SMTP_PORT: String(smtp.port) });
  browser = await launchBrowser();
  superToken = await registerSuperAdmin(app, ADMIN);
  const first = await api(app, 'POST', '/privacy-centre/policies/drafts', superToken, { slug: 'privacy-policy', locales: { en: sampleLocales('one').en } });
  await api(app, 'POST', `/privacy-centre/policies/drafts/${first.data.documentId}/publish`, superToken, {});

  await fetch(`${app.url}/api/privacy-centre/newsletter/subscribe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: SUBSCRIBER, locale: 'en' }),
  });
  const confirmation = await smtp.waitFor(SUBSCRIBER);
  const token = /\/newsletter\/confirm\?token=([A-Za-z0-9_.-]+)/.exec(confirmation.parsed.text!)![1];
  const confirmed = await fetch(`${app.url}/api/privacy-centre/newsletter/confirm`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }).toString(),
  });
  expect(confirmed.status).toBe(200);
}, 300_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await app?.stop();
  await smtp?.close();
});

it('a subscriber follows the notice of a material change to what changed; the officer sees it sent', async () => {
  const draft = await api(app, 'POST', '/privacy-centre/policies/drafts', superToken, {
    slug: 'privacy-policy',
    materialChange: true,
    locales: { en: sampleLocales('two').en },
  });
  const published = await api(app, 'POST', `/privacy-centre/policies/drafts/${draft.data.documentId}/publish`, superToken, {
    effectiveAt: new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString(),
    noticeReason: 'A regulator asked for the change within the week',
  });
  expect(published.data).toMatchObject({ version: 2, status: 'scheduled' });

  const notice = await smtp.waitFor(SUBSCRIBER, (m) => /changes take effect/.test(m.parsed.subject ?? ''));
  expect(notice.parsed.subject).toMatch(/^Privacy policy two: changes take effect on /);
  expect(rawHeader(notice.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
  const link = /https?:\/\/\S+\/versions\/2\/changes\?locale=en/.exec(notice.parsed.text!)![0];
  expect(link.startsWith(app.url)).toBe(true);

  const { page, errors } = await newPage(browser, contexts);
  const response = await page.goto(link);
  expect(response!.status()).toBe(200);
  const body = JSON.parse(await page.locator('body').innerText());
  expect(body.data).toMatchObject({ slug: 'privacy-policy', version: 2, previousVersion: 1 });
  expect(body.data.changes).toEqual([
    expect.objectContaining({ kind: 'changed', heading: '1. Who we are', markdown: 'We are the controller (two).', previousMarkdown: 'We are the controller (one).' }),
  ]);
  await screenshot(page, 'notice-changes');

  await logIn(app, page, ADMIN);
  await page.goto(`${app.url}${PLUGIN_PATH}/policies/${draft.data.documentId}`);
  const progress = page.getByTestId('privacy-centre-notice-progress');
  await progress.waitFor();
  await progress.getByText('Advance notice: done').waitFor();
  await progress.getByText('A regulator asked for the change within the week', { exact: false }).waitFor();
  await screenshot(page, 'notice-progress');
  expect(errors).toEqual([]);
}, 180_000);
