/**
 * The cookie declaration in the admin, driven as an editor would: a real `strapi start` serving
 * the built admin panel (tests/helpers/e2e-app.ts), Debian's Chromium through playwright-core.
 *
 *   1. Revision 1 is published through the admin API first (the plugin creates the four default
 *      categories at its first boot), so there is a revision to compare with.
 *   2. An editor (cookies.read, manage and publish) adds a category and a cookie, each with a
 *      Finnish translation, sees them under "Changes since revision 1", reorders the category,
 *      publishes revision 2 through the confirmation dialog, sees it listed and opens it
 *      read-only; the public `GET /api/privacy-centre/cookies?locale=fi` serves them.
 *   3. Discovery: browsers report through the public intake a declared "social" cookie before
 *      any decision and after a refusal, an undeclared Hotjar storage key (the Open Cookie
 *      Database knows it by a wildcard entry) and a made-up cookie. The editor's Discovery tab
 *      lists each where it belongs, with the database's suggestion; the editor adds the Hotjar key
 *      to the declaration through the dialog and ignores the made-up one by a pattern.
 *   4. A role holding only cookies.read sees the declaration, its revisions and the Discovery
 *      lists (and the Overview's counts), but no control to add, edit, reorder, delete, publish,
 *      add a finding or ignore one.
 *
 * Screenshots land in tests/artifacts/e2e/ (git-ignored) as cookies-*.png.
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

const action = (verb: string) => `plugin::privacy-centre.cookies.${verb}`;

let app: RunningApp;
let browser: Browser;
let superToken: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  superToken = await registerSuperAdmin(app, 'ada@northwind.example');
  await api(app, 'POST', '/i18n/locales', superToken, { code: 'fi', name: 'Finnish (fi)', isDefault: false });
  const { data: first } = await api(app, 'POST', '/privacy-centre/cookies/publish', superToken);
  expect(first.revision).toBe(1);
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await app?.stop();
});

/** Dialogs fade in: a screenshot taken at once shows them half transparent. */
const settle = (page: Page) => page.waitForTimeout(400);

/** Design-system selects are buttons with a listbox, not <select>: open, then pick by label. */
async function chooseLocale(page: Page, scope: Page | Locator, code: string) {
  await scope.getByRole('combobox', { name: 'Language' }).click();
  await page.getByRole('option', { name: new RegExp(`^${code}\\b`) }).click();
}

const categoryCard = (page: Page, key: string) => page.locator(`[data-testid="privacy-centre-cookie-category"][data-key="${key}"]`);
const categoryKeys = (page: Page) =>
  page.locator('[data-testid="privacy-centre-cookie-category"]').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-key')));
const revisionRow = (page: Page, revision: number) =>
  page.locator(`[data-testid="privacy-centre-cookie-revision-row"][data-revision="${revision}"]`);

test('an editor adds a category and a cookie in two languages, sees the changes, publishes revision 2, and the public API serves it', async () => {
  const { email } = await createAdminWithRole(app, superToken, 'Cookie Editor', ['read', 'manage', 'publish'].map(action));
  const { page, errors } = await newPage(browser, contexts);
  await logIn(app, page, email);

  await page.goto(`${app.url}${PLUGIN_PATH}`);
  await page.getByTestId('privacy-centre-nav-cookies').click();
  await expectPage(page, 'cookies', 'Cookies');
  const changes = page.getByTestId('privacy-centre-cookies-changes');
  await changes.getByRole('heading', { name: 'Changes since revision 1' }).waitFor();
  await changes.getByTestId('privacy-centre-cookies-unchanged').waitFor();
  await revisionRow(page, 1).waitFor();
  await expect(page.getByTestId('privacy-centre-cookies-publish').isDisabled()).resolves.toBe(true);
  const defaults = await categoryKeys(page);
  expect(defaults.length).toBeGreaterThan(0);
  await screenshot(page, 'cookies-01-list');

  // A new category, in English (the default language) and Finnish.
  await page.getByTestId('privacy-centre-cookie-category-add').click();
  const categoryDialog = page.getByTestId('privacy-centre-cookie-category-dialog');
  await categoryDialog.waitFor();
  await categoryDialog.locator('input[name="key"]').fill('social');
  await categoryDialog.locator('input[name="name"]').fill('Social media');
  await categoryDialog.locator('textarea[name="description"]').fill('Share buttons and embedded posts from social networks.');
  await categoryDialog.getByRole('checkbox', { name: 'ad_storage' }).click();
  await categoryDialog.getByRole('checkbox', { name: 'ad_user_data' }).click();
  await categoryDialog.getByRole('checkbox', { name: /Global Privacy Control/ }).click();
  // The c15t switch it belongs to: "social" has no usual meaning, so its default is experience.
  const c15tType = categoryDialog.getByRole('combobox', { name: 'c15t consent type' });
  await expect(c15tType.textContent()).resolves.toContain('Default for the key (experience)');
  await c15tType.click();
  await page.getByRole('option', { name: 'marketing', exact: true }).click();
  await chooseLocale(page, categoryDialog, 'fi');
  await expect(categoryDialog.locator('input[name="name"]').inputValue()).resolves.toBe('');
  await categoryDialog.locator('input[name="name"]').fill('Sosiaalinen media');
  await categoryDialog.locator('textarea[name="description"]').fill('Sosiaalisen median jakopainikkeet ja upotetut julkaisut.');
  await settle(page);
  await screenshot(page, 'cookies-02-category-dialog');
  await categoryDialog.getByRole('button', { name: 'Add the category' }).click();
  await page.getByText('Category social added').first().waitFor();
  const social = categoryCard(page, 'social');
  await social.waitFor();
  await expect(social.locator('h2').textContent()).resolves.toBe('Social media');
  await expect(social.getByTestId('privacy-centre-cookie-consent-mode').allTextContents()).resolves.toEqual(['ad_storage', 'ad_user_data']);

  // A cookie in it, a pattern, set by a third party, with its purpose in both languages.
  await social.getByTestId('privacy-centre-cookie-add').click();
  const cookieDialog = page.getByTestId('privacy-centre-cookie-dialog');
  await cookieDialog.waitFor();
  await cookieDialog.locator('input[name="name"]').fill('_social_*');
  await cookieDialog.locator('input[name="provider"]').fill('Example Social Ltd');
  await cookieDialog.locator('input[name="service"]').fill('Share buttons');
  await cookieDialog.locator('input[name="domain"]').fill('.social.example');
  await cookieDialog.getByRole('radio', { name: 'Third party: another company' }).click();
  await cookieDialog.locator('textarea[name="purpose"]').fill('Remembers what you shared.');
  await cookieDialog.locator('input[name="duration"]').fill('1 year');
  await chooseLocale(page, cookieDialog, 'fi');
  await cookieDialog.locator('textarea[name="purpose"]').fill('Muistaa, mitä jaoit.');
  await cookieDialog.locator('input[name="duration"]').fill('1 vuosi');
  await settle(page);
  await screenshot(page, 'cookies-03-cookie-dialog');
  await cookieDialog.getByRole('button', { name: 'Add the cookie' }).click();
  await page.getByText('Cookie _social_* added').first().waitFor();
  const row = social.locator('[data-testid="privacy-centre-cookie-row"][data-name="_social_*"]');
  await row.waitFor();
  await expect(row.textContent()).resolves.toContain('Remembers what you shared.');

  // The changes since revision 1 name them.
  await changes.getByTestId('privacy-centre-cookies-changes-categories-added').getByText('social').waitFor();
  await expect(changes.getByTestId('privacy-centre-cookies-changes-cookies-added').textContent()).resolves.toContain('_social_*');
  await expect(page.getByTestId('privacy-centre-cookies-publish').isDisabled()).resolves.toBe(false);

  // The page in Finnish shows the translations.
  await chooseLocale(page, page, 'fi');
  await expect(social.locator('h2').textContent()).resolves.toBe('Sosiaalinen media');
  await expect(row.textContent()).resolves.toContain('Muistaa, mitä jaoit.');
  await expect(row.textContent()).resolves.toContain('1 vuosi');
  await screenshot(page, 'cookies-04-changes-fi');
  await chooseLocale(page, page, 'en');

  // Reordering: the new category moves up one place.
  const before = await categoryKeys(page);
  expect(before[before.length - 1]).toBe('social');
  await social.getByRole('button', { name: 'Move Social media up' }).click();
  const reordered = [...before.slice(0, -2), 'social', before[before.length - 2]];
  for (let tries = 0; JSON.stringify(await categoryKeys(page)) !== JSON.stringify(reordered); tries += 1) {
    if (tries > 50) throw new Error(`categories not reordered: ${JSON.stringify(await categoryKeys(page))}`);
    await page.waitForTimeout(100);
  }

  // Publish revision 2, after a confirmation that states what cannot be undone.
  await page.getByTestId('privacy-centre-cookies-publish').click();
  const confirm = page.getByRole('alertdialog');
  await confirm.getByText('Publish revision 2 of the cookie declaration?').waitFor();
  const consequence = await confirm.getByTestId('privacy-centre-cookies-publish-consequence').textContent();
  expect(consequence).toContain('Revision 2 will be frozen for good');
  expect(consequence).toContain('Visitors who consented to revision 1 or an earlier one will be asked for their consent again.');
  await settle(page);
  await screenshot(page, 'cookies-05-publish-dialog');
  await confirm.getByRole('button', { name: 'Publish revision 2' }).click();
  await page.getByText('Revision 2 of the cookie declaration published').first().waitFor();
  await changes.getByRole('heading', { name: 'Changes since revision 2' }).waitFor();
  await changes.getByTestId('privacy-centre-cookies-unchanged').waitFor();
  const published = revisionRow(page, 2);
  await published.waitFor();
  await expect(published.getByTestId('privacy-centre-revision-integrity').textContent()).resolves.toBe('Intact');
  await expect(published.textContent()).resolves.toContain('Cookie Editor');
  await screenshot(page, 'cookies-06-published');

  // The revision opens read-only, in either language.
  await published.getByTestId('privacy-centre-cookie-revision-open').click();
  await expectPage(page, 'cookie-revision', 'Cookie declaration: revision 2');
  const frozen = page.getByTestId('privacy-centre-cookie-revision');
  await expect(frozen.getByTestId('privacy-centre-revision-hash').textContent()).resolves.toMatch(/^[0-9a-f]{64}$/);
  await categoryCard(page, 'social').waitFor();
  await expect(page.getByTestId('privacy-centre-cookie-add').count()).resolves.toBe(0);
  await expect(page.getByTestId('privacy-centre-cookie-category-edit').count()).resolves.toBe(0);
  await chooseLocale(page, page, 'fi');
  await expect(categoryCard(page, 'social').locator('h2').textContent()).resolves.toBe('Sosiaalinen media');
  await screenshot(page, 'cookies-07-revision');

  // The public declaration, in Finnish.
  const response = await fetch(`${app.url}/api/privacy-centre/cookies?locale=fi`);
  expect(response.status).toBe(200);
  const { data: declaration } = (await response.json()) as any;
  // The default categories have no Finnish texts, so the answer says that something fell back to English.
  expect(declaration).toMatchObject({ revision: 2, locale: 'fi', fallback: true });
  expect(declaration.categories.map((c: any) => c.key)).toEqual(reordered);
  const publicSocial = declaration.categories.find((c: any) => c.key === 'social');
  expect(publicSocial).toMatchObject({
    name: 'Sosiaalinen media',
    description: 'Sosiaalisen median jakopainikkeet ja upotetut julkaisut.',
    required: false,
    refusedUnderGpc: true,
    c15tType: 'marketing',
  });
  expect([...publicSocial.consentMode].sort()).toEqual(['ad_storage', 'ad_user_data']);
  expect(publicSocial.cookies).toEqual([
    expect.objectContaining({
      name: '_social_*',
      provider: 'Example Social Ltd',
      domain: '.social.example',
      purpose: 'Muistaa, mitä jaoit.',
      duration: '1 vuosi',
      storageType: 'cookie',
      thirdParty: true,
      service: 'Share buttons',
    }),
  ]);

  expect(errors).toEqual([]);
});

const OBSERVATIONS = '/api/privacy-centre/cookies/observations';
const discoverySection = (page: Page, list: string) => page.getByTestId(`privacy-centre-discovery-${list}`);
const findingRow = (page: Page, list: string, name: string) =>
  discoverySection(page, list).locator(`[data-testid="privacy-centre-discovery-row"][data-name="${name}"]`);

test('the Discovery tab lists what browsers reported against revision 2, and the editor adds one name to the declaration and ignores another', async () => {
  // What a frontend sends (names only): before any decision, then after refusing every category.
  const reports = [
    { revision: 2, path: '/blog/hello', granted: null, cookie: ['_social_share', 'made_up_tracker'], localStorage: ['_hjSessionUser_123'] },
    { revision: 2, path: '/shop', granted: [], cookie: ['_social_share'] },
  ];
  for (const body of reports) {
    const response = await fetch(`${app.url}${OBSERVATIONS}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status).toBe(202);
  }
  // The intake writes in batches (discovery.flushMilliseconds): wait until the admin API has them.
  for (let tries = 0; ; tries += 1) {
    const { data } = await api(app, 'GET', '/privacy-centre/cookies/discovery?days=30', superToken);
    if (data.undeclared.length >= 2 && data.despiteRefusal.length >= 1) break;
    if (tries > 60) throw new Error(`observations not counted: ${JSON.stringify(data)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  const { email } = await createAdminWithRole(app, superToken, 'Cookie Auditor', ['read', 'manage'].map(action));
  const { page, errors } = await newPage(browser, contexts);
  await logIn(app, page, email);
  await page.goto(`${app.url}${PLUGIN_PATH}/cookies`);
  await expectPage(page, 'cookies', 'Cookies');
  await page.getByTestId('privacy-centre-cookies-tab-discovery').click();
  await page.getByTestId('privacy-centre-discovery-ready').waitFor();
  expect(new URL(page.url()).searchParams.get('tab')).toBe('discovery');

  // What a regulator fines stands first, with the pages where it was seen.
  await expect(page.getByTestId('privacy-centre-discovery-warning').textContent()).resolves.toContain('what regulators fine');
  const order = await page.locator('section[data-testid^="privacy-centre-discovery-"]').evaluateAll((sections) => sections.map((s) => s.getAttribute('data-testid')));
  expect(order).toEqual(['before-consent', 'despite-refusal', 'undeclared', 'unseen', 'rules'].map((list) => `privacy-centre-discovery-${list}`));
  const before = findingRow(page, 'before-consent', '_social_share');
  await expect(before.getByTestId('privacy-centre-discovery-paths').textContent()).resolves.toBe('/blog/hello');
  await expect(before.textContent()).resolves.toContain('Social media (social)');
  const refused = findingRow(page, 'despite-refusal', '_social_share');
  await expect(refused.getByTestId('privacy-centre-discovery-paths').textContent()).resolves.toBe('/shop');

  // Undeclared, with the database's suggestion: Hotjar by its wildcard entry; the made-up name has none.
  const hotjar = findingRow(page, 'undeclared', '_hjSessionUser_123');
  await expect(hotjar.getByTestId('privacy-centre-discovery-platform').textContent()).resolves.toBe('Hotjar');
  const suggestion = await hotjar.getByTestId('privacy-centre-discovery-suggestion').textContent();
  expect(suggestion).toContain('Suggested category: Preferences (preferences)');
  expect(suggestion).toContain('Kept: 365 days');
  expect(await hotjar.textContent()).toContain('Local storage');
  const madeUp = findingRow(page, 'undeclared', 'made_up_tracker');
  await expect(madeUp.textContent()).resolves.toContain('Not in the database');
  await discoverySection(page, 'unseen').getByTestId('privacy-centre-discovery-empty').waitFor();
  // The admin scrolls inside its own frame, so a full-page shot is one screen: a taller one shows every list.
  const viewport = page.viewportSize();
  await page.setViewportSize({ width: viewport?.width ?? 1440, height: 2200 });
  await screenshot(page, 'cookies-discovery');
  if (viewport) await page.setViewportSize(viewport);

  // Add the Hotjar key to the declaration being edited: the category comes prefilled.
  await hotjar.getByTestId('privacy-centre-discovery-add').click();
  const addDialog = page.getByTestId('privacy-centre-discovery-add-dialog');
  await addDialog.waitFor();
  await expect(addDialog.getByRole('combobox', { name: 'Category' }).textContent()).resolves.toContain('(preferences)');
  await expect(addDialog.textContent()).resolves.toContain('from the Open Cookie Database (Hotjar)');
  await settle(page);
  await screenshot(page, 'cookies-discovery-add');
  await addDialog.getByRole('button', { name: 'Add to the declaration' }).click();
  await page.getByText('_hjSessionUser_123 added to the declaration being edited: publish a revision for visitors to see it.').first().waitFor();
  const { data: declaration } = await api(app, 'GET', '/privacy-centre/cookies', superToken);
  expect(declaration.definitions.find((d: any) => d.name === '_hjSessionUser_123')).toMatchObject({
    category: 'preferences',
    storageType: 'localStorage',
    provider: 'Hotjar',
  });
  expect(declaration.changes.changed).toBe(true);

  // Ignore the made-up name by a pattern, with a note: it leaves the list, the rule is listed.
  await madeUp.getByTestId('privacy-centre-discovery-ignore').click();
  const ignoreDialog = page.getByTestId('privacy-centre-discovery-ignore-dialog');
  await ignoreDialog.waitFor();
  const pattern = ignoreDialog.locator('input[name="pattern"]');
  await expect(pattern.inputValue()).resolves.toBe('made_up_tracker');
  await pattern.fill('made_up_*');
  await ignoreDialog.locator('input[name="note"]').fill('Our own test tracker');
  await ignoreDialog.getByRole('button', { name: 'Ignore' }).click();
  await page.getByText('Names matching made_up_* are ignored').first().waitFor();
  const rule = page.locator('[data-testid="privacy-centre-discovery-rule"][data-pattern="made_up_*"]');
  await rule.waitFor();
  await expect(rule.textContent()).resolves.toContain('Our own test tracker');
  await madeUp.waitFor({ state: 'detached' });
  await hotjar.waitFor();
  await screenshot(page, 'cookies-discovery-ignored');

  // The declaration tab shows the added cookie among the changes, and the tab leaves the URL.
  await page.getByTestId('privacy-centre-cookies-tab-declaration').click();
  await expect(page.getByTestId('privacy-centre-cookies-changes-cookies-added').textContent()).resolves.toContain('_hjSessionUser_123');
  expect(new URL(page.url()).searchParams.get('tab')).toBeNull();

  expect(errors).toEqual([]);
});

test('an admin holding only cookies.read sees the declaration, its revisions and the Discovery lists, but no control to change or publish them', async () => {
  const { email } = await createAdminWithRole(app, superToken, 'Cookie Reader', [action('read')]);
  const { page, errors } = await newPage(browser, contexts);
  await logIn(app, page, email);

  await page.goto(`${app.url}${PLUGIN_PATH}/cookies`);
  await expectPage(page, 'cookies', 'Cookies');
  await categoryCard(page, 'social').waitFor();
  await revisionRow(page, 2).waitFor();
  await expect(page.getByTestId('privacy-centre-cookie-category-add').count()).resolves.toBe(0);
  await expect(page.getByTestId('privacy-centre-cookies-publish').count()).resolves.toBe(0);
  await expect(page.getByTestId('privacy-centre-cookie-add').count()).resolves.toBe(0);
  await expect(page.getByTestId('privacy-centre-cookie-category-edit').count()).resolves.toBe(0);
  await expect(page.getByTestId('privacy-centre-cookie-edit').count()).resolves.toBe(0);
  await expect(page.getByTestId('privacy-centre-cookie-delete').count()).resolves.toBe(0);
  await expect(page.getByRole('button', { name: /^Move / }).count()).resolves.toBe(0);
  await screenshot(page, 'cookies-08-reader');

  await revisionRow(page, 1).getByTestId('privacy-centre-cookie-revision-open').click();
  await expectPage(page, 'cookie-revision', 'Cookie declaration: revision 1');
  await expect(categoryCard(page, 'social').count()).resolves.toBe(0);

  // Discovery: the lists, without the actions.
  await page.goto(`${app.url}${PLUGIN_PATH}/cookies?tab=discovery`);
  await page.getByTestId('privacy-centre-discovery-ready').waitFor();
  await findingRow(page, 'before-consent', '_social_share').waitFor();
  await findingRow(page, 'undeclared', '_hjSessionUser_123').waitFor();
  await page.locator('[data-testid="privacy-centre-discovery-rule"][data-pattern="made_up_*"]').waitFor();
  await expect(page.getByTestId('privacy-centre-discovery-add').count()).resolves.toBe(0);
  await expect(page.getByTestId('privacy-centre-discovery-ignore').count()).resolves.toBe(0);
  await expect(page.getByTestId('privacy-centre-discovery-rule-remove').count()).resolves.toBe(0);
  await screenshot(page, 'cookies-discovery-reader');

  // The Overview counts them (30 days): one before consent, one despite refusal, one undeclared.
  await page.goto(`${app.url}${PLUGIN_PATH}`);
  await page.getByTestId('privacy-centre-overview-ready').waitFor();
  const overview = page.getByTestId('privacy-centre-overview-discovery');
  await overview.getByTestId('privacy-centre-overview-discovery-beforeConsent').waitFor();
  await expect(overview.getByTestId('privacy-centre-overview-discovery-beforeConsent').textContent()).resolves.toBe('1');
  await expect(overview.getByTestId('privacy-centre-overview-discovery-despiteRefusal').textContent()).resolves.toBe('1');
  await expect(overview.getByTestId('privacy-centre-overview-discovery-undeclared').textContent()).resolves.toBe('1');
  await expect(overview.getByTestId('privacy-centre-overview-discovery-beforeConsent-new').textContent()).resolves.toBe('1 new since the latest revision');

  expect(errors).toEqual([]);
});
