/**
 * The newsletter's admin, driven as a data-protection officer would: a real `strapi start`
 * serving the built admin panel (tests/helpers/e2e-app.ts), sending through a real SMTP server
 * started here (tests/helpers/smtp.ts), Debian's Chromium through playwright-core.
 *
 *   1. A privacy policy is published; one visitor subscribes to "default" and confirms through
 *      the link in the message the SMTP server received (double opt-in); another asks for
 *      "members" and does not confirm.
 *   2. An officer (newsletter read, manage, export; settings read, update) sees the counts,
 *      finds the subscriber by address and by status, opens its history and checks the evidence
 *      against the message as received (subject, Message-ID, SHA-256 of the bytes), unsubscribes
 *      it with a reason (UI and admin API agree), exports CSV, edits the confirmation e-mail in
 *      Settings (preview follows; the server's refusal is shown), and sees the overview's trend.
 *   3. A role holding only newsletter.read cannot export or unsubscribe.
 *
 * Screenshots land in tests/artifacts/e2e/ (git-ignored) as newsletter-*.png.
 */
import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { startApp, type RunningApp } from '../helpers/e2e-app';
import {
  PLUGIN_PATH,
  adminToken,
  api,
  createAdminWithRole,
  expectPage,
  launchBrowser,
  logIn,
  newPage,
  registerSuperAdmin,
  screenshot,
} from '../helpers/e2e-browser';
import { sampleLocales } from '../helpers/policies';
import { sha256, startSmtp, type ReceivedMail } from '../helpers/smtp';

let app: RunningApp;
let browser: Browser;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let superToken: string;
const contexts: BrowserContext[] = [];

const SUBSCRIBER = 'rowan.e2e@example.org';
const PENDING = 'pending.person@example.net';
const REASON = 'Asked by phone to stop (e2e)';
let message: ReceivedMail;
let policyHash: string;

async function subscribe(body: Record<string, string>) {
  const response = await fetch(`${app.url}/api/privacy-centre/newsletter/subscribe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'Mozilla/5.0 (e2e subscriber)' },
    body: JSON.stringify(body),
  });
  if (response.status !== 202) throw new Error(`subscribe → ${response.status}: ${await response.text()}`);
}

beforeAll(async () => {
  smtp = await startSmtp();
  app = await startApp({
    SMTP_PORT: String(smtp.port),
    PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({ newsletter: { lists: ['default', 'members'] } }),
  });
  browser = await launchBrowser();
  superToken = await registerSuperAdmin(app, 'ada@northwind.example');

  // A policy in force, so every event names it.
  const draft = await api(app, 'POST', '/privacy-centre/policies/drafts', superToken, { slug: 'privacy-policy', locales: { en: sampleLocales('e2e').en } });
  await api(app, 'POST', `/privacy-centre/policies/drafts/${draft.data.documentId}/publish`, superToken, {});
  policyHash = (await api(app, 'GET', '/api/privacy-centre/policies/privacy-policy/current', null)).data.hash;
  expect(policyHash).toMatch(/^[0-9a-f]{64}$/);

  await subscribe({ email: SUBSCRIBER, list: 'default', locale: 'en', source: 'https://northwind.example/news' });
  message = await smtp.waitFor(SUBSCRIBER);
  const link = /https?:\/\/\S+\/newsletter\/confirm\?token=([A-Za-z0-9_.-]+)/.exec(message.parsed.text!)!;
  const confirmed = await fetch(`${app.url}/api/privacy-centre/newsletter/confirm`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'Mozilla/5.0 (e2e confirming browser)' },
    body: new URLSearchParams({ token: link[1] }).toString(),
  });
  expect(confirmed.status).toBeLessThan(400);

  await subscribe({ email: PENDING, list: 'members', locale: 'fi' });
  await smtp.waitFor(PENDING);
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await app?.stop();
  await smtp?.close();
});

/** Design-system selects are buttons with a listbox, not <select>: open, then pick by label. */
async function choose(page: Page, label: string, option: string) {
  await page.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

const total = (page: Page) => page.getByTestId('privacy-centre-newsletter-total');
const rows = (page: Page) => page.getByTestId('privacy-centre-subscription-row');
const rowEmails = (page: Page) => rows(page).evaluateAll((list) => list.map((row) => row.getAttribute('data-email')).sort());
/**
 * The addresses shown once they are `expected` (or after 10 s, whatever is shown): two filters can
 * both total "1 subscription", so the total alone does not say the rows were replaced yet.
 */
const rowEmailsOnce = async (page: Page, expected: string[]) => {
  const deadline = Date.now() + 10_000;
  let shown = await rowEmails(page);
  while (JSON.stringify(shown) !== JSON.stringify(expected) && Date.now() < deadline) {
    await page.waitForTimeout(100);
    shown = await rowEmails(page);
  }
  return shown;
};
const count = (page: Page, list: string, status: string) =>
  page.locator(`[data-testid="privacy-centre-newsletter-counts-list"][data-list="${list}"]`).getByTestId(`privacy-centre-newsletter-count-${status}`).textContent();

test('an officer finds a subscriber, checks its evidence, unsubscribes it, exports CSV, edits the confirmation e-mail and sees the trend', async () => {
  const { email } = await createAdminWithRole(app, superToken, 'Newsletter Officer', [
    'plugin::privacy-centre.newsletter.read',
    'plugin::privacy-centre.newsletter.manage',
    'plugin::privacy-centre.newsletter.export',
    'plugin::privacy-centre.settings.read',
    'plugin::privacy-centre.settings.update',
  ]);
  const officerToken = await adminToken(app, email);
  const { page, errors } = await newPage(browser, contexts);
  await logIn(app, page, email);

  await page.goto(`${app.url}${PLUGIN_PATH}`);
  await page.getByTestId('privacy-centre-nav-newsletter').click();
  await expectPage(page, 'newsletter', 'Newsletter');
  await total(page).getByText('2 subscriptions').waitFor();
  await expect(count(page, 'default', 'subscribed')).resolves.toBe('1');
  await expect(count(page, 'default', 'pending')).resolves.toBe('0');
  await expect(count(page, 'members', 'pending')).resolves.toBe('1');
  await screenshot(page, 'newsletter-01-list');

  // Search by a part of the address.
  const filters = page.getByTestId('privacy-centre-subscription-filters');
  await filters.locator('input[name="q"]').fill('rowan.e2e');
  await filters.getByRole('button', { name: 'Search' }).click();
  await total(page).getByText('1 subscription').waitFor();
  await expect(rowEmailsOnce(page, [SUBSCRIBER])).resolves.toEqual([SUBSCRIBER]);
  expect(page.url()).toContain('q=rowan.e2e');
  const row = rows(page).first();
  await expect(row.getByTestId('privacy-centre-subscription-status').getAttribute('data-status')).resolves.toBe('subscribed');
  await expect(row.textContent()).resolves.toContain('default');

  // Only the pending ones: the other address.
  await filters.getByRole('button', { name: 'Reset' }).click();
  await total(page).getByText('2 subscriptions').waitFor();
  await choose(page, 'Status', 'Pending');
  await filters.getByRole('button', { name: 'Search' }).click();
  await total(page).getByText('1 subscription').waitFor();
  await expect(rowEmailsOnce(page, [PENDING])).resolves.toEqual([PENDING]);
  await choose(page, 'Status', 'Any');
  await choose(page, 'List', 'default');
  await filters.getByRole('button', { name: 'Search' }).click();
  await total(page).getByText('1 subscription').waitFor();
  await expect(rowEmailsOnce(page, [SUBSCRIBER])).resolves.toEqual([SUBSCRIBER]);
  await screenshot(page, 'newsletter-02-filtered');

  // Its history: requested (with the message as sent), then confirmed.
  await rows(page).first().getByTestId('privacy-centre-subscription-open').click();
  await expectPage(page, 'newsletter-subscription', SUBSCRIBER);
  const events = page.getByTestId('privacy-centre-subscription-event');
  await expect(events.evaluateAll((list) => list.map((e) => e.getAttribute('data-action')))).resolves.toEqual(['requested', 'confirmed']);
  const requested = events.nth(0);
  const sent = requested.getByTestId('privacy-centre-subscription-message');
  await expect(sent.getByTestId('privacy-centre-message-subject').textContent()).resolves.toBe(message.parsed.subject);
  await expect(sent.getByTestId('privacy-centre-message-id').textContent()).resolves.toBe(message.parsed.messageId);
  // No DKIM here: the bytes the SMTP server received are the bytes the plugin hashed.
  await expect(sent.getByTestId('privacy-centre-message-sha256').textContent()).resolves.toBe(sha256(message.raw));
  const requestedText = await requested.textContent();
  expect(requestedText).toContain('127.0.0.0/24');
  expect(requestedText).toContain('Mozilla/5.0 (e2e subscriber)');
  expect(requestedText).toContain('https://northwind.example/news');
  expect(requestedText).toContain('privacy-policy, version 1');
  expect(requestedText).toContain(policyHash);
  // The address is kept truncated only (the message's links carry the app's own URL, hence the split).
  expect(requestedText!.split('Confirmation message as sent')[0]).not.toContain('127.0.0.1');
  await sent.locator('summary').click();
  await expect(sent.getByTestId('privacy-centre-message-text').textContent()).resolves.toContain('/newsletter/confirm?token=');
  const confirmedText = await events.nth(1).textContent();
  expect(confirmedText).toContain('Confirmed (double opt-in)');
  expect(confirmedText).toContain('Mozilla/5.0 (e2e confirming browser)');
  await screenshot(page, 'newsletter-03-evidence');

  // Unsubscribe from the admin, with a reason; cancelling first changes nothing.
  await page.getByTestId('privacy-centre-subscription-unsubscribe').click();
  const dialog = page.getByTestId('privacy-centre-unsubscribe-dialog');
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  const still = await api(app, 'GET', `/privacy-centre/newsletter/subscriptions?q=${encodeURIComponent(SUBSCRIBER)}`, officerToken);
  expect(still.data[0].status).toBe('subscribed');

  await page.getByTestId('privacy-centre-subscription-unsubscribe').click();
  await dialog.locator('textarea[name="reason"]').fill(REASON);
  await screenshot(page, 'newsletter-04-unsubscribe-dialog');
  await dialog.getByTestId('privacy-centre-unsubscribe-confirm').click();
  await dialog.waitFor({ state: 'detached' });
  const detail = page.getByTestId('privacy-centre-subscription');
  await expect(detail.getByTestId('privacy-centre-subscription-status').first().getAttribute('data-status')).resolves.toBe('unsubscribed');
  await expect(events.evaluateAll((list) => list.map((e) => e.getAttribute('data-action')))).resolves.toEqual(['requested', 'confirmed', 'withdrawn']);
  const withdrawn = await events.nth(2).textContent();
  expect(withdrawn).toContain(REASON);
  expect(withdrawn).toContain('by an administrator');
  await expect(page.getByTestId('privacy-centre-subscription-unsubscribe').count()).resolves.toBe(0);
  await screenshot(page, 'newsletter-05-unsubscribed');

  // The admin API says the same.
  const { data: listed } = await api(app, 'GET', `/privacy-centre/newsletter/subscriptions?q=${encodeURIComponent(SUBSCRIBER)}`, officerToken);
  expect(listed).toHaveLength(1);
  expect(listed[0]).toMatchObject({ email: SUBSCRIBER, status: 'unsubscribed', unsubscribeReason: REASON });
  const { data: full } = await api(app, 'GET', `/privacy-centre/newsletter/subscriptions/${listed[0].documentId}`, officerToken);
  expect(full.events.map((e: any) => e.action)).toEqual(['requested', 'confirmed', 'withdrawn']);
  expect(full.events[2]).toMatchObject({ via: 'admin', evidence: { method: 'admin', reason: REASON, previousStatus: 'subscribed' } });

  // Back on the list: the counts follow; the CSV export carries the subscriber as it is now.
  await page.getByRole('link', { name: 'Subscribers', exact: true }).click();
  await expectPage(page, 'newsletter', 'Newsletter');
  await total(page).getByText('2 subscriptions').waitFor();
  await expect(count(page, 'default', 'unsubscribed')).resolves.toBe('1');
  await expect(count(page, 'default', 'subscribed')).resolves.toBe('0');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('privacy-centre-newsletter-export-csv').click()]);
  expect(download.suggestedFilename()).toMatch(/^subscribers-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = fs.readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
  expect(csv[0]).toContain('email');
  expect(csv[0]).toContain('status');
  expect(csv).toHaveLength(3);
  const line = csv.find((l) => l.includes(SUBSCRIBER));
  expect(line).toBeDefined();
  expect(line).toContain('unsubscribed');
  expect(line).toContain(REASON);
  expect(csv.some((l) => l.includes(PENDING))).toBe(true);

  // Settings: the confirmation e-mail in English, with its preview.
  await page.getByTestId('privacy-centre-nav-settings').click();
  await expectPage(page, 'settings', 'Settings');
  const panel = page.getByTestId('privacy-centre-settings-newsletter');
  const previewSubject = panel.getByTestId('privacy-centre-template-preview-subject');
  const previewText = panel.getByTestId('privacy-centre-template-preview-text');
  // The plugin's own text, filled with sample values.
  await expect(previewSubject.textContent()).resolves.toBe('Please confirm your subscription');
  await expect(previewText.textContent()).resolves.toContain('newsletter of Northwind Rowing Club ry at this address');
  await panel.getByTestId('privacy-centre-template-customise').click();
  await panel.locator('input[name="newsletter.templates.en.subject"]').fill('Confirm {{list}} at {{controllerName}}');
  await expect(previewSubject.textContent()).resolves.toBe('Confirm default at Northwind Rowing Club ry');
  const textarea = panel.locator('textarea[name="newsletter.templates.en.text"]');
  await textarea.fill('Hi! Confirm here: {{confirmUrl}} within {{hours}} hours.');
  await expect(previewText.textContent()).resolves.toMatch(/^Hi! Confirm here: https?:\/\/\S+\/api\/privacy-centre\/newsletter\/confirm\?token=\S+ within 48 hours\.$/);
  await screenshot(page, 'newsletter-06-template-preview');

  // Without the unsubscribe link the server refuses, and says why.
  await panel.getByTestId('privacy-centre-settings-newsletter-save').click();
  const problems = panel.getByTestId('privacy-centre-settings-newsletter-errors');
  await problems.waitFor();
  await expect(problems.textContent()).resolves.toContain('must contain {{confirmUrl}} and {{unsubscribeUrl}}');
  await screenshot(page, 'newsletter-07-template-refused');
  const before = await api(app, 'GET', '/privacy-centre/settings', officerToken);
  expect(before.data.settings.newsletter.templates).toEqual({});

  await textarea.fill('Hi! Confirm here: {{confirmUrl}}\nOr cancel: {{unsubscribeUrl}}');
  await expect(previewText.textContent()).resolves.toContain('/newsletter/unsubscribe?token=');
  await panel.getByTestId('privacy-centre-settings-newsletter-save').click();
  await page.getByText('Newsletter settings saved').waitFor();
  await expect(problems.count()).resolves.toBe(0);
  const after = await api(app, 'GET', '/privacy-centre/settings', officerToken);
  expect(after.data.settings.newsletter.templates).toEqual({
    en: { subject: 'Confirm {{list}} at {{controllerName}}', text: 'Hi! Confirm here: {{confirmUrl}}\nOr cancel: {{unsubscribeUrl}}' },
  });
  // …and the next confirmation e-mail in English is that text.
  await subscribe({ email: 'third.person@example.org', list: 'default', locale: 'en' });
  const third = await smtp.waitFor('third.person@example.org');
  expect(third.parsed.subject).toBe('Confirm default at Northwind Rowing Club ry');
  expect(third.parsed.text).toMatch(/^Hi! Confirm here: https?:\/\/\S+\/newsletter\/confirm\?token=/);

  // The overview: subscribers per status now, and the days' sign-ups, confirmations and withdrawals.
  await page.getByTestId('privacy-centre-nav-overview').click();
  await expectPage(page, 'overview', 'Overview');
  const summary = page.getByTestId('privacy-centre-overview-newsletter');
  await expect(summary.getByTestId('privacy-centre-overview-subscribers-subscribed').textContent()).resolves.toBe('0');
  await expect(summary.getByTestId('privacy-centre-overview-subscribers-pending').textContent()).resolves.toBe('2');
  await expect(summary.getByTestId('privacy-centre-overview-subscribers-unsubscribed').textContent()).resolves.toBe('1');
  await expect(summary.getByTestId('privacy-centre-overview-newsletter-totals').textContent()).resolves.toBe(
    'Last 30 days: 3 sign-ups, 1 confirmed, 1 unsubscribed.'
  );
  const chart = summary.getByTestId('privacy-centre-overview-newsletter-chart');
  await chart.locator('canvas').first().waitFor({ state: 'visible' });
  expect((await chart.locator('canvas').first().boundingBox())!.width).toBeGreaterThan(300);
  await screenshot(page, 'newsletter-08-overview');

  expect(errors).toEqual([]);
});

test('an admin holding only newsletter.read sees subscribers but cannot export or unsubscribe', async () => {
  const { email } = await createAdminWithRole(app, superToken, 'Newsletter Reader', ['plugin::privacy-centre.newsletter.read']);
  const { page, errors } = await newPage(browser, contexts);
  await logIn(app, page, email);

  await page.goto(`${app.url}${PLUGIN_PATH}/newsletter`);
  await expectPage(page, 'newsletter', 'Newsletter');
  await total(page).getByText(/^\d+ subscriptions?$/).waitFor();
  await expect(page.getByTestId('privacy-centre-newsletter-export-csv').count()).resolves.toBe(0);

  await page.getByTestId('privacy-centre-subscription-filters').locator('input[name="q"]').fill('pending.person');
  await page.getByTestId('privacy-centre-subscription-filters').getByRole('button', { name: 'Search' }).click();
  await total(page).getByText('1 subscription').waitFor();
  await rows(page).first().getByTestId('privacy-centre-subscription-open').click();
  await expectPage(page, 'newsletter-subscription', PENDING);
  await page.getByTestId('privacy-centre-subscription-event').first().waitFor();
  await expect(page.getByTestId('privacy-centre-subscription-unsubscribe').count()).resolves.toBe(0);
  // The Settings page is not in the navigation for this role.
  await expect(page.getByTestId('privacy-centre-nav-settings').count()).resolves.toBe(0);
  await screenshot(page, 'newsletter-09-reader');

  expect(errors).toEqual([]);
});
