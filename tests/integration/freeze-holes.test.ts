import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { adminClient, createAdmin } from '../helpers/admin';
import { ensureLocales, sampleLocales } from '../helpers/policies';
import { ensureFrozenRows } from '../../server/src/db/frozen-rows';
import { policyVersionRows } from '../../server/src/guards/policy-version';
import { cookieDeclarationRows } from '../../server/src/guards/cookie-declaration';
import { consentRecordRows } from '../../server/src/guards/consent-record';
import { erasedEvidence } from '../../server/src/subjects/erasure';

/**
 * The holes below Strapi in the freeze of published versions, declaration revisions and consent
 * records (issue 14, section 3), each tried with raw SQL on the app's own connection (and with
 * strapi.db.query where Strapi has a path), on SQLite, PostgreSQL and MySQL/MariaDB: every one
 * is refused and leaves the rows exactly as they were; what no trigger can stop (MySQL's
 * TRUNCATE) is reported by the verification.
 */
const VERSIONS = 'privacy_centre_policy_versions';
const DECLARATIONS = 'privacy_centre_cookie_declarations';
const RECORDS = 'privacy_centre_consent_records';
const REFUSED = /frozen|proof of consent|UNIQUE key held/i;

let app: TestStrapi;
let token: string;
let client: string;
let version: any;
let draftId: number;
let newsletterRow: any;
let cookieRow: any;

const knex = () => app.strapi.db.connection;
const raw = (sql: string, bindings: unknown[] = []) => knex().raw(sql, bindings as any);
const reason = (promise: Promise<unknown>) =>
  Promise.resolve(promise).then(
    () => 'it went through',
    (error: Error) => error.message
  );
const admin = () => adminClient(app, token);
/** Everything the three frozen tables hold, to compare before and after each attempt. */
const everything = async () =>
  JSON.stringify(
    await Promise.all([VERSIONS, DECLARATIONS, RECORDS].map((table) => knex()(table).select('*').orderBy('id')))
  );
const rowOf = (table: string, id: number) => knex()(table).where({ id }).first();

const EVIDENCE = {
  list: 'default',
  method: 'double-opt-in',
  previousStatus: 'pending',
  confirmedFrom: { ipPrefix: '192.0.2.0', userAgent: 'Mail client' },
  message: { messageId: '<m1@example.test>', sha256: 'a'.repeat(64), text: 'Hello victim@example.test' },
};

beforeAll(async () => {
  app = await bootStrapi();
  client = app.strapi.db.dialect.client;
  await ensureLocales(app, ['fi', 'sv']);
  token = (await createAdmin(app)).token;
  const draft = await admin().post('/policies/drafts', { slug: 'privacy-policy', locales: sampleLocales('frozen') });
  version = (await admin().post(`/policies/drafts/${draft.body.data.documentId}/publish`)).body.data;
  expect(version.version).toBe(1);
  // A draft of the next version, whose key a REPLACE-style update could point at the frozen row.
  const next = await admin().post('/policies/drafts', { slug: 'privacy-policy', locales: sampleLocales('next') });
  draftId = (await knex()(VERSIONS).where({ document_id: next.body.data.documentId, locale: 'en' }).first()).id;
  expect((await admin().post('/cookies/publish')).status).toBe(200);
  const receipt = await app.http().post('/api/privacy-centre/consents').send({ state: { statistics: true }, subjectId: 'visitor-freeze-0001', requestId: 'req-1' });
  expect(receipt.status).toBe(201);
  cookieRow = await knex()(RECORDS).where({ consent_id: receipt.body.data.consentId }).first();
  // A double opt-in event as the newsletter writes it: who (subject_ref) and how (evidence).
  const now = new Date();
  await knex()(RECORDS).insert({
    document_id: 'freezeholesnewsletter0001', consent_id: 'nl-confirmed-1', kind: 'newsletter', action: 'confirmed',
    subject_ref: 'f'.repeat(64), given_at: now.toISOString(), ip_prefix: '192.0.2.0', user_agent: 'Browser', source_url: 'https://site.example/',
    language: 'fi', via: 'newsletter', evidence: JSON.stringify(EVIDENCE), created_at: now, updated_at: now, published_at: now,
  });
  newsletterRow = await knex()(RECORDS).where({ consent_id: 'nl-confirmed-1' }).first();
});
afterAll(async () => {
  await app?.close();
});

describe('writes that replace a frozen row', () => {
  let before: string;
  beforeEach(async () => {
    before = await everything();
  });
  afterEach(async () => {
    expect(await everything()).toBe(before);
  });

  const frozenVersion = () => knex()(VERSIONS).where({ document_id: version.documentId, locale: 'en' }).first();

  it('SQLite: INSERT OR REPLACE, REPLACE and UPDATE OR REPLACE on every unique key of every frozen table', async () => {
    if (client !== 'sqlite') return;
    const en = await frozenVersion();
    const attempts = [
      // by primary key
      [`INSERT OR REPLACE INTO ${VERSIONS} (id, document_id, locale, slug, title, lifecycle) VALUES (?, 'x', 'en', 'x', 'x', 'draft')`, [en.id]],
      // by (slug, version, locale), under a new id
      [`REPLACE INTO ${VERSIONS} (document_id, locale, slug, title, lifecycle, version, hash, effective_at, released_at) VALUES ('y', 'en', ?, 'forged', 'published', 1, 'h', 'e', 'r')`, [en.slug]],
      // a draft's key moved onto the frozen row's
      [`UPDATE OR REPLACE ${VERSIONS} SET version = 1, draft_key = NULL WHERE id = ?`, [draftId]],
      [`UPDATE OR REPLACE ${VERSIONS} SET id = ? WHERE id = ?`, [en.id, draftId]],
      [`INSERT OR REPLACE INTO ${DECLARATIONS} (document_id, revision, snapshot, hash, released_at) VALUES ('z', 1, '{}', 'h', 'r')`, []],
      [`REPLACE INTO ${DECLARATIONS} (id, document_id, revision, snapshot, hash, released_at) VALUES ((SELECT MIN(id) FROM ${DECLARATIONS}), 'z', 99, '{}', 'h', 'r')`, []],
      [`INSERT OR REPLACE INTO ${RECORDS} (document_id, consent_id, kind, action, given_at) VALUES ('w', ?, 'cookie', 'given', 'now')`, [cookieRow.consent_id]],
      [`REPLACE INTO ${RECORDS} (document_id, consent_id, kind, action, given_at, subject_id, request_id) VALUES ('w', 'fresh-id', 'cookie', 'given', 'now', ?, 'req-1')`, [cookieRow.subject_id]],
      [`REPLACE INTO ${RECORDS} (id, document_id, consent_id, kind, action, given_at) VALUES (?, 'w', 'fresh-id-2', 'newsletter', 'confirmed', 'now')`, [newsletterRow.id]],
      [`UPDATE OR REPLACE ${RECORDS} SET consent_id = ? WHERE id = ?`, [cookieRow.consent_id, newsletterRow.id]],
    ] as const;
    for (const [sql, bindings] of attempts) expect([sql, await reason(raw(sql, [...bindings]))]).toEqual([sql, expect.stringMatching(REFUSED)]);
  });

  it('INSERT … ON CONFLICT DO UPDATE (SQLite, PostgreSQL) and ON DUPLICATE KEY UPDATE / REPLACE (MySQL)', async () => {
    const en = await frozenVersion();
    const attempts: Array<[string, unknown[]]> =
      client === 'mysql'
        ? [
            [`INSERT INTO ${VERSIONS} (id, document_id, locale, slug, title, lifecycle) VALUES (?, 'x', 'en', 'x', 'x', 'draft') ON DUPLICATE KEY UPDATE title = 'changed'`, [en.id]],
            [`INSERT INTO ${RECORDS} (document_id, consent_id, kind, action, given_at) VALUES ('w', ?, 'newsletter', 'confirmed', 'now') ON DUPLICATE KEY UPDATE subject_ref = 'someone-else'`, [newsletterRow.consent_id]],
            [`INSERT INTO ${DECLARATIONS} (document_id, revision, snapshot, hash, released_at) VALUES ('z', 1, '{}', 'h', 'r') ON DUPLICATE KEY UPDATE hash = 'changed'`, []],
            // MySQL's REPLACE deletes the row holding the key, firing the DELETE trigger.
            [`REPLACE INTO ${VERSIONS} (id, document_id, locale, slug, title, lifecycle) VALUES (?, 'x', 'en', 'x', 'x', 'draft')`, [en.id]],
            [`REPLACE INTO ${RECORDS} (document_id, consent_id, kind, action, given_at) VALUES ('w', ?, 'cookie', 'given', 'now')`, [cookieRow.consent_id]],
            [`REPLACE INTO ${DECLARATIONS} (document_id, revision, snapshot, hash, released_at) VALUES ('z', 1, '{}', 'h', 'r')`, []],
          ]
        : [
            [`INSERT INTO ${VERSIONS} (id, document_id, locale, slug, title, lifecycle) VALUES (?, 'x', 'en', 'x', 'x', 'draft') ON CONFLICT (id) DO UPDATE SET title = 'changed'`, [en.id]],
            [`INSERT INTO ${RECORDS} (document_id, consent_id, kind, action, given_at) VALUES ('w', ?, 'newsletter', 'confirmed', 'now') ON CONFLICT (consent_id) DO UPDATE SET subject_ref = 'someone-else'`, [newsletterRow.consent_id]],
            [`INSERT INTO ${DECLARATIONS} (document_id, revision, snapshot, hash, released_at) VALUES ('z', 1, '{}', 'h', 'r') ON CONFLICT (revision) DO UPDATE SET hash = 'changed'`, []],
          ];
    for (const [sql, bindings] of attempts) expect([sql, await reason(raw(sql, bindings))]).toEqual([sql, expect.stringMatching(REFUSED)]);
  });

  it('TRUNCATE is refused on PostgreSQL; DELETE without WHERE everywhere (SQLite has no TRUNCATE)', async () => {
    if (client === 'postgres') {
      for (const table of [VERSIONS, DECLARATIONS, RECORDS]) {
        expect(await reason(raw(`TRUNCATE ${table}`))).toMatch(REFUSED);
        expect(await reason(raw(`TRUNCATE ${table} RESTART IDENTITY CASCADE`))).toMatch(REFUSED);
      }
    }
    for (const table of [VERSIONS, DECLARATIONS, RECORDS]) expect(await reason(raw(`DELETE FROM ${table}`))).toMatch(REFUSED);
  });

  it('strapi.db.query: createMany, updateMany and deleteMany of consent records', async () => {
    const query = app.strapi.db.query('plugin::privacy-centre.consent-record');
    expect(await reason(query.updateMany({ where: { id: newsletterRow.id }, data: { subjectRef: 'someone-else' } }))).toMatch(/written only by the plugin/);
    expect(await reason(query.updateMany({ where: { id: newsletterRow.id }, data: { evidence: { list: 'other' } } }))).toMatch(/written only by the plugin/);
    expect(await reason(query.deleteMany({ where: { id: newsletterRow.id } }))).toMatch(/proof of consent/);
    expect(await reason(query.createMany({ data: [{ consentId: cookieRow.consent_id, kind: 'cookie', action: 'given', givenAt: 'x' }] }))).toMatch(
      /written only by the plugin/
    );
  });
});

describe('every column of a consent record is evidence', () => {
  let before: string;
  beforeEach(async () => {
    before = await everything();
  });
  afterEach(async () => {
    expect(await everything()).toBe(before);
  });

  const update = (id: number, data: Record<string, unknown>) => reason(knex()(RECORDS).where({ id }).update(data));
  const erasedAt = '2030-01-01T00:00:00.000Z';

  it('who gave a double opt-in (subject_ref), its language and times cannot be rewritten', async () => {
    for (const data of [
      { subject_ref: 'e'.repeat(64) },
      { subject_ref: null },
      { language: 'en' },
      { document_id: 'another' },
      { created_at: new Date('2020-01-01T00:00:00Z') },
      { subject_id: 'someone-else' },
      { signature: 'forged' },
    ]) {
      expect([data, await update(newsletterRow.id, data)]).toEqual([data, expect.stringMatching(REFUSED)]);
    }
  });

  it('the personal details may only be blanked, not rewritten', async () => {
    for (const data of [{ ip_prefix: '203.0.113.0' }, { user_agent: 'Another' }, { source_url: 'https://evil.example/' }]) {
      expect([data, await update(newsletterRow.id, data)]).toEqual([data, expect.stringMatching(REFUSED)]);
    }
  });

  it('evidence changes only into its erased form, in the statement that blanks the details', async () => {
    const blank = { ip_prefix: null, user_agent: null, source_url: null };
    const erased = erasedEvidence(EVIDENCE, erasedAt);
    const attempts: Array<Record<string, unknown>> = [
      // a new confirmation origin, the rest kept
      { evidence: JSON.stringify({ ...EVIDENCE, confirmedFrom: { ipPrefix: '198.51.100.0' } }) },
      // the erased form, but without blanking the details
      { evidence: JSON.stringify(erased) },
      // erased, with the list changed
      { ...blank, evidence: JSON.stringify({ ...erased, list: 'another-list' }) },
      // erased, with a key added
      { ...blank, evidence: JSON.stringify({ ...erased, confirmedBy: 'someone-else' }) },
      // erased, with another message
      { ...blank, evidence: JSON.stringify({ ...erased, message: { messageId: '<forged@x>', sha256: erased.message.sha256 } }) },
      { ...blank, evidence: JSON.stringify({ ...erased, message: { ...erased.message, text: 'kept' } }) },
      // not erased at all
      { ...blank, evidence: JSON.stringify({ list: 'default', method: 'double-opt-in', previousStatus: 'pending' }) },
      { ...blank, evidence: null },
      { ...blank, evidence: JSON.stringify('a string') },
    ];
    for (const data of attempts) expect([data, await update(newsletterRow.id, data)]).toEqual([data, expect.stringMatching(REFUSED)]);
  });

  it('a cookie consent keeps its decision, its seal and its evidence', async () => {
    for (const data of [{ state: JSON.stringify({ necessary: true, statistics: false }) }, { given_at: '2020-01-01T00:00:00.000Z' }, { evidence: JSON.stringify({ note: 'x' }) }]) {
      expect([data, await update(cookieRow.id, data)]).toEqual([data, expect.stringMatching(REFUSED)]);
    }
  });
});

describe('what an erasure does still works', () => {
  it('blanks the details and keeps the evidence that proves the event, through the erasure itself', async () => {
    const subjects = app.strapi.plugin('privacy-centre').service('subjects');
    const erasedAt = new Date().toISOString();
    const result = await subjects.eraseRows({ emailHashes: [newsletterRow.subject_ref], subjectIds: [cookieRow.subject_id], consentId: null }, erasedAt);
    expect(result.consentRecords).toBe(2);
    const row = await rowOf(RECORDS, newsletterRow.id);
    expect(row).toMatchObject({ subject_ref: newsletterRow.subject_ref, language: 'fi', ip_prefix: null, user_agent: null, source_url: null });
    const evidence = typeof row.evidence === 'string' ? JSON.parse(row.evidence) : row.evidence;
    expect(evidence).toEqual(erasedEvidence(EVIDENCE, erasedAt));
    expect(JSON.stringify(evidence)).not.toContain('victim@');
    // Erased twice: nothing changes, and the first erasure's time stays.
    await subjects.eraseRows({ emailHashes: [newsletterRow.subject_ref], subjectIds: [], consentId: null }, new Date(Date.now() + 1000).toISOString());
    const again = await rowOf(RECORDS, newsletterRow.id);
    expect(typeof again.evidence === 'string' ? JSON.parse(again.evidence) : again.evidence).toEqual(evidence);
  });

  it('a retry of a consent with the same requestId is still answered with the first record (unique key on every database)', async () => {
    const before = await knex()(RECORDS).count({ n: '*' });
    const retry = await app.http().post('/api/privacy-centre/consents').send({ subjectId: cookieRow.subject_id, state: { statistics: true }, requestId: 'req-1' });
    expect(retry.status).toBeLessThan(300);
    expect(retry.body.data.consentId).toBe(cookieRow.consent_id);
    expect(await knex()(RECORDS).count({ n: '*' })).toEqual(before);
  });
});

describe('a locale added to a published version', () => {
  it('is refused at insert, whether it claims to be a draft or published with a seal (SQL and strapi.db.query)', async () => {
    const before = await everything();
    const en = await knex()(VERSIONS).where({ document_id: version.documentId, locale: 'en' }).first();
    const { id, locale, ...copy } = en;
    for (const row of [
      { ...copy, locale: 'sv' },
      { ...copy, locale: 'sv', lifecycle: 'draft', version: null, hash: null, draft_key: null },
    ]) {
      expect(await reason(knex()(VERSIONS).insert(row))).toMatch(REFUSED);
    }
    const query = app.strapi.db.query('plugin::privacy-centre.policy-version');
    const asStrapi = (await query.findOne({ where: { id: en.id } })) as any;
    const { id: _id, createdAt: _c, updatedAt: _u, ...data } = asStrapi;
    expect(await reason(query.createMany({ data: [{ ...data, locale: 'sv' }] }))).toMatch(/published and frozen|can only be set by publishing/);
    expect(await reason(query.create({ data: { documentId: version.documentId, locale: 'sv', slug: 'privacy-policy', title: 'x' } }))).toMatch(/published and frozen/);
    expect(await everything()).toBe(before);
    const served = await app.http().get('/api/privacy-centre/policies/privacy-policy/versions/1?locale=sv');
    expect(served.body.data?.locale).not.toBe('sv');
  });

  it('a draft row cannot be moved into the published version and sealed in one UPDATE', async () => {
    const before = await everything();
    const en = await knex()(VERSIONS).where({ document_id: version.documentId, locale: 'en' }).first();
    expect(
      await reason(
        knex()(VERSIONS).where({ id: draftId }).update({
          document_id: version.documentId, locale: 'sv', lifecycle: 'published', version: 1, hash: en.hash,
          effective_at: en.effective_at, released_at: en.released_at, draft_key: null,
        })
      )
    ).toMatch(REFUSED);
    expect(await everything()).toBe(before);
  });
});

describe('a wiped table is reported by the verification', () => {
  /**
   * MySQL runs no trigger on TRUNCATE; elsewhere the same loss comes from a DBA who drops the
   * triggers first. Either way the rows are gone below the plugin, and verify must say so.
   */
  it('names the versions, revisions and consent records that are gone', async () => {
    const verify = () => admin().post('/policies/verify');
    const clean = await verify();
    expect(clean.status).toBe(200);
    expect(clean.body.data).toMatchObject({ missing: [], missingRevisions: [], missingConsentRecords: null });
    const tables = [VERSIONS, DECLARATIONS, RECORDS];
    if (client === 'mysql') {
      for (const table of tables) await raw(`TRUNCATE ${table}`);
    } else {
      for (const [rule, table] of [[policyVersionRows, VERSIONS], [cookieDeclarationRows, DECLARATIONS], [consentRecordRows(365), RECORDS]] as const) {
        await ensureFrozenRows(app.strapi, rule, { allowDelete: true });
        await knex()(table).del();
      }
    }
    try {
      for (const table of tables) expect(Number((await knex()(table).count({ n: '*' }))[0].n)).toBe(0);
      const report = await verify();
      expect(report.status).toBe(200);
      expect(report.body.data.missing).toEqual([{ slug: 'privacy-policy', version: 1 }]);
      expect(report.body.data.missingRevisions).toEqual([1]);
      expect(report.body.data.missingConsentRecords).toEqual({ newestKnownGivenAt: newsletterRow.given_at });
      // New rows do not hide the loss.
      // 201 while this instance still holds the declaration it read before; 400 once it reads it
      // again and finds none (the declarations were wiped too); 500 if a write trips on the loss.
      const receipt = await app.http().post('/api/privacy-centre/consents').send({ state: {} });
      expect([201, 400, 500]).toContain(receipt.status);
      if (receipt.status === 400) expect(receipt.body.error.message).toMatch(/declaration/i);
      expect((await verify()).body.data.missingConsentRecords).toEqual({ newestKnownGivenAt: newsletterRow.given_at });
    } finally {
      const config = app.strapi.config.get('plugin::privacy-centre') as any;
      for (const rule of [policyVersionRows, cookieDeclarationRows, consentRecordRows(config.retention.consentRecordDays)]) {
        await ensureFrozenRows(app.strapi, rule, { allowDelete: false });
      }
    }
  });
});
