/**
 * rateLimit.store: two Strapi processes sharing one store allow the configured rate together, not
 * twice it; a store that fails lets consents through (201), counted and logged once, without a
 * client address in the log.
 *
 * Instance 1 is booted in this process (bootStrapi); instance 2 is `strapi start` of the same app
 * in a child process (tests/app/scripts/app-runner.js), on the same database and store, without
 * the admin panel (SERVE_ADMIN=false). On PostgreSQL and MySQL the pair shares the 'database'
 * store; on SQLite (which refuses 'database') the pair shares Redis, when one answers at
 * 127.0.0.1:6379 (REDIS_PORT to change it). Redis does not depend on the app's database, so it
 * is checked once, in the SQLite run.
 */
import net from 'node:net';
import { randomBytes } from 'node:crypto';
const MESSAGE = Symbol.for('message');
import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { databaseClient } from '../helpers/database';
import { createAdmin } from '../helpers/admin';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const runner = require('../app/scripts/app-runner');

const client = databaseClient();
const REDIS_PORT = Number(process.env.REDIS_PORT || 6379);
const MAX = 6;
/** A route of the 'consents' scope that writes nothing: two processes may share a SQLite file for it. */
const PROBE = '/api/privacy-centre/consents/AAAAAAAAAAAAAAAAAAAAAB';
const IPV4 = /\b\d{1,3}(\.\d{1,3}){3}\b/;

const reachable = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });

const rateLimit = (store: string, redis?: unknown) => ({ enabled: true, windowSeconds: 600, max: MAX, store, ...(redis ? { redis } : {}) });

let app: TestStrapi | undefined;
let second: { url: string; output(): string; stop(): Promise<void> } | undefined;
const written: string[] = [];
let store: 'database' | 'redis' | null = null;
const redisOptions = { host: '127.0.0.1', port: REDIS_PORT, keyPrefix: `pc-test-${randomBytes(4).toString('hex')}:` };

/** The boot with 'database' on SQLite, first (two Strapis cannot boot side by side in one process). */
let refusal: unknown;

beforeAll(async () => {
  if (client === 'sqlite') {
    refusal = await bootStrapi({ PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({ rateLimit: rateLimit('database') }) }).then(
      async (booted) => (await booted.close(), null),
      (error: Error) => error
    );
  }
  if (client !== 'sqlite') store = 'database';
  else if (await reachable(REDIS_PORT)) store = 'redis';
  else {
    console.log(`rate-limit-stores: no Redis at 127.0.0.1:${REDIS_PORT}, so the SQLite run checks only that 'database' is refused`);
    return;
  }
  const extra = JSON.stringify({ rateLimit: rateLimit(store, store === 'redis' ? redisOptions : undefined) });
  app = await bootStrapi(
    { PRIVACY_CENTRE_EXTRA_CONFIG: extra },
    {
      beforeLoad: (strapi) => {
        for (const transport of (strapi.log as any).transports) {
          transport.on('logged', (info: any) => written.push(String(info[MESSAGE] ?? info.message)));
        }
      },
    }
  );
  // Consents are recorded against a published cookie declaration.
  const { token } = await createAdmin(app);
  expect((await app.http().post('/privacy-centre/cookies/publish').set({ Authorization: `Bearer ${token}` }).send({})).status).toBe(200);
  second = await runner.startApp({
    env: { ...app.database.env, PRIVACY_CENTRE_EXTRA_CONFIG: extra, SERVE_ADMIN: 'false', STRAPI_LOG_LEVEL: 'warn' },
    timeoutMs: 120000,
  });
}, 180000);

afterAll(async () => {
  await second?.stop();
  await app?.close();
});

const REDIS_SECRET = 'never-shown-0xB33F';
const failures = () => (app!.strapi.plugin('privacy-centre').service('rate-limits').status() as { storeFailures: number }).storeFailures;

describe(`two instances sharing rateLimit.store (${client})`, () => {
  it('together allow the configured rate, not twice it, and answer 429 with Retry-After past it', async () => {
    if (!app || !second) return console.log('rate-limit-stores: skipped, no shared store to check here (see above)');
    const statuses: string[] = [];
    let limited: Response | undefined;
    // Alternating: each instance alone would allow all twelve (six each).
    for (let i = 0; i < 12; i += 1) {
      if (i % 2 === 0) statuses.push(`1:${(await app.http().get(PROBE)).status}`);
      else {
        const answer = await fetch(`${second.url}${PROBE}`);
        if (answer.status === 429) limited ??= answer;
        statuses.push(`2:${answer.status}`);
      }
    }
    expect(statuses.filter((s) => !s.endsWith(':429'))).toHaveLength(MAX);
    expect(statuses.slice(MAX).every((s) => s.endsWith(':429'))).toBe(true);
    // The other instance answers it too, in Strapi's error shape.
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited!.json()) as { error: unknown }).error).toMatchObject({ status: 429, name: 'RateLimitError' });
    expect(failures()).toBe(0);
    // Past the limit, a client is answered from memory: a flood costs the shared store nothing.
    if (store === 'database') {
      const queries: string[] = [];
      const listener = (query: { sql: string }) => queries.push(query.sql);
      app.strapi.db.connection.on('query', listener);
      try {
        for (let i = 0; i < 5; i += 1) expect((await app.http().get(PROBE)).status).toBe(429);
      } finally {
        app.strapi.db.connection.off('query', listener);
      }
      expect(queries.filter((sql) => sql.includes('privacy_centre_rate_limits'))).toEqual([]);
    }
  });

  it('a failing store lets consents through (201): counted, logged once, no client address in the log', async () => {
    if (!app || !second) return console.log('rate-limit-stores: skipped, no shared store to check here (see above)');
    const service = app.strapi.plugin('privacy-centre').service('rate-limits');
    if (store === 'database') {
      await app.strapi.db.connection.schema.dropTable('privacy_centre_rate_limits');
    } else {
      // Redis gone: the same service started again against a port nothing listens on.
      const closed = await runner.freePort();
      await service.close();
      // With a password, which must show nowhere: not in the settings answer, not in a log line.
      (app.strapi.config.get('plugin::privacy-centre') as any).rateLimit.redis = { ...redisOptions, port: closed, connectTimeout: 500, password: REDIS_SECRET };
      await service.init();
    }
    const before = failures();
    written.length = 0;
    // A network of its own (believed from X-Forwarded-For), so the probe's count above is not it.
    const koa = app.strapi.server.app as any;
    koa.proxy = true;
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        statuses.push((await app.http().post('/api/privacy-centre/consents').set('X-Forwarded-For', '203.0.113.77').send({ state: {} })).status);
      }
      expect(statuses).toEqual([201, 201, 201]);
    } finally {
      koa.proxy = false;
    }
    expect(failures() - before).toBe(3);
    const reports = written.filter((line) => line.includes(`rateLimit.store '${store}' failed`));
    expect(reports).toHaveLength(1);
    expect(reports[0]).not.toMatch(IPV4);
    expect(written.join('\n')).not.toContain('203.0.113');
    // Still limited, by this instance's own counters, rather than not at all.
    const status = service.status();
    expect(status).toMatchObject({ store, failing: true });
    if (store === 'redis') {
      const { token } = await createAdmin(app);
      const settings = await app.http().get('/privacy-centre/settings').set({ Authorization: `Bearer ${token}` });
      expect(settings.status).toBe(200);
      expect(JSON.stringify(settings.body)).not.toContain(REDIS_SECRET);
      expect(JSON.stringify(settings.body)).toContain('"redis":"configured"');
      expect(written.join('\n')).not.toContain(REDIS_SECRET);
    }
  });
});

describe('rateLimit.store on SQLite', () => {
  it("'database' is refused at boot, naming the key", async () => {
    if (client !== 'sqlite') return console.log(`rate-limit-stores: the SQLite refusal is checked in the SQLite run, not on ${client}`);
    expect(String(refusal)).toMatch(/rateLimit\.store 'database' needs PostgreSQL or MySQL/);
  });
});
