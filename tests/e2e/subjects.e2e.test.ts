/**
 * Data subjects in the admin, driven as a data-protection officer would: a real `strapi start`
 * serving the built admin panel (tests/helpers/e2e-app.ts), sending through a real SMTP server
 * started here (tests/helpers/smtp.ts), Debian's Chromium through playwright-core.
 *
 *   1. A privacy policy is published and revision 1 of the cookie declaration. A person
 *      subscribes to two lists with their visitor id and confirms both through the links in the
 *      messages the SMTP server received, and gives a cookie consent from the same browser
 *      (same visitor id). Another person subscribes and consents too.
 *   2. An officer (subjects read, export, erase, manage; newsletter, consents and settings read)
 *      registers data-subject requests (one received 40 days ago: overdue, listed first), finds
 *      the person by e-mail (subscriptions with their evidence, the cookie consent, the request),
 *      opens the evidence file (every hash matches; printed to PDF without the admin's menus),
 *      exports the evidence bundle (its SHA-256 checks) and the person's data (their address, no
 *      one else's), erases them through the confirmation dialog, and finds the address gone
 *      (the admin API and the database agree); completes the request; the overview follows.
 *   3. Self-service with the approval setting on (switched in Settings): the other person's
 *      access request, confirmed by its link, waits; the officer carries it out and the export
 *      arrives by e-mail.
 *   4. A role holding only subjects.read searches, but sees no export, erase or register button.
 *
 * Screenshots (and the evidence file as PDF) land in tests/artifacts/e2e/ as subjects-*.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

import { checkBundle } from '../../server/src/subjects/evidence';
import { startApp, type RunningApp } from '../helpers/e2e-app';
import {
  ARTIFACTS,
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
import { startSmtp } from '../helpers/smtp';

let app: RunningApp;
let browser: Browser;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let superToken: string;
const contexts: BrowserContext[] = [];

const PERSON = 'rowan.subject@example.org';
const PERSON_ID = 'visitor-rowan-0001';
const OTHER = 'other.person@example.net';
const OTHER_ID = 'visitor-other-0002';
let personConsent: { consentId: string };
let otherConsent: { consentId: string };

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${app.url}${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'Mozilla/5.0 (e2e data subject)', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`POST ${url} → ${response.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Subscribes `email` to `list` and confirms through the link in the message received. */
async function subscribeAndConfirm(email: string, list: string, receipt: unknown) {
  const before = smtp.messagesTo(email).length;
  // The browser's receipt proves its subjectId: the sign-up is linked to its cookie consents.
  await post('/api/privacy-centre/newsletter/subscribe', { email, list, locale: 'en', receipt, source: 'https://northwind.example/news' });
  const message = await smtp.waitFor(email, () => smtp.messagesTo(email).length > before);
  const token = /\/newsletter\/confirm\?token=([A-Za-z0-9_.-]+)/.exec(message.parsed.text!)![1];
  const confirmed = await fetch(`${app.url}/api/privacy-centre/newsletter/confirm`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'Mozilla/5.0 (e2e confirming browser)' },
    body: new URLSearchParams({ token }).toString(),
  });
  expect(confirmed.status).toBeLessThan(400);
}

const consent = async (subjectId: string) =>
  (await post('/api/privacy-centre/consents', { state: { necessary: true, statistics: true, marketing: false }, declarationRevision: 1, subjectId })).data;

/** The local calendar day `days` ago, as a date input takes it. */
const daysAgo = (days: number) => {
  const d = new Date(Date.now() - days * 24 * 3600 * 1000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

beforeAll(async () => {
  smtp = await startSmtp();
  app = await startApp({
    SMTP_PORT: String(smtp.port),
    PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({ newsletter: { lists: ['default', 'members'] } }),
  });
  browser = await launchBrowser();
  superToken = await registerSuperAdmin(app, 'ada@northwind.example');

  const draft = await api(app, 'POST', '/privacy-centre/policies/drafts', superToken, { slug: 'privacy-policy', locales: { en: sampleLocales('e2e').en } });
  await api(app, 'POST', `/privacy-centre/policies/drafts/${draft.data.documentId}/publish`, superToken, {});
  await api(app, 'POST', '/privacy-centre/cookies/publish', superToken);

  personConsent = await consent(PERSON_ID);
  await subscribeAndConfirm(PERSON, 'default', personConsent);
  await subscribeAndConfirm(PERSON, 'members', personConsent);
  otherConsent = await consent(OTHER_ID);
  await subscribeAndConfirm(OTHER, 'default', otherConsent);
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

const requestRows = (page: Page) => page.getByTestId('privacy-centre-requests').getByTestId('privacy-centre-request-row');
const findings = (page: Page) => page.getByTestId('privacy-centre-subject-findings');

async function registerRequest(page: Page, type: string, email: string, receivedOn?: string) {
  await page.getByTestId('privacy-centre-request-register').click();
  const dialog = page.getByTestId('privacy-centre-request-register-dialog');
  await dialog.waitFor();
  await choose(page, 'Type of request', type);
  await dialog.locator('input[name="email"]').fill(email);
  if (receivedOn) await dialog.locator('input[name="receivedOn"]').fill(receivedOn);
  await dialog.locator('input[name="verification"]').fill('Replied from the subscribed address (e2e)');
  await dialog.getByTestId('privacy-centre-request-register-submit').click();
  await dialog.waitFor({ state: 'detached' });
}

async function search(page: Page, query: string) {
  const form = page.getByTestId('privacy-centre-subject-search');
  await form.locator('textarea[name="query"]').fill(query);
  await form.getByTestId('privacy-centre-subject-search-submit').click();
}

/** Waits for the element's open and close animations (a dialog fading in) to end. */
const settled = (locator: Locator) => locator.evaluate((element) => Promise.all((element as any).getAnimations({ subtree: true }).map((a: any) => a.finished)));

async function download(page: Page, testId: string) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return { name: file.suggestedFilename(), text: fs.readFileSync((await file.path())!, 'utf8') };
}

test('an officer finds a person, checks the evidence file, exports their data and erases them', async () => {
  const { email } = await createAdminWithRole(app, superToken, 'Data Protection Officer', [
    'plugin::privacy-centre.subjects.read',
    'plugin::privacy-centre.subjects.export',
    'plugin::privacy-centre.subjects.erase',
    'plugin::privacy-centre.subjects.manage',
    'plugin::privacy-centre.newsletter.read',
    'plugin::privacy-centre.consents.read',
  ]);
  const officerToken = await adminToken(app, email);
  const { page, errors } = await newPage(browser, contexts);
  await logIn(app, page, email);

  await page.goto(`${app.url}${PLUGIN_PATH}`);
  await page.getByTestId('privacy-centre-nav-subjects').click();
  await expectPage(page, 'subjects', 'Data-subject requests');
  await page.getByTestId('privacy-centre-requests-empty').waitFor();

  // Two requests: the person's erasure today, another's access 40 days ago (overdue).
  await registerRequest(page, 'Erasure (Art. 17)', PERSON);
  await page.getByText(/Data-subject request registered: due on/).first().waitFor();
  await registerRequest(page, 'Access (Art. 15)', OTHER, daysAgo(40));
  await page.getByTestId('privacy-centre-requests-total').getByText('2 data-subject requests').waitFor();
  // Overdue first, marked in words.
  const first = requestRows(page).first();
  await expect(first.getAttribute('data-overdue')).resolves.toBe('true');
  await expect(first.getByTestId('privacy-centre-request-email').textContent()).resolves.toBe(OTHER);
  await first.getByTestId('privacy-centre-request-overdue').getByText('Overdue').waitFor();
  await page.getByTestId('privacy-centre-requests-overdue').getByText('1 request is overdue').waitFor();
  const mine = requestRows(page).nth(1);
  await expect(mine.getAttribute('data-overdue')).resolves.toBe('false');
  await expect(mine.getByTestId('privacy-centre-request-status').getAttribute('data-status')).resolves.toBe('verified');
  await expect(mine.textContent()).resolves.toMatch(/due in (2[89]|3[01]) days/);
  await screenshot(page, 'subjects-01-register');

  // Extend the overdue one by two months, with a reason: it is no longer overdue.
  await first.getByTestId('privacy-centre-request-extend').click();
  const extend = page.getByTestId('privacy-centre-request-extend-dialog');
  await extend.getByRole('radio', { name: '2 months' }).click();
  await extend.locator('textarea[name="reason"]').fill('Many requests at once (e2e)');
  await screenshot(page, 'subjects-02-extend');
  await extend.getByTestId('privacy-centre-request-extend-submit').click();
  await extend.waitFor({ state: 'detached' });
  await page.getByTestId('privacy-centre-requests-overdue').waitFor({ state: 'detached' });
  await expect(requestRows(page).first().getByTestId('privacy-centre-request-email').textContent()).resolves.toBe(PERSON);

  // Search by e-mail from the person's request: the address never enters the URL.
  await requestRows(page).first().getByTestId('privacy-centre-request-find').click();
  await expect(findings(page).getAttribute('data-found')).resolves.toBe('true');
  expect(page.url()).not.toContain('rowan');
  await expect(findings(page).getByTestId('privacy-centre-subject-emails').textContent()).resolves.toBe(PERSON);
  const subscriptions = findings(page).getByTestId('privacy-centre-subject-subscription');
  await expect(subscriptions.evaluateAll((list) => list.map((e) => `${e.getAttribute('data-list')} ${e.getAttribute('data-email')}`).sort())).resolves.toEqual([
    `default ${PERSON}`,
    `members ${PERSON}`,
  ]);
  const defaultList = subscriptions.and(page.locator('[data-list="default"]'));
  await expect(defaultList.getByTestId('privacy-centre-subscription-status').getAttribute('data-status')).resolves.toBe('subscribed');
  await expect(defaultList.getByTestId('privacy-centre-subscription-event').evaluateAll((list) => list.map((e) => e.getAttribute('data-action')))).resolves.toEqual([
    'requested',
    'confirmed',
  ]);
  await expect(defaultList.getByTestId('privacy-centre-message-subject').textContent()).resolves.toBe('Please confirm your subscription');
  const consents = findings(page).getByTestId('privacy-centre-subject-consent-row');
  await expect(consents.evaluateAll((list) => list.map((e) => e.getAttribute('data-consent-id')))).resolves.toEqual([personConsent.consentId]);
  await expect(findings(page).getByTestId('privacy-centre-subject-requests').getByTestId('privacy-centre-request-row').count()).resolves.toBe(1);
  await findings(page).getByTestId('privacy-centre-subject-audit-row').first().waitFor();
  expect(await findings(page).textContent()).not.toContain(OTHER);
  await findings(page).scrollIntoViewIfNeeded();
  await screenshot(page, 'subjects-03-findings');

  // The cookie consent opens in the consent log.
  await consents.first().getByTestId('privacy-centre-subject-consent-open').click();
  await expectPage(page, 'consent-record', `Consent record ${personConsent.consentId.slice(0, 12)}…`);
  await page.goBack();
  await expectPage(page, 'subjects', 'Data-subject requests');
  // The search is kept in this tab: the findings are back.
  await expect(findings(page).getAttribute('data-found')).resolves.toBe('true');

  // The evidence file: every record with its policy text and declaration, hashes checked.
  await page.getByTestId('privacy-centre-subject-evidence').click();
  await expectPage(page, 'subject-evidence', 'Evidence file');
  expect(page.url()).toBe(`${app.url}${PLUGIN_PATH}/subjects/evidence`);
  const evidence = page.getByTestId('privacy-centre-evidence');
  await expect(evidence.getByTestId('privacy-centre-evidence-checks').getAttribute('data-all-match')).resolves.toBe('true');
  const records = evidence.getByTestId('privacy-centre-evidence-record');
  // Two requests and two confirmations (one per list), and the cookie consent.
  await expect(records.count()).resolves.toBe(5);
  const cookieRecord = records.and(page.locator(`[data-consent-id="${personConsent.consentId}"]`));
  await expect(cookieRecord.getByTestId('privacy-centre-evidence-receipt').getAttribute('data-authentic')).resolves.toBe('true');
  for (const testId of ['privacy-centre-evidence-policy-hash', 'privacy-centre-evidence-declaration-hash']) {
    const check = cookieRecord.getByTestId(testId);
    await expect(check.getAttribute('data-matches')).resolves.toBe('true');
    await expect(check.getByTestId('privacy-centre-evidence-hash-badge').textContent()).resolves.toBe('Hashes match');
    const stored = await check.getByTestId('privacy-centre-evidence-hash-stored').textContent();
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    await expect(check.getByTestId('privacy-centre-evidence-hash-recomputed').textContent()).resolves.toBe(stored);
  }
  await expect(cookieRecord.getByTestId('privacy-centre-evidence-policy-text').textContent()).resolves.toContain('We are the controller (e2e).');
  await expect(cookieRecord.getByTestId('privacy-centre-evidence-snapshot').textContent()).resolves.toContain('statistics');
  const hashChecks = evidence.locator('[data-testid$="-hash"][data-matches]');
  await expect(hashChecks.evaluateAll((list) => list.map((e) => e.getAttribute('data-matches')))).resolves.not.toContain('false');
  // The confirmation messages as sent, shown open so they print.
  const sent = evidence.getByTestId('privacy-centre-evidence-newsletter').getByTestId('privacy-centre-message-text');
  await expect(sent.count()).resolves.toBe(2);
  await expect(sent.first().isVisible()).resolves.toBe(true);
  await expect(sent.first().textContent()).resolves.toContain('/newsletter/confirm?token=');
  await screenshot(page, 'subjects-04-evidence');

  // Printed: without the admin's menus, the side navigation or any button; records on new pages.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('privacy-centre-nav').isVisible()).resolves.toBe(false);
  await expect(page.locator('nav a[href="/admin"]').first().isVisible()).resolves.toBe(false);
  await expect(page.getByTestId('privacy-centre-evidence-bundle').isVisible()).resolves.toBe(false);
  await expect(evidence.isVisible()).resolves.toBe(true);
  const printed = await evidence.evaluate((root) => {
    // Runs in the page (the tests' TypeScript has no DOM library).
    const style = (element: unknown) => (globalThis as any).getComputedStyle(element);
    return { color: style(root).color as string, breaks: [...root.querySelectorAll('[data-print-break]')].map((e) => style(e).breakBefore as string) };
  });
  expect(printed.color).toBe('rgb(0, 0, 0)');
  expect(printed.breaks.length).toBeGreaterThanOrEqual(5);
  expect(new Set(printed.breaks)).toEqual(new Set(['page']));
  await screenshot(page, 'subjects-05-evidence-print');
  // Kept as an artefact, to look at: what a supervisory authority would be sent.
  await page.pdf({ path: path.join(ARTIFACTS, 'subjects-evidence.pdf'), format: 'A4' });
  await page.emulateMedia({ media: 'screen' });

  // The bundle: one JSON file whose hashes anyone can check.
  const bundle = await download(page, 'privacy-centre-evidence-bundle');
  expect(bundle.name).toMatch(/^evidence-\d{4}-\d{2}-\d{2}\.json$/);
  const parsedBundle = JSON.parse(bundle.text);
  expect(parsedBundle.format).toBe('privacy-centre-evidence/1');
  expect(checkBundle(parsedBundle)).toEqual([]);
  expect(bundle.text).not.toContain(OTHER);

  // Back; the export holds this person and nobody else.
  await page.getByTestId('privacy-centre-evidence-back').click();
  await expectPage(page, 'subjects', 'Data-subject requests');
  await expect(findings(page).getAttribute('data-found')).resolves.toBe('true');
  const exported = await download(page, 'privacy-centre-subject-export');
  expect(exported.name).toMatch(/^personal-data-\d{4}-\d{2}-\d{2}\.json$/);
  const document = JSON.parse(exported.text);
  expect(document.subject.emails).toEqual([PERSON]);
  expect(exported.text).toContain(PERSON);
  expect(exported.text).toContain(PERSON_ID);
  expect(exported.text).toContain(personConsent.consentId);
  expect(exported.text).not.toContain(OTHER);
  expect(exported.text).not.toContain(OTHER_ID);
  expect(exported.text).not.toContain(otherConsent.consentId);

  // Erase: the dialog says what goes and what stays; nothing happens until confirmed.
  await page.getByTestId('privacy-centre-subject-erase').click();
  const dialog = page.getByTestId('privacy-centre-erase-dialog');
  await dialog.getByTestId('privacy-centre-erase-plan').waitFor();
  await expect(dialog.getByTestId('privacy-centre-erase-removes').textContent()).resolves.toContain(PERSON);
  await expect(dialog.getByTestId('privacy-centre-erase-keeps').textContent()).resolves.toContain('keyed hash');
  await dialog.getByText('This cannot be undone').waitFor();
  await settled(dialog);
  const confirm = dialog.getByTestId('privacy-centre-erase-confirm');
  await expect(confirm.isDisabled()).resolves.toBe(true);
  await screenshot(page, 'subjects-06-erase-dialog');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  const still = await api(app, 'POST', '/privacy-centre/subjects/search', officerToken, { query: PERSON });
  expect(still.data.subscriptions.map((s: any) => s.email)).toEqual([PERSON, PERSON]);

  await page.getByTestId('privacy-centre-subject-erase').click();
  await dialog.getByTestId('privacy-centre-erase-plan').waitFor();
  await dialog.getByRole('checkbox').click();
  await confirm.click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByText(/^Erased: 2 subscriptions, \d+ consent records, 1 request$/).first().waitFor();

  // Searched again: the subscriptions are there, without the address.
  await search(page, PERSON);
  await subscriptions.first().waitFor();
  await expect(subscriptions.evaluateAll((list) => list.map((e) => e.getAttribute('data-email')))).resolves.toEqual(['', '']);
  for (const block of await subscriptions.all()) {
    await expect(block.textContent()).resolves.toContain('Erased (pseudonymised)');
    await expect(block.getByTestId('privacy-centre-subscription-status').getAttribute('data-status')).resolves.toBe('unsubscribed');
  }
  expect(await findings(page).getByTestId('privacy-centre-subject-subscriptions').textContent()).not.toContain(PERSON);
  await expect(findings(page).getByTestId('privacy-centre-subject-emails').textContent()).resolves.toBe('None (erased)');
  await findings(page).getByTestId('privacy-centre-subject-audit-row').and(page.locator('[data-action="subjects.erase"]')).waitFor();
  await findings(page).getByTestId('privacy-centre-subject-subscriptions').scrollIntoViewIfNeeded();
  await screenshot(page, 'subjects-07-erased');

  // The server agrees: the rows hold no address; the other person's are untouched.
  const after = await api(app, 'POST', '/privacy-centre/subjects/search', officerToken, { query: PERSON });
  expect(after.data.subscriptions.map((s: any) => s.email)).toEqual([null, null]);
  const db = new Database(app.databaseFile, { readonly: true });
  try {
    const rows = db.prepare('SELECT email, list FROM privacy_centre_newsletter_subscriptions ORDER BY id').all() as Array<{ email: string | null; list: string }>;
    expect(rows).toEqual([
      { email: null, list: 'default' },
      { email: null, list: 'members' },
      { email: OTHER, list: 'default' },
    ]);
    const requests = db.prepare('SELECT email FROM privacy_centre_data_subject_requests ORDER BY id').all() as Array<{ email: string | null }>;
    expect(requests).toEqual([{ email: null }, { email: OTHER }]);
  } finally {
    db.close();
  }

  // The erasure request is done: completed with a note, and the register says so.
  const row = requestRows(page).and(page.locator('[data-type="erasure"]'));
  await row.getByTestId('privacy-centre-request-update').click();
  const update = page.getByTestId('privacy-centre-request-update-dialog');
  await choose(page, 'Status', 'Completed');
  await update.locator('textarea[name="note"]').fill('Erased from the admin (e2e)');
  await update.getByTestId('privacy-centre-request-update-submit').click();
  await update.waitFor({ state: 'detached' });
  await page.getByTestId('privacy-centre-requests-total').getByText('1 data-subject request').waitFor();
  await choose(page, 'Show', 'Closed');
  // The list is fetched again: wait for the closed one rather than read the open list still shown.
  const closed = requestRows(page).filter({ has: page.locator('[data-testid="privacy-centre-request-status"][data-status="completed"]') }).first();
  await closed.waitFor();
  await closed.getByTestId('privacy-centre-request-history').locator('summary').click();
  await expect(closed.getByTestId('privacy-centre-request-history').textContent()).resolves.toContain('Erased from the admin (e2e)');
  expect(await closed.textContent()).not.toContain(PERSON);
  await screenshot(page, 'subjects-08-closed');

  // The overview: one request open (the other person's), none overdue.
  await page.getByTestId('privacy-centre-nav-overview').click();
  await expectPage(page, 'overview', 'Overview');
  const summary = page.getByTestId('privacy-centre-overview-subjects');
  await expect(summary.getByTestId('privacy-centre-overview-subjects-open').textContent()).resolves.toBe('1');
  await expect(summary.getByTestId('privacy-centre-overview-subjects-overdue').textContent()).resolves.toBe('0');
  await expect(summary.getByTestId('privacy-centre-overview-subjects-next').textContent()).resolves.not.toBe('–');
  await screenshot(page, 'subjects-09-overview');

  expect(errors).toEqual([]);
});

test('a self-service request waits for approval when the setting says so, and is carried out from the admin', async () => {
  const { email } = await createAdminWithRole(app, superToken, 'Approving Officer', [
    'plugin::privacy-centre.subjects.read',
    'plugin::privacy-centre.subjects.manage',
    // Carrying out an access request sends an export: it needs the export permission too.
    'plugin::privacy-centre.subjects.export',
    'plugin::privacy-centre.settings.read',
    'plugin::privacy-centre.settings.update',
  ]);
  const { page, errors } = await newPage(browser, contexts);
  await logIn(app, page, email);

  // Settings: self-service requests wait for an administrator.
  await page.goto(`${app.url}${PLUGIN_PATH}/settings`);
  await expectPage(page, 'settings', 'Settings');
  const panel = page.getByTestId('privacy-centre-settings-subjects');
  await panel.locator('input[name="subjects.selfServiceApproval"]').click();
  await panel.getByTestId('privacy-centre-settings-subjects-save').click();
  await page.getByText('Data-subject request settings saved').first().waitFor();
  const saved = await api(app, 'GET', '/privacy-centre/settings', superToken);
  expect(saved.data.settings.subjects).toEqual({ selfServiceApproval: true });
  await panel.scrollIntoViewIfNeeded();
  await screenshot(page, 'subjects-10-settings');

  // The other person asks for a copy of their data and confirms through the link.
  await post('/api/privacy-centre/requests', { email: OTHER, type: 'access', locale: 'en' });
  const link = await smtp.waitFor(OTHER, (m) => /Confirm your request/.test(m.parsed.subject ?? ''));
  const token = /\/requests\/confirm\?token=([A-Za-z0-9_.-]+)/.exec(link.parsed.text!)![1];
  const confirmed = await post('/api/privacy-centre/requests/confirm', { token });
  expect(confirmed.data.status).toBe('waiting-for-approval');

  await page.getByTestId('privacy-centre-nav-subjects').click();
  await expectPage(page, 'subjects', 'Data-subject requests');
  const waiting = requestRows(page).filter({ has: page.getByTestId('privacy-centre-request-awaiting-approval') });
  await waiting.first().waitFor();
  await expect(waiting.count()).resolves.toBe(1);
  await expect(waiting.getByTestId('privacy-centre-request-email').textContent()).resolves.toBe(OTHER);
  await screenshot(page, 'subjects-11-awaiting-approval');
  await waiting.getByTestId('privacy-centre-request-carry-out').click();
  const dialog = page.getByTestId('privacy-centre-request-carry-out-dialog');
  await dialog.getByText(`is e-mailed to ${OTHER}`).waitFor();
  await dialog.getByTestId('privacy-centre-request-carry-out-confirm').click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByText('Data-subject request carried out').first().waitFor();

  const sent = await smtp.waitFor(OTHER, (m) => m.parsed.subject === 'A copy of your data');
  const attachment = JSON.parse(sent.parsed.attachments[0].content.toString('utf8'));
  expect(attachment.subject.emails).toEqual([OTHER]);
  expect(JSON.stringify(attachment)).not.toContain(PERSON_ID);
  // Only the registered (extended) request is still open.
  await page.getByTestId('privacy-centre-requests-total').getByText('1 data-subject request').waitFor();
  await expect(requestRows(page).getByTestId('privacy-centre-request-awaiting-approval').count()).resolves.toBe(0);

  expect(errors).toEqual([]);
});

test('an admin holding only subjects.read searches, but cannot export, erase or register', async () => {
  const { email } = await createAdminWithRole(app, superToken, 'Subjects Reader', ['plugin::privacy-centre.subjects.read']);
  const { page, errors } = await newPage(browser, contexts);
  await logIn(app, page, email);

  await page.goto(`${app.url}${PLUGIN_PATH}/subjects`);
  await expectPage(page, 'subjects', 'Data-subject requests');
  await requestRows(page).first().waitFor();
  await expect(page.getByTestId('privacy-centre-request-register').count()).resolves.toBe(0);
  await expect(page.getByTestId('privacy-centre-request-update').count()).resolves.toBe(0);
  await expect(page.getByTestId('privacy-centre-request-extend').count()).resolves.toBe(0);

  await search(page, otherConsent.consentId);
  await expect(findings(page).getAttribute('data-found')).resolves.toBe('true');
  await expect(findings(page).getByTestId('privacy-centre-subject-emails').textContent()).resolves.toBe(OTHER);
  await page.getByTestId('privacy-centre-subject-evidence').waitFor();
  await expect(page.getByTestId('privacy-centre-subject-export').count()).resolves.toBe(0);
  await expect(page.getByTestId('privacy-centre-subject-erase').count()).resolves.toBe(0);
  await findings(page).scrollIntoViewIfNeeded();
  await screenshot(page, 'subjects-12-reader');

  // A typed URL without a search says where to start.
  await page.goto(`${app.url}${PLUGIN_PATH}/subjects/evidence`);
  await page.getByTestId('privacy-centre-evidence-no-query').waitFor();

  expect(errors).toEqual([]);
});

test('a CCPA request: its jurisdiction chosen, acknowledged late, extended once by 45 days; the year’s metrics and their CSV', async () => {
  const { email } = await createAdminWithRole(app, superToken, 'CCPA Officer', ['plugin::privacy-centre.subjects.read', 'plugin::privacy-centre.subjects.manage']);
  const { page, errors } = await newPage(browser, contexts);
  await logIn(app, page, email);
  await page.goto(`${app.url}${PLUGIN_PATH}/subjects`);
  await expectPage(page, 'subjects', 'Data-subject requests');

  // Registered 20 days after it came in: past the 10 business days to acknowledge, within the 45 to answer.
  await page.getByTestId('privacy-centre-request-register').click();
  const dialog = page.getByTestId('privacy-centre-request-register-dialog');
  await dialog.waitFor();
  await choose(page, 'Type of request', 'Access (Art. 15)');
  await dialog.getByRole('combobox', { name: 'Jurisdiction' }).click();
  await page.getByRole('option', { name: 'CCPA: California: CCPA/CPRA', exact: true }).click();
  await dialog.locator('input[name="email"]').fill('cali.consumer@example.com');
  await dialog.locator('input[name="receivedOn"]').fill(daysAgo(20));
  await dialog.getByTestId('privacy-centre-request-register-submit').click();
  await dialog.waitFor({ state: 'detached' });

  const row = requestRows(page).and(page.locator('[data-jurisdiction="CCPA"]'));
  await row.waitFor();
  await expect(row.getByTestId('privacy-centre-request-jurisdiction').textContent()).resolves.toBe('CCPA');
  await expect(row.getAttribute('data-overdue')).resolves.toBe('false');
  await expect(row.getAttribute('data-acknowledgement-overdue')).resolves.toBe('true');
  await row.getByTestId('privacy-centre-request-acknowledgement-overdue').getByText('Acknowledgement overdue').waitFor();
  await expect(row.getByTestId('privacy-centre-request-acknowledge-by').textContent()).resolves.toMatch(/^acknowledge by /);
  await page.getByTestId('privacy-centre-requests-overdue').getByText('1 request is overdue').waitFor();
  await screenshot(page, 'subjects-20-ccpa-unacknowledged');

  await row.getByTestId('privacy-centre-request-acknowledge').click();
  const acknowledge = page.getByTestId('privacy-centre-request-acknowledge-dialog');
  await acknowledge.getByText(/Receipt must be confirmed to the person by .* \(CCPA\)/).waitFor();
  await acknowledge.locator('textarea[name="note"]').fill('E-mailed how we handle it (e2e)');
  await acknowledge.getByTestId('privacy-centre-request-acknowledge-submit').click();
  await acknowledge.waitFor({ state: 'detached' });
  await row.getByTestId('privacy-centre-request-acknowledged').waitFor();
  await expect(row.getAttribute('data-acknowledgement-overdue')).resolves.toBe('false');
  await expect(row.getByTestId('privacy-centre-request-acknowledge').count()).resolves.toBe(0);
  await page.getByTestId('privacy-centre-requests-overdue').waitFor({ state: 'detached' });

  // The CCPA extends once, by 45 days: no months to choose; afterwards no extension is offered.
  await row.getByTestId('privacy-centre-request-extend').click();
  const extend = page.getByTestId('privacy-centre-request-extend-dialog');
  await extend.getByText(/Under CCPA the period may be extended once more by 45 days/).waitFor();
  await expect(extend.getByRole('radio').count()).resolves.toBe(0);
  await extend.locator('textarea[name="reason"]').fill('Records on paper (e2e)');
  await extend.getByTestId('privacy-centre-request-extend-submit').click();
  await extend.waitFor({ state: 'detached' });
  // The register reloads after the change: then the button is gone.
  await row.getByTestId('privacy-centre-request-extend').waitFor({ state: 'detached' });

  // The year's metrics, limited to the CCPA: one access request, open.
  const metrics = page.getByTestId('privacy-centre-request-metrics');
  await metrics.getByRole('combobox', { name: 'Jurisdiction' }).click();
  await page.getByRole('option', { name: 'CCPA: California: CCPA/CPRA', exact: true }).click();
  const access = metrics.getByTestId('privacy-centre-request-metrics-row').and(page.locator('[data-type="access"]'));
  // The table reloads after the choice (until then it shows every jurisdiction): read it until it
  // holds the CCPA's figures, for ten seconds at most, then compare (a failure shows what it held).
  const cells = () => access.locator('td').evaluateAll((tds) => tds.map((td) => td.textContent));
  const ccpa = ['Access (Art. 15)', '1', '0', '0', '0', '1', '–', '–'];
  let shown = await cells();
  for (const end = Date.now() + 10_000; JSON.stringify(shown) !== JSON.stringify(ccpa) && Date.now() < end; shown = await cells()) await page.waitForTimeout(100);
  expect(shown).toEqual(ccpa);
  await metrics.scrollIntoViewIfNeeded();
  await screenshot(page, 'subjects-21-metrics');
  const csv = await download(page, 'privacy-centre-request-metrics-csv');
  const year = new Date().getFullYear();
  expect(csv.name).toBe(`request-metrics-${year}-CCPA.csv`);
  expect(csv.text.split('\n')[0]).toBe('year,jurisdiction,type,received,compliedWith,denied,deniedUnverified,open,medianDays,meanDays');
  expect(csv.text).toContain(`${year},CCPA,access,1,0,0,0,1,,`);

  expect(errors).toEqual([]);
});
