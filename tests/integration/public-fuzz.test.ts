import { createHash } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { types } from 'node:util';
import fc from 'fast-check';
import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { createAdmin } from '../helpers/admin';
import { databaseClient } from '../helpers/database';
import { ensureLocales, sampleLocales } from '../helpers/policies';
import { makeToken } from '../../server/src/newsletter/tokens';

/**
 * Random input on every public route of the plugin (GET and POST under /api/privacy-centre/):
 * odd paths, query strings, bodies, content types and headers, sent concurrently to a real
 * Strapi. Whatever arrives: no 5xx, every 4xx says why in Strapi's JSON error shape (or as one
 * of the newsletter's HTML pages), no raw IP address in any answer, and nothing changes in the
 * plugin's tables. The writes generated are all invalid or unauthorised (forged, stale or
 * tampered tokens, unknown categories and lists, bad revisions), so "nothing changes" is exact.
 * The one exception is cookie discovery's intake, which takes valid random reports (names only):
 * its counters must add up to exactly the names of the reports it accepted, and hold no value.
 *
 * FUZZ_REQUESTS sets how many requests (default 5,000 on SQLite, 2,000 on PostgreSQL/MySQL; CI's time
 * budget decides: a longer run is `FUZZ_REQUESTS=50000 npx jest tests/integration/public-fuzz.test.ts …`);
 * FUZZ_SEED replays a run (the seed is printed).
 */
const CLIENT = databaseClient();
const TOTAL = Number(process.env.FUZZ_REQUESTS || (CLIENT === 'sqlite' ? 5_000 : 2_000));
const SEED = Number(process.env.FUZZ_SEED || Math.floor(Math.random() * 2 ** 31));
const BATCH = 16;
const PREFIX = '/api/privacy-centre';

let app: TestStrapi;
/** The key that signs link tokens now (the keyring's newest link key). */
const linkKey = (): string => app.strapi.plugin('privacy-centre').service('keys').linkKey();
let port: number;
const agent = new http.Agent({ keepAlive: true, maxSockets: BATCH });

/** What the fuzzer may use as a token or an id: valid ones only where using them changes nothing. */
const seeds = {
  consentId: '',
  receipt: {} as Record<string, unknown>,
  /** GET pages only: reading a valid link changes nothing. */
  pageTokens: [] as string[],
  /** POST /newsletter/confirm: forged, tampered, expired, stale, or of a subscription confirmed already. */
  confirmTokens: [] as string[],
  /** POST /newsletter/unsubscribe: forged, tampered, or of a subscription unsubscribed already. */
  unsubscribeTokens: [] as string[],
};

beforeAll(async () => {
  app = await bootStrapi();
  port = (app.strapi.server.httpServer.address() as { port: number }).port;
  await ensureLocales(app, ['fi']);
  const { token } = await createAdmin(app);
  const auth = { Authorization: `Bearer ${token}` };
  const draft = await app.http().post('/privacy-centre/policies/drafts').set(auth).send({ slug: 'privacy-policy', locales: sampleLocales('fuzz') });
  expect((await app.http().post(`/privacy-centre/policies/drafts/${draft.body.data.documentId}/publish`).set(auth).send({})).status).toBe(200);
  expect((await app.http().post('/privacy-centre/cookies/publish').set(auth).send({})).status).toBe(200);

  const consent = await app.http().post(`${PREFIX}/consents`).send({ state: { statistics: true }, locale: 'fi' });
  expect(consent.status).toBe(201);
  seeds.consentId = consent.body.data.consentId;
  seeds.receipt = consent.body.data;

  // Three subscriptions: pending, subscribed and unsubscribed (the test app writes mail to a stream).
  const newsletter = app.strapi.plugin('privacy-centre').service('newsletter');
  const facts = { ip: '127.0.0.1', userAgent: 'seed', gpc: false, referer: undefined };
  for (const email of ['pending@fuzz.example', 'subscribed@fuzz.example', 'unsubscribed@fuzz.example']) {
    await newsletter.subscribe({ email, list: 'default', language: 'fi', source: null, subjectId: null }, facts);
  }
  const [pending, subscribed, unsubscribed] = await Promise.all(
    ['pending', 'subscribed', 'unsubscribed'].map((name) => newsletter.subscriptionOf(`${name}@fuzz.example`, 'default'))
  );
  const confirmOf = (row: any, r = row.requestedAt, e = 9_999_999_999) => makeToken(linkKey(), 'confirm', { s: row.documentId, l: row.list, r, e });
  const unsubscribeOf = (row: any, l = row.list) => makeToken(linkKey(), 'unsubscribe', { s: row.documentId, l });
  for (const row of [subscribed, unsubscribed]) expect((await newsletter.confirm(confirmOf(row), facts)).outcome).toBe('done');
  expect((await newsletter.unsubscribe(unsubscribeOf(unsubscribed), { method: 'frontend' }, facts)).outcome).toBe('done');

  const tampered = (token: string) => token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
  const nobody = { documentId: 'nobodynobodynobodynobody', list: 'default', requestedAt: '2026-01-01T00:00:00.000Z' };
  seeds.confirmTokens = [
    confirmOf(subscribed), // confirmed already: "already"
    confirmOf(unsubscribed), // no longer pending: "stale"
    confirmOf(pending, '2020-01-01T00:00:00.000Z'), // another request's link: "stale"
    confirmOf(pending, pending.requestedAt, Math.floor(Date.now() / 1000) - 1), // expired
    tampered(confirmOf(pending)),
    confirmOf(nobody),
    unsubscribeOf(unsubscribed), // another purpose (and harmless as an unsubscribe token)
    makeToken('an-unknown-secret-of-at-least-32-chars!!', 'confirm', { s: pending.documentId, l: 'default', r: pending.requestedAt, e: 9_999_999_999 }),
    `${confirmOf(pending)}.x`,
    confirmOf(pending).split('.')[0],
  ];
  seeds.unsubscribeTokens = [
    unsubscribeOf(unsubscribed), // unsubscribed already: "already"
    unsubscribeOf(pending, 'members'), // no such subscription on that list
    unsubscribeOf(nobody),
    tampered(unsubscribeOf(subscribed)),
    tampered(unsubscribeOf(pending)),
    confirmOf(subscribed), // another purpose
    makeToken('an-unknown-secret-of-at-least-32-chars!!', 'unsubscribe', { s: subscribed.documentId, l: 'default' }),
    unsubscribeOf(subscribed).slice(0, -3),
  ];
  seeds.pageTokens = [...seeds.confirmTokens, ...seeds.unsubscribeTokens, confirmOf(pending), unsubscribeOf(pending), unsubscribeOf(subscribed)];
  await newsletter.drain();
});

afterAll(async () => {
  agent.destroy();
  await app?.close();
});

// ---- the database, before and after --------------------------------------------------------

/** Row count and a hash of every row of the plugin's tables (job claims aside: cron jobs may take them). */
async function snapshot(): Promise<Record<string, { rows: number; sha256: string }>> {
  const knex = app.strapi.db.connection;
  const tables = new Set<string>();
  for (const uid of Object.keys(app.strapi.contentTypes)) {
    // Discovery's counters are checked apart (observationCounts): valid reports add to them.
    if (!uid.startsWith('plugin::privacy-centre.') || uid.endsWith('.job-claim') || uid.endsWith('.cookie-observation')) continue;
    const meta = app.strapi.db.metadata.get(uid) as any;
    tables.add(meta.tableName);
    for (const attribute of Object.values(meta.attributes) as any[]) if (attribute.joinTable?.name) tables.add(attribute.joinTable.name);
  }
  const result: Record<string, { rows: number; sha256: string }> = {};
  for (const table of [...tables].sort()) {
    const rows = await knex(table).select('*');
    const lines = rows.map((row: unknown) => JSON.stringify(row)).sort();
    result[table] = { rows: rows.length, sha256: createHash('sha256').update(lines.join('\n')).digest('hex') };
  }
  const settings = await knex('strapi_core_store_settings').select('*').where('key', 'like', '%privacy-centre%');
  result.settings = { rows: settings.length, sha256: createHash('sha256').update(JSON.stringify(settings)).digest('hex') };
  return result;
}

/** Cookie discovery's counters: the names counted in all, and whether any row holds more than a name. */
async function observationCounts(): Promise<{ names: number; rows: any[] }> {
  await app.strapi.plugin('privacy-centre').service('discovery').flush();
  const rows = await app.strapi.db.connection('privacy_centre_cookie_observations').select('name', 'storage', 'count', 'paths');
  return { names: rows.reduce((sum: number, row: any) => sum + Number(row.count), 0), rows };
}

/** The distinct names per storage of a report the intake accepted: what its counters must add. */
function namesIn(body: Buffer | undefined): number {
  const report = JSON.parse(body!.toString('utf8'));
  return ['cookie', 'localStorage', 'sessionStorage'].reduce((sum, storage) => sum + new Set(report[storage] ?? []).size, 0);
}

// ---- sending ----------------------------------------------------------------------------------

interface Spec {
  route: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Sent without Content-Length (chunked), so only strapi::body's own limits apply. */
  chunked?: boolean;
}
interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  ms: number;
}

/**
 * Sends a request; a connection reset before any answer (a keep-alive socket the server closed
 * meanwhile) is retried once on a new connection: every request here is safe to repeat.
 */
async function send(spec: Spec): Promise<Answer> {
  // A body the server may leave unread (not a POST, or chunked) goes on a connection of its own,
  // so that what is left of it cannot be read as the start of the next request on a kept-alive one.
  const own = spec.chunked || (spec.body !== undefined && spec.method !== 'POST');
  try {
    return await sendOnce(spec, own ? false : agent);
  } catch (error) {
    if (!/ECONNRESET|EPIPE|socket hang up/.test((error as Error).message)) throw error;
    return sendOnce(spec, false);
  }
}

function sendOnce(spec: Spec, via: http.Agent | false): Promise<Answer> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...spec.headers };
    if (spec.body && !spec.chunked) headers['Content-Length'] = String(spec.body.length);
    // Node's client frames a GET's or DELETE's body only when told to.
    if (spec.body && spec.chunked) headers['Transfer-Encoding'] = 'chunked';
    const request = http.request({ host: '127.0.0.1', port, method: spec.method, path: spec.path, headers, agent: via }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, text: Buffer.concat(chunks).toString('utf8'), ms: Date.now() - started }));
      response.on('error', reject);
    });
    request.setTimeout(30_000, () => request.destroy(new Error('no answer within 30 s')));
    // A body refused before it is read (413) may close the socket while it is still being written.
    request.on('error', reject);
    if (spec.body) request.end(spec.body);
    else request.end();
  });
}

const headerBytes = (spec: Spec) =>
  Buffer.byteLength(`${spec.method} ${spec.path} HTTP/1.1\r\n`, 'latin1') + Object.entries(spec.headers).reduce((n, [k, v]) => n + k.length + Buffer.byteLength(v, 'latin1') + 4, 200);
const PAGE_ROUTES = ['confirm-page', 'unsubscribe-page', 'confirm', 'unsubscribe'];
const ADDRESS = /\b(?:\d{1,3}\.){3}\d{1,3}\b|\b[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7}\b/gi;

/** What is wrong with an answer, or null. */
function problemOf(spec: Spec, answer: Answer): string | null {
  if (answer.status >= 500) return `answered ${answer.status}`;
  // Node's own HTTP parser refuses a request line and headers over its 16 KiB (Strapi never sees
  // them); the plugin answers it in Strapi's error shape (checked below), or with an empty body
  // when the refused bytes do not show the request line (see server/src/middlewares/client-errors.ts).
  if (answer.status === 431) {
    if (headerBytes(spec) <= 16 * 1024 - 512) return `a 431 for ${headerBytes(spec)} bytes of headers`;
    if (answer.headers['content-length'] === '0' && answer.text === '') return null;
  }
  const type = String(answer.headers['content-type'] ?? '');
  if (answer.status >= 400 && spec.method !== 'HEAD') {
    if (/json/.test(type)) {
      let error: any;
      try {
        error = JSON.parse(answer.text).error;
      } catch {
        return `a ${answer.status} whose JSON body does not parse`;
      }
      if (error?.status !== answer.status || typeof error?.message !== 'string' || !error.message) return `a ${answer.status} without Strapi's error shape: ${answer.text.slice(0, 200)}`;
    } else if (/text\/html/.test(type)) {
      if (!PAGE_ROUTES.includes(spec.route) || !answer.text.includes('<html')) return `a ${answer.status} HTML body on ${spec.route}`;
    } else if (/text\/plain/.test(type)) {
      // RFC 8058 one-click answers in plain text.
      if (spec.route !== 'unsubscribe' || !answer.text.trim()) return `a ${answer.status} text/plain body on ${spec.route}`;
    } else return `a ${answer.status} with Content-Type "${type}" and body ${JSON.stringify(answer.text.slice(0, 120))} (headers ${JSON.stringify(answer.headers)})`;
  }
  if (/text\/html/.test(type) && answer.text.includes('<fuzz-injected')) return 'markup from the request is in the HTML page unescaped';
  const forged = [spec.headers['X-Forwarded-For'], spec.headers['X-Real-IP'], spec.headers.Forwarded].join(' ').match(ADDRESS) ?? [];
  for (const address of ['127.0.0.1', ...forged.filter((a) => a.length >= 7)]) {
    if (answer.text.includes(address)) return `the address ${address} is in the answer`;
  }
  for (const [name, value] of Object.entries(answer.headers)) {
    if (name !== 'date' && String(value).includes('127.0.0.1')) return `the address 127.0.0.1 is in the header ${name}`;
  }
  return null;
}

// ---- what is sent -------------------------------------------------------------------------------

/** A string safe to put in a URL as is: percent-encoded, or lone surrogates as broken UTF-8. */
const encode = (text: string) => {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
};
/**
 * Raw characters in a request line, unencoded (0x21–0x7E but ? and #). Bytes over 0x7F are sent
 * percent-encoded only: Node's HTTP parser answers them itself (a bare 400), Strapi never sees them.
 */
const rawPathText = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).filter((c) => c !== 0x3f && c !== 0x23).map((c) => String.fromCharCode(c)), maxLength: 40 });
/** A header value Node sends (tab, printable ASCII, Latin-1). */
const headerText = (maxLength: number) =>
  fc.string({ unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff }), fc.constant(9)).map((c) => String.fromCharCode(c)), maxLength });

const oddSegment = fc.oneof(
  fc.constantFrom(
    '..', '.', '%2e%2e', '%2E', '%00', 'a%00b', '%', '%zz', '%E0%A4%A', '%C0%AF', '%ff', '%FF%FE', 'a'.repeat(3000), '%F0%9F%92%A5', '💥'.replace(/./su, encode),
    ';', ';a=b', '~', "'", '%22%3E%3Cfuzz-injected%3E', '%0d%0aX-Injected:%201', '__proto__', 'constructor', 'prototype', 'privacy-policy',
    'PRIVACY-POLICY', 'privacy-policy%20', 'cookie-policy', '-', '1', '0', '01', '-1', '1e3', '999999999', '9999999999', 'null', 'undefined',
    "'%20OR%201=1%20--", '%2F', '%5C', '..%2F..%2F', 'AAAAAAAAAAAAAAAAAAAAAA', 'verify', 'a'.repeat(64), 'a'.repeat(65)
  ),
  fc.string({ unit: 'binary', maxLength: 60 }).map(encode),
  fc.string({ unit: 'grapheme', maxLength: 30 }).map(encode),
  rawPathText,
  fc.stringMatching(/^[A-Za-z0-9_-]{22}$/),
  fc.stringMatching(/^[a-z0-9]{1,12}(-[a-z0-9]{1,12}){0,3}$/)
);

/** Locale codes of the right form, thousands of distinct ones, and junk. */
const localeValue = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/) },
  { weight: 1, arbitrary: fc.constantFrom('en', 'fi', 'et', 'de', 'EN', 'fi-FI', 'fi_FI', 'x'.repeat(500), '', '*', 'en;q=1', '%00', 'zz-' + 'a'.repeat(40)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }).map(encode) }
);
const queryKey = fc.oneof(
  fc.constantFrom('locale', 'token', 'a', 'a[]', 'a[b][c]', 'a[0]', 'a[999999]', '__proto__', '__proto__[x]', 'constructor[prototype][x]', 'locale[]', 'locale[$ne]', 'locale[0]', 'token[]', 'token[a]', 'populate', 'filters[x][$eq]', 'sort', 'pagination[pageSize]', 'status', 'a' + '[b]'.repeat(30), ''),
  fc.string({ unit: 'binary', maxLength: 20 }).map(encode),
  rawPathText
);

function queryOf(tokens: string[]) {
  const value = fc.oneof(
    localeValue,
    fc.constantFrom(...tokens).map(encode),
    fc.string({ unit: 'binary', maxLength: 40 }).map(encode),
    rawPathText,
    fc.integer({ min: 1, max: 30_000 }).map((n) => 'x'.repeat(n % 6000))
  );
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant('') },
    { weight: 3, arbitrary: localeValue.map((l) => `?locale=${l}`) },
    { weight: 2, arbitrary: fc.constantFrom(...tokens).map((t) => `?token=${encode(t)}`) },
    { weight: 4, arbitrary: fc.array(fc.tuple(queryKey, value), { maxLength: 20 }).map((pairs) => `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`) },
    { weight: 1, arbitrary: fc.integer({ min: 990, max: 1500 }).map((n) => `?${Array.from({ length: n }, (_, i) => `k${i}=${i}`).join('&')}`) },
    { weight: 1, arbitrary: fc.integer({ min: 2, max: 300 }).map((n) => `?locale=en${'&locale=fi'.repeat(n)}`) },
    { weight: 1, arbitrary: fc.integer({ min: 5, max: 2000 }).map((n) => `?a${'[b]'.repeat(n % 400)}=1`) },
    { weight: 1, arbitrary: fc.constantFrom('?', '??', '?&&&', '?=', '?=x', '?locale', '?locale=', '?locale=fi#frag', '?%', '?a=%', '?a=%E0%A4%A', '?token=%00', `?token=${'A'.repeat(1100)}.${'B'.repeat(40)}`) }
  );
}

const ipv4 = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })).map(([a, b]) => `203.0.${a}.${b}`);
const forwarded = fc.oneof(
  ipv4,
  fc.constantFrom('198.51.100.23', '2001:db8::1', '::ffff:198.51.100.77', '[2001:db8::2]:443', 'fe80::1%eth0', 'unknown', '', ',,,', ' , ', '999.999.1.1', '1.2.3', '::', '0.0.0.0', '_hidden', 'a'.repeat(2000), 'localhost'),
  fc.array(ipv4, { minLength: 2, maxLength: 20 }).map((list) => list.join(', ')),
  headerText(100)
);
const headers = fc.record(
  {
    'X-Forwarded-For': forwarded,
    'X-Real-IP': forwarded,
    Forwarded: forwarded.map((ip) => `for="${ip}";proto=https`),
    'Sec-GPC': fc.constantFrom('1', '0', ' 1 ', '1 ', 'true', '1,1', '', 'yes', '2', '\t1'),
    'User-Agent': fc.oneof(headerText(200), fc.integer({ min: 1, max: 8000 }).map((n) => 'Mozilla/5.0 '.repeat(Math.ceil(n / 12)).slice(0, n)), fc.constant('')),
    Referer: fc.oneof(
      fc.constantFrom('javascript:alert(1)', 'http://[::1', 'https://site.example/%E0%A4%A', 'https://x.example/' + 'a'.repeat(3000), 'data:text/html,<fuzz-injected>', '//evil.example', 'http://127.0.0.1/admin', 'null'),
      headerText(80)
    ),
    'Accept-Language': fc.oneof(fc.constantFrom('fi', 'et;q=0.5, de', '*', '"><fuzz-injected>', 'xx-<fuzz-injected>', ';;;', 'fi-FI,fi;q=0.9', 'a'.repeat(500), ''), headerText(60)),
    Accept: fc.constantFrom('application/json', 'text/html', '*/*', '', 'image/png', 'application/json;q=0', '*/*;q=x'),
    'If-None-Match': fc.oneof(fc.constantFrom('*', 'W/"x"', '"', '""', 'a'.repeat(1000)), headerText(40)),
    'If-Modified-Since': fc.constantFrom('yesterday', 'Thu, 01 Jan 1970 00:00:00 GMT', 'Fri, 31 Dec 9999 23:59:59 GMT', ''),
    Cookie: fc.oneof(fc.constantFrom('koa.sess=junk', 'a=b; a=c', '=;=;', 'x'.repeat(2000)), headerText(60)),
    Origin: fc.constantFrom('https://site.example', 'null', 'http://localhost:1337', 'junk'),
    'Content-Encoding': fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-junk', 'gzip, gzip'),
  },
  { requiredKeys: [] }
);

/** Any JSON value, including wrong types where objects are expected. */
const jsonValue = fc.jsonValue({ maxDepth: 4 });
const looseObject = fc.dictionary(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('state', 'email', 'list', 'token', 'receipt', 'locale', 'source', 'subjectId', 'acceptedCategories', 'revision', '__proto__', 'constructor')), jsonValue, { maxKeys: 8 });

/** Route-specific fields, valid and not, in a JSON body: the poison is added after. */
function fieldsOf(route: string): fc.Arbitrary<Record<string, unknown>> {
  switch (route) {
    case 'consent-record':
      return fc.record(
        {
          state: fc.oneof(fc.dictionary(fc.constantFrom('necessary', 'preferences', 'statistics', 'marketing', 'x', ''), fc.oneof(fc.boolean(), jsonValue)), jsonValue),
          acceptedCategories: fc.array(fc.oneof(fc.constantFrom('necessary', 'statistics'), jsonValue), { maxLength: 60 }),
          rejectedCategories: fc.array(fc.constantFrom('necessary', 'marketing'), { maxLength: 3 }),
          declarationRevision: fc.oneof(fc.integer(), jsonValue),
          policy: fc.oneof(fc.constant({ slug: 'privacy-policy', version: 1 }), jsonValue),
          source: fc.oneof(fc.constantFrom('https://site.example/', 'javascript:1', 'http://203.0.113.5/'), jsonValue),
          locale: localeValue,
          subjectId: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/), jsonValue),
          previousConsentId: fc.oneof(fc.constant(seeds.consentId), fc.stringMatching(/^[A-Za-z0-9_-]{22}$/), jsonValue),
          requestId: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_.:-]{1,64}$/), jsonValue),
        },
        { requiredKeys: [] }
      );
    case 'consent-verify':
      return fc.record(
        {
          receipt: fc.oneof(
            fc.constant(seeds.receipt),
            fc.tuple(fc.constantFrom(...Object.keys(seeds.receipt)), jsonValue).map(([key, value]) => ({ ...seeds.receipt, [key]: value })),
            fc.constant({ ...seeds.receipt, consentId: 'x'.repeat(5000) }),
            jsonValue
          ),
        },
        { requiredKeys: [] }
      );
    case 'subscribe':
      return fc.record(
        {
          email: fc.oneof(fc.constantFrom('pending@fuzz.example', 'new@fuzz.example', 'a@b', '@', 'x'.repeat(300) + '@fuzz.example', ' new@fuzz.example '), jsonValue),
          locale: localeValue,
          source: fc.oneof(fc.constantFrom('https://site.example/', 'http://203.0.113.8/', 'ftp://x'), jsonValue),
          subjectId: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/), jsonValue),
        },
        { requiredKeys: [] }
      );
    case 'c15t-subjects':
      return fc.record(
        {
          type: fc.oneof(fc.constantFrom('cookie_banner', 'privacy_policy', 'other'), jsonValue),
          subjectId: fc.oneof(fc.stringMatching(/^sub_[1-9A-HJ-NP-Za-km-z]{8,60}$/), jsonValue),
          domain: fc.oneof(fc.constantFrom('site.example', '203.0.113.5', ' '.repeat(300), 'a'.repeat(300)), jsonValue),
          preferences: fc.oneof(fc.dictionary(fc.constantFrom('necessary', 'measurement', 'marketing', 'statistics', '__proto__', ''), fc.oneof(fc.boolean(), jsonValue)), jsonValue),
          givenAt: fc.oneof(fc.integer(), fc.double(), jsonValue),
          jurisdiction: fc.oneof(fc.constantFrom('GDPR', 'NONE', 'MARS'), jsonValue),
          consentAction: fc.oneof(fc.constantFrom('all', 'necessary', 'custom'), jsonValue),
          externalSubjectId: fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), jsonValue),
          metadata: jsonValue,
        },
        { requiredKeys: [] }
      );
    case 'observations': {
      // Mostly what a browser sends, with values smuggled as names, markup, and the limits' edges.
      const name = fc.oneof(
        { weight: 30, arbitrary: fc.stringMatching(/^[A-Za-z0-9_.:/[\]%$!#*+^|~@-]{1,24}$/) },
        { weight: 1, arbitrary: fc.constantFrom('_ga', '_ga_ABC123', '_fbp', '_hjid', '_hjSessionUser_42', 'x'.repeat(128), 'a=b', 'a;b', '<fuzz-injected>', '', ' ', 'é', 'x'.repeat(129), 'A'.repeat(40), 'session id', '__proto__') },
        { weight: 1, arbitrary: jsonValue }
      );
      const names = fc.oneof(
        { weight: 12, arbitrary: fc.array(name, { maxLength: 10 }) },
        { weight: 1, arbitrary: fc.array(fc.constant('_ga'), { minLength: 190, maxLength: 210 }) },
        { weight: 1, arbitrary: jsonValue }
      );
      const often = <T,>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<unknown>) => fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: invalid });
      return fc.record(
        {
          revision: often(fc.constantFrom(1, 2), fc.oneof(fc.constantFrom(424_242, 0, -1, 1.5, '1'), jsonValue)),
          path: often(
            fc.oneof(fc.constantFrom('/', '/shop/basket', `/${'p'.repeat(511)}`), fc.stringMatching(/^(\/[A-Za-z0-9_~!$&()*+,;=:@%-]{1,12}){1,4}$/)),
            fc.oneof(fc.constantFrom('/a?b=1', '/a#b', '//evil.example', '/../x', '/a/./b', '/a b', `/${'p'.repeat(512)}`, '/<fuzz-injected>', ''), rawPathText.map((text) => `/${text}`), jsonValue)
          ),
          granted: often(fc.oneof(fc.constant(null), fc.array(fc.constantFrom('necessary', 'statistics', 'marketing'), { maxLength: 3 })), fc.oneof(fc.array(fc.constantFrom('zzunknown', ''), { minLength: 1 }), jsonValue)),
          cookie: names,
          localStorage: names,
          sessionStorage: names,
        },
        { requiredKeys: ['revision', 'path', 'granted'] }
      );
    }
    case 'confirm':
      return fc.record({ token: fc.oneof(fc.constantFrom(...seeds.confirmTokens), jsonValue) }, { requiredKeys: [] });
    case 'unsubscribe':
      return fc.record(
        {
          token: fc.oneof(fc.constantFrom(...seeds.unsubscribeTokens), jsonValue),
          'List-Unsubscribe': fc.oneof(fc.constantFrom('One-Click', 'one-click', 'One-Click ', ''), jsonValue),
          reason: fc.oneof(fc.string({ unit: 'binary', maxLength: 600 }), jsonValue),
        },
        { requiredKeys: [] }
      );
    default:
      return looseObject;
  }
}

/**
 * Makes a body that would change data invalid, whatever else it holds: each of these alone is
 * refused (an unknown field and an unknown revision in both consent shapes, a list that does not
 * exist). Tokens come from the pools above, which hold no token that changes anything.
 */
function poisoned(route: string, value: unknown, which: number): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const object = value as Record<string, unknown>;
  if (route === 'consent-record') {
    const poisons = [
      { zz_fuzz: true },
      { declarationRevision: 424_242, revision: 424_242 },
      { state: { ...(typeof object.state === 'object' ? (object.state as object) : {}), zzunknown: true }, acceptedCategories: ['zzunknown'] },
    ];
    return { ...object, ...poisons[which % poisons.length] };
  }
  if (route === 'subscribe') return { ...object, list: which % 2 ? 'no-such-list' : ['default'] };
  // c15t's body refuses an unknown field, and an unknown consent type.
  if (route === 'c15t-subjects') return which % 2 ? { ...object, zz_fuzz: true } : { ...object, preferences: { zzunknown: true } };
  return object;
}
/** The same, as form fields (first: past qs's parameterLimit, later ones are dropped). */
const formPoison = (route: string): Array<[string, string]> =>
  route === 'consent-record' || route === 'c15t-subjects' ? [['zz_fuzz', '1']] : route === 'subscribe' ? [['list', 'no-such-list']] : [];

interface Body {
  type?: string;
  body?: Buffer;
  chunked?: boolean;
}
const utf8 = (text: string) => Buffer.from(text, 'utf8');

function bodiesOf(route: string): fc.Arbitrary<Body> {
  const object = fc.tuple(fc.oneof(fieldsOf(route), looseObject, jsonValue), fc.nat()).map(([value, which]) => poisoned(route, value, which));
  const jsonType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/vnd.api+json', 'application/csp-report', 'application/JSON', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'application/json; boundary=x');
  const fields = fc
    .tuple(
      fc.array(fc.tuple(fc.oneof(queryKey, fc.constantFrom('token', 'List-Unsubscribe', 'reason', 'email', 'state[necessary]', 'acceptedCategories[]', 'receipt[consentId]')), fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.constantFrom('One-Click', 'true', ...seeds.unsubscribeTokens, ...seeds.confirmTokens))), { maxLength: 12 }),
      fc.boolean()
    )
    .map(([pairs, oneClick]) => [...formPoison(route), ...(oneClick ? ([['List-Unsubscribe', 'One-Click']] as Array<[string, string]>) : []), ...pairs]);
  const boundary = fc.stringMatching(/^[A-Za-z0-9'()+_,.\/:=?-]{1,70}$/);
  const multipart = (pairs: Array<[string, string]>, b: string) =>
    pairs.map(([k, v]) => `--${b}\r\nContent-Disposition: form-data; name="${k.replace(/["\r\n]/g, '')}"\r\n\r\n${v}\r\n`).join('') + `--${b}--\r\n`;

  return fc.oneof(
    { weight: 2, arbitrary: fc.constant<Body>({}) },
    // JSON, some of it with the wrong types
    { weight: 8, arbitrary: fc.tuple(object, jsonType).map(([value, type]) => ({ type, body: utf8(JSON.stringify(value) ?? 'null') })) },
    // deeply nested JSON
    {
      weight: 1,
      arbitrary: fc.tuple(fc.integer({ min: 50, max: 8000 }), fc.boolean(), fc.boolean()).map(([depth, array, chunked]) => {
        const n = chunked ? depth * 40 : depth;
        return { type: 'application/json', chunked, body: utf8(array ? `${'['.repeat(n)}${']'.repeat(n)}` : `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`) };
      }),
    },
    // huge strings, near and over the 16 KiB limit of the public routes, and past strapi::body's own
    {
      weight: 1,
      arbitrary: fc.tuple(fc.integer({ min: -64, max: 64 }), fc.constantFrom('email', 'reason', 'token', 'state', 'zz'), fc.boolean(), fc.nat()).map(([delta, key, chunked, which]) => {
        const skeleton = JSON.stringify(poisoned(route, { [key]: '' }, which));
        const fill = Math.max(0, 16 * 1024 + delta - skeleton.length);
        return { type: 'application/json', chunked, body: utf8(JSON.stringify(poisoned(route, { [key]: 'é'.repeat(fill / 2) }, which))) };
      }),
    },
    { weight: 1, arbitrary: fc.constantFrom<Body>({ type: 'application/json', chunked: true, body: Buffer.alloc(1_100_000, 0x20) }, { type: 'text/plain', chunked: true, body: Buffer.alloc(60_000, 0x61) }, { type: 'application/x-www-form-urlencoded', chunked: true, body: utf8(`zz_fuzz=1&list=no-such-list&a=${'b'.repeat(60_000)}`) }) },
    // long runs of whitespace around JSON
    { weight: 1, arbitrary: fc.tuple(object, fc.integer({ min: 0, max: 16_400 }), fc.constantFrom(' ', '\n', '\t', '\r\n', '\u00a0', '\u2028')).map(([value, n, space]) => ({ type: 'application/json', body: utf8(space.repeat(n / space.length) + JSON.stringify(value) + space.repeat(10)) })) },
    // malformed JSON
    {
      weight: 3,
      arbitrary: fc.oneof(
        fc.constantFrom('{', '}', '[', '{"a":}', "{'a':1}", '{"a":1,}', 'NaN', 'undefined', '\ufeff{}', '{"a":"\u0000"}', '{"a":"\\ud800"}', '{"__proto__":{"x":1}}', '{"a":1}{"b":2}', '"', '', ' ', 'nul', '01', '-', '{"a":1e999999}', '[' + '1,'.repeat(3000) + ']'),
        fc.tuple(object, fc.nat()).map(([value, cut]) => {
          const text = JSON.stringify(value) ?? '';
          return text.slice(0, cut % (text.length + 1)) + (cut % 3 ? '' : '\\');
        }),
        fc.string({ unit: 'binary', maxLength: 200 })
      ).map((text) => ({ type: 'application/json', body: utf8(text) })),
    },
    // urlencoded
    { weight: 3, arbitrary: fields.map((pairs) => ({ type: 'application/x-www-form-urlencoded', body: utf8(pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&')) })) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 900, max: 2000 }), fc.constantFrom(...formPoison(route).map(([k, v]) => `${k}=${v}&`), '')).map(([n, poison]) => ({ type: 'application/x-www-form-urlencoded', body: utf8(poison + Array.from({ length: n }, (_, i) => `a[${i}]=${i}`).join('&')) })) },
    { weight: 1, arbitrary: fc.tuple(fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom(...formPoison(route).map(([k, v]) => `${k}=${v}&`), '')).map(([text, poison]) => ({ type: 'application/x-www-form-urlencoded', body: utf8(poison + text) })) },
    // multipart: well-formed, and broken
    { weight: 3, arbitrary: fc.tuple(fields, boundary).map(([pairs, b]) => ({ type: `multipart/form-data; boundary=${b}`, body: utf8(multipart(pairs, b)) })) },
    {
      weight: 3,
      arbitrary: fc.tuple(fields, boundary, fc.nat(), fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)).map(([pairs, b, cut, kind]) => {
        const oneClick: Array<[string, string]> = [...formPoison(route), ['List-Unsubscribe', 'One-Click'], ...pairs];
        const good = multipart(oneClick, b);
        switch (kind) {
          case 0: return { type: 'multipart/form-data', body: utf8(good) }; // no boundary
          case 1: return { type: `multipart/form-data; boundary=${b}x`, body: utf8(good) }; // another boundary
          case 2: return { type: `multipart/form-data; boundary=${b}`, body: utf8(good.slice(0, cut % good.length)) }; // cut short
          case 3: return { type: `multipart/form-data; boundary=${b}`, body: utf8(good.replace(/\r\n--/g, '\r\n-- ')) };
          case 4: return { type: `multipart/form-data; boundary="${b}`, body: utf8(good) };
          case 5: return { type: `multipart/form-data; boundary=${b}`, body: utf8(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="../../x.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n${good}`) };
          case 6: return { type: `multipart/form-data; boundary=${b}`, body: utf8(`--${b}\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--${b}--\r\n`) };
          case 7: return { type: 'multipart/form-data; boundary=', body: utf8('----\r\n') };
          // LF-only line endings, on which strapi::body's parser stalls (see "inputs the fuzzer found").
          case 9: return { type: `multipart/form-data; boundary=${b}`, body: utf8(good.replace(/\r\n/g, '\n')) };
          default: return { type: `multipart/form-data; boundary=${b}; boundary=other`, body: utf8(`--${b}\r\n${'Content-Disposition: form-data; name="a"\r\n'.repeat(200)}\r\n\r\n--${b}--`) };
        }
      }),
    },
    // text/plain: the JSON sendBeacon sends, and junk
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.oneof(object.map((value) => JSON.stringify(value) ?? ''), fc.string({ unit: 'binary', maxLength: 300 })), fc.constantFrom('text/plain', 'text/plain;charset=UTF-8', 'text/plain; charset=ascii'))
        .map(([text, type]) => ({ type, body: utf8(text) })),
    },
    // wrong and missing content types, binary bodies
    {
      weight: 2,
      arbitrary: fc.tuple(fc.constantFrom(undefined, '', 'application/xml', 'image/png', 'application/octet-stream', 'text/html', 'application/x-www-form-urlencoded; charset=utf-16', 'multipart/mixed; boundary=x', 'application/json-patch+json', 'text/*', '*/*', ';', 'a/b/c', 'application/graphql'), fc.uint8Array({ maxLength: 400 })).map(([type, bytes]) => ({ type, body: Buffer.from(bytes) })),
    }
  );
}

/** The plugin's public routes, and how the fuzzer builds a request to each. */
const routes = (): Array<{ route: string; methods: string[]; path: fc.Arbitrary<string>; tokens: () => string[] }> => [
  { route: 'policy-current', methods: ['GET'], path: oddSegment.map((s) => `/policies/${s}/current`), tokens: () => seeds.pageTokens },
  { route: 'policy-upcoming', methods: ['GET'], path: oddSegment.map((s) => `/policies/${s}/upcoming`), tokens: () => seeds.pageTokens },
  { route: 'policy-versions', methods: ['GET'], path: oddSegment.map((s) => `/policies/${s}/versions`), tokens: () => seeds.pageTokens },
  { route: 'policy-version', methods: ['GET'], path: fc.tuple(oddSegment, oddSegment).map(([s, v]) => `/policies/${s}/versions/${v}`), tokens: () => seeds.pageTokens },
  { route: 'cookies', methods: ['GET'], path: fc.constant('/cookies'), tokens: () => seeds.pageTokens },
  { route: 'consent-mode', methods: ['GET'], path: fc.constant('/cookies/consent-mode'), tokens: () => seeds.pageTokens },
  { route: 'consent-record', methods: ['POST'], path: fc.constant('/consents'), tokens: () => seeds.unsubscribeTokens },
  { route: 'consent-verify', methods: ['POST'], path: fc.constant('/consents/verify'), tokens: () => seeds.unsubscribeTokens },
  { route: 'consent-status', methods: ['GET'], path: fc.oneof(fc.constant(seeds.consentId), oddSegment).map((id) => `/consents/${id}`), tokens: () => seeds.pageTokens },
  { route: 'subscribe', methods: ['POST'], path: fc.constant('/newsletter/subscribe'), tokens: () => seeds.unsubscribeTokens },
  { route: 'confirm-page', methods: ['GET'], path: fc.constant('/newsletter/confirm'), tokens: () => seeds.pageTokens },
  { route: 'confirm', methods: ['POST'], path: fc.constant('/newsletter/confirm'), tokens: () => seeds.confirmTokens },
  { route: 'unsubscribe-page', methods: ['GET'], path: fc.constant('/newsletter/unsubscribe'), tokens: () => seeds.pageTokens },
  { route: 'unsubscribe', methods: ['POST'], path: fc.constant('/newsletter/unsubscribe'), tokens: () => seeds.unsubscribeTokens },
  { route: 'keys', methods: ['GET'], path: fc.constant('/keys'), tokens: () => seeds.pageTokens },
  { route: 'c15t-init', methods: ['GET'], path: fc.constant('/c15t/init'), tokens: () => seeds.pageTokens },
  { route: 'observations', methods: ['POST'], path: fc.constant('/cookies/observations'), tokens: () => seeds.unsubscribeTokens },
  { route: 'c15t-subjects', methods: ['POST'], path: fc.constant('/c15t/subjects'), tokens: () => seeds.unsubscribeTokens },
  {
    route: 'c15t-subject',
    methods: ['GET', 'PATCH'],
    path: fc.oneof(fc.stringMatching(/^sub_[1-9A-HJ-NP-Za-km-z]{8,30}$/), oddSegment).map((id) => `/c15t/subjects/${id}`),
    tokens: () => seeds.pageTokens,
  },
];

/** Odd forms of a path the router may still match: case, trailing and doubled slashes, dot segments. */
const pathVariant = fc.constantFrom(
  (p: string) => p,
  (p: string) => p,
  (p: string) => p,
  (p: string) => `${p}/`,
  (p: string) => p.toUpperCase(),
  (p: string) => `${p}/..`,
  (p: string) => `${p}/./`,
  (p: string) => `${p}%00`,
  (p: string) => `${p};jsessionid=1`,
  (p: string) => p.replace('/privacy-centre', '/privacy-centre/../privacy-centre'),
  (p: string) => `${p}/${'x'.repeat(2000)}`
);

function requestsOf(): fc.Arbitrary<Spec> {
  // Reports cookie discovery takes (its counting is fuzzed too): the generic requests below reach
  // it mostly with a junk encoding, path or body.
  const reports = fc
    .tuple(fieldsOf('observations'), headers, fc.constantFrom('application/json', 'text/plain', 'text/plain;charset=UTF-8'))
    .map(([report, h, type]): Spec => {
      const { 'Content-Encoding': _encoding, ...rest } = h as Record<string, string>;
      return { route: 'observations', method: 'POST', path: `${PREFIX}/cookies/observations`, headers: { ...rest, 'Content-Type': type }, body: utf8(JSON.stringify(report)) };
    });
  return fc.oneof({ weight: 30, arbitrary: genericRequestsOf() }, { weight: 1, arbitrary: reports });
}

/** Requests to every public route, or to the one named (sampling a filter of all of them costs minutes). */
function genericRequestsOf(only?: string): fc.Arbitrary<Spec> {
  // One arbitrary per route, built once and picked uniformly (a `chain` built the route's
  // arbitraries anew for every request: 12 ms a request, most of the fuzz's time).
  const perRoute = routes()
    .filter((r) => !only || r.route === only)
    .map(({ route, methods, path, tokens }) =>
    fc
      .record({
        // Mostly the route's own method; sometimes another one (with GET routes, a body too).
        method: fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...methods) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS') }),
        path,
        variant: pathVariant,
        query: queryOf(tokens()),
        headers,
        body: methods.includes('POST') ? bodiesOf(route) : fc.oneof({ weight: 6, arbitrary: fc.constant<Body>({}) }, { weight: 1, arbitrary: bodiesOf('consent-record') }),
      })
      .map(({ method, path: p, variant, query, headers: h, body }) => {
        // A write to a route that is not the one generated must not meet a body made for another.
        const safeMethod = method === 'POST' && !methods.includes('POST') ? 'GET' : method;
        const spec: Spec = {
          route,
          method: safeMethod,
          path: variant(`${PREFIX}${p}`) + query,
          headers: { ...(h as Record<string, string>) },
          body: body.body,
          chunked: body.chunked,
        };
        if (body.type !== undefined) spec.headers['Content-Type'] = body.type;
        // Content-Encoding only with a body: Node's parser refuses nothing, strapi::body inflates.
        if (!body.body) delete spec.headers['Content-Encoding'];
        return spec;
      })
  );
  return perRoute.length === 1 ? perRoute[0] : fc.oneof(...perRoute);
}

const describeSpec = (spec: Spec) =>
  JSON.stringify({
    route: spec.route,
    method: spec.method,
    path: spec.path.length > 300 ? `${spec.path.slice(0, 300)}… (${spec.path.length})` : spec.path,
    headers: Object.fromEntries(Object.entries(spec.headers).map(([k, v]) => [k, v.length > 120 ? `${v.slice(0, 120)}… (${v.length})` : v])),
    chunked: spec.chunked,
    body: spec.body ? (spec.body.length > 300 ? `${spec.body.subarray(0, 300).toString('latin1')}… (${spec.body.length} bytes)` : spec.body.toString('latin1')) : undefined,
  });

// ---- the tests ----------------------------------------------------------------------------------

describe('every public route under random input', () => {
  it(`answers no 5xx, says why on every 4xx, leaks no address and changes nothing (${TOTAL} requests)`, async () => {
    const before = await snapshot();
    const observedBefore = await observationCounts();
    let observedSent = 0;
    const arbitrary = requestsOf();
    const failures: string[] = [];
    const statuses: Record<string, number> = {};
    const slowest: Array<{ ms: number; spec: string }> = [];
    const server = app.strapi.server.app as { proxy: boolean };
    const started = Date.now();
    let sent = 0;
    let generation = 0;
    console.log(`public fuzz on ${CLIENT}: ${TOTAL} requests, FUZZ_SEED=${SEED}`);
    try {
      // Generated 256 at a time (sampling has a cost of its own per call).
      let pool: Spec[] = [];
      for (let batch = 0; sent < TOTAL; batch += 1) {
        if (!pool.length) {
          const generating = Date.now();
          pool = fc.sample(arbitrary, { seed: SEED + batch, numRuns: Math.min(256, TOTAL - sent) });
          generation += Date.now() - generating;
        }
        const specs = pool.splice(0, BATCH);
        // Every other batch believes X-Forwarded-For (as behind a proxy), so the forged addresses reach the plugin.
        server.proxy = batch % 2 === 1;
        const answers = await Promise.all(specs.map((spec) => send(spec).catch((error: Error) => error)));
        sent += specs.length;
        answers.forEach((answer, i) => {
          const spec = specs[i];
          // Node's own errors come from outside jest's sandbox, where `instanceof Error` is false.
          if (types.isNativeError(answer)) {
            // Node's client fails a request whose body the server refused (413) before reading it.
            failures.push(`${answer.message} (batch ${batch}) on ${describeSpec(spec)}`);
            return;
          }
          statuses[`${spec.route} ${answer.status}`] = (statuses[`${spec.route} ${answer.status}`] ?? 0) + 1;
          if (answer.ms > (slowest[0]?.ms ?? 0)) slowest.unshift({ ms: answer.ms, spec: describeSpec(spec).slice(0, 300) });
          const problem = problemOf(spec, answer);
          if (problem) failures.push(`${problem} (batch ${batch}): ${describeSpec(spec)} → ${answer.text.slice(0, 300)}`);
          if (spec.route === 'observations' && answer.status === 202) {
            try {
              observedSent += namesIn(spec.body);
            } catch {
              failures.push(`a 202 for a report that is not JSON (batch ${batch}): ${describeSpec(spec)}`);
            }
          }
        });
        if (failures.length > 50) break;
      }
    } finally {
      server.proxy = false;
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(`public fuzz on ${CLIENT}: ${sent} requests in ${seconds.toFixed(1)} s, ${(generation / 1000).toFixed(1)} s of it generating (FUZZ_SEED=${SEED})\n${JSON.stringify(statuses, null, 1)}\nslowest: ${JSON.stringify(slowest.slice(0, 5), null, 1)}`);
    await app.strapi.plugin('privacy-centre').service('newsletter').drain();
    if (failures.length) throw new Error(`FUZZ_SEED=${SEED}: ${failures.length} failures\n${failures.slice(0, 20).join('\n\n')}`);
    expect(sent).toBe(TOTAL);
    expect(await snapshot()).toEqual(before);
    // Discovery counted exactly the names of the reports it accepted (flood overflow included),
    // and stored nothing but names of the allowed characters, and paths.
    const observed = await observationCounts();
    console.log(`public fuzz on ${CLIENT}: discovery accepted reports naming ${observedSent} names`);
    expect(observedSent).toBeGreaterThan(0);
    expect(observed.names - observedBefore.names).toBe(observedSent);
    for (const row of observed.rows) {
      expect(row.name).toMatch(/^(?:[A-Za-z0-9_.:/[\]%$!#*+^|~@-]{1,128})?$/);
      // JSON text (PostgreSQL writes it with a space after each comma), or already an array.
      const paths: unknown = typeof row.paths === 'string' ? JSON.parse(row.paths) : row.paths;
      expect(Array.isArray(paths)).toBe(true);
      for (const path of paths as unknown[]) expect(path).toMatch(/^\/[^?#<> ]*$/);
    }
    // A generous bound, not a speed claim: every answer is also checked against the contract, and a
    // loaded 2-core machine took 278 s where an idle one takes a fraction of that.
  }, 600_000);
});

describe('the rate limit under random input', () => {
  it('answers 429 with Retry-After and a JSON error past the limit, and nothing else changes', async () => {
    const config = app.strapi.config.get('plugin::privacy-centre') as { rateLimit: { max: number; windowSeconds: number } };
    const { max, windowSeconds } = config.rateLimit;
    // One window for the whole test: its 150 requests (some of them bodies strapi::body reads for
    // a second) can outlast the default 60 s, and a new window would rightly let more through.
    config.rateLimit.windowSeconds = 3600;
    const limit = 25;
    const before = await snapshot();
    const server = app.strapi.server.app as { proxy: boolean };
    // A network of its own, so the counters of the run above do not count here: limits count per
    // /24, and the run above forges addresses in 198.51.100.0/24 and 203.0.0.0/16, never 192.0.2.0/24.
    const network = `192.0.2.${1 + (SEED % 200)}`;
    config.rateLimit.max = limit;
    server.proxy = true;
    try {
      const specs = fc
        .sample(genericRequestsOf('consent-record').filter((spec) => spec.method === 'POST' && !spec.headers['Content-Encoding']), { seed: SEED, numRuns: 6 * limit })
        .map((spec) => ({ ...spec, path: `${PREFIX}/consents`, headers: { ...spec.headers, 'X-Forwarded-For': network } }));
      const answers: Answer[] = [];
      const failed = (spec: Spec) => (error: Error) => {
        throw new Error(`${error.message}: ${describeSpec(spec)}`);
      };
      for (let i = 0; i < specs.length; i += BATCH) answers.push(...(await Promise.all(specs.slice(i, i + BATCH).map((spec) => send(spec).catch(failed(spec))))));
      const problems = answers.map((answer, i) => problemOf(specs[i], answer)).filter(Boolean);
      expect(problems).toEqual([]);
      const limited = answers.filter((a) => a.status === 429);
      // Bodies strapi::body refuses never reach the route's limiter; all others count.
      expect(limited.length).toBeGreaterThan(0);
      expect(answers.filter((a) => a.status !== 429 && a.status !== 413 && a.status !== 415 && !(a.status === 400 && /could not be read/.test(a.text))).length).toBeLessThanOrEqual(limit);
      for (const answer of limited) {
        expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
        expect(answer.headers['content-type']).toMatch(/application\/json/);
        const { error } = JSON.parse(answer.text);
        expect(error).toMatchObject({ status: 429, name: 'RateLimitError', details: { retryAfter: expect.any(Number) } });
        expect(answer.text).not.toContain(network);
      }
    } finally {
      config.rateLimit.max = max;
      config.rateLimit.windowSeconds = windowSeconds;
      server.proxy = false;
    }
    expect(await snapshot()).toEqual(before);
  }, 300_000);
});

describe('inputs the fuzzer found', () => {
  // Each 4xx/5xx the fuzzer has found, as a regular case, so that the fix stays fixed.
  const json = (answer: Answer) => {
    expect(answer.headers['content-type']).toMatch(/application\/json/);
    return JSON.parse(answer.text).error;
  };

  it.each(['br', 'gzip', 'deflate'])('POST /consents/verify with Content-Encoding: %s and a body that is not encoded: 415, not 500', async (encoding) => {
    const answer = await send({ route: 'consent-verify', method: 'POST', path: `${PREFIX}/consents/verify`, headers: { 'Content-Type': 'application/json', 'Content-Encoding': encoding }, body: utf8('{"r') });
    expect(answer.status).toBe(415);
    expect(json(answer)).toMatchObject({ status: 415, name: 'UnsupportedMediaTypeError', message: `Content-Encoding ${encoding} is not accepted: send the body uncompressed` });
  });

  it('POST /consents with Content-Encoding: br and 70,000 chunked bytes of text/plain: 415, and the server lives on', async () => {
    // Inflated by strapi::body, the body outgrew its text limit and zlib's late error was uncaught.
    const answer = await send({ route: 'consent-record', method: 'POST', path: `${PREFIX}/consents`, headers: { 'Content-Type': 'text/plain', 'Content-Encoding': 'br' }, body: Buffer.alloc(70_000, 0x61), chunked: true });
    expect(answer.status).toBe(415);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await send({ route: 'cookies', method: 'GET', path: `${PREFIX}/cookies`, headers: {} })).status).toBe(200);
  });

  it('POST /newsletter/confirm as a form with Content-Encoding: gzip and a plain body: 415, and nothing confirmed', async () => {
    const before = await snapshot();
    const answer = await send({ route: 'confirm', method: 'POST', path: `${PREFIX}/newsletter/confirm`, headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Encoding': 'gzip' }, body: utf8(`token=${seeds.pageTokens.at(-3)}`) });
    expect(answer.status).toBe(415);
    expect(json(answer).name).toBe('UnsupportedMediaTypeError');
    expect(await snapshot()).toEqual(before);
  });

  it('POST /consents/<an id> (a GET route): a 405 in JSON with Allow, not plain text', async () => {
    const answer = await send({ route: 'consent-status', method: 'POST', path: `${PREFIX}/consents/AAAAAAAAAAAAAAAAAAAAAA`, headers: {} });
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toMatch(/GET/);
    expect(json(answer)).toMatchObject({ status: 405, name: 'MethodNotAllowedError' });
  });

  // Found on Node 24 (FUZZ_SEED=659724699): headers over Node's 16 KiB limit with a chunked body
  // still being sent. Node's parser answered 431 without a length and destroyed the socket at
  // once; the unread body made the kernel reset the connection and the client lost the answer
  // (ECONNRESET). Sent here on a raw socket, so that a reset cannot pass for the end of an answer.
  const huge = `User-Agent: ${'M'.repeat(17_000)}\r\n`;
  it.each([
    ['POST', 'headers over 16 KiB', 431, 'RequestHeaderFieldsTooLargeError', huge],
    ['POST', 'a header name with a space', 400, 'BadRequestError', 'Bad Header: x\r\n'],
    ['HEAD', 'headers over 16 KiB', 431, null, huge],
  ])('%s with %s and a 1 MB chunked body still arriving: a %s (JSON unless HEAD) that the client reads whole, then a clean close', async (method, _label, status, name, header) => {
    const answer = await new Promise<{ text: string; ended: string }>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      const chunks: Buffer[] = [];
      socket.on('data', (chunk) => chunks.push(chunk));
      socket.on('end', () => resolve({ text: Buffer.concat(chunks).toString('latin1'), ended: 'end' }));
      socket.on('error', (error: NodeJS.ErrnoException) => resolve({ text: Buffer.concat(chunks).toString('latin1'), ended: String(error.code) }));
      socket.write(`${method} ${PREFIX}/consents HTTP/1.1\r\nHost: 127.0.0.1\r\n${header}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
      for (let i = 0; i < 16; i += 1) socket.write(frame);
      socket.write('0\r\n\r\n');
    });
    expect(answer.ended).toBe('end');
    const [head, body] = answer.text.split('\r\n\r\n');
    expect(head).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
    expect(head).toMatch(new RegExp(`\r\nContent-Length: ${Buffer.byteLength(body)}(\r\n|$)`, 'i'));
    if (name === null) {
      expect(body).toBe('');
    } else {
      expect(head).toMatch(/\r\nContent-Type: application\/json/i);
      expect(JSON.parse(body)).toMatchObject({ data: null, error: { status, name, message: expect.any(String) } });
    }
    // The server lives on.
    expect((await send({ route: 'cookies', method: 'GET', path: `${PREFIX}/cookies`, headers: {} })).status).toBe(200);
  });

  // Found with FUZZ_SEED=7 (rate-limit case): strapi::body's multipart parser (formidable 2) stops at
  // some malformed bodies without an error and waits for ever, so the request got no answer at all
  // until Node's requestTimeout (300 s) ended it. The body guard now answers 400 within a second.
  const stalling: Array<[string, (b: string) => string]> = [
    ['parts separated by LF only (no CR)', (b) => `--${b}\nContent-Disposition: form-data; name="state"\n\n{}\n--${b}--\n`],
    ['a part header whose name is empty', (b) => `--${b}\r\n: x\r\nContent-Disposition: form-data; name="state"\r\n\r\n{}\r\n--${b}--\r\n`],
    ['a part header whose name holds an underscore', (b) => `--${b}\r\nContent_Disposition: form-data; name="state"\r\n\r\n{}\r\n--${b}--\r\n`],
  ];
  it.each(stalling)('POST /consents as multipart/form-data with %s: the body guard’s 400 in JSON, never a hang, and nothing written', async (_label, body) => {
    const before = await snapshot();
    const b = 'arguments';
    const answer = await send({ route: 'consent-record', method: 'POST', path: `${PREFIX}/consents`, headers: { 'Content-Type': `multipart/form-data; boundary=${b}` }, body: utf8(body(b)) });
    // The body guard's own 400 (a hang would have ended in Node's requestTimeout, with no such answer).
    expect(answer.status).toBe(400);
    expect(json(answer)).toMatchObject({ status: 400, name: 'BadRequestError', message: expect.stringMatching(/could not be read: it is not well-formed multipart\/form-data/) });
    expect(problemOf({ route: 'consent-record', method: 'POST', path: `${PREFIX}/consents`, headers: {} }, answer)).toBeNull();
    expect(await snapshot()).toEqual(before);
  });

  describe('one-click unsubscribe (RFC 8058) as multipart/form-data, with a valid link', () => {
    const oneClick = (eol: string, b: string) => `--${b}${eol}Content-Disposition: form-data; name="List-Unsubscribe"${eol}${eol}One-Click${eol}--${b}--${eol}`;
    const subscribed = async (email: string) => {
      const newsletter = app.strapi.plugin('privacy-centre').service('newsletter');
      const facts = { ip: '127.0.0.1', userAgent: 'test', gpc: false, referer: undefined };
      await newsletter.subscribe({ email, list: 'default', language: 'fi', source: null, subjectId: null }, facts);
      const row = await newsletter.subscriptionOf(email, 'default');
      expect((await newsletter.confirm(makeToken(linkKey(), 'confirm', { s: row.documentId, l: row.list, r: row.requestedAt, e: 9_999_999_999 }), facts)).outcome).toBe('done');
      await newsletter.drain();
      return { newsletter, path: `${PREFIX}/newsletter/unsubscribe?token=${encodeURIComponent(makeToken(linkKey(), 'unsubscribe', { s: row.documentId, l: row.list }))}` };
    };

    it('with LF-only line endings: the body guard’s 400 in JSON, and the subscription stays', async () => {
      const { newsletter, path } = await subscribed('lf-only@fuzz.example');
      const before = await snapshot();
      const b = '----formdata-lf';
      const answer = await send({ route: 'unsubscribe', method: 'POST', path, headers: { 'Content-Type': `multipart/form-data; boundary=${b}` }, body: utf8(oneClick('\n', b)) });
      expect(answer.status).toBe(400);
      expect(json(answer)).toMatchObject({ status: 400, name: 'BadRequestError', message: expect.stringMatching(/not well-formed multipart\/form-data/) });
      // Whatever the parser might still do with the body later, no route sees it.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect((await newsletter.subscriptionOf('lf-only@fuzz.example', 'default')).status).toBe('subscribed');
      expect(await snapshot()).toEqual(before);
    });

    it('well-formed (CRLF): 200 in plain text, and unsubscribed', async () => {
      const { newsletter, path } = await subscribed('crlf@fuzz.example');
      const b = '----formdata-crlf';
      const answer = await send({ route: 'unsubscribe', method: 'POST', path, headers: { 'Content-Type': `multipart/form-data; boundary=${b}` }, body: utf8(oneClick('\r\n', b)) });
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toMatch(/text\/plain/);
      expect(answer.headers.location).toBeUndefined();
      expect(answer.text).toBe('Unsubscribed.\n');
      expect((await newsletter.subscriptionOf('crlf@fuzz.example', 'default')).status).toBe('unsubscribed');
    });
  });

  it('keeps the read-only policy routes read-only', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const answer = await send({ route: 'policy-current', method, path: `${PREFIX}/policies/privacy-policy/current`, headers: { 'Content-Type': 'application/json' }, body: utf8('{"title":"x"}') });
      expect([404, 405]).toContain(answer.status);
      expect(json(answer).status).toBe(answer.status);
    }
  });
});
