import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { adminClient, createAdmin } from '../helpers/admin';
import { ensureLocales, sampleLocales } from '../helpers/policies';

/**
 * The consent log at scale, on a small table: keyset pages by signed cursor (every record once,
 * ties on givenAt included, both ways), refused cursors, filters, exact and estimated totals,
 * and the daily rollups against a direct count of the records after inserts, an erasure and the
 * retention purge (its batches by range on expires_at).
 */
const RECORD = 'plugin::privacy-centre.consent-record';
const DAY = 24 * 3600 * 1000;
let app: TestStrapi;
let token: string;
let categories: Array<{ key: string; required: boolean }>;
const now = Date.now();
// Whole seconds, so that several records share one givenAt exactly.
const at = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);
const T1 = at(now - 3 * DAY);
const T2 = at(now - DAY);
// Expired more than retention.consentRecordDays (365) ago: the purge's (validity is 365 days).
const T0 = new Date(Math.floor((now - 740 * DAY) / DAY) * DAY + 10 * 3600_000); // 10:00 UTC: T0 + 1 h is the same day
const chains: Record<string, { consentId: string; subjectId: string }> = {};

const admin = () => adminClient(app, token);
const consents = () => app.strapi.plugin('privacy-centre').service('consents');
const facts = { ip: '203.0.113.9', userAgent: 'jest', gpc: false, referer: undefined };
const record = async (body: object, recordedAt: Date) => (await consents().record(body, facts, { recordedAt })).receipt;
const cookieRows = async () =>
  (await app.strapi.db.query(RECORD).findMany({ where: { kind: 'cookie' }, orderBy: [{ givenAt: 'desc' }, { id: 'desc' }] })) as any[];

beforeAll(async () => {
  app = await bootStrapi({ PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({ consentValidityDays: 365, consentLog: { exactTotalLimit: 5 } }) });
  await ensureLocales(app, ['fi']);
  token = (await createAdmin(app)).token;
  const draft = await admin().post('/policies/drafts', { slug: 'privacy-policy', locales: sampleLocales('p') });
  await admin().post(`/policies/drafts/${draft.body.data.documentId}/publish`);
  expect((await admin().post('/cookies/publish')).status).toBe(200);
  categories = (await app.http().get('/api/privacy-centre/cookies')).body.data.categories;
  const choices = [{}, { statistics: true }, { statistics: true, marketing: true, preferences: true }];
  // Nine decisions at one instant, seven continuations of them at another, five long expired.
  for (let i = 0; i < 9; i += 1) {
    const receipt = await record({ state: choices[i % 3] }, T1);
    chains[i] = { consentId: receipt.consentId, subjectId: receipt.subjectId };
  }
  for (let i = 0; i < 7; i += 1) {
    await record({ state: i % 2 ? { marketing: true } : {}, subjectId: chains[i].subjectId, previousConsentId: chains[i].consentId }, T2);
  }
  for (let i = 0; i < 5; i += 1) await record({ state: choices[i % 3] }, new Date(T0.getTime() + (i < 3 ? 0 : 3600_000)));
  // And one through the route, now.
  expect((await app.http().post('/api/privacy-centre/consents').send({ state: { marketing: true } })).status).toBe(201);
});
afterAll(async () => {
  await app?.close();
});

/** Every page from the first by `next`, then back by `previous`. */
async function walk(query: string) {
  const forward: any[][] = [];
  let cursor: string | null = null;
  let last: any;
  do {
    const response = await admin().get(`/consents?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(response.status).toBe(200);
    forward.push(response.body.data);
    last = response.body.meta.pagination;
    cursor = last.next;
  } while (cursor && forward.length < 50);
  const backward: any[][] = [forward.at(-1)!];
  cursor = last.previous;
  while (cursor && backward.length < 50) {
    const response = await admin().get(`/consents?${query}&cursor=${encodeURIComponent(cursor)}`);
    backward.unshift(response.body.data);
    cursor = response.body.meta.pagination.previous;
  }
  return { forward, backward };
}

describe('the consent log by cursor', () => {
  it('returns every record exactly once across pages, ties on givenAt included, newest first, and the same pages back', async () => {
    const expected = (await cookieRows()).map((r) => r.consentId);
    expect(expected.length).toBe(22);
    const { forward, backward } = await walk('pageSize=4');
    expect(forward.length).toBe(Math.ceil(expected.length / 4));
    expect(forward.flat().map((r) => r.consentId)).toEqual(expected);
    expect(backward.map((page) => page.map((r) => r.consentId))).toEqual(forward.map((page) => page.map((r) => r.consentId)));
    // Pages cut through the nine records that share T1.
    expect(forward.some((page) => page.some((r) => r.givenAt === T1.toISOString()) && page.some((r) => r.givenAt !== T1.toISOString()))).toBe(true);
    const first = (await admin().get('/consents?pageSize=4')).body.meta.pagination;
    expect(first.previous).toBeNull();
    expect(first.next).toEqual(expect.any(String));
  });

  it('filters by time range, action and category, page by page, as a direct query finds them', async () => {
    const from = new Date(T1.getTime() - 1000).toISOString();
    const to = new Date(T2.getTime() + 1000).toISOString();
    const query = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&action=updated&category=marketing&granted=true&pageSize=1`;
    const expected = (await cookieRows())
      .filter((r) => r.givenAt >= from && r.givenAt < to && r.action === 'updated' && r.state.marketing === true)
      .map((r) => r.consentId);
    expect(expected.length).toBe(3);
    const { forward } = await walk(query);
    expect(forward.flat().map((r) => r.consentId)).toEqual(expected);
    const given = await admin().get(`/consents?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&action=given&pageSize=100`);
    expect(given.body.data.map((r: any) => r.consentId)).toEqual((await cookieRows()).filter((r) => r.givenAt >= from && r.givenAt < to && r.action === 'given').map((r) => r.consentId));
  });

  it('refuses a changed, foreign or malformed cursor and a page number with 400, changing nothing', async () => {
    const before = await app.strapi.db.query(RECORD).count();
    const { next } = (await admin().get('/consents?pageSize=2')).body.meta.pagination;
    const [text, signature] = next.split('.');
    const [direction, givenAt, id] = JSON.parse(Buffer.from(text, 'base64url').toString());
    const moved = Buffer.from(JSON.stringify([direction, givenAt, id + 1])).toString('base64url');
    const flipped = `${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`;
    for (const cursor of [`${moved}.${signature}`, `${text}.${flipped}`, 'not-a-cursor', '', `${'A'.repeat(300)}.${signature}`, `${Buffer.from('[1,2]').toString('base64url')}.${signature}`]) {
      const response = await admin().get(`/consents?cursor=${encodeURIComponent(cursor)}`);
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(/cursor/);
    }
    const paged = await admin().get('/consents?page=2');
    expect(paged.status).toBe(400);
    expect(paged.body.error.message).toMatch(/cursor/);
    expect((await admin().get('/consents?page=1')).status).toBe(200);
    expect(await app.strapi.db.query(RECORD).count()).toBe(before);
  });
});

describe('the total', () => {
  const config = () => app.strapi.config.get('plugin::privacy-centre') as any;

  it('is exact up to consentLog.exactTotalLimit, and says so', async () => {
    const withdrawn = (await cookieRows()).filter((r) => r.action === 'withdrawn').length;
    expect(withdrawn).toBeLessThanOrEqual(5);
    const small = (await admin().get('/consents?action=withdrawn')).body.meta.pagination;
    expect(small).toMatchObject({ total: withdrawn, totalIsEstimate: false });
    const limit = config().consentLog.exactTotalLimit;
    config().consentLog.exactTotalLimit = 1000;
    try {
      expect((await admin().get('/consents')).body.meta.pagination).toMatchObject({ total: (await cookieRows()).length, totalIsEstimate: false });
    } finally {
      config().consentLog.exactTotalLimit = limit;
    }
  });

  it('a first page with no next one is its own exact total, whatever the estimate', async () => {
    const limit = config().consentLog.exactTotalLimit;
    config().consentLog.exactTotalLimit = 1;
    try {
      const rows = (await cookieRows()).length;
      const { total, totalIsEstimate, next } = (await admin().get(`/consents?pageSize=${Math.min(100, rows + 1)}`)).body.meta.pagination;
      expect(next).toBeNull();
      expect({ total, totalIsEstimate }).toEqual({ total: rows, totalIsEstimate: false });
    } finally {
      config().consentLog.exactTotalLimit = limit;
    }
  });

  it("past the limit, is the database's estimate on PostgreSQL and MySQL (flagged), counted on SQLite", async () => {
    const count = (await cookieRows()).length;
    const client = app.strapi.db.dialect.client;
    if (client === 'postgres') await app.strapi.db.connection.raw('ANALYZE privacy_centre_consent_records');
    // A page smaller than the table: a first page that holds everything is its own exact total.
    const { total, totalIsEstimate } = (await admin().get('/consents?pageSize=2')).body.meta.pagination;
    if (client === 'sqlite') {
      console.log('consent-log-scale: SQLite keeps no row estimate without ANALYZE: the total is counted');
      expect({ total, totalIsEstimate }).toEqual({ total: count, totalIsEstimate: false });
    } else {
      expect(totalIsEstimate).toBe(true);
      expect(total).toBeGreaterThan(5);
      // Freshly analysed, PostgreSQL's planner knows the table: its estimate is close.
      if (client === 'postgres') expect(Math.abs(total - count)).toBeLessThanOrEqual(Math.ceil(count * 0.2));
    }
  });
});

describe('the daily rollups', () => {
  /** Per day, what the overview says, counted from the records themselves. */
  const directCounts = async () => {
    const days: Record<string, any> = {};
    for (const row of await cookieRows()) {
      const day = (days[row.givenAt.slice(0, 10)] ??= { total: 0, acceptedAll: 0, refusedAll: 0, chose: 0, categories: {} });
      day.total += 1;
      const optional = categories.filter((c) => !c.required);
      const granted = optional.filter((c) => row.state[c.key]).length;
      day[granted === optional.length ? 'acceptedAll' : granted ? 'chose' : 'refusedAll'] += 1;
      for (const c of categories) {
        day.categories[c.key] ??= { granted: 0, refused: 0 };
        day.categories[c.key][row.state[c.key] ? 'granted' : 'refused'] += 1;
      }
    }
    return days;
  };
  const overview = async () => {
    const from = new Date(T0.getTime() - DAY).toISOString();
    const response = await admin().get(`/consents/stats?from=${encodeURIComponent(from)}&to=${encodeURIComponent(new Date().toISOString())}`);
    expect(response.status).toBe(200);
    return Object.fromEntries(response.body.data.days.map(({ day, ...rest }: any) => [day, rest]));
  };

  it('equal a direct count of the records after inserts and after an erasure', async () => {
    const counted = await directCounts();
    expect(Object.keys(counted).length).toBeGreaterThanOrEqual(4);
    expect(await overview()).toEqual(counted);
    const erased = await admin().post('/subjects/erase', { query: chains[1].subjectId, confirm: true });
    expect(erased.status).toBe(200);
    expect(erased.body.data.erased.consentRecords).toBeGreaterThanOrEqual(2);
    // An erasure empties the network, agent and source of the records; the decisions stay.
    expect(await overview()).toEqual(await directCounts());
  });

  it('after the purge (in batches by range, ties included): the days still held equal a direct count, purged days keep their count', async () => {
    const before = await directCounts();
    const purgedDay = T0.toISOString().slice(0, 10);
    expect(before[purgedDay].total).toBe(5);
    const config = app.strapi.config.get('plugin::privacy-centre') as any;
    const size = config.retention.consentRecordBatchSize;
    // Two per batch: the first batch's edge falls among three records expiring at one instant.
    config.retention.consentRecordBatchSize = 2;
    try {
      const result = await app.strapi.plugin('privacy-centre').service('retention').run();
      expect(result.consentRecords).toBe(5);
    } finally {
      config.retention.consentRecordBatchSize = size;
    }
    const after = await directCounts();
    expect(after[purgedDay]).toBeUndefined();
    expect(after).toEqual(Object.fromEntries(Object.entries(before).filter(([day]) => day !== purgedDay)));
    // The overview counts decisions made: anonymous counters outlive the records they counted.
    expect(await overview()).toEqual(before);
  });
});
