/**
 * The consent log and the overview's consent chart, driven as a data-protection officer would:
 * a real `strapi start` serving the built admin panel (tests/helpers/e2e-app.ts), Debian's
 * Chromium through playwright-core.
 *
 *   1. Revision 1 of the cookie declaration is published, then visitors' decisions are recorded
 *      through the public `POST /api/privacy-centre/consents`, one of them with `Sec-GPC: 1`.
 *   2. An officer (consents.read and export, cookies.read) filters the log by category and by
 *      GPC, opens a record, verifies its receipt (and sees a tampered copy refused, with the
 *      reason), exports the filtered log as CSV and reads the file, and sees the overview's
 *      chart and the three shares.
 *   3. A role holding only consents.read has no export button.
 *
 * Screenshots land in tests/artifacts/e2e/ (git-ignored) as consents-*.png.
 */
import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { startApp, type RunningApp } from '../helpers/e2e-app';
import {
  PLUGIN_PATH,
  api,
  createAdminWithRole,
  expectPage,
  launchBrowser,
  logIn,
  newPage,
  registerSuperAdmin,
  screenshot,
} from '../helpers/e2e-browser';

let app: RunningApp;
let browser: Browser;
let superToken: string;
const contexts: BrowserContext[] = [];

/** The receipts the public route gave, by the name the test uses for each visitor. */
const receipts: Record<string, any> = {};

async function consent(state: Record<string, boolean>, headers: Record<string, string> = {}) {
  const response = await fetch(`${app.url}/api/privacy-centre/consents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'Mozilla/5.0 (e2e visitor)', ...headers },
    body: JSON.stringify({ state, declarationRevision: 1 }),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`POST /api/privacy-centre/consents → ${response.status}: ${text}`);
  return JSON.parse(text).data;
}

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  superToken = await registerSuperAdmin(app, 'ada@northwind.example');
  // The plugin creates the default categories (necessary, preferences, statistics, marketing) at its first boot.
  await api(app, 'POST', '/privacy-centre/cookies/publish', superToken);
  receipts.chose = await consent({ necessary: true, statistics: true, marketing: false });
  receipts.gpc = await consent({ necessary: true, statistics: true, marketing: false }, { 'Sec-GPC': '1' });
  receipts.refused = await consent({ necessary: true, preferences: false, statistics: false, marketing: false });
  receipts.accepted = await consent({ necessary: true, preferences: true, statistics: true, marketing: true });
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await app?.stop();
});

/** Design-system selects are buttons with a listbox, not <select>: open, then pick by label. */
async function choose(page: Page, label: string, option: string) {
  await page.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

const total = (page: Page) => page.getByTestId('privacy-centre-consents-total');
const rows = (page: Page) => page.getByTestId('privacy-centre-consent-row');
const rowIds = (page: Page) => rows(page).evaluateAll((list) => list.map((row) => row.getAttribute('data-consent-id')).sort());

test('an officer filters the consent log, opens a record, verifies its receipt, exports CSV and sees the consent chart', async () => {
  const { email } = await createAdminWithRole(app, superToken, 'Privacy Officer', [
    'plugin::privacy-centre.consents.read',
    'plugin::privacy-centre.consents.export',
    'plugin::privacy-centre.cookies.read',
  ]);
  const { page, errors } = await newPage(browser, contexts);
  await logIn(app, page, email);

  await page.goto(`${app.url}${PLUGIN_PATH}`);
  await page.getByTestId('privacy-centre-nav-consents').click();
  await expectPage(page, 'consents', 'Consent log');
  await total(page).getByText('4 records').waitFor();
  await screenshot(page, 'consents-01-log');

  // Statistics granted: three visitors.
  const filters = page.getByTestId('privacy-centre-consent-filters');
  await filters.locator('input[name="category"]').fill('statistics');
  await choose(page, 'That category was', 'Granted');
  await filters.getByRole('button', { name: 'Apply filters' }).click();
  await total(page).getByText('3 records').waitFor();
  await expect(rowIds(page)).resolves.toEqual([receipts.chose, receipts.gpc, receipts.accepted].map((r) => r.consentId).sort());
  expect(page.url()).toContain('category=statistics');
  expect(page.url()).toContain('granted=true');
  await screenshot(page, 'consents-02-filter-category');

  // Refused: the one who refused everything.
  await choose(page, 'That category was', 'Refused');
  await filters.getByRole('button', { name: 'Apply filters' }).click();
  await total(page).getByText('1 record').waitFor();
  await expect(rowIds(page)).resolves.toEqual([receipts.refused.consentId]);

  // Only the decision sent with a Global Privacy Control signal.
  await filters.getByRole('button', { name: 'Reset' }).click();
  await total(page).getByText('4 records').waitFor();
  await choose(page, 'Global Privacy Control signal', 'Sent');
  await filters.getByRole('button', { name: 'Apply filters' }).click();
  await total(page).getByText('1 record').waitFor();
  await expect(rowIds(page)).resolves.toEqual([receipts.gpc.consentId]);
  await screenshot(page, 'consents-03-filter-gpc');

  // Its record: receipt fields, state per category, GPC, the revision linked to the Cookies page.
  await rows(page).first().getByTestId('privacy-centre-consent-open').click();
  const record = page.getByTestId('privacy-centre-consent-record');
  await record.waitFor();
  const facts = await record.textContent();
  expect(facts).toContain(receipts.gpc.consentId);
  expect(facts).toContain(receipts.gpc.subjectId);
  expect(facts).toContain('Sent; it refused:');
  expect(facts).toContain('Mozilla/5.0 (e2e visitor)');
  const categories = page.getByTestId('privacy-centre-consent-categories');
  await expect(categories.locator('tr[data-name="statistics"]').getAttribute('data-granted')).resolves.toBe('true');
  await expect(categories.locator('tr[data-name="marketing"]').getAttribute('data-granted')).resolves.toBe('false');
  await expect(categories.locator('tr[data-name="necessary"]').getAttribute('data-granted')).resolves.toBe('true');
  await page.getByTestId('privacy-centre-consent-mode').locator('tr[data-name="analytics_storage"]').waitFor();
  await expect(page.getByTestId('privacy-centre-consent-revision-link').getAttribute('href')).resolves.toBe(`${PLUGIN_PATH}/cookies/revisions/1`);
  // The receipt shown is the one the visitor's browser was given.
  expect(JSON.parse((await page.getByTestId('privacy-centre-consent-receipt').textContent())!)).toEqual(receipts.gpc);

  // Its receipt verifies; a tampered copy is refused, with the reason.
  const verifyBox = page.getByTestId('privacy-centre-verify-receipt');
  await verifyBox.locator('textarea[name="receipt"]').fill(JSON.stringify(receipts.gpc));
  await verifyBox.getByRole('button', { name: 'Verify' }).click();
  const answer = verifyBox.getByTestId('privacy-centre-verify-answer');
  await answer.waitFor();
  await expect(answer.getAttribute('data-reason')).resolves.toBe('ok');
  await expect(answer.textContent()).resolves.toContain('Verified: the receipt is authentic');
  await screenshot(page, 'consents-04-record-verified');

  await verifyBox.locator('textarea[name="receipt"]').fill(JSON.stringify({ ...receipts.gpc, state: { ...receipts.gpc.state, marketing: true } }));
  await verifyBox.getByRole('button', { name: 'Verify' }).click();
  await expect(answer.getAttribute('data-reason')).resolves.toBe('bad-signature');
  await expect(answer.textContent()).resolves.toContain('the signature does not match the content');
  await screenshot(page, 'consents-05-record-tampered');

  await verifyBox.locator('textarea[name="receipt"]').fill('{"consentId": ');
  await verifyBox.getByRole('button', { name: 'Verify' }).click();
  await expect(answer.getAttribute('data-reason')).resolves.toBe('not-json');

  // The revision link opens the frozen declaration.
  await page.getByTestId('privacy-centre-consent-revision-link').click();
  await expectPage(page, 'cookie-revision', 'Cookie declaration: revision 1');

  // Export the statistics-granted records as CSV: the file has a header and those rows.
  await page.goto(`${app.url}${PLUGIN_PATH}/consents?category=statistics&granted=true`);
  await total(page).getByText('3 records').waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('privacy-centre-consents-export-csv').click()]);
  expect(download.suggestedFilename()).toMatch(/^consents-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = fs.readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
  expect(csv).toHaveLength(4);
  expect(csv[0].toLowerCase()).toContain('consentid');
  for (const receipt of [receipts.chose, receipts.gpc, receipts.accepted]) {
    expect(csv.filter((line) => line.includes(receipt.consentId))).toHaveLength(1);
  }
  expect(csv.some((line) => line.includes(receipts.refused.consentId))).toBe(false);

  // NDJSON of everything: one JSON object per record.
  await page.goto(`${app.url}${PLUGIN_PATH}/consents`);
  await total(page).getByText('4 records').waitFor();
  const [ndjson] = await Promise.all([page.waitForEvent('download'), page.getByTestId('privacy-centre-consents-export-ndjson').click()]);
  const lines = fs.readFileSync((await ndjson.path())!, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  expect(lines.map((line) => line.consentId).sort()).toEqual(Object.values(receipts).map((r) => r.consentId).sort());

  // The overview: the chart is drawn, and the shares of the four decisions add up.
  await page.getByTestId('privacy-centre-nav-overview').click();
  await expectPage(page, 'overview', 'Overview');
  const summary = page.getByTestId('privacy-centre-overview-consents');
  const chart = summary.getByTestId('privacy-centre-overview-consent-chart');
  await chart.locator('canvas').first().waitFor({ state: 'visible' });
  const box = await chart.locator('canvas').first().boundingBox();
  expect(box!.width).toBeGreaterThan(300);
  expect(box!.height).toBeGreaterThan(100);
  const shares: number[] = [];
  for (const key of ['acceptedAll', 'refusedAll', 'chose']) {
    const share = summary.getByTestId(`privacy-centre-overview-share-${key}`);
    await share.waitFor();
    await expect(share.textContent()).resolves.toContain('of 4 decisions');
    shares.push(parseFloat((await share.getByTestId('privacy-centre-overview-share-value').textContent())!));
  }
  expect(shares[0]).toBeGreaterThan(0); // the visitor who accepted everything
  expect(shares[1]).toBeGreaterThan(0); // the one who refused everything
  expect(Math.round(shares.reduce((a, b) => a + b, 0))).toBe(100);
  // The figures behind the chart, for whoever cannot see it: today's statistics share is 3 in 4.
  await summary.getByTestId('privacy-centre-overview-consent-figures').locator('summary').click();
  await summary.getByTestId('privacy-centre-overview-consent-figures').getByText('75 %').first().waitFor();
  await screenshot(page, 'consents-06-overview');

  await summary.getByRole('button', { name: 'Last 7 days' }).click();
  await expect(summary.getByRole('button', { name: 'Last 7 days' }).getAttribute('aria-pressed')).resolves.toBe('true');
  await chart.locator('canvas').first().waitFor({ state: 'visible' });

  expect(errors).toEqual([]);
});

test('an admin holding only consents.read sees the log but cannot export it', async () => {
  const { email } = await createAdminWithRole(app, superToken, 'Consent Reader', ['plugin::privacy-centre.consents.read']);
  const { page, errors } = await newPage(browser, contexts);
  await logIn(app, page, email);

  await page.goto(`${app.url}${PLUGIN_PATH}/consents`);
  await expectPage(page, 'consents', 'Consent log');
  await total(page).getByText('4 records').waitFor();
  await expect(page.getByTestId('privacy-centre-consents-export-csv').count()).resolves.toBe(0);
  await expect(page.getByTestId('privacy-centre-consents-export-ndjson').count()).resolves.toBe(0);

  // Without cookies.read the record names the revision without linking to a page it may not open.
  await rows(page).first().getByTestId('privacy-centre-consent-open').click();
  await page.getByTestId('privacy-centre-consent-record').waitFor();
  await expect(page.getByTestId('privacy-centre-consent-revision-link').count()).resolves.toBe(0);
  await screenshot(page, 'consents-07-reader');

  expect(errors).toEqual([]);
});
