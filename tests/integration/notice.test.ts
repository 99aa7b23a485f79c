import { randomUUID } from 'node:crypto';
import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { createAdmin } from '../helpers/admin';
import { ensureLocales, sampleLocales } from '../helpers/policies';
import { rawHeader, sha256, startSmtp, type ReceivedMail } from '../helpers/smtp';

/**
 * Advance notice of a material change (issue #18, part B), against a real SMTP server: the
 * short-notice reason, the window opening at publication or later, who is told (confirmed
 * subscribers of the list, eligible users), two senders on one database, a sender that died
 * mid-send, SMTP refusals and retries, pause and resume, the changes link, delivery evidence.
 * Cron is off: each pass is run (or awaited) by the test, so nothing happens behind its back.
 */
const SUBSCRIPTIONS = 'plugin::privacy-centre.newsletter-subscription';
const CONSENTS = 'privacy_centre_consent_records';
const NOTICES = 'plugin::privacy-centre.notice';
const DELIVERIES = 'privacy_centre_notice_deliveries';
const DAY = 24 * 3600 * 1000;

let app: TestStrapi;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let token: string;

const plugin = () => app.strapi.plugin('privacy-centre');
const notices = () => plugin().service('notices');
const knex = () => app.strapi.db.connection;
const admin = () => ({
  get: (path: string) => app.http().get(`/privacy-centre${path}`).set('Authorization', `Bearer ${token}`),
  post: (path: string, body: object = {}) => app.http().post(`/privacy-centre${path}`).set('Authorization', `Bearer ${token}`).send(body),
});

/** A confirmed (or other status) subscription, written as the newsletter writes it. */
const subscribe = async (email: string, { status = 'subscribed', list = 'default', language = 'en' } = {}) => {
  const [emailHash] = plugin().service('keys').pseudonyms('newsletter-address', email);
  const now = new Date().toISOString();
  return app.strapi.db.query(SUBSCRIPTIONS).create({
    data: { documentId: randomUUID().replace(/-/g, '').slice(0, 24), email, emailHash, list, status, language, requestedAt: now, confirmedAt: status === 'subscribed' ? now : null },
  });
};

/** A site user, and optionally their acceptance of a version (part A's convention). */
const siteUser = async (name: string, { confirmed = true, blocked = false, accepted = null as number | null } = {}) => {
  const user = await app.strapi.documents('plugin::users-permissions.user' as any).create({
    data: { username: name, email: `${name}@users.example`, provider: 'local', password: 'Passw0rd!x', confirmed, blocked } as any,
  });
  if (accepted !== null) {
    // Consent records are written only by the plugin (a guard refuses the query layer): SQL.
    const now = new Date();
    await knex()(CONSENTS).insert({
      document_id: randomUUID().replace(/-/g, '').slice(0, 24),
      consent_id: randomUUID(),
      kind: 'policy',
      action: 'given',
      subject_ref: plugin().service('keys').pseudonyms('site-user', user.documentId)[0],
      policy_slug: 'privacy-policy',
      policy_version: accepted,
      given_at: now.toISOString(),
      created_at: now,
      updated_at: now,
      published_at: now,
    });
  }
  return user;
};

/** A material draft of privacy-policy tagged `tag` (its title says it), and its publication. */
const publish = async (tag: string, days: number, body: Record<string, unknown> = {}) => {
  const draft = await admin().post('/policies/drafts', { slug: 'privacy-policy', materialChange: true, locales: sampleLocales(tag) });
  expect(draft.status).toBe(201);
  const documentId = draft.body.data.documentId as string;
  const answer = await admin().post(`/policies/drafts/${documentId}/publish`, { effectiveAt: new Date(Date.now() + days * DAY).toISOString(), ...body });
  return { documentId, answer };
};

const noticeOf = (documentId: string) => app.strapi.db.query(NOTICES).findOne({ where: { versionDocumentId: documentId } });
/** What would otherwise take days: the window of a notice opens now. */
const openWindow = (documentId: string) => app.strapi.db.query(NOTICES).update({ where: { versionDocumentId: documentId }, data: { opensAt: new Date(Date.now() - 1000).toISOString() } });
const mailsOf = (tag: string) => smtp.received.filter((m) => m.parsed.subject?.includes(`Privacy policy ${tag}:`) || m.parsed.subject?.includes(`Tietosuojaseloste ${tag}:`));
const recipientsOf = (mails: ReceivedMail[]) => mails.map((m) => m.envelopeTo[0]).sort();
const deliveriesOf = async (documentId: string) => {
  const notice = await noticeOf(documentId);
  return knex()(DELIVERIES).select('*').where({ notice_id: notice.id }).orderBy('id');
};

beforeAll(async () => {
  smtp = await startSmtp();
  app = await bootStrapi({
    SMTP_PORT: String(smtp.port),
    // Reused SMTP connections: a new one per message costs ~150 ms here.
    SMTP_POOL: 'true',
    PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({
      cron: { enabled: false },
      newsletter: { lists: ['default', 'members'] },
      notice: { days: 30, list: 'default', ratePerSecond: 200, maxAttempts: 3, retrySeconds: 60 },
    }),
  });
  // Part A's key, read defensively by the outbox (`acceptance?.required ?? []`).
  app.strapi.config.set('plugin::privacy-centre.acceptance', { required: ['privacy-policy'], graceDays: 0 });
  await ensureLocales(app, ['fi']);
  token = (await createAdmin(app)).token;
  const first = await admin().post('/policies/drafts', { slug: 'privacy-policy', locales: sampleLocales('v1') });
  expect((await admin().post(`/policies/drafts/${first.body.data.documentId}/publish`, {})).status).toBe(200);

  await subscribe('anna@example.fi', { language: 'fi' });
  await subscribe('ben@example.com');
  await subscribe('pending@example.com', { status: 'pending' });
  await subscribe('gone@example.com', { status: 'unsubscribed' });
  await subscribe('member@example.com', { list: 'members' });
  await siteUser('accepted', { accepted: 1 });
  await siteUser('blocked', { blocked: true, accepted: 1 });
  await siteUser('unconfirmed', { confirmed: false, accepted: 1 });
  await siteUser('never');
}, 120_000);

afterAll(async () => {
  await app?.close();
  await smtp?.close();
});

describe('publishing a material change with too little notice', () => {
  it('the first version of a policy changes nothing anyone was told: no reason asked, no notice', async () => {
    const draft = await admin().post('/policies/drafts', { slug: 'first-terms', materialChange: true, locales: sampleLocales('first') });
    expect(draft.status).toBe(201);
    expect((await admin().post(`/policies/drafts/${draft.body.data.documentId}/publish`, {})).status).toBe(200);
    expect(await noticeOf(draft.body.data.documentId)).toBeNull();
  });

  it('needs noticeReason: a 400 naming the field, and nothing is published', async () => {
    for (const body of [{}, { noticeReason: '   ' }, { noticeReason: 'x'.repeat(1001) }, { noticeReason: 42 }, { noticeReason: 'a\u0000b' }]) {
      const { documentId, answer } = await publish('short', 10, body);
      expect(answer.status).toBe(400);
      expect(answer.body.error.message).toMatch(/noticeReason/);
      const version = await admin().get(`/policies/versions/${documentId}`);
      expect(version.body.data.status).toBe('draft');
      expect(await noticeOf(documentId)).toBeNull();
      await app.http().delete(`/privacy-centre/policies/drafts/${documentId}`).set('Authorization', `Bearer ${token}`);
    }
  });

  let v2: string;
  it('with a reason: published, the reason audited, and the notice goes out at once', async () => {
    const { documentId, answer } = await publish('v2', 10, { noticeReason: 'A court ruling takes effect sooner' });
    v2 = documentId;
    expect(answer.status).toBe(200);
    expect(answer.body.data).toMatchObject({ version: 2, status: 'scheduled' });
    const audit = await app.strapi.db.query('plugin::privacy-centre.audit-event').findOne({ where: { action: 'policy.schedule', target: 'privacy-policy v2' } });
    expect(audit.details).toMatchObject({ noticeReason: 'A court ruling takes effect sooner', shortNotice: true, noticeDays: 30 });
    // The window (effectiveAt - 30 days) has begun: enqueued and sent by the pass publication started.
    await notices().idle();
    const notice = await noticeOf(documentId);
    expect(notice).toMatchObject({ status: 'done', recipients: 3, shortNoticeReason: 'A court ruling takes effect sooner' });
  });

  it('tells only the confirmed subscribers of the list and the eligible users, once each', async () => {
    const mails = mailsOf('v2');
    expect(recipientsOf(mails)).toEqual(['accepted@users.example', 'anna@example.fi', 'ben@example.com']);
  });

  it('localises the message, links the version and its changes, and carries List-Unsubscribe for subscribers only', async () => {
    const [anna] = smtp.messagesTo('anna@example.fi').filter((m) => mailsOf('v2').includes(m));
    expect(anna.parsed.subject).toMatch(/^Tietosuojaseloste v2: muutokset voimaan /);
    expect(anna.parsed.text).toContain('Muutokset v2');
    expect(rawHeader(anna.raw, 'List-Unsubscribe')).toMatch(/^<https?:\/\/[^>]+\/newsletter\/unsubscribe\?token=[^>]+>$/);
    expect(rawHeader(anna.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const changes = /https?:\/\/\S+\/policies\/privacy-policy\/versions\/2\/changes\?locale=fi/.exec(anna.parsed.text!)![0];
    expect(anna.parsed.text).toMatch(/\/policies\/privacy-policy\/versions\/2\?locale=fi/);
    const url = new URL(changes);
    const answer = await app.http().get(url.pathname + url.search);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toMatchObject({ slug: 'privacy-policy', version: 2, previousVersion: 1, locale: 'fi', fallback: false });
    expect(answer.body.data.changes).toEqual([
      expect.objectContaining({ kind: 'changed', heading: '1. Rekisterinpitäjä', markdown: 'Olemme rekisterinpitäjä (v2).', previousMarkdown: 'Olemme rekisterinpitäjä (v1).' }),
    ]);
    expect(answer.headers.etag).toBeTruthy();
    expect((await app.http().get(url.pathname + url.search).set('If-None-Match', answer.headers.etag)).status).toBe(304);

    const [user] = smtp.messagesTo('accepted@users.example').filter((m) => mailsOf('v2').includes(m));
    expect(user.parsed.subject).toMatch(/^Privacy policy v2: changes take effect on /);
    expect(rawHeader(user.raw, 'List-Unsubscribe')).toBeUndefined();
  });

  it('records the evidence of each delivery (pseudonym, Message-ID, SHA-256 of the bytes sent) and no address', async () => {
    const rows = await deliveriesOf(v2);
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.status).toBe('sent');
      expect(JSON.stringify(row)).not.toMatch(/@example|@users/);
      const mail = smtp.received.find((m) => m.parsed.messageId === row.message_id)!;
      expect(mail).toBeDefined();
      expect(sha256(mail.raw)).toBe(row.message_hash);
    }
    const anna = await app.strapi.db.query(SUBSCRIPTIONS).findOne({ where: { email: 'anna@example.fi' } });
    expect(rows.find((r: any) => r.recipient_kind === 'subscriber' && r.subject_ref === anna.emailHash)).toBeDefined();
    const evidence = await admin().post('/subjects/evidence', { query: 'anna@example.fi' });
    expect(evidence.status).toBe(200);
    expect(evidence.body.data.notices).toEqual([
      expect.objectContaining({ slug: 'privacy-policy', version: 2, status: 'sent', subjectRef: anna.emailHash, messageId: expect.any(String), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }),
    ]);
  });

  it('shows the progress on the admin route', async () => {
    const answer = await admin().get(`/policies/versions/${v2}/notice`);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toMatchObject({ status: 'done', recipients: 3, counts: { sent: 3, pending: 0, failed: 0 } });
  });
});

describe('a material change with enough notice', () => {
  it('needs no reason, and waits until the window opens', async () => {
    const { documentId, answer } = await publish('v3', 40);
    expect(answer.status).toBe(200);
    await notices().idle();
    await notices().work();
    expect(await noticeOf(documentId)).toMatchObject({ status: 'pending', recipients: 0 });
    expect(mailsOf('v3')).toHaveLength(0);
    const notice = await noticeOf(documentId);
    expect(Date.parse(notice.opensAt)).toBe(Date.parse(notice.effectiveAt) - 30 * DAY);
    // The window opens (the cron's pass): now they are told.
    await openWindow(documentId);
    await notices().work();
    expect(recipientsOf(mailsOf('v3'))).toEqual(['accepted@users.example', 'anna@example.fi', 'ben@example.com']);
    expect((await noticeOf(documentId)).status).toBe('done');
  });

  it('a withdrawn version tells nobody', async () => {
    const { documentId } = await publish('v4', 45);
    expect((await admin().post(`/policies/versions/${documentId}/withdraw`)).status).toBe(200);
    await openWindow(documentId);
    await notices().work();
    expect((await noticeOf(documentId)).status).toBe('cancelled');
    expect(mailsOf('v4')).toHaveLength(0);
  });
});

describe('sending at scale', () => {
  beforeAll(async () => {
    for (let i = 0; i < 60; i++) await subscribe(`many${i}@example.net`);
  });

  it('two senders on one database never send to one recipient twice', async () => {
    const { documentId } = await publish('v5', 50);
    await openWindow(documentId);
    await Promise.all([notices().work({ owner: 'instance-a' }), notices().work({ owner: 'instance-b' }), notices().work({ owner: 'instance-c' })]);
    const mails = mailsOf('v5');
    const recipients = recipientsOf(mails);
    expect(recipients).toHaveLength(63);
    expect(new Set(recipients).size).toBe(63);
    const rows = await deliveriesOf(documentId);
    expect(rows.every((r: any) => r.status === 'sent')).toBe(true);
    // Each claim names its instance: more than one took part.
    expect(new Set(rows.map((r: any) => String(r.claimed_by).split(':')[0])).size).toBeGreaterThan(1);
  });

  it('after a sender dies mid-send its rows are taken over when its claim expires: none lost, none twice', async () => {
    const { documentId } = await publish('v6', 55);
    await openWindow(documentId);
    await notices().work({ owner: 'first', limit: 10 });
    expect(mailsOf('v6')).toHaveLength(10);
    // A sender that died holding 20 rows (its lease runs for another minute).
    const notice = await noticeOf(documentId);
    const held = (await knex()(DELIVERIES).select('id').where({ notice_id: notice.id, status: 'pending' }).orderBy('id').limit(20)).map((r: any) => r.id);
    await knex()(DELIVERIES).whereIn('id', held).update({ claimed_by: 'dead:1', claimed_until: new Date(Date.now() + 60_000).toISOString() });
    await notices().work({ owner: 'restarted' });
    expect(mailsOf('v6')).toHaveLength(43);
    expect((await noticeOf(documentId)).status).toBe('sending');
    // The lease ends: the rows are taken over.
    await knex()(DELIVERIES).whereIn('id', held).update({ claimed_until: new Date(Date.now() - 1000).toISOString() });
    await notices().work({ owner: 'restarted' });
    const recipients = recipientsOf(mailsOf('v6'));
    expect(recipients).toHaveLength(63);
    expect(new Set(recipients).size).toBe(63);
    expect((await noticeOf(documentId)).status).toBe('done');
  });

  it('pauses and resumes from the admin (audited)', async () => {
    const { documentId } = await publish('v7', 60);
    expect((await admin().post(`/policies/versions/${documentId}/notice/pause`)).status).toBe(200);
    await openWindow(documentId);
    await notices().work();
    expect(mailsOf('v7')).toHaveLength(0);
    const resumed = await admin().post(`/policies/versions/${documentId}/notice/resume`);
    expect(resumed.status).toBe(200);
    await notices().idle();
    await notices().work();
    expect(mailsOf('v7')).toHaveLength(63);
    const actions = (await app.strapi.db.query('plugin::privacy-centre.audit-event').findMany({ where: { target: 'privacy-policy v7' } })).map((e: any) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['notice.pause', 'notice.resume']));
    expect((await admin().post(`/policies/versions/${documentId}/notice/resume`)).status).toBe(400);
  });
});

describe('SMTP failures', () => {
  it('retries a temporary refusal with backoff, gives up after maxAttempts with the reason, fails a permanent one at once', async () => {
    // 451 for many0 twice, always for many1; 550 for many2.
    const tries: Record<string, number> = {};
    smtp.control.refuse = (mail) => {
      if (!mail.parsed.subject?.includes('v8:')) return null;
      const to = mail.envelopeTo[0];
      tries[to] = (tries[to] ?? 0) + 1;
      if (to === 'many0@example.net' && tries[to] <= 2) return { code: 451, message: 'Greylisted, try again later' };
      if (to === 'many1@example.net') return { code: 451, message: 'Mailbox busy' };
      if (to === 'many2@example.net') return { code: 550, message: 'No such user here' };
      return null;
    };
    const { documentId } = await publish('v8', 65);
    await openWindow(documentId);
    const notice = await noticeOf(documentId);
    const row = (to: string) =>
      knex()(DELIVERIES)
        .select('*')
        .where({ notice_id: notice.id, subject_ref: plugin().service('keys').pseudonyms('newsletter-address', to)[0] })
        .first();
    for (let pass = 1; pass <= 3; pass++) {
      const started = Date.now();
      await notices().work();
      const waiting = await knex()(DELIVERIES).select('next_attempt_at').where({ notice_id: notice.id, status: 'pending' });
      // Backoff: 60 s after the first failure, 120 s after the second.
      for (const w of waiting) expect(Date.parse(w.next_attempt_at) - started).toBeGreaterThanOrEqual(60_000 * 2 ** (pass - 1) - 1000);
      // Time passes.
      await knex()(DELIVERIES).where({ notice_id: notice.id, status: 'pending' }).update({ next_attempt_at: new Date(Date.now() - 1000).toISOString() });
    }
    smtp.control.refuse = () => null;
    expect(await row('many0@example.net')).toMatchObject({ status: 'sent', attempts: 3 });
    const busy = await row('many1@example.net');
    expect(busy).toMatchObject({ status: 'failed', attempts: 3 });
    expect(busy.last_error).toMatch(/^given up after 3 attempts: SMTP 451/);
    const gone = await row('many2@example.net');
    expect(gone).toMatchObject({ status: 'failed', attempts: 1 });
    expect(gone.last_error).toMatch(/SMTP 550/);
    expect(gone.last_error).not.toMatch(/@/);
    expect(recipientsOf(mailsOf('v8'))).toHaveLength(61);
    const progress = (await admin().get(`/policies/versions/${documentId}/notice`)).body.data;
    expect(progress).toMatchObject({ status: 'done', counts: { sent: 61, failed: 2, pending: 0 } });
    expect(progress.failures).toHaveLength(2);
  });

  it('skips a subscriber who unsubscribed, or a user blocked, after the notice was enqueued', async () => {
    const { documentId } = await publish('v9', 70);
    await openWindow(documentId);
    // Enqueue only (a pass that sends nothing: limit 0), then they leave.
    await notices().work({ limit: 0 });
    await app.strapi.db.query(SUBSCRIPTIONS).update({ where: { email: 'ben@example.com' }, data: { status: 'unsubscribed' } });
    await app.strapi.db.query('plugin::users-permissions.user').update({ where: { username: 'accepted' }, data: { blocked: true } });
    await notices().work();
    const recipients = recipientsOf(mailsOf('v9'));
    expect(recipients).not.toContain('ben@example.com');
    expect(recipients).not.toContain('accepted@users.example');
    const skipped = (await deliveriesOf(documentId)).filter((r: any) => r.status === 'skipped');
    expect(skipped).toHaveLength(2);
  });
});

describe('attacks through the texts of a version', () => {
  it('a title or summary cannot add headers, recipients or SMTP commands to the message', async () => {
    const locales = sampleLocales('v10');
    locales.en.title = 'Privacy policy v10\r\nBcc: evil@attacker.example\r\nX-Injected: 1';
    locales.en.summary = 'Shorter retention.\r\n.\r\nMAIL FROM:<evil@attacker.example>\r\nRCPT TO:<victim@attacker.example>\r\nDATA\r\n';
    const draft = await admin().post('/policies/drafts', { slug: 'privacy-policy', materialChange: true, locales });
    if (draft.status !== 201) {
      // Refused at the door: just as good.
      expect(draft.status).toBe(400);
      return;
    }
    const answer = await admin().post(`/policies/drafts/${draft.body.data.documentId}/publish`, { effectiveAt: new Date(Date.now() + 75 * DAY).toISOString() });
    expect(answer.status).toBe(200);
    await openWindow(draft.body.data.documentId);
    await notices().work();
    const mails = smtp.received.filter((m) => m.parsed.subject?.includes('Privacy policy v10'));
    expect(mails.length).toBeGreaterThan(0);
    for (const mail of mails) {
      expect(mail.envelopeTo).toHaveLength(1);
      expect(mail.envelopeTo[0]).not.toMatch(/attacker/);
      expect(mail.parsed.bcc).toBeUndefined();
      expect(mail.parsed.headers.has('x-injected')).toBe(false);
    }
    expect(smtp.received.some((m) => m.envelopeTo.some((to) => /attacker/.test(to)))).toBe(false);
  });
});

describe('the changes route', () => {
  it('answers 404 for an unknown slug or version, 400 for malformed or huge parameters', async () => {
    expect((await app.http().get('/api/privacy-centre/policies/privacy-policy/versions/99/changes')).status).toBe(404);
    expect((await app.http().get('/api/privacy-centre/policies/nope/versions/1/changes')).status).toBe(404);
    expect((await app.http().get(`/api/privacy-centre/policies/privacy-policy/versions/${'9'.repeat(400)}/changes`)).status).toBe(400);
    expect((await app.http().get(`/api/privacy-centre/policies/privacy-policy/versions/2/changes?locale=${'x'.repeat(5000)}`)).status).toBe(400);
    expect((await app.http().get('/api/privacy-centre/policies/privacy-policy/versions/-1/changes')).status).toBe(400);
  });

  it('lists every section as added for the first version, and falls back to the default locale', async () => {
    const answer = await app.http().get('/api/privacy-centre/policies/privacy-policy/versions/1/changes?locale=de');
    expect(answer.status).toBe(200);
    expect(answer.body.data).toMatchObject({ previousVersion: null, locale: 'en', fallback: true });
    expect(answer.body.data.changes.map((c: any) => c.kind)).toEqual(['added', 'added']);
  });
});
