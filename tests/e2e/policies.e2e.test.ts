/**
 * Policy versions in the admin, driven as an editor would: a real `strapi start` serving the
 * built admin panel (tests/helpers/e2e-app.ts), Debian's Chromium through playwright-core.
 *
 *   1. Version 1 of privacy-policy is published through the admin API first, so there is a
 *      version in force to compare with.
 *   2. An editor (a role holding policies.read, create, update and publish) imports the new text,
 *      sees the live preview render it (a tab-separated table becomes a <table>), adds a Finnish
 *      translation with the locale switcher, saves, sees the diff against version 1, publishes
 *      version 2 through the dialog, and the public `current` route serves it. Then schedules a
 *      version 3 and withdraws it.
 *      Leaving the editor with unsaved edits asks first. The overview shows the version in force
 *      and the next scheduled one.
 *   3. A role holding only policies.read sees the policies but no create, edit, publish or
 *      withdraw control, even on a draft; the overview shows them too.
 *   4. A role holding only audit.read sees the overview without any policy, and its browser never
 *      asks for them.
 *
 * Screenshots land in tests/artifacts/e2e/ (git-ignored) as policies-*.png.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

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

const SLUG = 'privacy-policy';
const action = (verb: string) => `plugin::privacy-centre.policies.${verb}`;

let app: RunningApp;
let browser: Browser;
let superToken: string;
const contexts: BrowserContext[] = [];

const section = (heading: string, markdown: string) => ({ anchor: '', heading, markdown });

/** Version 1, in force: what the editor's draft is compared with. */
const VERSION_1 = {
  en: {
    title: 'Privacy policy',
    summary: 'First version.',
    sections: [
      section('1. Who we are', 'Northwind Rowing Club ry is the controller of your personal data.'),
      section('2. What we collect', 'We collect your name and email address when you subscribe to the newsletter.'),
      section('3. Cookies', 'We use only necessary cookies.'),
    ],
  },
  fi: {
    title: 'Tietosuojaseloste',
    summary: 'Ensimmäinen versio.',
    sections: [section('1. Keitä olemme', 'Northwind Rowing Club ry on henkilötietojesi rekisterinpitäjä.')],
  },
};

/** Plain text as an editor pastes it from a document: numbered headings and a tab-separated table. */
const IMPORTED_TEXT = [
  'Privacy policy of Northwind Rowing Club',
  '',
  '1. Who we are',
  'Northwind Rowing Club ry is the controller of your personal data.',
  '',
  '2. What we collect',
  'We collect your name, email address and phone number when you join the club or subscribe to the newsletter.',
  '',
  '3. How long we keep it',
  'Data\tKept for',
  'Consent records\t12 months',
  'Newsletter subscriptions\tuntil you unsubscribe',
].join('\n');

const NEW_TITLE = 'Privacy policy 2026';
const NEW_FI_TITLE = 'Tietosuojaseloste 2026';

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  superToken = await registerSuperAdmin(app, 'ada@northwind.example');
  // The test app starts with English only; a second locale makes the switcher meaningful.
  await api(app, 'POST', '/i18n/locales', superToken, { code: 'fi', name: 'Finnish (fi)', isDefault: false });
  const { data: draft } = await api(app, 'POST', '/privacy-centre/policies/drafts', superToken, { slug: SLUG, locales: VERSION_1 });
  await api(app, 'POST', `/privacy-centre/policies/drafts/${draft.documentId}/publish`, superToken, {});
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await app?.stop();
});

const publicApi = async (url: string) => {
  const response = await fetch(`${app.url}/api/privacy-centre${url}`);
  return { status: response.status, body: (await response.json()) as any };
};

/** Design-system selects are buttons with a listbox, not <select>: open, then pick by label. */
async function chooseLocale(page: Page, code: string) {
  await page.getByRole('combobox', { name: 'Language' }).click();
  await page.getByRole('option', { name: new RegExp(`^${code}\\b`) }).click();
}

/** Dialogs fade in: a screenshot taken at once shows them half transparent. */
const settle = (page: Page) => page.waitForTimeout(400);

const versionRow = (page: Page, status: string): Locator =>
  page.getByTestId(`privacy-centre-policy-${SLUG}`).locator(`[data-testid="privacy-centre-policy-version-row"][data-status="${status}"]`);

/** One policy's card on the overview: its version in force and the next scheduled one. */
const atAGlance = (page: Page, slug: string) => {
  const card = page.getByTestId(`privacy-centre-overview-policy-${slug}`);
  return {
    card,
    inForce: card.getByTestId('privacy-centre-overview-in-force'),
    next: card.getByTestId('privacy-centre-overview-next'),
  };
};

test('an editor imports a draft, previews it, translates it, sees the diff, publishes it, and the public API serves it', async () => {
  const { email } = await createAdminWithRole(app, superToken, 'Policy Editor', ['read', 'create', 'update', 'publish'].map(action));
  const { page, errors } = await newPage(browser, contexts);
  await logIn(app, page, email);

  // The Policies page: version 1 in force.
  await page.goto(`${app.url}${PLUGIN_PATH}`);
  await page.getByTestId('privacy-centre-nav-policies').click();
  await page.getByTestId('privacy-centre-page-policies').waitFor();
  await expect(page.getByTestId('privacy-centre-page-policies').locator('h1').textContent()).resolves.toBe('Policies');
  await versionRow(page, 'in-force').waitFor();
  await expect(versionRow(page, 'in-force').textContent()).resolves.toContain('v1');
  await screenshot(page, 'policies-01-list');

  // Import from text: the slug's draft is created and opens in the editor.
  await page.getByRole('button', { name: 'Import from text' }).click();
  const importDialog = page.getByTestId('privacy-centre-import-dialog');
  await importDialog.waitFor();
  await expect(importDialog.locator('input[name="slug"]').inputValue()).resolves.toBe(SLUG);
  await importDialog.locator('textarea[name="text"]').fill(IMPORTED_TEXT);
  await settle(page);
  await screenshot(page, 'policies-02-import-dialog');
  await importDialog.getByRole('button', { name: 'Import', exact: true }).click();
  await page.waitForURL(/\/admin\/plugins\/privacy-centre\/policies\/[a-z0-9]+\?locale=en$/);
  const editor = page.getByTestId('privacy-centre-policy-editor');
  await editor.waitFor();
  const draftUrl = page.url();

  // The live preview renders as the public API will: the tab-separated lines are a table.
  const preview = page.getByTestId('privacy-centre-policy-preview');
  const table = preview.locator('section[data-anchor="3-how-long-we-keep-it"] table');
  await table.waitFor();
  await expect(table.locator('th').allTextContents()).resolves.toEqual(['Data', 'Kept for']);
  await expect(table.locator('tbody tr').count()).resolves.toBe(2);

  // Typing changes the preview before anything is saved.
  await editor.locator('input[name="title"]').fill(NEW_TITLE);
  const whatWeCollect = editor.locator('textarea[name="sections.2.markdown"]');
  await expect(whatWeCollect.inputValue()).resolves.toContain('phone number');
  await whatWeCollect.fill(`${await whatWeCollect.inputValue()}\n\n**We never sell it.**`);
  await preview.locator('h2', { hasText: NEW_TITLE }).waitFor();
  await preview.locator('section[data-anchor="2-what-we-collect"] strong', { hasText: 'We never sell it.' }).waitFor();
  await page.getByTestId('privacy-centre-unsaved').waitFor();
  await screenshot(page, 'policies-03-editor-preview');

  // Leaving the page with unsaved edits asks first; staying keeps them, on the same URL.
  await page.getByRole('link', { name: 'All policies' }).click();
  const leaveDialog = page.getByRole('alertdialog');
  await leaveDialog.getByText('Leave without saving?', { exact: true }).waitFor();
  await expect(leaveDialog.textContent()).resolves.toContain('This draft has changes you have not saved.');
  await settle(page);
  await screenshot(page, 'policies-03b-leave-dialog');
  await leaveDialog.getByTestId('privacy-centre-leave-stay').click();
  await leaveDialog.waitFor({ state: 'hidden' });
  expect(page.url()).toBe(draftUrl);
  await expect(editor.locator('input[name="title"]').inputValue()).resolves.toBe(NEW_TITLE);
  await expect(whatWeCollect.inputValue()).resolves.toContain('We never sell it.');

  // Save, then the Finnish translation of the same version through the locale switcher.
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('Draft saved').first().waitFor();
  await chooseLocale(page, 'fi');
  await page.getByTestId('privacy-centre-locale-missing').waitFor();
  await page.getByRole('button', { name: 'Translate from en' }).click();
  await editor.locator('input[name="title"]').fill(NEW_FI_TITLE);
  await editor.locator('input[name="sections.1.heading"]').fill('1. Keitä olemme');
  await editor.locator('textarea[name="sections.1.markdown"]').fill('Northwind Rowing Club ry on henkilötietojesi rekisterinpitäjä.');
  await preview.locator('h2', { hasText: NEW_FI_TITLE }).waitFor();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('Draft saved').first().waitFor();
  await page.waitForURL(/locale=fi$/);

  // The diff against version 1, in English: per section, and word by word inside one.
  await chooseLocale(page, 'en');
  await expect(editor.locator('input[name="title"]').inputValue()).resolves.toBe(NEW_TITLE);
  await page.getByRole('tab', { name: 'Changes since version 1' }).click();
  const diff = page.getByTestId('privacy-centre-policy-diff');
  await diff.waitFor();
  const diffSection = (kind: string, anchor: string) =>
    diff.locator(`[data-testid="privacy-centre-diff-section"][data-kind="${kind}"][data-anchor="${anchor}"]`);
  await diffSection('unchanged', '1-who-we-are').waitFor();
  await diffSection('removed', '3-cookies').waitFor();
  await diffSection('added', '3-how-long-we-keep-it').waitFor();
  const changed = diffSection('changed', '2-what-we-collect');
  await changed.waitFor();
  // <ins>/<del> plus a hidden label for screen readers: the change is not told by colour alone.
  const inserted = (await changed.locator('ins').allTextContents()).join(' ');
  expect(inserted).toContain('phone number');
  expect(inserted).toContain('added:');
  await expect(changed.locator('del').count()).resolves.toBeGreaterThan(0);
  await expect(diff.getByTestId('privacy-centre-diff-summary').textContent()).resolves.toContain(
    'Compared with version 1, in force: 1 changed, 2 added, 1 removed, 1 unchanged sections.'
  );
  await diff.getByTestId('privacy-centre-diff-title').locator('ins', { hasText: '2026' }).waitFor();
  await screenshot(page, 'policies-04-diff');

  // Publish now, through the dialog that states the consequence.
  await page.getByTestId('privacy-centre-publish').click();
  const publishDialog = page.getByTestId('privacy-centre-publish-dialog');
  await publishDialog.waitFor();
  const consequence = await publishDialog.getByTestId('privacy-centre-publish-consequence').textContent();
  expect(consequence).toContain('Version 2 will be frozen for good: it becomes the legal record of what visitors were shown.');
  expect(consequence).toContain('2 translations (en, fi) are published together');
  expect(consequence).toContain('replaces version 1');
  await settle(page);
  await screenshot(page, 'policies-05-publish-dialog');
  await publishDialog.getByRole('button', { name: 'Publish version 2' }).click();
  await page.getByText('Version 2 published: it is now in force').first().waitFor();

  // The same URL now shows the frozen version, read-only, with its hash.
  const readOnly = page.getByTestId('privacy-centre-policy-readonly');
  await readOnly.waitFor();
  await expect(page.getByTestId('privacy-centre-page-policy-version').locator('h1').textContent()).resolves.toBe(
    `${SLUG}: version 2`
  );
  await expect(readOnly.locator('[data-testid="privacy-centre-policy-status"]').getAttribute('data-status')).resolves.toBe('in-force');
  const hash = await page.getByTestId('privacy-centre-policy-hash').textContent();
  expect(hash).toMatch(/^[0-9a-f]{64}$/);
  await expect(page.locator('textarea').count()).resolves.toBe(0);
  await screenshot(page, 'policies-06-published');

  // The public API serves the new version, in both languages.
  const current = await publicApi(`/policies/${SLUG}/current`);
  expect(current.status).toBe(200);
  expect(current.body.data).toMatchObject({ version: 2, title: NEW_TITLE, hash, previousVersion: 1, locale: 'en' });
  expect(current.body.data.sections.find((s: any) => s.anchor === '3-how-long-we-keep-it').html).toContain('<table>');
  const currentFi = await publicApi(`/policies/${SLUG}/current?locale=fi`);
  expect(currentFi.body.data).toMatchObject({ version: 2, title: NEW_FI_TITLE, fallback: false });

  // The overview shows the version in force, with a link to it; nothing is scheduled.
  await page.getByTestId('privacy-centre-nav-overview').click();
  await expectPage(page, 'overview', 'Overview');
  const glance = atAGlance(page, SLUG);
  await glance.card.waitFor();
  const inForceText = await glance.inForce.textContent();
  expect(inForceText).toContain(`Version 2: ${NEW_TITLE}`);
  expect(inForceText).toContain('In force since');
  await expect(glance.next.textContent()).resolves.toContain('No version is scheduled.');
  await page.getByTestId('privacy-centre-overview-ready').waitFor({ state: 'attached' });
  await screenshot(page, 'policies-06b-overview');
  await glance.inForce.getByRole('link', { name: 'View version 2' }).click();
  await expectPage(page, 'policy-version', `${SLUG}: version 2`);

  // The preview showed exactly the HTML the public API serves (the same renderer).
  await page.goto(draftUrl);
  await readOnly.waitFor();
  const previewHtml = await page
    .getByTestId('privacy-centre-policy-preview')
    .locator('section[data-anchor="3-how-long-we-keep-it"] > div')
    .innerHTML();
  expect(previewHtml).toBe(current.body.data.sections.find((s: any) => s.anchor === '3-how-long-we-keep-it').html);

  // Schedule version 3 (a copy of version 2) a week ahead, then withdraw it before it takes effect.
  await page.goto(`${app.url}${PLUGIN_PATH}/policies`);
  await page.getByRole('button', { name: 'New draft' }).click();
  const newDraftDialog = page.getByTestId('privacy-centre-new-draft-dialog');
  await newDraftDialog.locator('input[name="slug"]').fill(SLUG);
  await newDraftDialog.getByRole('radio', { name: 'A copy of the newest published version' }).click();
  await newDraftDialog.getByRole('button', { name: 'Create draft' }).click();
  await editor.waitFor();
  await expect(editor.locator('input[name="title"]').inputValue()).resolves.toBe(NEW_TITLE);

  // Leaving anyway (here through the side navigation) drops the unsaved edits: the draft is as saved.
  const summary = editor.locator('textarea[name="summary"]');
  const savedSummary = await summary.inputValue();
  await summary.fill('An edit that is never saved.');
  await page.getByTestId('privacy-centre-nav-policies').click();
  await page.getByRole('alertdialog').getByTestId('privacy-centre-leave-confirm').click();
  await expectPage(page, 'policies', 'Policies');
  await versionRow(page, 'draft').getByTestId('privacy-centre-policy-open').click();
  await editor.waitFor();
  await expect(summary.inputValue()).resolves.toBe(savedSummary);

  await page.getByTestId('privacy-centre-publish').click();
  await publishDialog.getByRole('radio', { name: 'Schedule for a date' }).click();
  await publishDialog.locator('input[name="effectiveAt"]').waitFor();
  await expect(publishDialog.getByTestId('privacy-centre-publish-consequence').textContent()).resolves.toMatch(
    /It takes effect on .+\. Until then version 2 stays in force/
  );
  await settle(page);
  await screenshot(page, 'policies-07-schedule-dialog');
  await publishDialog.getByRole('button', { name: 'Schedule version 3' }).click();
  await page.getByText(/Version 3 scheduled for/).first().waitFor();
  await expect(readOnly.locator('[data-testid="privacy-centre-policy-status"]').getAttribute('data-status')).resolves.toBe('scheduled');
  expect((await publicApi(`/policies/${SLUG}/upcoming`)).body.data.version).toBe(3);

  // The overview gives notice of it: the publish dialog proposed a week ahead, at midnight.
  await page.getByTestId('privacy-centre-nav-overview').click();
  await glance.next.getByText(`Version 3: ${NEW_TITLE}`).waitFor();
  await expect(glance.next.getByTestId('privacy-centre-overview-notice').textContent()).resolves.toMatch(/^Takes effect in [78] days\.$/); // 8 only across a daylight-saving night
  await expect(glance.inForce.textContent()).resolves.toContain(`Version 2: ${NEW_TITLE}`);
  await screenshot(page, 'policies-07b-overview-scheduled');

  await page.goto(`${app.url}${PLUGIN_PATH}/policies`);
  await versionRow(page, 'scheduled').getByTestId('privacy-centre-policy-withdraw').click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Confirm' }).click();
  await page.getByText('Version 3 of privacy-policy withdrawn').first().waitFor();
  await versionRow(page, 'withdrawn').waitFor();
  await expect(versionRow(page, 'in-force').textContent()).resolves.toContain('v2');
  await screenshot(page, 'policies-08-withdrawn');
  expect((await publicApi(`/policies/${SLUG}/upcoming`)).status).toBe(404);
  expect((await publicApi(`/policies/${SLUG}/current`)).body.data.version).toBe(2);

  await page.getByTestId('privacy-centre-nav-overview').click();
  await glance.next.getByText('No version is scheduled.').waitFor();

  expect(errors).toEqual([]);
});

test('an admin holding only policies.read sees the policies but no create, edit, publish or withdraw control', async () => {
  // Something to be tempted by: a draft, and a scheduled version.
  const { data: draft } = await api(app, 'POST', '/privacy-centre/policies/drafts', superToken, {
    slug: 'terms',
    locales: { en: { title: 'Terms of use', summary: '', sections: [section('1. Terms', '| a | b |\n| --- | --- |\n| 1 | 2 |')] } },
  });
  await api(app, 'POST', `/privacy-centre/policies/drafts/${draft.documentId}/publish`, superToken, {
    effectiveAt: new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString(),
  });
  const { data: nextDraft } = await api(app, 'POST', '/privacy-centre/policies/drafts', superToken, { slug: 'terms', from: 'latest' });

  const { email } = await createAdminWithRole(app, superToken, 'Policy Reader', [action('read')]);
  const { page, errors } = await newPage(browser, contexts);
  await logIn(app, page, email);

  await page.goto(`${app.url}${PLUGIN_PATH}/policies`);
  await page.getByTestId('privacy-centre-page-policies').waitFor();
  await page.getByTestId('privacy-centre-policy-terms').waitFor();
  await expect(page.getByRole('button', { name: 'New draft' }).count()).resolves.toBe(0);
  await expect(page.getByRole('button', { name: 'Import from text' }).count()).resolves.toBe(0);
  await expect(page.getByTestId('privacy-centre-policy-withdraw').count()).resolves.toBe(0);
  await expect(page.getByRole('link', { name: 'Edit', exact: true }).count()).resolves.toBe(0);
  await screenshot(page, 'policies-09-reader-list');

  // The draft opens read-only: preview, but no field, save, delete or publish.
  await page.goto(`${app.url}${PLUGIN_PATH}/policies/${nextDraft.documentId}`);
  await page.getByTestId('privacy-centre-policy-readonly').waitFor();
  await page.getByTestId('privacy-centre-policy-preview').locator('table').waitFor();
  for (const name of ['Save', 'Delete draft', 'Publish…', 'Withdraw']) {
    await expect(page.getByRole('button', { name, exact: true }).count()).resolves.toBe(0);
  }
  await expect(page.getByTestId('privacy-centre-publish').count()).resolves.toBe(0);
  await expect(page.locator('textarea, input[name="title"]').count()).resolves.toBe(0);
  await screenshot(page, 'policies-10-reader-draft');

  // policies.read is enough for the overview: terms has nothing in force yet, only a scheduled version 1.
  await page.goto(`${app.url}${PLUGIN_PATH}`);
  await expectPage(page, 'overview', 'Overview');
  const terms = atAGlance(page, 'terms');
  await terms.card.waitFor();
  await expect(terms.inForce.textContent()).resolves.toContain('No version is in force yet.');
  await expect(terms.next.textContent()).resolves.toContain('Version 1: Terms of use');
  await expect(terms.next.getByTestId('privacy-centre-overview-notice').textContent()).resolves.toMatch(/^Takes effect in \d+ days\.$/);
  await expect(atAGlance(page, SLUG).inForce.textContent()).resolves.toContain(`Version 2: ${NEW_TITLE}`);
  await screenshot(page, 'policies-11-reader-overview');

  expect(errors).toEqual([]);
});

test('an admin holding only audit.read sees the overview without any policy, and never asks for them', async () => {
  const { email } = await createAdminWithRole(app, superToken, 'Policy Auditor', ['plugin::privacy-centre.audit.read']);
  const { page, errors } = await newPage(browser, contexts);
  const policyRequests: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/privacy-centre/policies')) policyRequests.push(request.url());
  });
  await logIn(app, page, email);

  await page.goto(`${app.url}${PLUGIN_PATH}`);
  await expectPage(page, 'overview', 'Overview');
  // The side navigation lists the audit log once the permissions are known; the overview uses the same answer.
  await page.getByTestId('privacy-centre-nav-audit').waitFor();
  await page.getByTestId('privacy-centre-overview-ready').waitFor({ state: 'attached' });
  await page.waitForTimeout(1000);
  await expect(page.getByTestId('privacy-centre-overview-policies').count()).resolves.toBe(0);
  const overview = await page.getByTestId('privacy-centre-page-overview').textContent();
  expect(overview).not.toContain(NEW_TITLE);
  expect(overview).not.toContain('Version 2');
  expect(policyRequests).toEqual([]);
  await screenshot(page, 'policies-12-auditor-overview');

  expect(errors).toEqual([]);
});
