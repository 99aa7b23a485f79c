import * as jsonld from 'jsonld';
import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { adminClient, createAdmin } from '../helpers/admin';
import { section } from '../helpers/policies';
import { startSmtp } from '../helpers/smtp';
import { checkBundle } from '../../server/src/subjects/evidence';
import { makeRequestToken } from '../../server/src/subjects/tokens';
import { actionUid } from '../../server/src/permissions/actions';

/**
 * Data subjects (issue #9), against a real SMTP server started here: finding everything about a
 * person and nothing about anyone else, the Art. 15 export with its ISO/IEC TS 27560 JSON-LD,
 * erasure checked against a dump of every table of the database, the evidence bundle, the
 * request register's due dates, and self-service requests by signed link.
 */
const SUBSCRIPTIONS = 'plugin::privacy-centre.newsletter-subscription';
const RECORDS = 'plugin::privacy-centre.consent-record';
const REQUESTS = 'plugin::privacy-centre.data-subject-request';
let app: TestStrapi;
/** The key that signs link tokens now (the keyring's newest link key). */
const linkKey = (): string => app.strapi.plugin('privacy-centre').service('keys').linkKey();
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let token: string;
let revision: number;

interface Person {
  email: string;
  subjectId: string;
  ip: string;
  ipPrefix: string;
  userAgent: string;
  reason: string;
  consentIds: string[];
  receipt?: Record<string, unknown>;
}
const anna: Person = {
  email: 'anna.dsr@example.fi',
  subjectId: 'anna-browser-0001',
  ip: '198.51.77.23',
  ipPrefix: '198.51.77.0/24',
  userAgent: 'AnnaBrowser/7.1 (unique-ua-anna)',
  reason: 'anna-wrote-this-unsubscribe-reason',
  consentIds: [],
};
const bob: Person = {
  email: 'bob.dsr@example.fi',
  subjectId: 'bob-browser-0002',
  ip: '203.0.99.45',
  ipPrefix: '203.0.99.0/24',
  userAgent: 'BobBrowser/3.3 (unique-ua-bob)',
  reason: 'bob-wrote-this-unsubscribe-reason',
  consentIds: [],
};

const admin = () => adminClient(app, token);
const api = () => app.http();
const linkIn = (text: string, path: string) => new RegExp(`https?://\\S+/${path}\\?token=[A-Za-z0-9_.-]+`).exec(text)?.[0];
const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;
const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;
const waitUntil = async (check: () => Promise<boolean>, ms = 15_000) => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
};

/** Signs a person up on a list with double opt-in, through the link in the message received. */
async function subscribe(person: Person, list: string) {
  const before = smtp.messagesTo(person.email).length;
  const answer = await api()
    .post('/api/privacy-centre/newsletter/subscribe')
    .set('X-Forwarded-For', person.ip)
    .set('User-Agent', person.userAgent)
    // The browser's receipt proves its subjectId: the sign-up is linked to its cookie consents.
    .send({ email: person.email, list, receipt: person.receipt, source: `https://northwind.example/news?from=${person.subjectId}` });
  expect(answer.status).toBe(202);
  await waitUntil(async () => smtp.messagesTo(person.email).length > before);
  const message = smtp.messagesTo(person.email)[before];
  const link = linkIn(message.parsed.text!, 'newsletter/confirm')!;
  const confirmed = await api().post('/api/privacy-centre/newsletter/confirm').set('X-Forwarded-For', person.ip).set('User-Agent', person.userAgent).send({ token: tokenOf(link) });
  expect(confirmed.status).toBe(200);
}

async function consent(person: Person, state: Record<string, boolean>) {
  const answer = await api()
    .post('/api/privacy-centre/consents')
    .set('X-Forwarded-For', person.ip)
    .set('User-Agent', person.userAgent)
    .set('Referer', `https://northwind.example/?visitor=${person.subjectId}`)
    .send({ state, declarationRevision: revision, subjectId: person.subjectId, ...(person.consentIds.length ? { previousConsentId: person.consentIds.at(-1) } : {}) });
  expect(answer.status).toBe(201);
  person.consentIds.push(answer.body.data.consentId);
  person.receipt = answer.body.data;
}

async function seed(person: Person) {
  await consent(person, { necessary: true, preferences: true, statistics: true, marketing: false });
  await consent(person, { necessary: true, preferences: false, statistics: true, marketing: false });
  await subscribe(person, 'default');
  await subscribe(person, 'members');
  const row = await app.strapi.plugin('privacy-centre').service('newsletter').subscriptionOf(person.email, 'members');
  const { unsubscribeUrl } = { unsubscribeUrl: await app.strapi.plugin('privacy-centre').service('newsletter').unsubscribeUrl(person.email, 'members') };
  const gone = await api().post(pathOf(unsubscribeUrl)).set('X-Forwarded-For', person.ip).send({ reason: person.reason });
  expect(gone.status).toBe(200);
  expect(row.list).toBe('members');
}

/** Every row of every table of the database, Strapi's own included, as one lower-case text. */
async function dumpDatabase(): Promise<string> {
  const knex = app.strapi.db.connection;
  const client = app.strapi.db.dialect.client;
  const tables: string[] =
    client === 'sqlite'
      ? (await knex.raw("SELECT name FROM sqlite_master WHERE type = 'table'")).map((r: any) => r.name)
      : client === 'postgres'
        ? (await knex.raw('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()')).rows.map((r: any) => r.name)
        : (await knex.raw('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()'))[0].map((r: any) => r.name ?? r.NAME ?? r.TABLE_NAME);
  expect(tables).toEqual(expect.arrayContaining(['privacy_centre_consent_records', 'privacy_centre_newsletter_subscriptions', 'strapi_core_store_settings']));
  const parts: string[] = [];
  for (const table of tables) parts.push(`${table}: ${JSON.stringify(await knex(table).select('*'))}`);
  return parts.join('\n').toLowerCase();
}

const traces = (person: Person) => [person.email, person.ipPrefix, person.userAgent, person.reason];

beforeAll(async () => {
  smtp = await startSmtp();
  app = await bootStrapi({
    SMTP_PORT: String(smtp.port),
    PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({ newsletter: { lists: ['default', 'members'], resendIntervalMinutes: 0 }, rateLimit: { enabled: false, windowSeconds: 60, max: 1000 } }),
  });
  // Behind a proxy, as production is: X-Forwarded-For names the visitor.
  (app.strapi.server.app as any).proxy = true;
  token = (await createAdmin(app)).token;
  const draft = await admin().post('/policies/drafts', {
    slug: 'privacy-policy',
    locales: {
      en: {
        title: 'Privacy policy',
        summary: 'First version',
        sections: [
          section('1. Purposes of processing', 'We send the newsletter you asked for, and measure visits with your consent.'),
          section('2. Recipients', 'Our mailing provider processes addresses for us.'),
          section('3. Retention', 'Consent records are kept 12 months after they expire.'),
          section('4. Your rights', 'You may access, export and erase your data at any time.'),
        ],
      },
    },
  });
  expect((await admin().post(`/policies/drafts/${draft.body.data.documentId}/publish`)).status).toBe(200);
  expect((await admin().post('/cookies/publish')).status).toBe(200);
  revision = (await api().get('/api/privacy-centre/cookies')).body.data.revision;
  expect(revision).toBe(1);
  await seed(anna);
  await seed(bob);
});
afterAll(async () => {
  await app?.close();
  await smtp?.close();
});

describe('finding a person', () => {
  const nothingOf = (text: string, person: Person) => {
    for (const trace of [...traces(person), person.subjectId, ...person.consentIds]) expect(text.toLowerCase()).not.toContain(trace.toLowerCase());
  };

  it('finds everything about a person by e-mail: both lists with their events and evidence, cookie consents, audit events; nothing of anyone else', async () => {
    // The domain is case-insensitive (the local part is not, as for the newsletter).
    const found = await admin().post('/subjects/search', { query: anna.email.replace('example.fi', 'EXAMPLE.FI') });
    expect(found.status).toBe(200);
    const data = found.body.data;
    expect(data).toMatchObject({ query: { kind: 'email' }, found: true, subject: { emails: [anna.email], subjectIds: [anna.subjectId] } });
    expect(data.subscriptions.map((s: any) => [s.list, s.status]).sort()).toEqual([['default', 'subscribed'], ['members', 'unsubscribed']]);
    const members = data.subscriptions.find((s: any) => s.list === 'members');
    expect(members.unsubscribeReason).toBe(anna.reason);
    expect(members.events.map((e: any) => e.action)).toEqual(['requested', 'confirmed', 'withdrawn']);
    const requested = members.events[0];
    expect(requested.evidence.message.text).toContain('/newsletter/confirm?token=');
    expect(requested.evidence.message.tokensWithheld).toBe(true);
    expect(requested.ipPrefix).toBe(anna.ipPrefix);
    expect(data.cookieConsents.map((c: any) => c.consentId)).toEqual(anna.consentIds);
    expect(data.cookieConsents[0]).toMatchObject({ userAgent: anna.userAgent, ipPrefix: anna.ipPrefix });
    nothingOf(JSON.stringify(data), bob);
  });

  it('finds the same person by subjectId, by consentId and by a pasted receipt', async () => {
    for (const [query, kind] of [
      [anna.subjectId, 'subjectId'],
      [anna.consentIds[0], 'consentId'],
      [JSON.stringify(anna.receipt), 'receipt'],
    ] as const) {
      const found = (await admin().post('/subjects/search', { query })).body.data;
      expect(found.query.kind).toBe(kind);
      expect(found.subject.emails).toEqual([anna.email]);
      expect(found.subscriptions).toHaveLength(2);
      expect(found.cookieConsents.map((c: any) => c.consentId)).toEqual(anna.consentIds);
      nothingOf(JSON.stringify(found), bob);
    }
  });

  it('audits every search by pseudonym, never by address, and finds those audit events for the person', async () => {
    const events = (await admin().get('/audit-events?pageSize=200')).body.results;
    const searches = events.filter((e: any) => e.action === 'subjects.search');
    expect(searches.length).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(searches)).not.toContain(anna.email);
    expect(searches.some((e: any) => e.target.includes(`subjectId ${anna.subjectId}`))).toBe(true);
    const found = (await admin().post('/subjects/search', { query: anna.email })).body.data;
    expect(found.auditEvents.filter((e: any) => e.action === 'subjects.search').length).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(found.auditEvents)).not.toContain(bob.subjectId);
  });

  it('refuses a query that is none of the four, and an unknown person is simply not found', async () => {
    for (const query of ['', 'not an email @', 'x', '{"broken"', { nested: { deep: true } }, ['a'], 42, null]) {
      const answer = await admin().post('/subjects/search', { query });
      expect(answer.status).toBe(400);
      expect(answer.body.error.message).toMatch(/query|receipt/);
    }
    const nobody = (await admin().post('/subjects/search', { query: 'nobody@example.org' })).body.data;
    expect(nobody).toMatchObject({ found: false, subscriptions: [], cookieConsents: [], requests: [] });
  });

  it('needs subjects.read to search, subjects.export to export, subjects.erase to erase', async () => {
    const reader = (await createAdmin(app, [actionUid('subjects', 'read')])).token;
    const as = (t: string) => (url: string, body: object) => app.http().post(`/privacy-centre${url}`).set('Authorization', `Bearer ${t}`).send(body);
    expect((await as(reader)('/subjects/search', { query: anna.email })).status).toBe(200);
    expect((await as(reader)('/subjects/export', { query: anna.email })).status).toBe(403);
    expect((await as(reader)('/subjects/erase', { query: anna.email, confirm: true })).status).toBe(403);
    expect((await as(reader)('/subjects/erasure-plan', { query: anna.email })).status).toBe(403);
  });
});

describe('the export (Art. 15 and 20)', () => {
  let document: any;

  it('is one JSON download with everything about the person, the explanations from the policy in force, and nothing of anyone else', async () => {
    const answer = await admin().post('/subjects/export', { query: anna.email });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-disposition']).toMatch(/attachment; filename="personal-data-\d{4}-\d{2}-\d{2}\.json"/);
    document = JSON.parse(answer.text);
    expect(document.subject).toEqual({ emails: [anna.email], subjectIds: [anna.subjectId] });
    expect(document.newsletter).toHaveLength(2);
    expect(document.cookieConsents).toHaveLength(2);
    expect(document.explanations.policy).toMatchObject({ slug: 'privacy-policy', version: 1 });
    expect(document.explanations.purposes[0].heading).toMatch(/Purposes/);
    expect(document.explanations.recipients[0].heading).toMatch(/Recipients/);
    expect(document.explanations.retention[0].heading).toMatch(/Retention/);
    expect(document.explanations.rights[0].heading).toMatch(/rights/);
    for (const trace of [...traces(bob), bob.subjectId, ...bob.consentIds]) expect(answer.text).not.toContain(trace);
    const audit = (await admin().get('/audit-events?pageSize=5')).body;
    expect(JSON.stringify(audit)).toContain('subjects.export');
  });

  it('holds the consent records as ISO/IEC TS 27560 records (DPV) that expand as JSON-LD without dropping a term', async () => {
    const graph = document.consentRecords;
    // No network: the context is inline, and a document that asks for a remote one fails here.
    const documentLoader = async (url: string) => {
      throw new Error(`no remote context may be needed: ${url}`);
    };
    // safe mode throws on any term or value the context does not define (lossy expansion).
    const expanded: any[] = await jsonld.expand(graph, { documentLoader, safe: true } as any);
    const records = expanded.filter((node) => node['@type']?.includes('https://w3id.org/dpv#ConsentRecord'));
    // 4 newsletter events per list (requested, confirmed, … withdrawn on one) and 2 cookie consents.
    expect(records.length).toBe(document.cookieConsents.length + document.newsletter.reduce((n: number, s: any) => n + s.events.length, 0));
    const cookie = records.find((node) => node['http://purl.org/dc/terms/identifier'][0]['@value'] === anna.consentIds[0]);
    expect(cookie['https://w3id.org/dpv#hasConsentStatus'][0]['@id']).toBe('https://w3id.org/dpv#ConsentGiven');
    const purposes = cookie['https://w3id.org/dpv#hasPurpose'];
    const marketing = purposes.find((p: any) => p['http://www.w3.org/2000/01/rdf-schema#label'][0]['@value'] === 'marketing');
    expect(marketing['https://w3id.org/dpv#hasConsentStatus'][0]['@id']).toBe('https://w3id.org/dpv#ConsentRefused');
    expect(cookie['https://w3id.org/dpv#hasNotice'].length).toBe(2);
    const withdrawn = records.filter((node) => node['https://w3id.org/dpv#hasConsentStatus'][0]['@id'] === 'https://w3id.org/dpv#ConsentWithdrawn');
    expect(withdrawn).toHaveLength(1);
    // A term outside the context is caught: the check can fail.
    await expect(jsonld.expand({ ...graph, '@graph': [{ ...graph['@graph'][0], madeUpTerm: 1 }] }, { documentLoader, safe: true } as any)).rejects.toThrow();
  });

  it('the consent log exports the same JSON-LD records, streamed (format=jsonld)', async () => {
    const answer = await admin().get('/consents/export?format=jsonld');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/application\/ld\+json/);
    const parsed = JSON.parse(answer.text);
    const expanded: any[] = await jsonld.expand(parsed, { safe: true, documentLoader: async () => { throw new Error('remote'); } } as any);
    expect(expanded.length).toBe(anna.consentIds.length + bob.consentIds.length);
  });
});

describe('the evidence file', () => {
  it('shows each record with the policy text and declaration revision shown, their hashes recomputed and matching', async () => {
    const answer = await admin().post('/subjects/evidence', { query: JSON.stringify(anna.receipt) });
    expect(answer.status).toBe(200);
    const evidence = answer.body.data;
    expect(evidence.checks.allHashesMatch).toBe(true);
    const cookie = evidence.records.find((r: any) => r.record.consentId === anna.consentIds[1]);
    expect(cookie.receipt.authentic).toBe(true);
    expect(cookie.policy).toMatchObject({ slug: 'privacy-policy', version: 1, matches: true });
    expect(cookie.policy.content.locales.en.sections[0].heading).toBe('1. Purposes of processing');
    expect(cookie.declaration).toMatchObject({ revision, matches: true });
    expect(cookie.declaration.snapshot.categories.map((c: any) => c.key)).toContain('statistics');
    const requested = evidence.records.find((r: any) => r.record.kind === 'newsletter' && r.record.action === 'requested');
    expect(requested.record.evidence.message.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(evidence.withdrawals.map((w: any) => w.action)).toEqual(['withdrawn']);
  });

  it('exports one self-contained bundle whose hashes check out, and a changed byte is detected', async () => {
    const answer = await admin().post('/subjects/evidence/bundle', { query: anna.email });
    expect(answer.status).toBe(200);
    const bundle = JSON.parse(answer.text);
    expect(checkBundle(bundle)).toEqual([]);
    // One changed character in the policy text shown: both the policy hash and the bundle hash fail.
    const tampered = JSON.parse(answer.text);
    const record = tampered.evidence.records.find((r: any) => r.policy);
    record.policy.content.locales.en.sections[0].markdown = record.policy.content.locales.en.sections[0].markdown.replace('newsletter', 'newsletteR');
    expect(checkBundle(tampered)).toEqual(expect.arrayContaining([expect.stringMatching(/bundle was changed/), expect.stringMatching(/policy text does not match/)]));
    // One changed byte anywhere else (a time in a record): the bundle hash fails.
    const shifted = JSON.parse(answer.text);
    shifted.evidence.records[0].record.givenAt = shifted.evidence.records[0].record.givenAt.replace(/.$/, (c: string) => (c === 'Z' ? 'z' : 'Z'));
    expect(checkBundle(shifted)).toEqual([expect.stringMatching(/bundle was changed/)]);
    // A declaration snapshot edited, with the bundle hash recomputed to hide it: still caught.
    const { hashContent } = await import('../../server/src/policy/canonical');
    const forged = JSON.parse(answer.text);
    const withDeclaration = forged.evidence.records.find((r: any) => r.declaration);
    withDeclaration.declaration.snapshot.categories[0].key = 'everything';
    forged.sha256 = hashContent(forged.evidence);
    expect(checkBundle(forged)).toEqual([expect.stringMatching(/declaration snapshot does not match/)]);
  });
});

describe('erasure (Art. 17)', () => {
  it('states what will be removed and kept, and refuses to run without confirm: true', async () => {
    const plan = (await admin().post('/subjects/erasure-plan', { query: anna.email })).body.data;
    expect(plan.counts).toEqual({ subscriptions: 2, consentRecords: 2 + 5, policyAcceptances: 0, requests: 0 });
    expect(plan.removes.join(' ')).toContain(anna.email);
    expect(plan.keeps.join(' ')).toMatch(/keyed hash/);
    const refused = await admin().post('/subjects/erase', { query: anna.email });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/confirm/);
    expect((await dumpDatabase()).includes(anna.email)).toBe(true);
  });

  it('removes the address, IP prefixes, user agents and reasons from every table of the database, keeping pseudonymous proof; nobody else is touched', async () => {
    const before = await dumpDatabase();
    for (const trace of traces(anna)) expect(before).toContain(trace.toLowerCase());
    const answer = await admin().post('/subjects/erase', { query: anna.email, confirm: true });
    expect(answer.status).toBe(200);
    expect(answer.body.data.erased).toMatchObject({ subscriptions: 2 });
    const after = await dumpDatabase();
    for (const trace of traces(anna)) expect(after).not.toContain(trace.toLowerCase());
    for (const trace of traces(bob)) expect(after).toContain(trace.toLowerCase());
    // The proof stays: every consent record, with its decision, hashes and seal.
    const records = await app.strapi.db.query(RECORDS).findMany({ where: { subjectId: anna.subjectId } });
    expect(records.length).toBeGreaterThanOrEqual(2 + 5);
    for (const record of records) {
      expect(record).toMatchObject({ ipPrefix: null, userAgent: null, sourceUrl: null });
      expect(record.givenAt).toBeTruthy();
      expect(record.state).toBeTruthy();
    }
    const cookie = records.find((r: any) => r.consentId === anna.consentIds[0]);
    expect(cookie.signature).toBe(anna.receipt && (await app.strapi.db.query(RECORDS).findOne({ where: { consentId: anna.consentIds[0] } })).signature);
    // The receipt the browser holds still verifies against the record.
    const verified = await api().post('/api/privacy-centre/consents/verify').send({ receipt: anna.receipt });
    expect(verified.body.data ?? verified.body).toMatchObject({ authentic: true, matchesRecord: true });
    // Active subscriptions ended with a withdrawn event; the audit keeps the fact without the address.
    const rows = await app.strapi.db.query(SUBSCRIPTIONS).findMany({ where: { subjectId: anna.subjectId } });
    expect(rows.map((r: any) => [r.status, r.email])).toEqual([['unsubscribed', null], ['unsubscribed', null]]);
    const audit = JSON.stringify((await admin().get('/audit-events?pageSize=10')).body);
    expect(audit).toContain('subjects.erase');
    expect(audit).not.toContain(anna.email);
    // Searching the subjectId still finds the pseudonymous proof, and no address.
    const found = (await admin().post('/subjects/search', { query: anna.subjectId })).body.data;
    expect(found.subject.emails).toEqual([]);
    expect(found.cookieConsents).toHaveLength(2);
  });

  it('a later sign-up of the erased address is recognised and goes through double opt-in again', async () => {
    const erasedRow = await app.strapi.db.query(SUBSCRIPTIONS).findOne({ where: { list: 'default', subjectId: anna.subjectId } });
    expect(erasedRow.email).toBeNull();
    const before = smtp.messagesTo(anna.email).length;
    expect((await api().post('/api/privacy-centre/newsletter/subscribe').send({ email: anna.email })).status).toBe(202);
    await waitUntil(async () => smtp.messagesTo(anna.email).length > before);
    const rows = await app.strapi.db.query(SUBSCRIPTIONS).findMany({ where: { list: 'default', email: anna.email } });
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe('pending');
    // The same row (the keyed hash recognised the address), not a second one.
    expect(rows[0].documentId).toBe(erasedRow.documentId);
  });
});

describe('the request register', () => {
  it('registers a request due one calendar month after receipt, extends it with a reason by at most two months', async () => {
    const created = await admin().post('/subjects/requests', { type: 'access', email: 'Carol@Example.org', receivedAt: '2026-01-31T10:00:00.000Z', verification: 'ID shown at the desk' });
    expect(created.status).toBe(201);
    const request = created.body.data;
    expect(request).toMatchObject({ type: 'access', email: 'Carol@example.org', status: 'verified', dueAt: '2026-02-28T10:00:00.000Z', overdue: true });
    const noReason = await admin().post(`/subjects/requests/${request.documentId}/extend`, { months: 1 });
    expect(noReason.status).toBe(400);
    const extended = await admin().post(`/subjects/requests/${request.documentId}/extend`, { months: 1, reason: 'Many requests at once' });
    expect(extended.body.data).toMatchObject({ dueAt: '2026-03-31T10:00:00.000Z', extensionReason: 'Many requests at once' });
    const tooLong = await admin().post(`/subjects/requests/${request.documentId}/extend`, { months: 2, reason: 'More' });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toMatch(/at most 2 months/);
    const last = await admin().post(`/subjects/requests/${request.documentId}/extend`, { months: 1, reason: 'Complex' });
    expect(last.body.data.dueAt).toBe('2026-04-30T10:00:00.000Z');
  });

  it('lists open requests overdue first, and counts them for the overview', async () => {
    const soon = (await admin().post('/subjects/requests', { type: 'objection', subjectId: 'dave-browser-0004' })).body.data;
    const old = (await admin().post('/subjects/requests', { type: 'rectification', email: 'erin@example.org', receivedAt: '2025-12-01T00:00:00.000Z' })).body.data;
    const list = (await admin().get('/subjects/requests')).body;
    const ids = list.data.map((r: any) => r.documentId);
    expect(ids.indexOf(old.documentId)).toBeLessThan(ids.indexOf(soon.documentId));
    const dues = list.data.map((r: any) => Date.parse(r.dueAt));
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
    expect(list.data.find((r: any) => r.documentId === old.documentId).overdue).toBe(true);
    expect(list.data.find((r: any) => r.documentId === soon.documentId).overdue).toBe(false);
    const summary = (await admin().get('/subjects/requests/summary')).body.data;
    expect(summary.open).toBe(list.meta.pagination.total);
    expect(summary.overdue).toBeGreaterThanOrEqual(2);
    expect(summary.nextDueAt).toBe(old.dueAt);
  });

  it('refusing needs a reason; a closed request stays closed; bad input is a 400 that changes nothing', async () => {
    const request = (await admin().post('/subjects/requests', { type: 'erasure', email: 'frank@example.org' })).body.data;
    expect((await admin().put(`/subjects/requests/${request.documentId}`, { status: 'refused' })).status).toBe(400);
    const refused = await admin().put(`/subjects/requests/${request.documentId}`, { status: 'refused', refusalReason: 'Identity could not be verified' });
    expect(refused.body.data).toMatchObject({ status: 'refused', refusalReason: 'Identity could not be verified' });
    expect(refused.body.data.actions.at(-1).what).toMatch(/received → refused/);
    expect((await admin().put(`/subjects/requests/${request.documentId}`, { status: 'in-progress' })).status).toBe(400);
    const count = await app.strapi.db.query(REQUESTS).count();
    for (const body of [{}, { type: 'delete-me', email: 'a@b.fi' }, { type: 'access' }, { type: 'access', email: 'nope' }, { type: 'access', email: 'a@b.fi', extra: 1 }, { type: 'access', email: 'a@b.fi', receivedAt: '2099-01-01T00:00:00Z' }]) {
      const answer = await admin().post('/subjects/requests', body);
      expect(answer.status).toBe(400);
      expect(answer.body.error.name).toBe('ValidationError');
    }
    expect(await app.strapi.db.query(REQUESTS).count()).toBe(count);
    expect((await admin().get('/subjects/requests/nope')).status).toBe(404);
  });
});

describe('self-service requests by signed link', () => {
  const gina: Person = { ...bob, email: 'gina.dsr@example.fi', subjectId: 'gina-browser-0007', ip: '192.0.2.77', ipPrefix: '192.0.2.0/24', userAgent: 'GinaBrowser/1 (unique-ua-gina)', reason: 'gina-reason', consentIds: [] };

  const ask = (email: string, type: string) => api().post('/api/privacy-centre/requests').send({ email, type });
  const linkFor = async (email: string, count: number) => {
    await waitUntil(async () => smtp.messagesTo(email).length >= count);
    return linkIn(smtp.messagesTo(email)[count - 1].parsed.text!, 'requests/confirm')!;
  };

  it('answers byte-identical 202s for known and unknown addresses, and refuses malformed input', async () => {
    await subscribe(gina, 'default');
    const known = await ask(gina.email, 'access');
    const unknown = await ask('nobody-at-all@example.net', 'access');
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(known.text).toBe(unknown.text);
    expect(known.headers['content-type']).toBe(unknown.headers['content-type']);
    for (const body of [{ email: 'x', type: 'access' }, { email: gina.email, type: 'rectification' }, { email: gina.email, type: 'access', extra: 1 }, [], 'text']) {
      const answer = await api().post('/api/privacy-centre/requests').send(body as object);
      expect(answer.status).toBe(400);
    }
  });

  it('bad input to the public request routes is a clear 4xx that changes nothing', async () => {
    const tables = async () => [await app.strapi.db.query(REQUESTS).count(), await app.strapi.db.query('plugin::privacy-centre.audit-event').count()];
    // The previous test's requests are processed after their answer: let them finish first.
    await waitUntil(async () => smtp.messagesTo(gina.email).length >= 2 && smtp.messagesTo('nobody-at-all@example.net').length >= 1);
    const before = await tables();
    const bodies: unknown[] = [
      {}, { email: gina.email }, { type: 'access' }, { email: 42, type: 'access' }, { email: [gina.email], type: 'access' },
      { email: gina.email, type: ['access'] }, { email: { $ne: null }, type: 'access' }, { email: gina.email, type: 'access', locale: 'x'.repeat(100) },
      { email: `${'a'.repeat(300)}@example.fi`, type: 'access' }, { email: `a@b.fi${' '.repeat(5000)}x`, type: 'access' },
      JSON.parse(`${'{"a":'.repeat(500)}1${'}'.repeat(500)}`),
    ];
    for (const body of bodies) {
      const answer = await api().post('/api/privacy-centre/requests').send(body as object);
      expect(answer.status).toBe(400);
      expect(answer.body.error.message).toBeTruthy();
    }
    const huge = await api().post('/api/privacy-centre/requests').set('Content-Type', 'application/json').send(JSON.stringify({ email: gina.email, type: 'access', pad: 'x'.repeat(40_000) }));
    expect(huge.status).toBe(413);
    for (const token of ['', 'x', 'a.b', 'a'.repeat(600), makeRequestToken('another-secret-0123456789abcdef0123456', { r: 'nope', e: 9_999_999_999 })]) {
      expect((await api().get(`/api/privacy-centre/requests/confirm?token=${encodeURIComponent(token)}`)).status).toBe(400);
      const posted = await api().post('/api/privacy-centre/requests/confirm').send({ token });
      expect(posted.status).toBe(400);
      expect(posted.body.error.name).toBe('InvalidLinkError');
    }
    // A genuine token for a request that does not exist.
    const unknown = makeRequestToken(linkKey(), { r: 'doesnotexist0000000000000', e: Math.floor(Date.now() / 1000) + 60 });
    expect((await api().post('/api/privacy-centre/requests/confirm').send({ token: unknown })).status).toBe(400);
    expect(await tables()).toEqual(before);
  });

  it('access: the link GET changes nothing; tampered and expired links are refused; the POST sends the export as an attachment', async () => {
    const link = await linkFor(gina.email, 2); // 1: the newsletter confirmation, 2: the request
    const row = await app.strapi.db.query(REQUESTS).findOne({ where: { email: gina.email, type: 'access' } });
    expect(row).toMatchObject({ status: 'received', origin: 'self-service' });
    const page = await api().get(pathOf(link));
    expect(page.status).toBe(200);
    expect(page.text).toContain('<form method="post"');
    expect((await app.strapi.db.query(REQUESTS).findOne({ where: { id: row.id } })).status).toBe('received');
    const tampered = `${link.slice(0, -3)}${link.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    expect((await api().get(pathOf(tampered))).status).toBe(400);
    expect((await api().post('/api/privacy-centre/requests/confirm').send({ token: tokenOf(tampered) })).status).toBe(400);
    const expired = makeRequestToken(linkKey(), { r: row.documentId, e: Math.floor(Date.now() / 1000) - 60 });
    const expiredAnswer = await api().post('/api/privacy-centre/requests/confirm').send({ token: expired });
    expect(expiredAnswer.status).toBe(400);
    expect(expiredAnswer.body.error.name).toBe('ExpiredLinkError');
    expect((await app.strapi.db.query(REQUESTS).findOne({ where: { id: row.id } })).status).toBe('received');

    const done = await api().post('/api/privacy-centre/requests/confirm').type('form').send({ token: tokenOf(link) });
    expect(done.status).toBe(200);
    expect(done.text).toContain('Your data is on its way');
    await waitUntil(async () => smtp.messagesTo(gina.email).length >= 3);
    const message = smtp.messagesTo(gina.email)[2];
    const attachment = message.parsed.attachments.find((a) => a.contentType === 'application/json')!;
    const exported = JSON.parse(attachment.content.toString('utf8'));
    expect(exported.subject.emails).toEqual([gina.email]);
    expect(exported.newsletter).toHaveLength(1);
    expect(JSON.stringify(exported)).not.toContain(bob.email);
    const completed = await app.strapi.db.query(REQUESTS).findOne({ where: { id: row.id } });
    expect(completed).toMatchObject({ status: 'completed', verification: expect.stringMatching(/e-mail link/) });
    // The same link again: nothing more happens.
    expect((await api().post('/api/privacy-centre/requests/confirm').send({ token: tokenOf(link) })).body.data.status).toBe('completed');
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.messagesTo(gina.email)).toHaveLength(3);
  });

  it('erasure: the link erases the person and confirms by e-mail; every step is in the register', async () => {
    expect((await ask(gina.email, 'erasure')).status).toBe(202);
    const link = await linkFor(gina.email, 4);
    expect((await api().get(pathOf(link))).text).toMatch(/cannot be undone/);
    const done = await api().post('/api/privacy-centre/requests/confirm').send({ token: tokenOf(link) });
    expect(done.body.data).toMatchObject({ status: 'completed', type: 'erasure' });
    await waitUntil(async () => smtp.messagesTo(gina.email).length >= 5);
    expect(smtp.messagesTo(gina.email)[4].parsed.subject).toBe('Your data is erased');
    const dump = await dumpDatabase();
    expect(dump).not.toContain(gina.email);
    expect(dump).not.toContain(gina.userAgent.toLowerCase());
    const requests = await app.strapi.db.query(REQUESTS).findMany({ where: { subjectId: null, origin: 'self-service', type: 'erasure' } });
    const erasure = requests.find((r: any) => r.status === 'completed');
    expect(erasure.email).toBeNull();
    expect(erasure.actions.map((a: any) => a.what).join(' | ')).toMatch(/received.*verified.*carrying out.*erased/);
  });

  it('with the approval setting on, a verified request waits for an administrator, who carries it out', async () => {
    const current = (await admin().get('/settings')).body.data;
    expect((await admin().put('/settings', { controller: current.settings.controller, subjects: { selfServiceApproval: true } })).status).toBe(200);
    const email = 'hanna.dsr@example.fi';
    expect((await ask(email, 'access')).status).toBe(202);
    const link = await linkFor(email, 1);
    const waiting = await api().post('/api/privacy-centre/requests/confirm').send({ token: tokenOf(link) });
    expect(waiting.body.data.status).toBe('waiting-for-approval');
    const row = await app.strapi.db.query(REQUESTS).findOne({ where: { email } });
    expect(row).toMatchObject({ status: 'verified', awaitingApproval: true });
    expect(smtp.messagesTo(email)).toHaveLength(1);
    const carried = await admin().post(`/subjects/requests/${row.documentId}/carry-out`);
    expect(carried.status).toBe(200);
    expect(carried.body.data).toMatchObject({ status: 'completed', awaitingApproval: false });
    await waitUntil(async () => smtp.messagesTo(email).length >= 2);
    await admin().put('/settings', { controller: current.settings.controller, subjects: { selfServiceApproval: false } });
  });
});

describe('retention uses the same erasure', () => {
  it('erases an address unsubscribed past retention from its events too, and closes self-service requests whose link was never used', async () => {
    const ivan: Person = { ...bob, email: 'ivan.dsr@example.fi', subjectId: 'ivan-browser-0009', ip: '192.0.2.201', ipPrefix: '192.0.2.0/24', userAgent: 'IvanBrowser/2 (unique-ua-ivan)', reason: 'ivan-reason-text', consentIds: [] };
    await subscribe(ivan, 'default');
    const url = await app.strapi.plugin('privacy-centre').service('newsletter').unsubscribeUrl(ivan.email, 'default');
    expect((await api().post(pathOf(url)).send({ reason: ivan.reason })).status).toBe(200);
    expect((await api().post('/api/privacy-centre/requests').send({ email: 'never-clicks@example.net', type: 'erasure' })).status).toBe(202);
    await waitUntil(async () => smtp.messagesTo('never-clicks@example.net').length === 1);
    const knex = app.strapi.db.connection;
    const old = '2020-01-01T00:00:00.000Z';
    await knex('privacy_centre_newsletter_subscriptions').where({ email: ivan.email }).update({ unsubscribed_at: old });
    await knex('privacy_centre_data_subject_requests').where({ email: 'never-clicks@example.net' }).update({ received_at: old });
    const result = await app.strapi.plugin('privacy-centre').service('retention').run();
    expect(result).toMatchObject({ unsubscribedAddressesPseudonymised: 1, unconfirmedRequestsClosed: 1 });
    const dump = await dumpDatabase();
    for (const trace of [ivan.email, ivan.userAgent, ivan.reason, 'never-clicks@example.net']) expect(dump).not.toContain(trace.toLowerCase());
    const closed = await app.strapi.db.query(REQUESTS).findOne({ where: { origin: 'self-service', status: 'refused', refusalReason: { $contains: 'not used' } } });
    expect(closed).toMatchObject({ email: null, type: 'erasure' });
    expect(closed.emailHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('attacks on the links between people', () => {
  const victim: Person = { ...bob, email: 'vera.victim@example.fi', subjectId: 'vera-browser-0010', ip: '192.0.2.110', ipPrefix: '192.0.2.0/24', userAgent: 'VeraBrowser/9 (unique-ua-vera)', reason: 'vera-reason', consentIds: [] };
  const mallory: Person = { ...bob, email: 'mallory@evil.example', subjectId: 'mallory-device-0001', ip: '203.0.113.9', ipPrefix: '203.0.113.0/24', userAgent: 'MalloryBrowser', reason: 'm', consentIds: [] };

  beforeAll(async () => {
    await consent(victim, { necessary: true, preferences: true, statistics: false, marketing: false });
    await subscribe(victim, 'default');
    // Mallory signs the victim up on another list with Mallory's own browser (its receipt; never
    // confirmed), and tries to sign up and confirm Mallory's address with the victim's browser id,
    // which the site refuses: a bare id proves nothing.
    await consent(mallory, { necessary: true, preferences: false, statistics: false, marketing: false });
    expect((await api().post('/api/privacy-centre/newsletter/subscribe').send({ email: victim.email, list: 'members', receipt: mallory.receipt })).status).toBe(202);
    await waitUntil(async () => smtp.messagesTo(victim.email).length >= 2);
    expect((await api().post('/api/privacy-centre/newsletter/subscribe').send({ email: mallory.email, subjectId: victim.subjectId })).status).toBe(400);
    await subscribe({ ...mallory, receipt: undefined }, 'default');
  });

  it('a self-service export holds only what the mailbox proves: nothing of the victim', async () => {
    const before = smtp.messagesTo(mallory.email).length;
    expect((await api().post('/api/privacy-centre/requests').send({ email: mallory.email, type: 'access' })).status).toBe(202);
    await waitUntil(async () => smtp.messagesTo(mallory.email).length > before);
    const link = linkIn(smtp.messagesTo(mallory.email).at(-1)!.parsed.text!, 'requests/confirm')!;
    expect((await api().post('/api/privacy-centre/requests/confirm').send({ token: tokenOf(link) })).body.data.status).toBe('completed');
    await waitUntil(async () => smtp.messagesTo(mallory.email).length > before + 1);
    const attachment = smtp.messagesTo(mallory.email).at(-1)!.parsed.attachments[0];
    const text = attachment.content.toString('utf8');
    expect(JSON.parse(text).subject.emails).toEqual([mallory.email]);
    for (const trace of [victim.email, victim.userAgent, victim.ipPrefix, ...victim.consentIds]) expect(text).not.toContain(trace);
    expect(JSON.parse(text).cookieConsents).toEqual([]);
    // The copy sent to a person names no administrator.
    expect(text).not.toMatch(/admin\d+\.\d+@example\.com/);
  });

  it('an admin search of the victim follows only confirmed links: Mallory\'s unconfirmed sign-up links nothing', async () => {
    const found = (await admin().post('/subjects/search', { query: victim.email })).body.data;
    // The pending sign-up of the victim's address carries Mallory's id as typed, but links nothing.
    expect(found.subject.subjectIds).toEqual([victim.subjectId]);
    expect(found.cookieConsents.map((c: any) => c.subjectId)).toEqual([victim.subjectId]);
    expect(found.subject.emails).toEqual([victim.email]);
    // Searching the victim's browser finds the one address that confirmed with its receipt.
    const byBrowser = (await admin().post('/subjects/search', { query: victim.subjectId })).body.data;
    expect(byBrowser.subject.emails).toEqual([victim.email]);
  });

  it('a request an administrator registers for Mallory acts on Mallory\'s address only, not on browsers Mallory named', async () => {
    const request = (await admin().post('/subjects/requests', { type: 'access', email: mallory.email, verification: 'ID checked' })).body.data;
    const before = smtp.messagesTo(mallory.email).length;
    expect((await admin().post(`/subjects/requests/${request.documentId}/carry-out`)).status).toBe(200);
    await waitUntil(async () => smtp.messagesTo(mallory.email).length > before);
    const text = smtp.messagesTo(mallory.email).at(-1)!.parsed.attachments[0].content.toString('utf8');
    expect(JSON.parse(text).cookieConsents).toEqual([]);
    for (const trace of [victim.email, victim.userAgent, ...victim.consentIds]) expect(text).not.toContain(trace);
  });

  it('a single opt-in proves no mailbox: it links no browser', async () => {
    const current = (await admin().get('/settings')).body.data.settings;
    expect((await admin().put('/settings', { controller: current.controller, newsletter: { doubleOptIn: false } })).status).toBe(200);
    try {
      const device = { ...mallory, subjectId: 'mallory-device-0002', consentIds: [] };
      await consent(device, { necessary: true, preferences: false, statistics: false, marketing: false });
      expect((await api().post('/api/privacy-centre/newsletter/subscribe').send({ email: 'solo.victim@example.fi', receipt: device.receipt })).status).toBe(202);
      await waitUntil(async () => (await app.strapi.db.query(SUBSCRIPTIONS).count({ where: { subjectId: 'mallory-device-0002', status: 'subscribed' } })) === 1);
      const found = (await admin().post('/subjects/search', { query: 'mallory-device-0002' })).body.data;
      expect(found.subject.emails).toEqual([]);
    } finally {
      await admin().put('/settings', { controller: current.controller, newsletter: { doubleOptIn: true } });
    }
  });

  it('asking with another spelling of the local part does not suppress the owner\'s own request', async () => {
    expect((await api().post('/api/privacy-centre/requests').send({ email: 'Vera.Case@example.fi', type: 'erasure' })).status).toBe(202);
    expect((await api().post('/api/privacy-centre/requests').send({ email: 'vera.case@example.fi', type: 'erasure' })).status).toBe(202);
    await waitUntil(async () => smtp.messagesTo('vera.case@example.fi').length === 1 && smtp.messagesTo('Vera.Case@example.fi').length === 1);
  });

  it('a self-service erasure by Mallory erases Mallory only', async () => {
    const before = smtp.messagesTo(mallory.email).length;
    expect((await api().post('/api/privacy-centre/requests').send({ email: mallory.email, type: 'erasure' })).status).toBe(202);
    await waitUntil(async () => smtp.messagesTo(mallory.email).length > before);
    const link = linkIn(smtp.messagesTo(mallory.email).at(-1)!.parsed.text!, 'requests/confirm')!;
    expect((await api().post('/api/privacy-centre/requests/confirm').send({ token: tokenOf(link) })).body.data.status).toBe('completed');
    const dump = await dumpDatabase();
    expect(dump).not.toContain(mallory.email);
    for (const trace of [victim.email, victim.userAgent.toLowerCase()]) expect(dump).toContain(trace);
    const victimConsent = await app.strapi.db.query(RECORDS).findOne({ where: { consentId: victim.consentIds[0] } });
    expect(victimConsent.userAgent).toBe(victim.userAgent);
  });

  it('a forged or altered receipt is refused as a query', async () => {
    const forged = { ...victim.receipt, signature: 'AAAA' };
    const answer = await admin().post('/subjects/search', { query: JSON.stringify(forged) });
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toMatch(/does not verify/);
  });

  it('carrying out needs the permission of what it does, a verified identity, and happens once', async () => {
    const manager = (await createAdmin(app, [actionUid('subjects', 'read'), actionUid('subjects', 'manage')])).token;
    const as = (method: 'post' | 'put', url: string, body: object = {}) => app.http()[method](`/privacy-centre${url}`).set('Authorization', `Bearer ${manager}`).send(body);
    const access = (await as('post', '/subjects/requests', { type: 'access', email: 'drop.box@evil.example', verification: 'said so' })).body.data;
    const erasure = (await as('post', '/subjects/requests', { type: 'erasure', email: victim.email, verification: 'said so' })).body.data;
    expect((await as('post', `/subjects/requests/${access.documentId}/carry-out`)).status).toBe(403);
    expect((await as('post', `/subjects/requests/${erasure.documentId}/carry-out`)).status).toBe(403);
    expect((await app.strapi.db.query(SUBSCRIPTIONS).findOne({ where: { email: victim.email, list: 'default' } })).status).toBe('subscribed');

    // Not verified: refused until the identity check is recorded.
    const unverified = (await admin().post('/subjects/requests', { type: 'access', email: victim.email })).body.data;
    const refused = await admin().post(`/subjects/requests/${unverified.documentId}/carry-out`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/not been verified/);
    expect((await admin().put(`/subjects/requests/${unverified.documentId}`, { verification: 'ID card checked' })).body.data.status).toBe('verified');
    const before = smtp.messagesTo(victim.email).length;
    const answers = await Promise.all([1, 2, 3].map(() => admin().post(`/subjects/requests/${unverified.documentId}/carry-out`)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400, 400]);
    await waitUntil(async () => smtp.messagesTo(victim.email).length > before);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.messagesTo(victim.email).length).toBe(before + 1);
  });

  it('the retention purge leaves the address of an open request alone', async () => {
    const open = (await admin().post('/subjects/requests', { type: 'access', email: 'olga.open@example.fi', verification: 'letter' })).body.data;
    const olga: Person = { ...victim, email: 'olga.open@example.fi', subjectId: 'olga-browser-0011', consentIds: [] };
    await consent(olga, { necessary: true, preferences: false, statistics: false, marketing: false });
    await subscribe(olga, 'default');
    const url = await app.strapi.plugin('privacy-centre').service('newsletter').unsubscribeUrl(olga.email, 'default');
    expect((await api().post(pathOf(url)).send({})).status).toBe(200);
    await app.strapi.db.connection('privacy_centre_newsletter_subscriptions').where({ email: olga.email }).update({ unsubscribed_at: '2020-01-01T00:00:00.000Z' });
    await app.strapi.plugin('privacy-centre').service('retention').run();
    expect((await app.strapi.db.query(SUBSCRIPTIONS).findOne({ where: { subjectId: olga.subjectId } })).email).toBeNull();
    expect((await app.strapi.db.query(REQUESTS).findOne({ where: { documentId: open.documentId } })).email).toBe(olga.email);
  });

  it('an erasure also removes the address an administrator wrote into the request\'s notes', async () => {
    const nora = 'nora.notes@example.fi';
    const request = (await admin().post('/subjects/requests', { type: 'erasure', email: nora, verification: `reply from ${nora.toUpperCase()}`, note: `asked by ${nora} on the phone` })).body.data;
    // Her other open request loses the address too: the erasure answers it.
    const other = (await admin().post('/subjects/requests', { type: 'access', email: nora })).body.data;
    expect((await admin().post(`/subjects/requests/${request.documentId}/carry-out`)).status).toBe(200);
    expect((await app.strapi.db.query(REQUESTS).findOne({ where: { documentId: other.documentId } })).email).toBeNull();
    const row = await app.strapi.db.query(REQUESTS).findOne({ where: { documentId: request.documentId } });
    expect(row.status).toBe('completed');
    expect(JSON.stringify(row).toLowerCase()).not.toContain(nora);
    expect(row.verification).toBe('reply from [erased]');
  });
});

describe('linking a sign-up to a browser needs proof of the browser', () => {
  const mallory = 'mallory.links@example.fi';
  const signUp = (body: object) => api().post('/api/privacy-centre/newsletter/subscribe').send({ email: mallory, list: 'default', ...body });

  it('the public status of a consent shows neither its subjectId nor its signature', async () => {
    const answer = await api().get(`/api/privacy-centre/consents/${anna.consentIds[0]}`);
    expect(answer.status).toBe(200);
    expect(answer.body.data.receipt.consentId).toBe(anna.consentIds[0]);
    expect(answer.body.data.receipt).not.toHaveProperty('subjectId');
    expect(answer.body.data.receipt).not.toHaveProperty('signature');
    expect(JSON.stringify(answer.body)).not.toContain(anna.subjectId);
  });

  it('refuses a bare subjectId, a receipt rebuilt from the status route, and an altered receipt; writes nothing', async () => {
    const before = await app.strapi.db.query(SUBSCRIPTIONS).count();
    const status = (await api().get(`/api/privacy-centre/consents/${anna.consentIds[0]}`)).body.data.receipt;
    const attempts = [
      { subjectId: anna.subjectId },
      { receipt: { ...status, subjectId: anna.subjectId } },
      { receipt: { ...status, subjectId: anna.subjectId, signature: anna.receipt!.signature } },
      { receipt: { ...anna.receipt, subjectId: bob.subjectId } },
      { receipt: 'not a receipt' },
    ];
    for (const body of attempts) {
      const answer = await signUp(body);
      expect([answer.status, answer.body.error?.name]).toEqual([400, 'ValidationError']);
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(await app.strapi.db.query(SUBSCRIPTIONS).count()).toBe(before);
    expect(smtp.messagesTo(mallory)).toHaveLength(0);
  });

  it('a consentId alone cannot continue a chain (which would hand out a receipt naming its browser)', async () => {
    const before = await app.strapi.db.query(RECORDS).count();
    const answer = await api().post('/api/privacy-centre/consents').send({ state: { marketing: true }, previousConsentId: anna.consentIds.at(-1) });
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toMatch(/previousConsentId needs the subjectId/);
    expect(await app.strapi.db.query(RECORDS).count()).toBe(before);
  });

  it('a sign-up without a receipt is linked to no browser', async () => {
    expect((await signUp({})).status).toBe(202);
    await waitUntil(async () => smtp.messagesTo(mallory).length === 1);
    const link = linkIn(smtp.messagesTo(mallory)[0].parsed.text!, 'newsletter/confirm')!;
    expect((await api().post('/api/privacy-centre/newsletter/confirm').send({ token: tokenOf(link) })).status).toBe(200);
    const found = (await admin().post('/subjects/search', { query: mallory })).body.data;
    expect(found.subject.subjectIds).toEqual([]);
    expect(JSON.stringify(found)).not.toContain(anna.subjectId);
  });
});
