#!/usr/bin/env node
/**
 * bench/instances: two instances of tests/app (`strapi start`, production mode) on ONE database,
 * as a site runs several behind a load balancer. For BENCH_TRIALS (default 20) publications of
 * a policy on instance A (through the admin API), the time until instance B serves the new
 * version from GET /policies/:slug/current, read every 5 ms. B's answers are cached for an hour
 * (cacheTtlSeconds 3600): only the cross-instance invalidation (services/generations) can make
 * it serve the change. Reports p50 / p99 / max, and p99 against the 1 s target.
 *
 * BENCH_DATABASES (default "postgres,mysql"): postgres (LISTEN/NOTIFY, and a run with it off:
 * polling alone), mysql, sqlite (two processes on one file). A server that is not reachable is
 * skipped with its reason. DATABASE_HOST names the server; PG_PORT and MYSQL_PORT (or DATABASE_PORT)
 * their ports (bench/lib.js).
 * Writes bench/results/instances.json. Figures are reported, never asserted.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { prepare, json, registerAdmin, report, postgresDatabase, mysqlDatabase } = require('./lib');
const { startApp } = require('../tests/app/scripts/app-runner');

const trials = Number(process.env.BENCH_TRIALS || 20);
const databases = (process.env.BENCH_DATABASES || 'postgres,mysql').split(',').map((d) => d.trim());
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fresh database on the server (or a SQLite file), its env for tests/app, and how to drop it. */
async function createDatabase(client) {
  if (client === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'privacy-centre-bench-'));
    return { env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: path.join(dir, 'bench.db') }, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  return client === 'postgres' ? postgresDatabase() : mysqlDatabase();
}

const sections = (tag) => ({ en: { title: `Policy ${tag}`, summary: `Changes ${tag}`, sections: [{ anchor: '', heading: '1. Who we are', markdown: `We are the controller (${tag}).` }] } });

async function runOn(label, client, instances) {
  let database;
  try {
    database = await createDatabase(client);
  } catch (error) {
    console.log(`${label}: skipped, the server is not reachable (${error.message})`);
    return null;
  }
  const env = {
    ...database.env,
    SERVE_ADMIN: 'false',
    NODE_ENV: 'production',
    STRAPI_LOG_LEVEL: 'warn',
    PRIVACY_CENTRE_CACHE_TTL: '3600',
    PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({ instances }),
  };
  let a;
  let b;
  try {
    a = await startApp({ env }); // first: it creates the schema
    b = await startApp({ env });
    const token = await registerAdmin(a.url);
    const current = async () => (await json(`${b.url}/api/privacy-centre/policies/privacy-policy/current`)).data.title;
    const publish = async (tag) => {
      const draft = await json(`${a.url}/privacy-centre/policies/drafts`, { method: 'POST', token, body: { slug: 'privacy-policy', locales: sections(tag) } });
      await json(`${a.url}/privacy-centre/policies/drafts/${draft.data.documentId}/publish`, { method: 'POST', token, body: {} });
    };
    await publish('v0');
    while ((await current().catch(() => null)) !== 'Policy v0') await sleep(20);
    const latencies = [];
    for (let i = 1; i <= trials; i++) {
      if ((await current()) !== `Policy v${i - 1}`) throw new Error('B does not serve the version before the change');
      await publish(`v${i}`);
      const changedAt = performance.now();
      while ((await current()) !== `Policy v${i}`) {
        if (performance.now() - changedAt > 60_000) throw new Error(`B did not serve v${i} within a minute`);
        await sleep(5);
      }
      latencies.push(Math.round(performance.now() - changedAt));
      // Off the poll's rhythm: the next change lands at another point of its cycle.
      await sleep(37 + ((i * 97) % 400));
    }
    const sorted = [...latencies].sort((x, y) => x - y);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    const result = { trials, pollMilliseconds: instances.pollMilliseconds, listen: instances.listen, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: sorted[sorted.length - 1], p99OverTarget: +(at(0.99) / 1000).toFixed(2), latencies };
    console.log(`${label}: publish on A → served by B: p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, max ${result.maxMs} ms (${trials} trials; p99 = ${result.p99OverTarget} × the 1 s target)`);
    return result;
  } finally {
    await b?.stop();
    await a?.stop();
    await database.drop();
  }
}

(async () => {
  prepare();
  console.log(`load before: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (${os.cpus().length} cpus)`);
  const results = {};
  const poll = 500;
  for (const client of databases) {
    if (client === 'postgres') {
      results.postgres = await runOn('postgres (LISTEN/NOTIFY + poll)', 'postgres', { pollMilliseconds: poll, listen: true });
      results.postgresPollOnly = await runOn('postgres (poll only)', 'postgres', { pollMilliseconds: poll, listen: false });
    } else {
      results[client] = await runOn(`${client} (poll)`, client, { pollMilliseconds: poll, listen: true });
    }
  }
  console.log(`load after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  report('instances', { load: os.loadavg(), results });
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
