import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { createAdmin } from '../helpers/admin';
import { createTestDatabase, databaseClient, type TestDatabase } from '../helpers/database';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const runner = require('../app/scripts/app-runner');

/**
 * No acknowledged consent is ever lost (DESIGN.md §7, §8): the group-commit writer's queue is
 * written before the database closes when Strapi shuts down, and a process killed with SIGKILL
 * under load loses nothing it answered 201 to, and leaves the daily rollups equal to the rows.
 */
const RECORDS = 'privacy_centre_consent_records';
const ROLLUPS = 'privacy_centre_consent_rollups';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A varied decision: every mix of the three optional default categories comes up. */
const decision = (i: number) => ({ state: { preferences: i % 2 === 0, statistics: i % 3 === 0, marketing: i % 5 === 0 } });

/** Reads the database behind Strapi's back, with the same driver and settings as tests/app. */
function openDatabase(database: TestDatabase) {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const knex = require('knex');
  const { env } = database;
  if (database.client === 'sqlite') {
    return knex({ client: 'better-sqlite3', connection: { filename: env.DATABASE_FILENAME }, useNullAsDefault: true });
  }
  const postgres = database.client === 'postgres';
  return knex({
    client: postgres ? 'pg' : 'mysql2',
    connection: {
      host: process.env.DATABASE_HOST || '127.0.0.1',
      port: Number(process.env.DATABASE_PORT || (postgres ? 5432 : 3306)),
      user: process.env.DATABASE_USERNAME || (postgres ? 'postgres' : 'root'),
      password: process.env.DATABASE_PASSWORD || '',
      database: env.DATABASE_NAME,
    },
    pool: { min: 0, max: 2 },
  });
}

/**
 * The rollup counters the rows call for, per `day metric`, computed the way the writer counts
 * them (services/consents.ts): total, granted:/refused:<category>, and accepted-all, refused-all
 * or chose over the optional categories.
 */
function expectedRollups(rows: Array<{ given_at: string; state: unknown }>, categories: Array<{ key: string; required: boolean }>) {
  const counts: Record<string, number> = {};
  const add = (day: string, metric: string) => (counts[`${day} ${metric}`] = (counts[`${day} ${metric}`] ?? 0) + 1);
  const optional = categories.filter((c) => !c.required);
  for (const row of rows) {
    const state = (typeof row.state === 'string' ? JSON.parse(row.state) : row.state) as Record<string, boolean>;
    const day = String(row.given_at).slice(0, 10);
    add(day, 'total');
    for (const { key } of categories) add(day, `${state[key] ? 'granted' : 'refused'}:${key}`);
    const granted = optional.filter((c) => state[c.key]).length;
    if (optional.length) add(day, granted === optional.length ? 'accepted-all' : granted ? 'chose' : 'refused-all');
  }
  return counts;
}

/**
 * The statements that write records, from both ways the writer sends them: through knex (its
 * `query` event) and, on PostgreSQL, to pg itself on a pooled connection (db/statements.ts
 * runPrepared), with the name of the prepared statement if any and the connection it ran on.
 * On SQLite the writer's prepared statements pass through neither: there only rows are checked.
 */
function captureWrites(app: TestStrapi) {
  const writes: Array<{ sql: string; name?: string; connection?: any }> = [];
  const isWrite = (sql: unknown) => typeof sql === 'string' && /^(insert into|with )/i.test(sql) && sql.includes(RECORDS);
  const onQuery = (query: { sql: string }) => {
    if (isWrite(query.sql)) writes.push({ sql: query.sql.slice(0, 80) });
  };
  app.strapi.db.connection.on('query', onQuery);
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const pg = client === 'postgres' ? require('pg') : null;
  const query = pg?.Client.prototype.query;
  if (pg) {
    pg.Client.prototype.query = function (config: any, ...rest: unknown[]) {
      if (config && typeof config === 'object' && isWrite(config.text)) writes.push({ sql: config.text.slice(0, 80), name: config.name, connection: this });
      return query.call(this, config, ...rest);
    };
  }
  return {
    writes,
    /** Runs SQL on a connection behind pg's back (not recorded). */
    raw: (connection: any, sql: string) => query.call(connection, sql),
    stop() {
      app.strapi.db.connection.removeListener('query', onQuery);
      if (pg) pg.Client.prototype.query = query;
    },
  };
}

/**
 * Connections of the pool in use, once any query of the app's own timers (the generations poll,
 * every 500 ms) has had time to end: a connection the writer kept would stay in use.
 */
async function connectionsKept(pool: any) {
  const deadline = Date.now() + 3000;
  while (pool.numUsed() > 0 && Date.now() < deadline) await sleep(25);
  return pool.numUsed();
}

async function storedRollups(db: any) {
  const rows: Array<{ day: string; metric: string; count: number | string }> = await db(ROLLUPS).select('day', 'metric', 'count');
  return Object.fromEntries(rows.filter((r) => Number(r.count) !== 0).map((r) => [`${r.day} ${r.metric}`, Number(r.count)]));
}

/**
 * One database for the file: the drain test creates the schema and publishes the declaration,
 * and the kill test starts `strapi start` on it (booting on an existing schema is the faster
 * boot; each test also runs alone).
 */
const client = databaseClient();
let database: TestDatabase;
let app: TestStrapi | undefined;
let running: { url: string; child: any; output(): string; stop(): Promise<void> } | undefined;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await app?.close({ keepDatabase: true });
  await running?.stop();
  await database?.drop();
});

describe('drain at shutdown', () => {
  it('writes every queued consent before the database closes, and each promise resolves only then', async () => {
    const N = 50;
    // A batch waits for 1,000 records or the longest interval the config allows (1 s)...
    app = await bootStrapi({ PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({ consentWrites: { batchSize: 1000, batchMilliseconds: 1000 } }) }, { database });
    // ...and, past validation, a minute: whatever is queued at shutdown can only be written by it.
    (app.strapi.config.get('plugin::privacy-centre') as any).consentWrites.batchMilliseconds = 60000;
    const { token } = await createAdmin(app);
    expect((await app.http().post('/privacy-centre/cookies/publish').set('Authorization', `Bearer ${token}`).send({})).status).toBe(200);
    const categories = (await app.http().get('/api/privacy-centre/cookies')).body.data.categories;

    const plugin = app.strapi.plugin('privacy-centre');
    const writer = plugin.service('consent-writer');
    const facts = { ip: '203.0.113.7', userAgent: 'durability test', gpc: false, referer: undefined };
    const outcomes = Array.from({ length: N }, (_, i) =>
      plugin
        .service('consents')
        .record(decision(i), facts)
        .then(
          ({ receipt }: any) => ({ consentId: receipt.consentId as string, error: null }),
          (error: Error) => ({ consentId: null, error })
        )
    );
    // Every record validated, signed and waiting in the writer's queue; none written yet.
    const deadline = Date.now() + 10000;
    while (writer.pending() < N && Date.now() < deadline) await sleep(10);
    expect(writer.pending()).toBe(N);
    expect(await app.strapi.db.connection(RECORDS).count({ n: '*' }).then((r: any) => Number(r[0].n))).toBe(0);

    // The harness closes the HTTP server, then strapi.destroy(): plugins' destroy, then the database.
    await app.close({ keepDatabase: true });
    app = undefined;
    const results = await Promise.all(outcomes);
    expect(results.filter((r) => r.error).map((r) => String(r.error))).toEqual([]);

    // Read behind Strapi's back, after it is gone (the kill test below boots the app on it again).
    const db = openDatabase(database);
    try {
      const ids = results.map((r) => r.consentId!);
      const rows = await db(RECORDS).whereIn('consent_id', ids).select('consent_id', 'given_at', 'state');
      expect(rows.map((r: any) => r.consent_id).sort()).toEqual([...ids].sort());
      expect(await storedRollups(db)).toEqual(expectedRollups(rows, categories));
    } finally {
      await db.destroy();
    }
  });
});

describe('a batch larger than one statement may hold', () => {
  // 2,100 records of 33 columns: about 69,000 parameters, past the 65,535 one PostgreSQL statement
  // may bind; the per-record rollups add more. Written in INSERTs of 100 records, not one by one;
  // on PostgreSQL in one statement, whose two parameters hold the records and counters as JSON.
  it(`is written whole, in chunks rather than record by record, with its rollups (${client})`, async () => {
    const N = 2100;
    app = await bootStrapi({ PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({ consentWrites: { batchSize: 5000, batchMilliseconds: 1000 } }) }, { database });
    const config = (app.strapi.config.get('plugin::privacy-centre') as any).consentWrites;
    // One batch of exactly N: the N-th record queued starts it, the interval never does.
    config.batchMilliseconds = 60000;
    config.batchSize = N;
    // Published by the drain test before, unless this test runs alone.
    if ((await app.http().get('/api/privacy-centre/cookies')).status === 404) {
      const { token } = await createAdmin(app);
      expect((await app.http().post('/privacy-centre/cookies/publish').set('Authorization', `Bearer ${token}`).send({})).status).toBe(200);
    }
    const categories = (await app.http().get('/api/privacy-centre/cookies')).body.data.categories;
    const before = await app.strapi.db.connection(RECORDS).select('consent_id');

    const capture = captureWrites(app);
    const plugin = app.strapi.plugin('privacy-centre');
    const facts = { ip: '203.0.113.9', userAgent: 'large batch test', gpc: false, referer: undefined };
    let results: Array<{ consentId: string }>;
    try {
      results = await Promise.all(Array.from({ length: N }, (_, i) => plugin.service('consents').record(decision(i), facts).then(({ receipt }: any) => receipt)));
    } finally {
      capture.stop();
      config.batchSize = 5000;
    }
    const writes = capture.writes.map((w) => w.sql);
    if (client === 'postgres') expect(writes).toEqual([expect.stringMatching(/^with records as \(insert into "privacy_centre_consent_records"/)]);
    if (client === 'mysql') expect(writes.length).toBe(Math.ceil(N / 100));

    const ids = results.map((r) => r.consentId);
    const rows = await app.strapi.db.connection(RECORDS).whereIn('consent_id', ids).select('consent_id', 'given_at', 'state');
    expect(rows.length).toBe(N);
    const all = await app.strapi.db.connection(RECORDS).select('given_at', 'state');
    expect(all.length).toBe(before.length + N);
    expect(await storedRollups(app.strapi.db.connection)).toEqual(expectedRollups(all, categories));
    await app.close({ keepDatabase: true });
    app = undefined;
  });
});

describe('the batch statement', () => {
  // PostgreSQL plans the batch's long constant statement once per connection (a named prepared
  // statement), not at every batch. A pooler in transaction mode can lose it between two uses:
  // the writer then goes on unnamed, losing nothing and writing nothing twice.
  it(`is prepared once per connection on PostgreSQL, and written unnamed when the database refuses it (${client})`, async () => {
    app = await bootStrapi({ PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({ consentWrites: { batchSize: 200, batchMilliseconds: 1 } }) }, { database });
    if ((await app.http().get('/api/privacy-centre/cookies')).status === 404) {
      const { token } = await createAdmin(app);
      expect((await app.http().post('/privacy-centre/cookies/publish').set('Authorization', `Bearer ${token}`).send({})).status).toBe(200);
    }
    const categories = (await app.http().get('/api/privacy-centre/cookies')).body.data.categories;
    const warnings: string[] = [];
    const warn = app.strapi.log.warn;
    const capture = captureWrites(app);
    const consent = async (i: number) => {
      const response = await app!.http().post('/api/privacy-centre/consents').send(decision(i));
      expect(response.status).toBe(201);
      return response.body.data.consentId as string;
    };
    const pool = (app.strapi.db.connection.client as any).pool;
    const ids: string[] = [];
    try {
      app.strapi.log.warn = ((message: string, ...rest: unknown[]) => {
        warnings.push(String(message));
        return (warn as any).call(app!.strapi.log, message, ...rest);
      }) as any;
      for (let i = 0; i < 6; i += 1) ids.push(await consent(i));
      if (client !== 'postgres') {
        // Bound parameters through knex (MySQL) or the writer's own prepared statements (SQLite).
        expect(capture.writes.every((w) => w.name === undefined)).toBe(true);
        if (client === 'mysql') expect(capture.writes.length).toBe(6);
      } else {
        expect(capture.writes.length).toBe(6);
        const names = new Set(capture.writes.map((w) => w.name));
        expect([...names]).toEqual([expect.stringMatching(/^privacy_centre_[0-9a-f]{24}$/)]);
        const [name] = [...names] as string[];
        // Prepared on the database, in the session of each connection that ran it.
        for (const connection of new Set(capture.writes.map((w) => w.connection))) {
          const prepared = await capture.raw(connection, 'select name from pg_prepared_statements');
          expect(prepared.rows.map((r: any) => r.name)).toContain(name);
        }

        // What a pooler in transaction mode does: the statement pg believes prepared is gone
        // (26000), and a connection that never prepared it finds the name taken (42P05).
        const connections = [...pool.free.map((f: any) => f.resource), ...pool.used.map((u: any) => u.resource)];
        const parsed = new Set(connections.filter((connection) => connection.connection?.parsedStatements?.[name]));
        for (const connection of connections) await capture.raw(connection, parsed.has(connection) ? `deallocate ${name}` : `prepare ${name} as select 1`);
        capture.writes.length = 0;
        ids.push(await consent(6));
        ids.push(await consent(7));
        expect(warnings.filter((w) => w.includes('refused a prepared statement'))).toHaveLength(1);
        // The refused attempt, then unnamed from then on.
        expect(capture.writes.map((w) => w.name ?? null)).toEqual([name, null, null]);
        // A connection whose parse failed is given up (a pooler may still hold the name for it);
        // one that had parsed it is kept.
        const refused = capture.writes[0].connection;
        expect(Boolean(refused.__knex__disposed)).toBe(!parsed.has(refused));
      }
      // Every connection back in the pool, each record written once, the rollups equal to the rows.
      expect(await connectionsKept(pool)).toBe(0);
      const rows = await app.strapi.db.connection(RECORDS).whereIn('consent_id', ids).select('consent_id');
      expect(rows.map((r: any) => r.consent_id).sort()).toEqual([...ids].sort());
      const all = await app.strapi.db.connection(RECORDS).select('given_at', 'state');
      expect(await storedRollups(app.strapi.db.connection)).toEqual(expectedRollups(all, categories));
    } finally {
      capture.stop();
      app.strapi.log.warn = warn;
    }
    await app.close({ keepDatabase: true });
    app = undefined;
  });

  // A batch that fails for another reason than a duplicate or a deadlock is written again record
  // by record (each record alone), and on PostgreSQL that failure may have been its parse, which
  // gives up the connection (runPrepared): the retries, and the batches of the next 10 s, go
  // unnamed rather than give up one pooled connection each. Here a trigger refuses the rollups:
  // the statement parses, the column types stay readable (the JSON statement is kept), and every
  // attempt fails until the trigger is dropped. The test sets the window (the writer's
  // setUnnamedWindow, which applies to a window already open): a minute while the outage lasts, so
  // that a slow machine cannot close it early, then none, so that it need not wait. On the other
  // databases, which prepare nothing by name, the same outage answers 503, writes nothing and ends
  // when the trigger is dropped.
  it(`goes unnamed for a while (10 s) after a failed batch on PostgreSQL, its record-by-record retries included (${client})`, async () => {
    const N = 4;
    app = await bootStrapi({ PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({ consentWrites: { batchSize: 200, batchMilliseconds: 1 } }) }, { database });
    if ((await app.http().get('/api/privacy-centre/cookies')).status === 404) {
      const { token } = await createAdmin(app);
      expect((await app.http().post('/privacy-centre/cookies/publish').set('Authorization', `Bearer ${token}`).send({})).status).toBe(200);
    }
    const categories = (await app.http().get('/api/privacy-centre/cookies')).body.data.categories;
    const knex = app.strapi.db.connection;
    const config = (app.strapi.config.get('plugin::privacy-centre') as any).consentWrites;
    const pool = (knex.client as any).pool;
    const writer = app.strapi.plugin('privacy-centre').service('consent-writer');
    // Refuses every rollup row with an error that is neither a duplicate nor a deadlock.
    const refuse = {
      postgres: [
        `create function privacy_centre_test_refuse() returns trigger language plpgsql as $$ begin raise exception 'rollups refused by the test' using errcode = 'P0001'; end $$`,
        `create trigger privacy_centre_test_refuse before insert on ${ROLLUPS} for each row execute function privacy_centre_test_refuse()`,
      ],
      mysql: [`create trigger privacy_centre_test_refuse before insert on ${ROLLUPS} for each row signal sqlstate '45000' set message_text = 'rollups refused by the test'`],
      sqlite: [`create trigger privacy_centre_test_refuse before insert on ${ROLLUPS} begin select raise(abort, 'rollups refused by the test'); end`],
    }[client];
    const allow = client === 'postgres' ? [`drop trigger if exists privacy_centre_test_refuse on ${ROLLUPS}`, 'drop function if exists privacy_centre_test_refuse()'] : ['drop trigger if exists privacy_centre_test_refuse'];
    const count = () => knex(RECORDS).count({ n: '*' }).then((r: any) => Number(r[0].n));
    const consent = async (i: number) => {
      const response = await app!.http().post('/api/privacy-centre/consents').send(decision(i));
      expect(response.status).toBe(201);
      return response.body.data.consentId as string;
    };
    const NAME = /^privacy_centre_[0-9a-f]{24}$/;
    const capture = captureWrites(app);
    const ids: string[] = [];
    let unnamedMs: number | undefined;
    // One line per record that could not be written, on every database.
    const errors = jest.spyOn(app.strapi.log, 'error');
    const unwritten = () => errors.mock.calls.filter(([line]) => String(line).includes('a consent record could not be written')).length;
    try {
      expect(() => writer.setUnnamedWindow(Number.NaN)).toThrow(RangeError);
      expect(() => writer.setUnnamedWindow(-1)).toThrow(RangeError);
      expect(() => writer.setUnnamedWindow('3000')).toThrow(RangeError);
      unnamedMs = writer.setUnnamedWindow(60_000);
      expect(unnamedMs).toBe(10_000);
      for (const sql of refuse) await knex.raw(sql);
      const before = await count();
      const rollups = await storedRollups(knex);

      // N requests at once, one batch of exactly N: the N-th queued starts it, the interval never does.
      config.batchSize = N;
      config.batchMilliseconds = 60000;
      const answers = await Promise.all(Array.from({ length: N }, (_, i) => app!.http().post('/api/privacy-centre/consents').send(decision(i))));
      config.batchSize = 200;
      config.batchMilliseconds = 1;
      expect(answers.map((a) => a.status)).toEqual(Array(N).fill(503));
      expect(answers[0].body.error.message).toMatch(/could not be recorded just now/);
      expect(answers[0].headers['retry-after']).toBe('1');
      expect(await count()).toBe(before);
      expect(await storedRollups(knex)).toEqual(rollups);
      // The batch failed, then each of its N records alone, each logged.
      expect(unwritten()).toBe(N);

      let name: string | undefined;
      if (client === 'postgres') {
        // The batch named, then each of its records alone, unnamed.
        expect(capture.writes.map((w) => w.name ?? null)).toEqual([expect.stringMatching(NAME), ...Array(N).fill(null)]);
        name = capture.writes[0].name;
        // No connection given up: the statement parsed, and the retries went unnamed.
        const connections = new Set([...capture.writes.map((w) => w.connection), ...pool.free.map((f: any) => f.resource), ...pool.used.map((u: any) => u.resource)]);
        expect([...connections].filter((c) => c.__knex__disposed).length).toBe(0);
      } else {
        // Bound parameters through knex (MySQL: the batch, then each record alone) or the writer's own prepared statements (SQLite).
        expect(capture.writes.every((w) => w.name === undefined)).toBe(true);
        if (client === 'mysql') expect(capture.writes.length).toBe(1 + N);
      }

      // The outage ends: within the window, the next batch is written unnamed.
      for (const sql of allow) await knex.raw(sql);
      capture.writes.length = 0;
      ids.push(await consent(N));
      expect(unwritten()).toBe(N);
      if (client === 'postgres') {
        expect(capture.writes.map((w) => w.name ?? null)).toEqual([null]);

        // The window closed (set to none, which applies to the one open): named again, the same statement as before the outage.
        writer.setUnnamedWindow(0);
        capture.writes.length = 0;
        ids.push(await consent(N + 1));
        expect(capture.writes.map((w) => w.name ?? null)).toEqual([name]);
      } else {
        expect(capture.writes.every((w) => w.name === undefined)).toBe(true);
        if (client === 'mysql') expect(capture.writes.length).toBe(1);
      }

      // Every connection back in the pool, each record written once, the rollups equal to the rows.
      expect(await connectionsKept(pool)).toBe(0);
      expect(await count()).toBe(before + ids.length);
      const rows = await knex(RECORDS).whereIn('consent_id', ids).select('consent_id');
      expect(rows.map((r: any) => r.consent_id).sort()).toEqual([...ids].sort());
      const all = await knex(RECORDS).select('given_at', 'state');
      expect(await storedRollups(knex)).toEqual(expectedRollups(all, categories));
    } finally {
      if (unnamedMs !== undefined) writer.setUnnamedWindow(unnamedMs);
      config.batchSize = 200;
      config.batchMilliseconds = 1;
      capture.stop();
      errors.mockRestore();
      try {
        for (const sql of allow) await knex.raw(sql);
      } finally {
        // Closed even when an assertion failed, so that the next test does not share the database with it.
        await app.close({ keepDatabase: true });
        app = undefined;
      }
    }
  });
});

describe('consentWrites.preparedStatements: false', () => {
  // For a pooler that pins a connection to its client for a prepared statement (RDS Proxy).
  it(`writes every batch unnamed (${client})`, async () => {
    app = await bootStrapi({ PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({ consentWrites: { batchMilliseconds: 1, preparedStatements: false } }) }, { database });
    if ((await app.http().get('/api/privacy-centre/cookies')).status === 404) {
      const { token } = await createAdmin(app);
      expect((await app.http().post('/privacy-centre/cookies/publish').set('Authorization', `Bearer ${token}`).send({})).status).toBe(200);
    }
    const capture = captureWrites(app);
    const ids: string[] = [];
    try {
      for (let i = 0; i < 3; i += 1) {
        const response = await app.http().post('/api/privacy-centre/consents').send(decision(i));
        expect(response.status).toBe(201);
        ids.push(response.body.data.consentId);
      }
    } finally {
      capture.stop();
    }
    if (client !== 'sqlite') expect(capture.writes).toHaveLength(3);
    expect(capture.writes.filter((w) => w.name !== undefined)).toEqual([]);
    expect(await app.strapi.db.connection(RECORDS).whereIn('consent_id', ids).count({ n: '*' }).then((r: any) => Number(r[0].n))).toBe(3);
    await app.close({ keepDatabase: true });
    app = undefined;
  });
});

/**
 * kill -9 of `strapi start` (a child process, production mode) while consents are being written:
 * what was answered 201 is on disk, and the rollups equal the rows, after a restart.
 */
describe('killed mid-load (SIGKILL)', () => {
  const start = () =>
    runner.startApp({
      env: { ...database.env, SERVE_ADMIN: 'false', NODE_ENV: 'production', STRAPI_LOG_LEVEL: 'warn' },
      timeoutMs: 90000,
    });
  const post = (url: string, body: object, token?: string) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  it(`loses no acknowledged consent and keeps the rollups equal to the rows (${client})`, async () => {
    // An earlier test that failed left its app running in this process, where it slowed the
    // answers counted below: closed first, so that this test fails only for its own reasons.
    if (app) {
      await app.close({ keepDatabase: true });
      app = undefined;
    }
    let started = Date.now();
    running = await start();
    const bootMs = Date.now() - started;
    const { url } = running!;
    // Alone (jest -t), the database is new: the first admin publishes the declaration.
    if ((await fetch(`${url}/api/privacy-centre/cookies`)).status === 404) {
      const register = await post(`${url}/admin/register-admin`, {
        email: 'durability@example.com',
        password: 'Durab1lity-Passw0rd',
        firstname: 'D',
        lastname: 'Test',
      });
      expect(register.status).toBe(200);
      const token = ((await register.json()) as any).data.token;
      expect((await post(`${url}/privacy-centre/cookies/publish`, {}, token)).status).toBe(200);
    }

    // Eight clients send consents back to back; the process is killed after 2 s, mid-flight.
    const answered: string[] = [];
    const statuses: Record<string, number> = {};
    let sent = 0;
    let unanswered = 0;
    let stop = false;
    const loop = async (client: number) => {
      for (let i = client; !stop; i += 8) {
        sent += 1;
        try {
          const response = await post(`${url}/api/privacy-centre/consents`, decision(i));
          const body = (await response.json()) as any;
          statuses[response.status] = (statuses[response.status] ?? 0) + 1;
          if (response.status === 201) answered.push(body.data.consentId);
        } catch {
          unanswered += 1; // in flight when the process died
          return;
        }
      }
    };
    const loops = Array.from({ length: 8 }, (_, i) => loop(i));
    await sleep(2000);
    const child = running!.child;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid, 'SIGKILL');
    await exited;
    stop = true;
    await Promise.all(loops);
    running = undefined;

    started = Date.now();
    running = await start();
    const restartMs = Date.now() - started;
    console.log(
      `[durability ${client}] boot ${bootMs} ms, restart after kill ${restartMs} ms; ${sent} sent, ` +
        `${answered.length} answered 201, ${unanswered} in flight at the kill, statuses ${JSON.stringify(statuses)}`
    );
    expect(answered.length).toBeGreaterThan(20);
    expect(unanswered).toBeGreaterThan(0);
    expect(Object.keys(statuses)).toEqual(['201']);

    const db = openDatabase(database);
    try {
      const rows: Array<{ consent_id: string; given_at: string; state: unknown }> = await db(RECORDS).select('consent_id', 'given_at', 'state');
      const stored = new Set(rows.map((r) => r.consent_id));
      expect(answered.filter((id) => !stored.has(id))).toEqual([]);
      const categories = ((await (await fetch(`${running!.url}/api/privacy-centre/cookies`)).json()) as any).data.categories;
      expect(await storedRollups(db)).toEqual(expectedRollups(rows, categories));
    } finally {
      await db.destroy();
    }
    // The restarted app serves what it answered before the kill.
    for (const consentId of answered.slice(-5)) {
      expect((await fetch(`${running!.url}/api/privacy-centre/consents/${consentId}`)).status).toBe(200);
    }
  });
});
