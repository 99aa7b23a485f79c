import { generateKeyPairSync } from 'node:crypto';
import { dkimVerify } from 'mailauth/lib/dkim/verify';
import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { createAdmin } from '../helpers/admin';
import { ensureLocales, sampleLocales } from '../helpers/policies';
import { rawHeader, sha256, startSmtp, withoutDkimHeader } from '../helpers/smtp';
import { makeToken } from '../../server/src/newsletter/tokens';
import { actionUid } from '../../server/src/permissions/actions';

/**
 * The newsletter against a real SMTP server started here, with DKIM signing on: double opt-in
 * round trip, one-click unsubscribe as a mailbox provider sends it, GET safety, tokens, no
 * enumeration, concurrency, purges.
 */
const SUBSCRIPTIONS = 'plugin::privacy-centre.newsletter-subscription';
const EVENTS = 'plugin::privacy-centre.consent-record';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const dkimPublic = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
let app: TestStrapi;
/** The key that signs link tokens now (the keyring's newest link key). */
const linkKey = (): string => app.strapi.plugin('privacy-centre').service('keys').linkKey();
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let token: string;

beforeAll(async () => {
  smtp = await startSmtp();
  app = await bootStrapi({
    SMTP_PORT: String(smtp.port),
    DKIM_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    DKIM_DOMAIN: 'northwind.example',
    DKIM_SELECTOR: 'test',
    PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({ newsletter: { lists: ['default', 'members'], resendIntervalMinutes: 10 } }),
  });
  await ensureLocales(app, ['fi']);
  token = (await createAdmin(app)).token;
  const draft = await app.http().post('/privacy-centre/policies/drafts').set('Authorization', `Bearer ${token}`).send({ slug: 'privacy-policy', locales: sampleLocales('n') });
  await app.http().post(`/privacy-centre/policies/drafts/${draft.body.data.documentId}/publish`).set('Authorization', `Bearer ${token}`).send({});
});
afterAll(async () => {
  await app?.close();
  await smtp?.close();
});

const api = () => app.http();
const subscribe = (body: unknown) => api().post('/api/privacy-centre/newsletter/subscribe').send(body as object);
const subscriptionOf = (email: string, list = 'default') => app.strapi.plugin('privacy-centre').service('newsletter').subscriptionOf(email, list);
const eventsOf = async (email: string) => {
  const row = await subscriptionOf(email);
  return app.strapi.db.query(EVENTS).findMany({ where: { kind: 'newsletter', subjectRef: row.emailHash }, orderBy: [{ givenAt: 'asc' }, { id: 'asc' }] });
};
const waitUntil = async (check: () => Promise<boolean>, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
};
const linkIn = (text: string, path: string) => new RegExp(`https?://\\S+/newsletter/${path}\\?token=[A-Za-z0-9_.-]+`).exec(text)?.[0];
const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;
const unsubscribeUrlOf = (header: string) => /<(https?:[^>]+)>/.exec(header)![1];

describe('double opt-in and one-click unsubscribe, end to end', () => {
  const email = 'Anna.Virtanen@Example.FI';
  const stored = 'Anna.Virtanen@example.fi';
  let message: Awaited<ReturnType<typeof smtp.waitFor>>;

  it('answers 202 and sends a confirmation message carrying List-Unsubscribe headers, signed with DKIM', async () => {
    const started = Date.now();
    const response = await subscribe({ email: `  ${email} `, locale: 'fi', source: 'https://northwind.example/news' });
    expect(response.status).toBe(202);
    message = await smtp.waitFor(stored);
    console.log(`subscribe → message at the SMTP server: ${Date.now() - started} ms`);
    expect(message.parsed.subject).toBe('Vahvista tilauksesi');
    const headers = message.parsed.headers;
    expect(rawHeader(message.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(rawHeader(message.raw, 'List-Unsubscribe')).toMatch(/^<https?:\/\/[^>]+\/api\/privacy-centre\/newsletter\/unsubscribe\?token=[^>]+>$/);
    expect(message.parsed.text).toContain('/newsletter/unsubscribe?token=');
    expect(message.parsed.text).not.toMatch(/offer|discount|sale/i);
    const row = await subscriptionOf(email);
    expect(row).toMatchObject({ email: stored, status: 'pending', language: 'fi', source: 'https://northwind.example/news' });

    const result = await dkimVerify(message.raw, {
      resolver: async (name: string, type: string) => {
        if (type === 'TXT' && name === 'test._domainkey.northwind.example') return [[`v=DKIM1; k=rsa; p=${dkimPublic}`]];
        throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
      },
    });
    const signature = result.results[0] as typeof result.results[0] & { signingHeaders?: { keys: string } };
    expect(signature.status.result).toBe('pass');
    const signed = String(signature.signingHeaders?.keys ?? '').toLowerCase();
    expect(signed).toContain('list-unsubscribe');
    expect(signed).toContain('list-unsubscribe-post');
  });

  it('kept the request as evidence: time, IP prefix, user agent, source, list, policy, and the message as sent', async () => {
    const [requested] = await eventsOf(email);
    expect(requested).toMatchObject({ action: 'requested', kind: 'newsletter', ipPrefix: '127.0.0.0/24', sourceUrl: 'https://northwind.example/news', policySlug: 'privacy-policy', policyVersion: 1 });
    expect(requested.evidence).toMatchObject({ list: 'default', message: { subject: 'Vahvista tilauksesi', messageId: message.parsed.messageId } });
    expect(requested.evidence.message.text.trim()).toBe(message.parsed.text!.trim());
    // The message as the plugin composed it is, byte for byte, what the SMTP server received
    // (but for the DKIM signature the transport put on top).
    expect(sha256(withoutDkimHeader(message.raw))).toBe(requested.evidence.message.sha256);
    expect(JSON.stringify(requested)).not.toContain('127.0.0.1');
  });

  it('a GET of the confirmation link shows a page with one button and changes nothing', async () => {
    const link = linkIn(message.parsed.text!, 'confirm')!;
    for (let i = 0; i < 3; i += 1) {
      const page = await api().get(pathOf(link));
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.text).toContain('<html lang="fi">');
      expect(page.text.match(/<button/g)).toHaveLength(1);
    }
    expect((await subscriptionOf(email)).status).toBe('pending');
    expect(await eventsOf(email)).toHaveLength(1);
  });

  it("the button's POST confirms, recording time, IP prefix and user agent; again is harmless", async () => {
    const link = linkIn(message.parsed.text!, 'confirm')!;
    const confirmToken = new URL(link).searchParams.get('token');
    const confirmed = await api().post('/api/privacy-centre/newsletter/confirm').type('form').set('User-Agent', 'Browser/1.0').send({ token: confirmToken });
    expect(confirmed.status).toBe(200);
    expect(confirmed.text).toContain('Tilaus vahvistettu');
    const again = await api().post('/api/privacy-centre/newsletter/confirm').send({ token: confirmToken });
    expect(again.status).toBe(200);
    expect(again.body.data.status).toBe('subscribed');
    expect((await subscriptionOf(email)).status).toBe('subscribed');
    const events = await eventsOf(email);
    expect(events.map((e: any) => e.action)).toEqual(['requested', 'confirmed']);
    expect(events[1]).toMatchObject({ ipPrefix: '127.0.0.0/24', userAgent: 'Browser/1.0' });
  });

  it('a GET of the unsubscribe link shows a page and changes nothing', async () => {
    const url = unsubscribeUrlOf(rawHeader(message.raw, 'List-Unsubscribe')!);
    for (let i = 0; i < 3; i += 1) {
      const page = await api().get(pathOf(url));
      expect(page.status).toBe(200);
      expect(page.text).toContain('<textarea');
    }
    expect((await subscriptionOf(email)).status).toBe('subscribed');
  });

  it('one-click: POST List-Unsubscribe=One-Click as multipart, no cookies, 200, no redirect', async () => {
    const url = unsubscribeUrlOf(rawHeader(message.raw, 'List-Unsubscribe')!);
    const response = await api().post(pathOf(url)).field('List-Unsubscribe', 'One-Click').redirects(0);
    expect(response.status).toBe(200);
    expect(response.headers.location).toBeUndefined();
    expect(response.headers['set-cookie']).toBeUndefined();
    expect((await subscriptionOf(email)).status).toBe('unsubscribed');
    const again = await api().post(pathOf(url)).type('form').send('List-Unsubscribe=One-Click');
    expect(again.status).toBe(200);
    const events = await eventsOf(email);
    expect(events.map((e: any) => e.action)).toEqual(['requested', 'confirmed', 'withdrawn']);
    expect(events[2].evidence).toMatchObject({ method: 'one-click', previousStatus: 'subscribed' });
  });

  it('an address that unsubscribed and subscribes again goes through double opt-in again', async () => {
    const count = smtp.messagesTo(stored).length;
    expect((await subscribe({ email })).status).toBe(202);
    await waitUntil(async () => smtp.messagesTo(stored).length > count);
    expect((await subscriptionOf(email)).status).toBe('pending');
    // The old confirmation link does not confirm the new request.
    const oldLink = linkIn(message.parsed.text!, 'confirm')!;
    const stale = await api().post('/api/privacy-centre/newsletter/confirm').send({ token: new URL(oldLink).searchParams.get('token') });
    expect(stale.status).toBe(400);
    expect((await subscriptionOf(email)).status).toBe('pending');
  });
});

describe('tokens', () => {
  const email = 'tokens@example.com';
  let row: any;
  beforeAll(async () => {
    await subscribe({ email });
    await smtp.waitFor(email);
    row = await subscriptionOf(email);
  });
  const confirm = (t: string) => api().post('/api/privacy-centre/newsletter/confirm').send({ token: t });

  it.each([
    ['tampered', () => makeToken(linkKey(), 'confirm', { s: row.documentId, l: row.list, r: row.requestedAt, e: 9999999999 }).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))],
    ['expired', () => makeToken(linkKey(), 'confirm', { s: row.documentId, l: row.list, r: row.requestedAt, e: Math.floor(Date.now() / 1000) - 1 })],
    ['for another purpose (an unsubscribe token)', () => makeToken(linkKey(), 'unsubscribe', { s: row.documentId, l: row.list })],
    ['signed with an unknown key', () => makeToken('an-unknown-secret-of-at-least-32-chars!!', 'confirm', { s: row.documentId, l: row.list, r: row.requestedAt, e: 9999999999 })],
    ['not a token at all', () => 'hello'],
  ])('refuses a %s token: 400 JSON, an explaining page, nothing changed', async (_label, make) => {
    const bad = make();
    const json = await confirm(bad);
    expect(json.status).toBe(400);
    expect(json.body.error.message).toMatch(/link is/);
    const page = await api().get(`/api/privacy-centre/newsletter/confirm?token=${encodeURIComponent(bad)}`);
    expect(page.status).toBe(400);
    expect(page.text).toMatch(/This link (does not work|has expired)/);
    expect((await subscriptionOf(email)).status).toBe('pending');
  });

  it('accepts a token made with the link key (links across rotations: tests/integration/keys.test.ts)', async () => {
    const response = await confirm(makeToken(linkKey(), 'confirm', { s: row.documentId, l: row.list, r: row.requestedAt, e: 9999999999 }));
    expect(response.status).toBe(200);
    expect((await subscriptionOf(email)).status).toBe('subscribed');
  });
});

describe('nobody can learn who subscribes', () => {
  it('new, pending, subscribed and unsubscribed addresses get byte-identical answers', async () => {
    const addresses = { pending: 'pending@example.com', subscribed: 'tokens@example.com', unsubscribed: 'Anna.Virtanen@example.fi' };
    await subscribe({ email: addresses.pending });
    await smtp.waitFor(addresses.pending);
    const answers = await Promise.all(
      ['new-address@example.com', addresses.pending, addresses.subscribed, 'someone-else@example.com'].map((email) => subscribe({ email }))
    );
    const shapes = answers.map((a) => [a.status, a.text, a.headers['content-type'], a.headers['content-length'], a.headers['cache-control']]);
    for (const shape of shapes) expect(shape).toEqual(shapes[0]);
  });

  it.each([
    ['no email', {}],
    ['not an address', { email: 'not-an-address' }],
    ['a too long address', { email: `${'a'.repeat(250)}@x.fi` }],
    ['an unknown list', { email: 'x@example.com', list: 'secret-list' }],
    ['a bad locale', { email: 'x@example.com', locale: '<script>' }],
    ['a javascript: source', { email: 'x@example.com', source: 'javascript:alert(1)' }],
    ['an unknown field', { email: 'x@example.com', admin: true }],
    ['an array', [{ email: 'x@example.com' }]],
  ])('refuses %s with 400, whatever the address', async (_label, body) => {
    await app.strapi.plugin('privacy-centre').service('newsletter').drain();
    const before = await app.strapi.db.query(SUBSCRIPTIONS).count();
    const response = await subscribe(body);
    expect(response.status).toBe(400);
    expect(await app.strapi.db.query(SUBSCRIPTIONS).count()).toBe(before);
  });

  it('takes a plain HTML form post', async () => {
    const response = await api().post('/api/privacy-centre/newsletter/subscribe').type('form').send({ email: 'form@example.com', list: 'members', submit: 'Subscribe' });
    expect(response.status).toBe(202);
    await smtp.waitFor('form@example.com');
    expect((await subscriptionOf('form@example.com', 'members')).status).toBe('pending');
  });

  it('re-sends the confirmation at most once per interval', async () => {
    const email = 'resend@example.com';
    await subscribe({ email });
    await smtp.waitFor(email);
    await subscribe({ email });
    await subscribe({ email });
    await new Promise((r) => setTimeout(r, 500));
    expect(smtp.messagesTo(email)).toHaveLength(1);
  });
});

describe('concurrency', () => {
  it('200 concurrent subscribe and unsubscribe requests for one address end in one consistent row', async () => {
    const email = 'busy@example.com';
    await subscribe({ email });
    const first = await smtp.waitFor(email);
    const unsubscribeUrl = unsubscribeUrlOf(rawHeader(first.raw, 'List-Unsubscribe')!);
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        i % 2 ? subscribe({ email }) : api().post(pathOf(unsubscribeUrl)).type('form').send('List-Unsubscribe=One-Click')
      )
    );
    const service = app.strapi.plugin('privacy-centre').service('newsletter');
    await service.drain();
    const rows = await app.strapi.db.query(SUBSCRIPTIONS).findMany({ where: { email } });
    expect(rows).toHaveLength(1);
    const events = await eventsOf(email);
    // The history explains the state: its last event is the status it left.
    const last = events.at(-1);
    expect({ pending: 'requested', unsubscribed: 'withdrawn', subscribed: 'confirmed' }[rows[0].status as string]).toBe(last.action);
    // And it alternates: no two withdrawals in a row, no request while pending within the interval.
    for (let i = 1; i < events.length; i += 1) expect(events[i].action === 'withdrawn' && events[i - 1].action === 'withdrawn').toBe(false);
  });
});

describe("helpers for the site's own newsletters", () => {
  it('listUnsubscribeHeaders and unsubscribeUrl, used on a message sent with Strapi’s email plugin', async () => {
    const service = app.strapi.plugin('privacy-centre').service('newsletter');
    const headers = await service.listUnsubscribeHeaders('tokens@example.com');
    const url = await service.unsubscribeUrl('tokens@example.com');
    expect(headers['List-Unsubscribe']).toBe(`<${url}>`);
    await app.strapi.plugin('email').service('email').send({
      to: 'tokens@example.com',
      subject: 'November news',
      text: `News.\n\nUnsubscribe: ${url}`,
      headers,
    });
    const received = await smtp.waitFor('tokens@example.com', (m) => m.parsed.subject === 'November news');
    expect(rawHeader(received.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const response = await api().post(pathOf(unsubscribeUrlOf(rawHeader(received.raw, 'List-Unsubscribe')!))).type('form').send('List-Unsubscribe=One-Click');
    expect(response.status).toBe(200);
    expect((await subscriptionOf('tokens@example.com')).status).toBe('unsubscribed');
    await expect(service.unsubscribeUrl('nobody@example.com')).rejects.toThrow(/not on the default list/);
  });
});

describe('rate limit, purges and pseudonymisation', () => {
  it('answers 429 with Retry-After past the limit on subscribe', async () => {
    const config = app.strapi.config.get('plugin::privacy-centre') as any;
    const { max } = config.rateLimit;
    config.rateLimit.max = 1;
    try {
      const answers = await Promise.all([1, 2, 3].map(() => subscribe({ email: 'limited@example.com' })));
      expect(answers.some((a) => a.status === 429 && Number(a.headers['retry-after']) > 0)).toBe(true);
    } finally {
      config.rateLimit.max = max;
    }
  });

  it('deletes old unconfirmed sign-ups, pseudonymises old unsubscribed addresses, keeps their events, and still recognises them', async () => {
    const knex = app.strapi.db.connection;
    const old = '2020-01-01T00:00:00.000Z';
    await knex('privacy_centre_newsletter_subscriptions').where({ email: 'pending@example.com' }).update({ requested_at: old });
    await knex('privacy_centre_newsletter_subscriptions').where({ email: 'Anna.Virtanen@example.fi' }).update({ status: 'unsubscribed', unsubscribed_at: old, unsubscribe_reason: 'too many mails' });
    const anna = await subscriptionOf('Anna.Virtanen@example.fi');
    const eventsBefore = await app.strapi.db.query(EVENTS).count({ where: { subjectRef: anna.emailHash } });
    const result = await app.strapi.plugin('privacy-centre').service('retention').run();
    expect(result).toMatchObject({ pendingSubscriptionsDeleted: 1, unsubscribedAddressesPseudonymised: 1 });
    expect(await app.strapi.db.query(SUBSCRIPTIONS).count({ where: { email: 'pending@example.com' } })).toBe(0);
    const pseudonymised = await app.strapi.db.query(SUBSCRIPTIONS).findOne({ where: { documentId: anna.documentId } });
    expect(pseudonymised).toMatchObject({ email: null, unsubscribeReason: null, source: null });
    expect(await app.strapi.db.query(EVENTS).count({ where: { subjectRef: anna.emailHash } })).toBe(eventsBefore);
    // A new sign-up is recognised (same row, by its keyed hash) and asked to confirm again.
    await subscribe({ email: 'Anna.Virtanen@EXAMPLE.fi' });
    await waitUntil(async () => (await app.strapi.db.query(SUBSCRIPTIONS).findOne({ where: { documentId: anna.documentId } })).status === 'pending');
    expect(await app.strapi.db.query(SUBSCRIPTIONS).count({ where: { emailHash: anna.emailHash } })).toBe(1);
  });
});

describe('the admin Newsletter page', () => {
  it('lists subscribers with counts, shows a history with its evidence, unsubscribes (audited), exports', async () => {
    const auth = { Authorization: `Bearer ${token}` };
    const list = await api().get('/privacy-centre/newsletter/subscriptions?status=subscribed').set(auth);
    expect(list.status).toBe(200);
    expect(list.body.meta.counts.default).toHaveProperty('subscribed');
    const busy = (await api().get('/privacy-centre/newsletter/subscriptions?q=busy').set(auth)).body.data[0];
    const detail = await api().get(`/privacy-centre/newsletter/subscriptions/${busy.documentId}`).set(auth);
    expect(detail.body.data.events[0]).toMatchObject({ action: 'requested', evidence: { message: { subject: 'Please confirm your subscription' } } });
    // The message text is shown, but no link in it works: a reader may not confirm or unsubscribe.
    const shown: string = detail.body.data.events[0].evidence.message.text;
    const stored = (await app.strapi.db.query(EVENTS).findOne({ where: { consentId: detail.body.data.events[0].consentId } })).evidence.message.text;
    const tokens = [...stored.matchAll(/token=([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)/g)];
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    for (const [, body, signature] of tokens) {
      expect(shown).toContain(`token=${body}.…`);
      expect(shown).not.toContain(signature);
    }
    const manual = await api().post(`/privacy-centre/newsletter/subscriptions/${busy.documentId}/unsubscribe`).set(auth).send({ reason: 'asked by phone' });
    expect(manual.body.data.status).toBe('unsubscribed');
    expect(await app.strapi.db.query('plugin::privacy-centre.audit-event').count({ where: { action: 'newsletter.unsubscribe' } })).toBe(1);
    const history = (await api().get(`/privacy-centre/newsletter/subscriptions/${busy.documentId}`).set(auth)).body.data.events;
    expect(history.at(-1)).toMatchObject({ action: 'withdrawn', via: 'admin', evidence: { method: 'admin', reason: 'asked by phone' } });
    const csv = await api().get('/privacy-centre/newsletter/export?format=csv').set(auth).buffer(true).parse((res, done) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c));
      res.on('end', () => done(null, text));
    });
    expect(String(csv.body).split('\n')[0]).toMatch(/^documentId,email,list,status/);
    const stats = await api().get('/privacy-centre/newsletter/stats').set(auth);
    expect(stats.body.data.days.at(-1).lists.default.requested).toBeGreaterThan(0);
    const reader = (await createAdmin(app, [actionUid('newsletter', 'read')])).token;
    expect((await api().get('/privacy-centre/newsletter/export').set('Authorization', `Bearer ${reader}`)).status).toBe(403);
  });
});
