import path from 'node:path';
import { APP_DIR, bootStrapi, type TestStrapi } from '../helpers/strapi';

// The demo (npm run demo) seeds through the app's bootstrap; its policy must be served by the
// public routes, and seeding again must neither fail nor duplicate anything.
let app: TestStrapi;
beforeAll(async () => {
  app = await bootStrapi({ PRIVACY_CENTRE_DEMO_SEED: '1' });
});
afterAll(async () => {
  await app?.close();
});

const counts = async () => ({
  policies: await app.strapi.db.query('plugin::privacy-centre.policy-version').count(),
  categories: await app.strapi.db.query('plugin::privacy-centre.cookie-category').count(),
  definitions: await app.strapi.db.query('plugin::privacy-centre.cookie-definition').count(),
  declarations: await app.strapi.db.query('plugin::privacy-centre.cookie-declaration').count(),
  admins: await app.strapi.db.query('admin::user').count(),
  consents: await app.strapi.db.query('plugin::privacy-centre.consent-record').count(),
  subscriptions: await app.strapi.db.query('plugin::privacy-centre.newsletter-subscription').count(),
  rollups: await app.strapi.db
    .query('plugin::privacy-centre.consent-rollup')
    .findMany({ select: ['day', 'metric', 'count'], orderBy: [{ day: 'asc' }, { metric: 'asc' }] }),
});

const seedModule = () => require(path.join(APP_DIR, 'dist', 'src', 'seed', 'demo-month'));
const DAY = 24 * 3600 * 1000;
type Row = Record<string, any>;
/** Counts by `${day} ${metric}` as the rollups name them, computed from the records themselves. */
const tally = (rows: Row[], metricsOf: (row: Row) => string[]) => {
  const out = new Map<string, number>();
  for (const row of rows) for (const metric of metricsOf(row)) {
    const key = `${String(row.givenAt).slice(0, 10)} ${metric}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
};

describe('the demo seed', () => {
  it('publishes the sample policy in en and fi, served by the public routes', async () => {
    const en = await app.http().get('/api/privacy-centre/policies/privacy-policy/current');
    expect(en.status).toBe(200);
    expect(en.body.data).toMatchObject({ version: 1, locale: 'en', locales: ['en', 'fi'] });
    const html = en.body.data.sections.map((s: { html: string }) => s.html).join('\n');
    expect(html).toContain('<dl>'); // definitions
    expect(html.match(/<table>/g)?.length).toBeGreaterThanOrEqual(2); // processing + retention
    expect(en.body.data.sections.map((s: { heading: string }) => s.heading)).toContain('7. Your rights');
    const fi = await app.http().get('/api/privacy-centre/policies/privacy-policy/current?locale=fi');
    expect(fi.body.data).toMatchObject({ locale: 'fi', fallback: false, hash: en.body.data.hash });
  });

  it('seeds the four cookie categories with their cookies in en and fi, publishes the declaration, and one administrator', async () => {
    const cookies = app.strapi.plugin('privacy-centre').service('cookies');
    const categories = await cookies.categories();
    expect(categories.map((c: any) => [c.key, c.required, Object.keys(c.locales).sort()])).toEqual([
      ['necessary', true, ['en', 'fi']],
      ['preferences', false, ['en', 'fi']],
      ['statistics', false, ['en', 'fi']],
      ['marketing', false, ['en', 'fi']],
    ]);
    const definitions = await cookies.definitions();
    expect(categories.every((c: any) => definitions.some((d: any) => d.category === c.key))).toBe(true);
    const declaration = await app.http().get('/api/privacy-centre/cookies?locale=fi');
    expect(declaration.status).toBe(200);
    expect(declaration.body.data).toMatchObject({ revision: 1, locale: 'fi', fallback: false });
    expect(declaration.body.data.categories[0]).toMatchObject({ key: 'necessary', name: 'Välttämättömät', required: true });
    const login = await app.http().post('/admin/login').send({ email: 'admin@example.com', password: 'Privacy-Demo-2026' });
    expect(login.status).toBe(200);
  });

  it('seeds a month of consent decisions: 30 distinct days, a trend, changes and withdrawals', async () => {
    const rows: Row[] = await app.strapi.db.query('plugin::privacy-centre.consent-record').findMany({
      where: { kind: 'cookie', subjectId: { $startsWith: seedModule().MONTH_SUBJECT_PREFIX } },
    });
    expect(rows.length).toBeGreaterThan(800);
    expect(rows.length).toBeLessThan(2500);
    const days = [...new Set(rows.map((r) => String(r.givenAt).slice(0, 10)))].sort();
    expect(days).toHaveLength(30);
    const today = new Date().toISOString().slice(0, 10);
    expect(days[29]).toBe(today);
    expect(days[0]).toBe(new Date(Date.parse(today) - 29 * DAY).toISOString().slice(0, 10));
    expect(rows.every((r) => Date.parse(r.givenAt) <= Date.now())).toBe(true);
    const actions: Record<string, number> = {};
    for (const r of rows) actions[r.action] = (actions[r.action] ?? 0) + 1;
    expect(actions.updated).toBeGreaterThan(20);
    expect(actions.withdrawn).toBeGreaterThan(10);
    // A continuation is later than the record it continues.
    const byId = new Map(rows.map((r) => [r.consentId, r]));
    for (const r of rows.filter((x) => x.previousConsentId)) expect(Date.parse(r.givenAt)).toBeGreaterThan(Date.parse(byId.get(r.previousConsentId)!.givenAt));
    // Acceptance of statistics grows: the last week's share is well above the first week's.
    const share = (from: string[], list: Row[]) => {
      const inWeek = list.filter((r) => from.includes(String(r.givenAt).slice(0, 10)));
      return inWeek.filter((r) => r.state.statistics).length / inWeek.length;
    };
    expect(share(days.slice(-7), rows)).toBeGreaterThan(share(days.slice(0, 7), rows) + 0.15);
  });

  it('keeps the rollups equal to the records they count, per day and metric', async () => {
    const cookies: Row[] = await app.strapi.db.query('plugin::privacy-centre.consent-record').findMany({ where: { kind: 'cookie' } });
    const events: Row[] = await app.strapi.db.query('plugin::privacy-centre.consent-record').findMany({ where: { kind: 'newsletter' } });
    const categories = ['necessary', 'preferences', 'statistics', 'marketing'];
    const optional = categories.slice(1);
    const expected = tally(cookies, (r) => {
      const granted = optional.filter((c) => r.state[c]).length;
      return ['total', ...categories.map((c) => `${r.state[c] ? 'granted' : 'refused'}:${c}`), granted === 3 ? 'accepted-all' : granted ? 'chose' : 'refused-all'];
    });
    for (const [key, count] of tally(events, (r) => [`newsletter:${r.action === 'requested' ? 'requested' : r.action === 'withdrawn' ? 'unsubscribed' : 'subscribed'}:default`])) {
      expected.set(key, count);
    }
    const rollups: Row[] = await app.strapi.db.query('plugin::privacy-centre.consent-rollup').findMany();
    const actual = new Map(rollups.filter((r) => r.count > 0).map((r) => [`${r.day} ${r.metric}`, r.count]));
    expect(Object.fromEntries([...actual].sort())).toEqual(Object.fromEntries([...expected].sort()));
    // What the overview shows: 30 days of decisions, statistics granted on every one of them.
    const stats = await app.strapi.plugin('privacy-centre').service('consents').stats({});
    expect(stats.days).toHaveLength(30);
    expect(stats.days.every((d: any) => d.total > 0 && d.categories.statistics.granted > 0)).toBe(true);
  });

  it('seeds a few dozen newsletter sign-ups confirmed on different days, some unsubscribed, with authentic events', async () => {
    const { MONTH_EMAIL_DOMAIN } = seedModule();
    const rows: Row[] = await app.strapi.db
      .query('plugin::privacy-centre.newsletter-subscription')
      .findMany({ where: { email: { $endsWith: `@${MONTH_EMAIL_DOMAIN}` } } });
    expect(rows.length).toBeGreaterThanOrEqual(30);
    const confirmedDays = new Set(rows.filter((r) => r.confirmedAt).map((r) => r.confirmedAt.slice(0, 10)));
    expect(confirmedDays.size).toBeGreaterThanOrEqual(10);
    const byStatus = (status: string) => rows.filter((r) => r.status === status).length;
    expect(byStatus('subscribed')).toBeGreaterThanOrEqual(20);
    expect(byStatus('unsubscribed')).toBeGreaterThanOrEqual(2);
    const stats = await app.strapi.plugin('privacy-centre').service('newsletter-admin').stats({});
    expect(stats.days.filter((d: any) => d.lists.default?.subscribed > 0).length).toBeGreaterThanOrEqual(10);
    // The evidence of an unsubscribed reader: requested, confirmed, withdrawn, every event's
    // signature authentic, as the Data subjects page checks it.
    const leaver = rows.find((r) => r.status === 'unsubscribed')!;
    const evidence = await app.strapi.plugin('privacy-centre').service('subjects').evidence(leaver.email, null, false);
    expect(evidence.records.map((r: any) => r.record.action)).toEqual(['requested', 'confirmed', 'withdrawn']);
    expect(evidence.records.every((r: any) => r.receipt?.authentic === true)).toBe(true);
    expect(evidence.checks.allHashesMatch).toBe(true);
  });

  it('signs every seeded consent like a real one: a sample of receipts verifies through the public route', async () => {
    const rows: Row[] = await app.strapi.db.query('plugin::privacy-centre.consent-record').findMany({
      where: { kind: 'cookie', subjectId: { $startsWith: seedModule().MONTH_SUBJECT_PREFIX } },
      orderBy: [{ id: 'asc' }],
    });
    const sample = [0, 1, Math.floor(rows.length / 2), rows.length - 2, rows.length - 1].map((i) => rows[i]);
    sample.push(rows.find((r) => r.action === 'withdrawn')!, rows.find((r) => r.action === 'updated')!);
    for (const row of sample) {
      // The receipt as the browser got it: the public status shows all but subjectId and signature.
      const status = await app.http().get(`/api/privacy-centre/consents/${row.consentId}`);
      expect(status.status).toBe(200);
      const receipt = { ...status.body.data.receipt, subjectId: row.subjectId, signature: row.signature };
      const verified = await app.http().post('/api/privacy-centre/consents/verify').send({ receipt });
      expect(verified.status).toBe(200);
      expect(verified.body.data).toEqual({ authentic: true, matchesRecord: true, reason: 'ok' });
      // And a receipt whose date was moved does not.
      const moved = await app.http().post('/api/privacy-centre/consents/verify').send({ receipt: { ...receipt, givenAt: new Date().toISOString() } });
      expect(moved.body.data.authentic).toBe(false);
    }
  });

  it('is idempotent', async () => {
    const before = await counts();
    const { seedDemo } = require(path.join(APP_DIR, 'dist', 'src', 'seed', 'demo'));
    await seedDemo(app.strapi);
    await seedDemo(app.strapi);
    expect(await counts()).toEqual(before);
    // Also item by item: with the month's flag forgotten, every decision is recognised by its
    // requestId and every sign-up by its address, and nothing is added.
    await seedModule().forgetMonthSeeded(app.strapi);
    expect(await seedModule().seedMonth(app.strapi)).toEqual({ consents: 0, subscribers: 0 });
    expect(await counts()).toEqual(before);
  });
});
