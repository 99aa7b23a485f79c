import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { createAdmin } from '../helpers/admin';

/**
 * An attacker's review of the public routes of cookie discovery and c15t: races of one subject's
 * saves, one subject reaching another's, personal data in a reported path, memory and database
 * work an anonymous report can cause, content-type confusion and forged headers. One Strapi; the
 * discovery writer flushes only when a test asks.
 */
const RECORD = 'plugin::privacy-centre.consent-record';
const TABLE = 'privacy_centre_cookie_observations';
const C15T = '/api/privacy-centre/c15t';
const OBSERVATIONS = '/api/privacy-centre/cookies/observations';
let app: TestStrapi;
let token: string;
let counter = 0;

beforeAll(async () => {
  app = await bootStrapi({
    PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({ discovery: { flushMilliseconds: 60_000, flushNames: 50 } }),
  });
  token = (await createAdmin(app)).token;
  expect((await app.http().post('/privacy-centre/cookies/publish').set('Authorization', `Bearer ${token}`).send({})).status).toBe(200);
});
afterAll(async () => {
  await app?.close();
});

const records = () => app.strapi.db.query(RECORD);
/** A fresh c15t subject id (sub_ + base58). */
const newSubject = () => `sub_Atk${'ABCDEFGHJK'[counter % 10]}${(counter++).toString(36).replace(/[0lIO]/g, 'x')}zz9pqr`;
const banner = (subjectId: string, overrides: Record<string, unknown> = {}) => ({
  type: 'cookie_banner',
  subjectId,
  domain: 'site.example',
  preferences: { necessary: true, measurement: true, marketing: false },
  givenAt: Date.now(),
  ...overrides,
});
const save = (body: unknown) => app.http().post(`${C15T}/subjects`).send(body as object);
const flush = () => app.strapi.plugin('privacy-centre').service('discovery').flush();
const observe = (body: unknown) => app.http().post(OBSERVATIONS).send(body as object);

/** A subject's records form one chain: one root, each other record continues the one before. */
async function expectOneChain(subjectId: string, length: number) {
  const rows = await records().findMany({ where: { subjectId, kind: 'cookie' }, orderBy: [{ id: 'asc' }] });
  expect(rows.length).toBe(length);
  expect(rows.filter((r: any) => r.previousConsentId === null).map((r: any) => r.action)).toEqual(['given']);
  const ids = new Set(rows.map((r: any) => r.consentId));
  const previous = rows.filter((r: any) => r.previousConsentId !== null).map((r: any) => r.previousConsentId);
  expect(previous.every((p: string) => ids.has(p))).toBe(true);
  expect(new Set(previous).size).toBe(previous.length);
  return rows;
}

describe('c15t: two saves of one subject at the same moment', () => {
  it('first saves racing: one chain (given, then updated), every answered save recorded once', async () => {
    for (let round = 0; round < 3; round += 1) {
      const subjectId = newSubject();
      const now = Date.now();
      const answers = await Promise.all([
        save(banner(subjectId, { givenAt: now })),
        save(banner(subjectId, { givenAt: now + 1, preferences: { necessary: true, measurement: false, marketing: true } })),
      ]);
      const statuses = answers.map((a) => a.status).sort();
      // Each answered 201, or 409 (save again); never a 5xx.
      expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
      const recorded = statuses.filter((s) => s === 201).length;
      expect(recorded).toBeGreaterThanOrEqual(1);
      await expectOneChain(subjectId, recorded);
    }
  });

  it('later saves racing: one chain, no fork, no duplicate, no lost answered save', async () => {
    const subjectId = newSubject();
    expect((await save(banner(subjectId))).status).toBe(201);
    let recorded = 1;
    for (let round = 0; round < 3; round += 1) {
      const now = Date.now() + round * 10;
      const answers = await Promise.all([
        save(banner(subjectId, { givenAt: now })),
        save(banner(subjectId, { givenAt: now + 1, preferences: { necessary: true } })),
        save(banner(subjectId, { givenAt: now + 2, preferences: { necessary: true, marketing: true } })),
      ]);
      for (const a of answers) expect([201, 409]).toContain(a.status);
      recorded += answers.filter((a) => a.status === 201).length;
      await expectOneChain(subjectId, recorded);
    }
  });

  it('a retry racing its own first save: one record, both answered with it', async () => {
    const subjectId = newSubject();
    const body = banner(subjectId);
    const [a, b] = await Promise.all([save(body), save(body)]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.consentId).toBe(b.body.consentId);
    await expectOneChain(subjectId, 1);
  });
});

describe('c15t: GET /subjects/:id of a subject with more decisions than the answer holds', () => {
  it('answers the newest 1,000, so the last decision (here a withdrawal, expired) decides isValid', async () => {
    const subjectId = newSubject();
    const hash = (await app.http().get('/api/privacy-centre/cookies')).body.data.hash;
    const future = new Date(Date.now() + 86_400_000).toISOString();
    // Written as the consent writer writes them (the query engine refuses sealed fields).
    const rows = Array.from({ length: 1001 }, (_, i) => ({
      consent_id: `atk${subjectId.slice(4)}${i}`,
      kind: 'cookie',
      action: i === 0 ? 'given' : i === 1000 ? 'withdrawn' : 'updated',
      subject_id: subjectId,
      state: JSON.stringify({ necessary: true, statistics: i < 1000 }),
      declaration_revision: 1,
      declaration_hash: hash,
      given_at: new Date(Date.now() - (1001 - i) * 1000).toISOString(),
      expires_at: i === 1000 ? new Date(Date.now() - 1000).toISOString() : future,
      via: 'c15t',
      document_id: `atkdoc${subjectId.slice(4)}${i}`,
    }));
    for (let i = 0; i < rows.length; i += 100) await app.strapi.db.connection('privacy_centre_consent_records').insert(rows.slice(i, i + 100));
    const response = await app.http().get(`${C15T}/subjects/${subjectId}`);
    expect(response.status).toBe(200);
    expect(response.body.consents.length).toBe(1000);
    expect(response.body.consents.at(-1).id).toBe(rows[1000].consent_id);
    expect(response.body.isValid).toBe(false);
    expect(response.body.subject.createdAt).toBe(rows[0].given_at);
  });
});

describe('c15t: bad bodies and content types', () => {
  it('refuses __proto__ and constructor keys, arrays, and bodies that are not JSON objects, recording nothing', async () => {
    const before = await records().count({ where: { kind: 'cookie' } });
    const subjectId = newSubject();
    const text = JSON.stringify(banner(subjectId)).replace('{', '{"__proto__":{"isAdmin":true},');
    const proto = await app.http().post(`${C15T}/subjects`).set('Content-Type', 'application/json').send(text);
    // Strapi's body parser refuses an own __proto__ before the route sees it.
    expect({ status: proto.status, data: proto.body.data }).toEqual({ status: 400, data: null });
    const ctor = await save({ ...banner(newSubject()), constructor: { prototype: {} } });
    expect(ctor.status).toBe(400);
    for (const [type, body] of [
      ['text/plain', JSON.stringify(banner(newSubject()))],
      ['application/x-www-form-urlencoded', 'type=cookie_banner&subjectId=sub_AAAAAAAAAAAA&domain=a.example&givenAt=1'],
    ]) {
      const response = await app.http().post(`${C15T}/subjects`).set('Content-Type', type).send(body);
      expect({ type, status: response.status, data: response.body.data }).toEqual({ type, status: 400, data: null });
    }
    const multipart = await app.http().post(`${C15T}/subjects`).field('type', 'cookie_banner').field('subjectId', 'sub_AAAAAAAAAAAA').attach('file', Buffer.from('x'.repeat(1000)), 'a.txt');
    expect(multipart.status).toBe(400);
    const array = await save([banner(newSubject())]);
    expect(array.status).toBe(400);
    const nested = await app.http().post(`${C15T}/subjects`).set('Content-Type', 'application/json').send(`${'['.repeat(5000)}${']'.repeat(5000)}`);
    expect(nested.status).toBe(400);
    const identify = await app.http().patch(`${C15T}/subjects/${subjectId}`).set('Content-Type', 'application/json').send('{"__proto__":{"x":1},"externalId":"u1"}');
    expect(identify.status).toBeGreaterThanOrEqual(400);
    expect(identify.status).toBeLessThan(500);
    expect(await records().count({ where: { kind: 'cookie' } })).toBe(before);
  });
});

describe('discovery: what a report can make the server keep or do', () => {
  it('refuses a path that holds an e-mail address or a token, and keeps ordinary paths', async () => {
    const bad = [
      '/users/jane.doe@example.com/settings',
      '/unsubscribe/jane%40example.com',
      `/reset/${'a1b2c3d4'.repeat(6)}`,
      '/confirm/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.x',
    ];
    for (const path of bad) {
      const response = await observe({ revision: 1, path, granted: null, cookie: ['_ga'] });
      expect({ path, status: response.status }).toEqual({ path, status: 400 });
      expect(response.body.error.message).toMatch(/path must be the page path/);
    }
    const good = ['/docs/getting/started/installation/linux/debian/bookworm', '/blog/how-to-configure-your-strapi-plugin-for-production-use', '/@rowing-club', '/orders/123e4567-e89b-12d3-a456-426614174000'];
    for (const path of good) {
      const response = await observe({ revision: 1, path, granted: null, cookie: ['_ga'] });
      expect({ path, status: response.status }).toEqual({ path, status: 202 });
    }
    await flush();
    const stored = (await app.strapi.db.connection(TABLE).select('paths')).flatMap((r: any) => JSON.parse(r.paths));
    expect(stored.filter((p: string) => /@.*\.|%40|[A-Za-z0-9]{40}/.test(p))).toEqual([]);
  });

  it('keeps no queue of reports that name nothing (the queue is bounded by names)', async () => {
    await flush();
    for (let i = 0; i < 300; i += 1) expect((await observe({ revision: 1, path: `/p/${'ab-'.repeat(130)}${i}`, granted: null })).status).toBe(202);
    expect(app.strapi.plugin('privacy-centre').service('discovery').stats().queued).toBeLessThanOrEqual(200);
    await flush();
  });

  it('does no database work per report for a revision that does not exist', async () => {
    await flush();
    for (let i = 0; i < 40; i += 1) expect((await observe({ revision: 900_000_000 + i, path: '/', granted: [], cookie: ['_ga'] })).status).toBe(202);
    const declarationReads: string[] = [];
    const listen = (query: { sql: string }) => {
      if (/privacy_centre_cookie_declarations/.test(query.sql)) declarationReads.push(query.sql);
    };
    app.strapi.db.connection.on('query', listen);
    try {
      await flush();
    } finally {
      app.strapi.db.connection.removeListener('query', listen);
    }
    expect(declarationReads.length).toBeLessThanOrEqual(2);
  });

  it('holds a few MB of path samples in memory whatever reports send, and loses no stored path', async () => {
    await flush();
    const discovery = app.strapi.plugin('privacy-centre').service('discovery');
    const config = (app.strapi.config.get('plugin::privacy-centre') as { discovery: { flushNames: number } }).discovery;
    const flushNames = config.flushNames;
    const names = Array.from({ length: 1000 }, (_, i) => `pp${i}_x`);
    const longPath = (k: number) => `/${'seg-'.repeat(120)}${k}`;
    const send = async (paths: number[]) => {
      for (const k of paths) {
        for (const storage of ['cookie', 'localStorage', 'sessionStorage']) {
          for (let i = 0; i < names.length; i += 200) {
            expect((await observe({ revision: 1, path: longPath(k), granted: null, [storage]: names.slice(i, i + 200) })).status).toBe(202);
          }
        }
      }
      await flush();
    };
    config.flushNames = 1_000_000;
    try {
      await send([1, 2, 3]);
      await send([4, 5]);
    } finally {
      config.flushNames = flushNames;
    }
    // 3,000 counters with five 480-character paths each: about 7.3 million characters unbounded.
    expect(discovery.stats().knownPathChars).toBeLessThanOrEqual(4_000_000);
    const stored = await app.strapi.db.connection(TABLE).select('paths').where('name', 'like', 'pp%_x');
    expect(stored.length).toBe(3000);
    expect(stored.filter((row: any) => JSON.parse(row.paths).length !== 5)).toEqual([]);
  });

  it('answers a body over 16 KiB sent without Content-Length (chunked) with a 4xx, keeping nothing', async () => {
    const { request } = await import('node:http');
    const address = app.strapi.server.httpServer.address() as { port: number };
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: address.port, method: 'POST', path: OBSERVATIONS, headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('{"revision":1,"path":"/","granted":null,"cookie":["_ga"],"x":"');
      for (let i = 0; i < 64; i += 1) req.write('y'.repeat(1024));
      req.end('"}');
    });
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
  });
});

describe('forged X-Forwarded-For against the rate limits of the intake and the c15t routes', () => {
  it('behind one proxy (proxy on, maxIpsCount 1) a forged leftmost entry escapes no limit; without maxIpsCount it would (hence the README)', async () => {
    const config = app.strapi.config.get('plugin::privacy-centre') as { rateLimit: { max: number } };
    const server = app.strapi.server.app as { proxy: boolean; maxIpsCount: number };
    const { max } = config.rateLimit;
    const routes: Array<[string, (xff: string) => Promise<number>]> = [
      ['intake', (xff) => app.http().post(OBSERVATIONS).set('X-Forwarded-For', xff).send({ revision: 1, path: '/', granted: null, cookie: ['_ga'] }).then((r) => r.status)],
      ['c15t save', (xff) => app.http().post(`${C15T}/subjects`).set('X-Forwarded-For', xff).send({}).then((r) => r.status)],
      ['c15t read', (xff) => app.http().get(`${C15T}/subjects/${newSubject()}`).set('X-Forwarded-For', xff).then((r) => r.status)],
      ['c15t identify', (xff) => app.http().patch(`${C15T}/subjects/${newSubject()}`).set('X-Forwarded-For', xff).send({ externalId: 'u1' }).then((r) => r.status)],
    ];
    config.rateLimit.max = 3;
    server.proxy = true;
    try {
      server.maxIpsCount = 1;
      for (const [label, send] of routes) {
        const statuses: number[] = [];
        for (let i = 0; i < 5; i += 1) statuses.push(await send(`203.0.${i}.${i + 1}, 198.51.100.77`));
        expect({ label, limited: statuses.slice(3) }).toEqual({ label, limited: [429, 429] });
      }
      server.maxIpsCount = 0;
      const escaped: number[] = [];
      for (let i = 0; i < 5; i += 1) escaped.push(await routes[0][1](`192.0.${i}.9, 198.51.100.78`));
      expect(escaped).not.toContain(429);
    } finally {
      config.rateLimit.max = max;
      server.proxy = false;
      server.maxIpsCount = 0;
    }
    await flush();
  });
});
