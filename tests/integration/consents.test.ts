import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { adminClient, createAdmin } from '../helpers/admin';
import { ensureLocales, sampleLocales } from '../helpers/policies';
import { actionUid } from '../../server/src/permissions/actions';

/**
 * Proof of consent: recording (both input shapes, text/plain, retries, GPC, Consent Mode),
 * receipts and their verification, what a receipt stands for later, group commit under load and
 * when the database fails, the consent log, its export and statistics, and the retention purge.
 */
const RECORD = 'plugin::privacy-centre.consent-record';
let app: TestStrapi;
let token: string;

beforeAll(async () => {
  app = await bootStrapi({ PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({ consentValidityDays: 365 }) });
  await ensureLocales(app, ['fi']);
  token = (await createAdmin(app)).token;
  const draft = await admin().post('/policies/drafts', { slug: 'privacy-policy', locales: sampleLocales('p') });
  await admin().post(`/policies/drafts/${draft.body.data.documentId}/publish`);
  expect((await admin().post('/cookies/publish')).status).toBe(200);
});
afterAll(async () => {
  await app?.close();
});

const admin = () => adminClient(app, token);
const consent = (body: unknown, headers: Record<string, string> = {}) => {
  const request = app.http().post('/api/privacy-centre/consents');
  for (const [name, value] of Object.entries(headers)) request.set(name, value);
  return typeof body === 'string' ? request.set('Content-Type', 'text/plain').send(body) : request.send(body as object);
};
const records = () => app.strapi.db.query(RECORD);
const rollupsOf = async () =>
  Object.fromEntries(
    (await app.strapi.db.query('plugin::privacy-centre.consent-rollup').findMany({})).map((r: any) => [`${r.day} ${r.metric}`, r.count])
  );

describe('the rate limit (first: its counters start empty)', () => {
  it('answers 429 with Retry-After past the rate limit of a client network', async () => {
    const config = app.strapi.config.get('plugin::privacy-centre') as any;
    const { max } = config.rateLimit;
    config.rateLimit.max = 3;
    try {
      const answers: Array<{ status: number; headers: Record<string, string>; body: any }> = [];
      for (let i = 0; i < 5; i += 1) answers.push(await app.http().get('/api/privacy-centre/consents/AAAAAAAAAAAAAAAAAAAAAB'));
      expect(answers.map((a) => a.status)).toEqual([404, 404, 404, 429, 429]);
      expect(Number(answers[3].headers['retry-after'])).toBeGreaterThan(0);
      expect(answers[3].body.error.name).toBe('RateLimitError');
    } finally {
      config.rateLimit.max = max;
    }
  });
});

describe('recording a consent', () => {
  it('answers 201 with a signed receipt: required granted, Consent Mode, policy and declaration shown', async () => {
    const response = await consent({ state: { statistics: true, marketing: false }, declarationRevision: 1, locale: 'fi' }, { Referer: 'https://site.example/page' });
    expect(response.status).toBe(201);
    const receipt = response.body.data;
    expect(receipt).toMatchObject({
      action: 'given',
      state: { necessary: true, preferences: false, statistics: true, marketing: false },
      gpc: { signal: false, refused: [] },
      previousConsentId: null,
      policy: { slug: 'privacy-policy', version: 1 },
      declaration: { revision: 1 },
    });
    expect(receipt.consentMode).toEqual({
      ad_storage: 'denied',
      ad_user_data: 'denied',
      ad_personalization: 'denied',
      analytics_storage: 'granted',
      functionality_storage: 'denied',
      personalization_storage: 'denied',
      security_storage: 'granted',
    });
    expect(receipt.consentId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(receipt.subjectId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Date.parse(receipt.expiresAt) - Date.parse(receipt.givenAt)).toBe(365 * 24 * 3600 * 1000);
    const row = await records().findOne({ where: { consentId: receipt.consentId } });
    expect(row).toMatchObject({ kind: 'cookie', ipPrefix: '127.0.0.0/24', sourceUrl: 'https://site.example/page', language: 'fi', via: 'plugin' });
    // The raw address is stored nowhere in the row.
    expect(JSON.stringify(row)).not.toContain('127.0.0.1');
  });

  it('takes the shape cookieconsent v3 gives its callbacks, also as text/plain (sendBeacon)', async () => {
    const cookieconsent = {
      consentId: '5b3c9a74-3f2e-4a8b-9d1f-2e6b7c8a9d0e',
      revision: 1,
      acceptType: 'custom',
      acceptedCategories: ['necessary', 'preferences'],
      rejectedCategories: ['statistics', 'marketing'],
      languageCode: 'en',
      consentTimestamp: '2026-11-23T10:00:00.000Z',
      lastConsentTimestamp: '2026-11-23T10:00:00.000Z',
    };
    const response = await consent(JSON.stringify(cookieconsent));
    expect(response.status).toBe(201);
    expect(response.body.data).toMatchObject({
      subjectId: cookieconsent.consentId,
      state: { necessary: true, preferences: true, statistics: false, marketing: false },
      declaration: { revision: 1 },
    });
    expect((await records().findOne({ where: { consentId: response.body.data.consentId } })).via).toBe('cookieconsent');
  });

  it('records Global Privacy Control: the categories it refuses are refused, and named', async () => {
    const response = await consent({ state: { statistics: true, marketing: true } }, { 'Sec-GPC': '1' });
    expect(response.status).toBe(201);
    expect(response.body.data).toMatchObject({
      state: { statistics: true, marketing: false },
      gpc: { signal: true, refused: ['marketing'] },
    });
    expect(response.body.data.consentMode.ad_storage).toBe('denied');
  });

  it('links a change to the earlier decision: updated, then withdrawn', async () => {
    const first = (await consent({ state: { statistics: true } })).body.data;
    const updated = await consent({ state: { statistics: true, preferences: true }, previousConsentId: first.consentId, subjectId: first.subjectId });
    expect(updated.body.data).toMatchObject({ action: 'updated', subjectId: first.subjectId, previousConsentId: first.consentId });
    const withdrawn = await consent({ state: {}, previousConsentId: updated.body.data.consentId, subjectId: first.subjectId });
    expect(withdrawn.body.data).toMatchObject({ action: 'withdrawn', state: { necessary: true, preferences: false, statistics: false } });
    const status = await app.http().get(`/api/privacy-centre/consents/${first.consentId}`);
    expect(status.body.data).toMatchObject({ status: 'superseded', reasons: ['superseded'], askAgain: false });
    const other = await consent({ state: {}, previousConsentId: first.consentId, subjectId: 'someone-else-entirely' });
    expect(other.status).toBe(400);
    expect(other.body.error.message).toMatch(/another subjectId/);
  });

  it('answers a retry (same subjectId and requestId) with the same receipt, never a second record', async () => {
    const body = { state: { statistics: true }, subjectId: 'visitor-retrying-0001', requestId: 'r-1' };
    const answers = await Promise.all([1, 2, 3, 4].map(() => consent(body)));
    const receipts = answers.map((a) => a.body.data);
    expect(new Set(receipts.map((r) => r.consentId)).size).toBe(1);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 201]);
    expect(receipts.every((r) => r.signature === receipts[0].signature)).toBe(true);
    expect(await records().count({ where: { subjectId: 'visitor-retrying-0001' } })).toBe(1);
    const changed = await consent({ ...body, state: { statistics: false } });
    expect(changed.status).toBe(409);
    expect(changed.body.error.message).toMatch(/retry must send the same body/);
  });

  it.each([
    ['a non-object body', '"yes"', /JSON object/],
    ['malformed JSON as text/plain', '{"state":', /JSON object/],
    ['a missing state', {}, /state is required/],
    ['a non-boolean choice', { state: { statistics: 'yes' } }, /true or false/],
    ['an unknown category', { state: { tracking: true } }, /unknown category tracking/],
    ['a malformed category key', { state: { 'Not A Key': true } }, /not a category key/],
    ['an unknown revision', { state: {}, declarationRevision: 99 }, /unknown declaration revision 99/],
    ['a revision that is not a number', { state: {}, declarationRevision: '1' }, /positive whole number/],
    ['a javascript: source', { state: {}, source: 'javascript:alert(1)' }, /http\(s\) URL/],
    ['an over-long source', { state: {}, source: `https://x.example/${'a'.repeat(3000)}` }, /http\(s\) URL/],
    ['a bad locale', { state: {}, locale: 'EN_us' }, /locale code/],
    ['a bad subjectId', { state: {}, subjectId: 'x' }, /subjectId/],
    ['a requestId without subjectId', { state: {}, requestId: 'r' }, /needs a subjectId/],
    ['an unknown previousConsentId', { state: {}, previousConsentId: 'AAAAAAAAAAAAAAAAAAAAAA', subjectId: 'a-browser-that-never-was' }, /not a recorded consent/],
    ['a continuation without its subjectId', { state: {}, previousConsentId: 'AAAAAAAAAAAAAAAAAAAAAA' }, /previousConsentId needs the subjectId/],
    ['an unknown policy', { state: {}, policy: { slug: 'no-such-policy' } }, /no version in force/],
    ['an unknown policy version', { state: {}, policy: { slug: 'privacy-policy', version: 7 } }, /no published version 7/],
    ['an unknown field', { state: {}, colour: 'red' }, /unknown field/],
    ['a category both accepted and rejected', { acceptedCategories: ['statistics'], rejectedCategories: ['statistics'] }, /both accepted and rejected/],
    ['deep nesting', { state: JSON.parse(`${'{"a":'.repeat(200)}true${'}'.repeat(200)}`) }, /not a category key|true or false/],
  ])('refuses %s with 400 and records nothing', async (_label, body, message) => {
    const before = await records().count();
    const response = await consent(body);
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(message);
    expect(await records().count()).toBe(before);
  });

  it.each([
    ['malformed JSON', 'application/json', '{"state": {'],
    ['a malformed multipart body', 'multipart/form-data; boundary=xyz', '--xyz\r\nContent-Disposition: form-data; name="state"\r\n\r\n{'],
    ['a multipart body without boundary', 'multipart/form-data', 'state=1'],
    ['a malformed form', 'application/x-www-form-urlencoded', '%E0%A4%A'],
  ])('answers %s with 400, not the 500 Strapi would', async (_label, type, body) => {
    const before = await records().count();
    const response = await app.http().post('/api/privacy-centre/consents').set('Content-Type', type).send(body);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ status: 400 });
    expect(await records().count()).toBe(before);
  });

  it('refuses a body over 16 KiB with 413, unread', async () => {
    const response = await consent({ state: {}, source: `https://x.example/?${'a'.repeat(20_000)}` });
    expect(response.status).toBe(413);
  });
});

describe('receipts', () => {
  let receipt: any;
  beforeAll(async () => {
    receipt = (await consent({ state: { preferences: true } })).body.data;
  });

  it('verifies: authentic and equal to the record', async () => {
    const answer = await app.http().post('/api/privacy-centre/consents/verify').send({ receipt });
    expect(answer.body.data).toEqual({ authentic: true, matchesRecord: true, reason: 'ok' });
  });

  it.each([
    ['a changed state', (r: any) => ({ ...r, state: { ...r.state, marketing: true } })],
    ['a changed date', (r: any) => ({ ...r, expiresAt: '2099-01-01T00:00:00.000Z' })],
    ['a changed signature', (r: any) => ({ ...r, signature: r.signature.replace(/^./, (c: string) => (c === 'A' ? 'B' : 'A')) })],
    ['a missing field', ({ gpc: _gpc, ...r }: any) => r],
  ])('refuses %s as not authentic', async (_label, change) => {
    const answer = await app.http().post('/api/privacy-centre/consents/verify').send({ receipt: change(receipt) });
    expect(answer.body.data).toEqual({ authentic: false, matchesRecord: false, reason: 'bad-signature' });
  });

  it('says why when it cannot tell', async () => {
    const malformed = await app.http().post('/api/privacy-centre/consents/verify').send({ receipt: 'nope' });
    expect(malformed.body.data.reason).toBe('malformed');
  });

  it('tells what a receipt stands for, without the IP prefix or user agent', async () => {
    const answer = await app.http().get(`/api/privacy-centre/consents/${receipt.consentId}`);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toMatchObject({ status: 'valid', askAgain: false, reasons: [], current: { declarationRevision: 1, policyVersion: 1 } });
    // The receipt as recorded, less what would let a holder of the consentId act as the browser.
    const { subjectId: _subjectId, signature: _signature, ...shown } = receipt;
    expect(answer.body.data.receipt).toEqual(shown);
    expect(JSON.stringify(answer.body)).not.toMatch(/127\.0\.0|ipPrefix|userAgent/);
    expect((await app.http().get('/api/privacy-centre/consents/not-an-id')).status).toBe(400);
    expect((await app.http().get('/api/privacy-centre/consents/AAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
  });

  it('asks again after a new declaration revision or a material policy change', async () => {
    await admin().put('/cookies/categories/preferences', { consentMode: ['functionality_storage'] });
    await admin().post('/cookies/publish');
    const draft = await admin().post('/policies/drafts', { slug: 'privacy-policy', from: 'latest', materialChange: true });
    // Taking effect now is less than the notice period: a reason is required (issue #18).
    expect((await admin().post(`/policies/drafts/${draft.body.data.documentId}/publish`, { noticeReason: 'test: immediate change' })).status).toBe(200);
    const answer = await app.http().get(`/api/privacy-centre/consents/${receipt.consentId}`);
    expect(answer.body.data).toMatchObject({ status: 'valid', askAgain: true, current: { declarationRevision: 2, policyVersion: 2 } });
    expect(answer.body.data.reasons.sort()).toEqual(['declaration-changed', 'policy-changed']);
  });

  // Receipts across a rotation of the secret: tests/integration/keys.test.ts.
});

describe('group commit', () => {
  it('500 concurrent consents: every 201 has its row, and the rollups equal the rows', async () => {
    const before = await rollupsOf();
    const answers = await Promise.all(
      Array.from({ length: 500 }, (_, i) => consent({ state: { statistics: i % 2 === 0, marketing: i % 3 === 0, preferences: i % 5 === 0 } }))
    );
    expect(answers.every((a) => a.status === 201)).toBe(true);
    const ids = answers.map((a) => a.body.data.consentId);
    expect(await records().count({ where: { consentId: { $in: ids } } })).toBe(500);
    // Every counter moved by exactly what the rows say.
    const after = await rollupsOf();
    const day = answers[0].body.data.givenAt.slice(0, 10);
    const delta = (metric: string) => (after[`${day} ${metric}`] ?? 0) - (before[`${day} ${metric}`] ?? 0);
    const rows = await records().findMany({ where: { consentId: { $in: ids } } });
    expect(delta('total')).toBe(500);
    for (const key of ['necessary', 'preferences', 'statistics', 'marketing']) {
      expect(delta(`granted:${key}`)).toBe(rows.filter((r: any) => r.state[key]).length);
      expect(delta(`refused:${key}`)).toBe(rows.filter((r: any) => !r.state[key]).length);
    }
    const optional = (r: any) => ['preferences', 'statistics', 'marketing'].filter((k) => r.state[k]).length;
    expect(delta('accepted-all')).toBe(rows.filter((r: any) => optional(r) === 3).length);
    expect(delta('refused-all')).toBe(rows.filter((r: any) => optional(r) === 0).length);
    expect(delta('chose')).toBe(rows.filter((r: any) => optional(r) === 1 || optional(r) === 2).length);
  });

  it('stores a batch exactly as the bound-parameter INSERTs do (on PostgreSQL it is one JSON parameter)', async () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { writeRecords } = require('../../server/src/services/consent-writer');
    const knex = app.strapi.db.connection;
    const id = () => require('node:crypto').randomBytes(16).toString('base64url');
    const now = new Date();
    const day = now.toISOString().slice(0, 10);
    // Values a JSON text could change: quotes, backslashes, a surrogate pair, control characters,
    // what looks like a placeholder, a boolean, numbers, NULLs, JSON held as text.
    const odd = 'a "quote" \\ back\\slash 😀 é\ttab\nline ? $1 :name ?? %s';
    const columns = (consentId: string) => ({
      consent_id: consentId,
      kind: 'cookie',
      action: 'given',
      subject_id: id(),
      previous_consent_id: null,
      chain_root: null,
      request_id: null,
      request_hash: null,
      state: JSON.stringify({ necessary: true, preferences: false, statistics: true, marketing: false }),
      consent_mode: JSON.stringify({ ad_storage: 'denied', analytics_storage: 'granted', note: odd }),
      gpc: true,
      gpc_refused: JSON.stringify([]),
      granted_list: ',necessary,statistics,',
      refused_list: ',marketing,preferences,',
      policy_slug: 'privacy-policy',
      policy_version: 2147483647,
      policy_hash: 'f'.repeat(64),
      declaration_revision: 1,
      declaration_hash: '0'.repeat(64),
      jurisdiction: 'EU',
      jurisdiction_model: 'opt-in',
      ip_prefix: '2001:db8::/48',
      // No line break here: the export test counts CSV lines.
      user_agent: odd.replace('\n', ' '),
      source_url: 'https://site.example/?q=%22&x=1#h',
      language: 'fi',
      via: 'api',
      given_at: now.toISOString(),
      expires_at: new Date(now.getTime() + 365 * 86_400_000).toISOString(),
      signature: `k1.${'A'.repeat(86)}`,
    });
    // The counters a real decision of that state adds (the stats test checks rollups equal rows).
    const rollups = ['total', 'granted:necessary', 'refused:preferences', 'granted:statistics', 'refused:marketing', 'chose'].map((metric) => ({ day, metric }));
    const [viaWriter, viaParameters] = [id(), id()];
    const before = Date.now();
    await app.strapi.plugin('privacy-centre').service('consent-writer').write({ columns: columns(viaWriter), rollups });
    await knex.transaction((trx: any) => writeRecords(trx, app.strapi.db.dialect.client, [{ columns: columns(viaParameters), rollups }]));
    const after = Date.now();
    const [a, b] = await Promise.all([viaWriter, viaParameters].map((consentId) => knex('privacy_centre_consent_records').where({ consent_id: consentId }).first()));
    const varying = ['id', 'document_id', 'consent_id', 'subject_id', 'created_at', 'updated_at', 'published_at'];
    const rest = (row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).filter(([key]) => !varying.includes(key)));
    expect(rest(a)).toEqual(rest(b));
    expect(Object.keys(rest(a)).length).toBeGreaterThan(20);
    expect(a.user_agent).toBe(odd.replace('\n', ' '));
    // Strapi reads the writer's time stamps back as the instant they were written, in any time zone.
    for (const row of [a, b]) {
      for (const column of ['created_at', 'updated_at', 'published_at']) {
        const at = new Date(row[column]).getTime();
        expect(at).toBeGreaterThanOrEqual(before - 1000);
        expect(at).toBeLessThanOrEqual(after + 1000);
      }
    }
    const stored = await records().findOne({ where: { consentId: viaWriter } });
    expect(new Date(stored.givenAt).getTime()).toBe(now.getTime());
    expect(stored.consentMode.note).toBe(odd);

    // A value longer than its column: refused by both or stored whole by both (SQLite keeps any
    // length), never cut short. An explicit cast to varchar(255) would cut it.
    const long = 'u'.repeat(300);
    const outcome = async (write: () => Promise<unknown>, consentId: string) => {
      const refused = await write().then(
        () => false,
        () => true
      );
      const row = await knex('privacy_centre_consent_records').where({ consent_id: consentId }).first();
      return refused ? (row ? 'refused but stored' : 'refused') : row?.user_agent === long ? 'stored whole' : `stored as ${row?.user_agent?.length} characters`;
    };
    const [longWriter, longParameters] = [id(), id()];
    const writer = await outcome(
      () => app.strapi.plugin('privacy-centre').service('consent-writer').write({ columns: { ...columns(longWriter), user_agent: long }, rollups }),
      longWriter
    );
    const parameters = await outcome(
      () => knex.transaction((trx: any) => writeRecords(trx, app.strapi.db.dialect.client, [{ columns: { ...columns(longParameters), user_agent: long }, rollups }])),
      longParameters
    );
    expect(writer).toBe(parameters);
    expect(['refused', 'stored whole']).toContain(writer);
    if (app.strapi.db.dialect.client === 'postgres') expect(writer).toBe('refused');
  });

  it('answers 503 to every request of a batch the database refuses, and writes none of it', async () => {
    const knex = app.strapi.db.connection;
    const before = await records().count();
    const rollups = await rollupsOf();
    // The rollup counters vanish for a moment: the batch's transaction fails at its last step.
    await knex.schema.renameTable('privacy_centre_consent_rollups', 'privacy_centre_consent_rollups_away');
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, () => consent({ state: { statistics: true } })));
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(503));
      expect(answers[0].body.error.message).toMatch(/could not be recorded just now/);
      expect(answers[0].headers['retry-after']).toBe('1');
    } finally {
      await knex.schema.renameTable('privacy_centre_consent_rollups_away', 'privacy_centre_consent_rollups');
    }
    expect(await records().count()).toBe(before);
    expect(await rollupsOf()).toEqual(rollups);
    expect((await consent({ state: {} })).status).toBe(201);
  });

});

describe('the consent log (admin)', () => {
  it('lists with filters and pagination, newest first', async () => {
    const gpc = await admin().get('/consents?gpc=true');
    expect(gpc.status).toBe(200);
    expect(gpc.body.data.length).toBeGreaterThanOrEqual(1);
    expect(gpc.body.data.every((r: any) => r.gpc.signal === true)).toBe(true);
    const refusedMarketing = await admin().get('/consents?category=marketing&granted=false&pageSize=5');
    expect(refusedMarketing.body.data).toHaveLength(5);
    expect(refusedMarketing.body.data.every((r: any) => r.state.marketing === false)).toBe(true);
    expect(refusedMarketing.body.meta.pagination).toMatchObject({ pageSize: 5, totalIsEstimate: false, previous: null });
    const withdrawn = await admin().get('/consents?action=withdrawn');
    expect(withdrawn.body.data.every((r: any) => r.action === 'withdrawn')).toBe(true);
    const all = await admin().get('/consents?pageSize=2');
    expect(Date.parse(all.body.data[0].givenAt)).toBeGreaterThanOrEqual(Date.parse(all.body.data[1].givenAt));
    expect(all.body.data[0]).toHaveProperty('ipPrefix');
    for (const bad of ['from=yesterday', 'action=maybe', 'gpc=yes', 'granted=true', 'revision=-1', 'category=Bad%20Key']) {
      expect((await admin().get(`/consents?${bad}`)).status).toBe(400);
    }
  });

  it('exports the filtered records as NDJSON and CSV, audited', async () => {
    const total = (await admin().get('/consents?category=statistics&granted=true&pageSize=1')).body.meta.pagination.total;
    const ndjson = await admin().get('/consents/export?format=ndjson&category=statistics&granted=true').buffer(true).parse((res, done) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk));
      res.on('end', () => done(null, text));
    });
    expect(ndjson.headers['content-disposition']).toMatch(/attachment; filename="consents-.*\.ndjson"/);
    const lines = String(ndjson.body).trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toHaveLength(total);
    expect(lines.every((r) => r.state.statistics === true)).toBe(true);
    const csv = await admin().get('/consents/export?format=csv&category=statistics&granted=true').buffer(true).parse((res, done) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk));
      res.on('end', () => done(null, text));
    });
    const rows = String(csv.body).trim().split('\n');
    expect(rows[0]).toMatch(/^consentId,subjectId,action,givenAt/);
    expect(rows).toHaveLength(total + 1);
    expect(await app.strapi.db.query('plugin::privacy-centre.audit-event').count({ where: { action: 'consents.export' } })).toBe(2);
    expect((await admin().get('/consents/export?format=xml')).status).toBe(400);
  });

  it('needs consents.export to export', async () => {
    const reader = (await createAdmin(app, [actionUid('consents', 'read')])).token;
    expect((await app.http().get('/privacy-centre/consents/export').set('Authorization', `Bearer ${reader}`)).status).toBe(403);
    expect((await app.http().get('/privacy-centre/consents').set('Authorization', `Bearer ${reader}`)).status).toBe(200);
  });

  it('counts per day from the rollups', async () => {
    const stats = await admin().get('/consents/stats');
    expect(stats.status).toBe(200);
    const today = stats.body.data.days.at(-1);
    const total = await records().count({ where: { kind: 'cookie' } });
    expect(today.total).toBe(total);
    expect(today.acceptedAll + today.refusedAll + today.chose).toBe(total);
    expect(today.categories.necessary.granted).toBe(total);
  });
});

describe('the retention purge', () => {
  it('deletes records past retention in batches, once whatever runs it, audited', async () => {
    const knex = app.strapi.db.connection;
    // 600 records that expired long ago (written as the writer would, with their dates moved).
    const expired = (await records().findMany({ limit: 600, orderBy: { id: 'asc' } })).map((r: any) => r.id);
    await knex('privacy_centre_consent_records').whereIn('id', expired).update({ expires_at: '2020-01-01T00:00:00.000Z' }).catch(async () => {
      // The database keeps a record's dates for good: as an administrator would, lift the rule first.
      for (const suffix of ['update']) {
        const name = `privacy_centre_consent_records_frozen_${suffix}`;
        await knex.raw(app.strapi.db.dialect.client === 'postgres' ? `DROP TRIGGER IF EXISTS ${name} ON privacy_centre_consent_records` : `DROP TRIGGER IF EXISTS ${name}`);
      }
      await knex('privacy_centre_consent_records').whereIn('id', expired).update({ expires_at: '2020-01-01T00:00:00.000Z' });
    });
    const before = await records().count();
    const retention = app.strapi.plugin('privacy-centre').service('retention');
    const [first, second] = await Promise.all([retention.run(), retention.run()]);
    const ran = [first, second].filter(Boolean);
    expect(ran).toHaveLength(1);
    expect(ran[0].consentRecords).toBe(expired.length);
    expect(await records().count()).toBe(before - expired.length);
    const event = await app.strapi.db.query('plugin::privacy-centre.audit-event').findOne({ where: { action: 'retention.purge' } });
    expect(event.details.consentRecords).toBe(expired.length);
    // Rollups are anonymous counters: they stay.
    expect((await admin().get('/consents/stats')).body.data.days.at(-1).total).toBeGreaterThan(await records().count());
  });
});
