import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { adminClient, createAdmin } from '../helpers/admin';
import { rawHeader, startSmtp } from '../helpers/smtp';
import { isUniqueViolation } from '../../server/src/db/errors';

/**
 * Issue 14 §4 and part of §5, against a real SMTP server: what the retention purge and an
 * erasure leave behind (unconfirmed sign-ups' events, audit details, closed requests), and the
 * smaller holes: re-sign-up after an expired link, mail bombing by case, `mailto` injection,
 * unsubscribe floods, forked consent chains.
 */
const SUBSCRIPTIONS = 'plugin::privacy-centre.newsletter-subscription';
const EVENTS = 'plugin::privacy-centre.consent-record';
const AUDIT = 'plugin::privacy-centre.audit-event';
const REQUESTS = 'plugin::privacy-centre.data-subject-request';
let app: TestStrapi;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let token: string;

beforeAll(async () => {
  smtp = await startSmtp();
  app = await bootStrapi({
    SMTP_PORT: String(smtp.port),
    PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({ newsletter: { lists: ['default', 'members'], resendIntervalMinutes: 10 } }),
  });
  token = (await createAdmin(app)).token;
  expect((await admin().post('/cookies/publish')).status).toBe(200);
});
afterAll(async () => {
  await app?.close();
  await smtp?.close();
});

const admin = () => adminClient(app, token);
const api = () => app.http();
const newsletter = () => app.strapi.plugin('privacy-centre').service('newsletter');
const knex = () => app.strapi.db.connection;
const subscribe = (body: object, userAgent = 'Browser/1.0') => api().post('/api/privacy-centre/newsletter/subscribe').set('User-Agent', userAgent).send(body);
const subscribed = async (body: { email: string; [field: string]: unknown }) => {
  expect((await subscribe(body)).status).toBe(202);
  await newsletter().drain();
};
const eventsOf = async (hash: string) =>
  app.strapi.db.query(EVENTS).findMany({ where: { kind: 'newsletter', subjectRef: hash }, orderBy: [{ givenAt: 'asc' }, { id: 'asc' }] });
const linkIn = (text: string, path: string) => new RegExp(`https?://\\S+/newsletter/${path}\\?token=[A-Za-z0-9_.-]+`).exec(text)?.[0];
const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;
/** Messages whose envelope recipient is `address` in any case: one mailbox. */
const mailboxCount = (address: string) => smtp.received.filter((m) => m.envelopeTo.some((to) => to.toLowerCase() === address.toLowerCase())).length;
const consent = (body: object) => api().post('/api/privacy-centre/consents').send(body);

describe('the purge of unconfirmed sign-ups takes their evidence with them', () => {
  it('strips the requested event of a purged sign-up: no IP prefix, user agent, source or message text', async () => {
    const email = 'never-confirmed@example.com';
    await subscribed({ email, source: 'https://northwind.example/join' });
    await smtp.waitFor(email);
    const row = await newsletter().subscriptionOf(email, 'default');
    const [before] = await eventsOf(row.emailHash);
    expect(before).toMatchObject({ action: 'requested', ipPrefix: '127.0.0.0/24', userAgent: 'Browser/1.0', sourceUrl: 'https://northwind.example/join' });
    expect(before.evidence.message.text).toContain('confirm');

    await knex()('privacy_centre_newsletter_subscriptions').where({ id: row.id }).update({ requested_at: '2020-01-01T00:00:00.000Z' });
    const result = await app.strapi.plugin('privacy-centre').service('retention').run();
    expect(result).toMatchObject({ pendingSubscriptionsDeleted: 1, pendingSignUpEventsStripped: 1 });
    expect(await app.strapi.db.query(SUBSCRIPTIONS).count({ where: { emailHash: row.emailHash } })).toBe(0);
    const [after] = await eventsOf(row.emailHash);
    expect(after).toMatchObject({ id: before.id, action: 'requested', ipPrefix: null, userAgent: null, sourceUrl: null });
    // What proves the message was sent stays; what it said (it named the address) goes.
    expect(after.evidence).toMatchObject({ list: 'default', message: { messageId: before.evidence.message.messageId, sha256: before.evidence.message.sha256 } });
    expect(JSON.stringify(after)).not.toMatch(/Browser\/1\.0|northwind\.example\/join|127\.0\.0|never-confirmed/);
  });

  it('an address still on another list keeps the evidence of that list', async () => {
    const email = 'two-lists@example.com';
    await subscribed({ email, list: 'default' });
    await subscribed({ email, list: 'members' });
    const deadline = Date.now() + 10_000;
    while (smtp.messagesTo(email).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(smtp.messagesTo(email)).toHaveLength(2);
    const row = await newsletter().subscriptionOf(email, 'default');
    await knex()('privacy_centre_newsletter_subscriptions').where({ id: row.id }).update({ requested_at: '2020-01-01T00:00:00.000Z' });
    await app.strapi.plugin('privacy-centre').service('retention').run();
    const after = await eventsOf(row.emailHash);
    const members = after.find((e: any) => e.evidence.list === 'members');
    expect(members).toMatchObject({ ipPrefix: '127.0.0.0/24', userAgent: 'Browser/1.0' });
    expect(members.evidence.message.text).toContain('"members" newsletter');
    expect(after.find((e: any) => e.evidence.list === 'default')).toMatchObject({ ipPrefix: null, userAgent: null });
    expect(after.find((e: any) => e.evidence.list === 'default').evidence.message.text).toBeUndefined();
  });
});

describe('audit details never hold an address in clear', () => {
  const victim = 'Victim.Person@Example.COM';

  it('stores the keyed hash of what an administrator typed, in every audit write', async () => {
    await subscribed({ email: victim });
    await smtp.waitFor('Victim.Person@example.com');
    const exported = await admin().get(`/newsletter/export?format=ndjson&q=${encodeURIComponent(victim)}`).buffer(true);
    expect(exported.status).toBe(200);
    expect((await admin().get(`/consents/export?format=ndjson&note=${encodeURIComponent('about victim.person@example.com')}`).buffer(true)).status).toBe(200);
    expect((await admin().post('/subjects/search', { query: victim })).status).toBe(200);
    const settings = (await admin().get('/settings')).body.data.settings;
    expect((await admin().put('/settings', { controller: { ...settings.controller, email: 'dpo@northwind.example' } })).status).toBe(200);

    const rows = await app.strapi.db.query(AUDIT).findMany({});
    const text = JSON.stringify(rows.map((r: any) => ({ target: r.target, details: r.details })));
    expect(text).not.toMatch(/victim|dpo@northwind|privacy@northwind/i);
    expect(text).not.toContain('@');
    const ref = `[email#${newsletter().addressHashes('victim.person@example.com')[0].slice(0, 16)}]`;
    const exportEvent = rows.find((r: any) => r.action === 'newsletter.export');
    expect(exportEvent.details).toEqual({ filters: { q: ref } });
    expect(rows.find((r: any) => r.action === 'consents.export').details).toEqual({ filters: { note: `about ${ref}` } });
  });

  it("a person's search finds the audit events whose details name them, and erasure rewrites old ones written in clear", async () => {
    // An event written before the trail redacted addresses.
    const legacy = await app.strapi.db.query(AUDIT).create({
      data: { actor: 'system', action: 'newsletter.export', target: 'subscribers (csv)', details: { filters: { q: 'VICTIM.person@example.com' } }, occurredAt: new Date() },
    });
    const found = (await admin().post('/subjects/search', { query: 'victim.person@example.com' })).body.data;
    const mentioned = found.auditEvents.filter((e: any) => e.action === 'newsletter.export');
    expect(mentioned.length).toBeGreaterThanOrEqual(1);

    const erased = await admin().post('/subjects/erase', { query: 'Victim.Person@example.com', confirm: true });
    expect(erased.status).toBe(200);
    expect(erased.body.data.erased.auditEvents).toBeGreaterThanOrEqual(1);
    const after = await app.strapi.db.query(AUDIT).findOne({ where: { id: legacy.id } });
    expect(JSON.stringify(after.details)).not.toMatch(/victim|@/i);
    expect(after.details.filters.q).toBe(`[email#${newsletter().addressHashes('victim.person@example.com')[0].slice(0, 16)}]`);
    const everything = JSON.stringify(await app.strapi.db.query(AUDIT).findMany({ select: ['target', 'details'] }));
    expect(everything).not.toMatch(/victim/i);
  });
});

describe('closed data-subject requests lose their address after retention.subjectRequestDays', () => {
  it('removes the address (notes too) from completed and refused requests closed long ago, and keeps the requests', async () => {
    const create = async (email: string) => (await admin().post('/subjects/requests', { type: 'access', email, note: `phoned in by ${email}` })).body.data;
    const completed = await create('old-completed@example.com');
    const refused = await create('old-refused@example.com');
    const recent = await create('recent@example.com');
    const open = await create('still-open@example.com');
    expect((await admin().put(`/subjects/requests/${completed.documentId}`, { status: 'completed' })).status).toBe(200);
    expect((await admin().put(`/subjects/requests/${refused.documentId}`, { status: 'refused', refusalReason: 'old-refused@example.com is not a customer' })).status).toBe(200);
    expect((await admin().put(`/subjects/requests/${recent.documentId}`, { status: 'completed' })).status).toBe(200);
    const days = (app.strapi.config.get('plugin::privacy-centre') as any).retention.subjectRequestDays;
    expect(days).toBe(1095);
    const longAgo = new Date(Date.now() - (days + 1) * 24 * 3600_000).toISOString();
    const justInside = new Date(Date.now() - (days - 1) * 24 * 3600_000).toISOString();
    const requests = () => knex()('privacy_centre_data_subject_requests');
    await requests().whereIn('document_id', [completed.documentId, refused.documentId]).update({ completed_at: longAgo });
    await requests().where('document_id', recent.documentId).update({ completed_at: justInside });
    await requests().where('document_id', open.documentId).update({ received_at: longAgo });

    const result = await app.strapi.plugin('privacy-centre').service('retention').run();
    expect(result.closedRequestAddressesErased).toBe(2);
    const byId = async (documentId: string) => app.strapi.db.query(REQUESTS).findOne({ where: { documentId } });
    for (const [row, address] of [[completed, 'old-completed'], [refused, 'old-refused']] as const) {
      const after = await byId(row.documentId);
      expect(after).toMatchObject({ email: null, type: 'access', emailHash: row.emailHash ?? expect.any(String) });
      expect(JSON.stringify(after)).not.toContain(address);
      expect(after.actions.at(-1)).toMatchObject({ by: 'retention', what: expect.stringContaining(`${days} days`) });
    }
    expect((await byId(refused.documentId)).refusalReason).toBe('[erased] is not a customer');
    expect((await byId(recent.documentId)).email).toBe('recent@example.com');
    expect((await byId(open.documentId)).email).toBe('still-open@example.com');
    // Running again changes nothing more.
    expect((await app.strapi.plugin('privacy-centre').service('retention').run()).closedRequestAddressesErased).toBe(0);
  });
});

describe('a new sign-up after the confirmation link expired', () => {
  it('gets a message whose link works', async () => {
    const email = 'late-reader@example.com';
    await subscribed({ email });
    const first = await smtp.waitFor(email);
    // 49 hours later: the 48-hour link has expired.
    const expired = new Date(Date.now() - 49 * 3600_000).toISOString();
    await knex()('privacy_centre_newsletter_subscriptions').where({ email }).update({ requested_at: expired, last_confirmation_sent_at: expired });
    const stale = linkIn(first.parsed.text!, 'confirm')!;
    expect((await api().post('/api/privacy-centre/newsletter/confirm').send({ token: new URL(stale).searchParams.get('token') })).status).toBe(400);

    await subscribed({ email });
    const second = await smtp.waitFor(email, (m) => m !== first);
    const link = linkIn(second.parsed.text!, 'confirm')!;
    const confirmed = await api().post('/api/privacy-centre/newsletter/confirm').send({ token: new URL(link).searchParams.get('token') });
    expect(confirmed.status).toBe(200);
    expect((await newsletter().subscriptionOf(email, 'default')).status).toBe('subscribed');
  });
});

describe('mail bombing by the case of an address', () => {
  it('Victim@, vIctim@, VICTIM@ get one message; the address is kept as typed', async () => {
    for (const email of ['Bomb.Target@example.org', 'bOmb.target@example.org', 'BOMB.TARGET@example.org']) await subscribed({ email });
    await smtp.waitFor('Bomb.Target@example.org');
    await new Promise((r) => setTimeout(r, 300));
    expect(mailboxCount('bomb.target@example.org')).toBe(1);
    const rows = await app.strapi.db.query(SUBSCRIPTIONS).findMany({ where: { email: { $containsi: 'bomb.target@' } } });
    expect(rows.map((r: any) => r.email)).toEqual(['Bomb.Target@example.org']);
  });

  it('caps a mailbox at confirmationsPerDay messages in 24 hours, whatever the interval, case or list', async () => {
    const config = app.strapi.config.get('plugin::privacy-centre') as any;
    const interval = config.newsletter.resendIntervalMinutes;
    expect(config.newsletter.confirmationsPerDay).toBe(5);
    config.newsletter.resendIntervalMinutes = 0;
    try {
      const spellings = ['Cap.Target@example.org', 'cap.target@example.org', 'CAP.TARGET@example.org'];
      for (let i = 0; i < 12; i += 1) await subscribed({ email: spellings[i % 3], list: i % 2 ? 'members' : 'default' });
      await new Promise((r) => setTimeout(r, 500));
      expect(mailboxCount('cap.target@example.org')).toBe(5);
    } finally {
      config.newsletter.resendIntervalMinutes = interval;
    }
  });
});

describe('mailto and the controller e-mail accept a bare address only', () => {
  it.each([
    'x@evil.example>,<https://evil.example/u',
    'Name <x@example.com>',
    'x@example.com, y@example.com',
    'x@example.com;y@example.com',
    '"x y"@example.com',
    ' x@example.com',
    'x@example.com\r\nBcc: y@example.com',
    'x@exa mple.com',
    'x\u0000@example.com',
  ])('refuses %j with a 400 and changes nothing', async (value) => {
    const before = (await admin().get('/settings')).body.data.settings;
    const mailto = await admin().put('/settings', { controller: before.controller, newsletter: { mailto: value } });
    expect(mailto.status).toBe(400);
    expect(mailto.body.error).toMatchObject({ status: 400, name: 'ValidationError', message: expect.stringMatching(/newsletter\.mailto/) });
    const controller = await admin().put('/settings', { controller: { ...before.controller, email: value } });
    expect(controller.status).toBe(400);
    expect(controller.body.error.message).toMatch(/controller\.email/);
    expect((await admin().get('/settings')).body.data.settings).toEqual(before);
  });

  it('a bare address goes into List-Unsubscribe as one mailto: target', async () => {
    const before = (await admin().get('/settings')).body.data.settings;
    expect((await admin().put('/settings', { controller: before.controller, newsletter: { mailto: 'leave+news@northwind.example' } })).status).toBe(200);
    try {
      await subscribed({ email: 'mailto-check@example.com' });
      const message = await smtp.waitFor('mailto-check@example.com');
      const header = rawHeader(message.raw, 'List-Unsubscribe')!;
      expect(header.match(/<[^>]*>/g)).toHaveLength(2);
      expect(header).toMatch(/,\s*<mailto:leave\+news@northwind\.example\?subject=unsubscribe%20default>$/);
    } finally {
      await admin().put('/settings', { controller: before.controller, newsletter: { mailto: '' } });
    }
  });
});

describe('an unsubscribe flood', () => {
  it('answers an unsubscribed link again and again without a transaction or a write', async () => {
    const email = 'flood@example.com';
    await subscribed({ email });
    const message = await smtp.waitFor(email);
    const url = /<(https?:[^>]+)>/.exec(rawHeader(message.raw, 'List-Unsubscribe')!)![1];
    const first = await api().post(pathOf(url)).type('form').send('List-Unsubscribe=One-Click');
    expect(first.status).toBe(200);
    const row = await newsletter().subscriptionOf(email, 'default');
    expect(row.status).toBe('unsubscribed');
    const eventsBefore = (await eventsOf(row.emailHash)).length;
    const again = await api().post(pathOf(url)).type('form').send('List-Unsubscribe=One-Click');
    expect(again.status).toBe(200);

    const statements: string[] = [];
    const listen = (query: { sql: string }) => statements.push(query.sql);
    const transaction = jest.spyOn(app.strapi.db, 'transaction');
    knex().on('query', listen);
    try {
      const answers = await Promise.all(Array.from({ length: 30 }, () => api().post(pathOf(url)).type('form').send('List-Unsubscribe=One-Click')));
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        expect(answer.text).toBe(again.text);
      }
    } finally {
      knex().removeListener('query', listen);
      transaction.mockRestore();
    }
    expect(transaction).not.toHaveBeenCalled();
    // (Strapi itself may write its own store meanwhile: only the plugin's tables are looked at.)
    const plugin = statements.filter((sql) => /privacy_centre/.test(sql));
    expect(plugin.length).toBeGreaterThan(0);
    expect(plugin.filter((sql) => /^\s*(insert|update|delete)|for update/i.test(sql))).toEqual([]);
    expect((await eventsOf(row.emailHash)).length).toBe(eventsBefore);
  });
});

describe('a consent chain never forks', () => {
  it('refuses a second record continuing the same consent with a 409', async () => {
    const first = (await consent({ state: { statistics: true } })).body.data;
    const update = await consent({ state: { statistics: true, preferences: true }, previousConsentId: first.consentId, subjectId: first.subjectId });
    expect(update.status).toBe(201);
    const fork = await consent({ state: {}, previousConsentId: first.consentId, subjectId: first.subjectId });
    expect(fork.status).toBe(409);
    expect(fork.body.error).toMatchObject({ status: 409, name: 'ConflictError', message: expect.stringMatching(/previousConsentId was updated or withdrawn already/) });
    expect(await app.strapi.db.query(EVENTS).count({ where: { previousConsentId: first.consentId } })).toBe(1);
  });

  it('under concurrency exactly one of many continuations wins, and the other records of the batch are written', async () => {
    const first = (await consent({ state: { statistics: true } })).body.data;
    const before = await app.strapi.db.query(EVENTS).count({ where: { kind: 'cookie' } });
    const answers = await Promise.all([
      ...Array.from({ length: 12 }, (_, i) => consent({ state: { statistics: i % 2 === 0 }, previousConsentId: first.consentId, subjectId: first.subjectId })),
      ...Array.from({ length: 12 }, () => consent({ state: { marketing: true } })),
    ]);
    const forks = answers.slice(0, 12).map((a) => a.status);
    expect(forks.filter((s) => s === 201)).toHaveLength(1);
    expect(forks.filter((s) => s === 409)).toHaveLength(11);
    for (const answer of answers.slice(0, 12).filter((a) => a.status === 409)) expect(answer.body.error.name).toBe('ConflictError');
    expect(answers.slice(12).map((a) => a.status)).toEqual(Array(12).fill(201));
    expect(await app.strapi.db.query(EVENTS).count({ where: { previousConsentId: first.consentId } })).toBe(1);
    expect(await app.strapi.db.query(EVENTS).count({ where: { kind: 'cookie' } })).toBe(before + 13);
  });

  it('a requestId retry of the continuation gets the first receipt; another request is a 409', async () => {
    const first = (await consent({ state: { statistics: true } })).body.data;
    const body = { state: {}, previousConsentId: first.consentId, subjectId: first.subjectId, requestId: 'withdraw-1' };
    const answers = await Promise.all([1, 2, 3, 4].map(() => consent(body)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.data.consentId)).size).toBe(1);
    const other = await consent({ ...body, requestId: 'withdraw-2' });
    expect(other.status).toBe(409);
    expect(other.body.error.name).toBe('ConflictError');
  });

  it('the database itself refuses a second continuation, below the service', async () => {
    const recorded = await consent({ state: { statistics: true } });
    expect(recorded.status).toBe(201);
    const first = recorded.body.data;
    const row = await app.strapi.db.query(EVENTS).findOne({ where: { consentId: first.consentId } });
    expect(row.previousConsentId).toBeNull();
    const continuation = (id: string) => ({
      consent_id: id,
      kind: 'cookie',
      action: 'withdrawn',
      subject_id: row.subjectId,
      previous_consent_id: first.consentId,
      given_at: new Date().toISOString(),
      document_id: id.padEnd(24, '0').slice(0, 24),
    });
    await knex()('privacy_centre_consent_records').insert(continuation('ForkTestAAAAAAAAAAAAA1'));
    const second = await knex()('privacy_centre_consent_records')
      .insert(continuation('ForkTestAAAAAAAAAAAAA2'))
      .then(() => null, (error: unknown) => error);
    expect(isUniqueViolation(second)).toBe(true);
    expect(await app.strapi.db.query(EVENTS).count({ where: { previousConsentId: first.consentId } })).toBe(1);
  });
});
