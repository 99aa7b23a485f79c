#!/usr/bin/env node
/**
 * bench/consent: how fast does the plugin record consents, against Strapi's own routes in the
 * same run, on the same app (tests/app, production mode)?
 *
 *   /_health                          Strapi's cheapest route (the ceiling)
 *   POST /api/privacy-centre/consents the plugin: validated, signed, group-committed with its
 *                                     daily rollups, answered 201 after the commit
 *   POST /api/consent-entries         Strapi's REST `create` on a plain collection type holding
 *                                     the same fields (tests/app api::consent-entry), one
 *                                     transaction per request
 *   POST /api/bench-floor/consents    the floor: the app's own middleware at the fast path's place
 *                                     reads the same body and answers a receipt-sized 201, nothing
 *                                     else (tests/app/src/middlewares/bench-floor.ts): what no
 *                                     POST through Strapi's middlewares can go below
 *
 * The app has the cookie declaration and a privacy policy published (receipts name both);
 * BENCH_NO_POLICY=1 leaves the policy out, as on a site that keeps it elsewhere.
 * SQLite by default (a fresh file); BENCH_DATABASE=postgres runs on a fresh PostgreSQL database
 * (DATABASE_HOST/PORT/USERNAME/PASSWORD, default 127.0.0.1:5432 postgres), dropped afterwards;
 * BENCH_DATABASE=mysql on a fresh MySQL/MariaDB database (MYSQL_PORT, default 3306, user root).
 * Each route: a 2 s warm-up, then BENCH_SECONDS (default 10) at BENCH_CONNECTIONS (default 20),
 * BENCH_ROUNDS times (default 3), the routes in turn; the median round counts.
 * Prints requests/s, p99 latency, the Strapi process's CPU time per request (from /proc), how busy
 * its main thread was and how long it waited for a core (Linux; a route short of 100% busy waits
 * on something else than Strapi's CPU: a core, or I/O for the rest), the
 * ratios and the load average; writes bench/results/consent-<database>.json.
 * BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the Strapi process there (at its exit);
 * BENCH_ROUTES=plugin (or a comma list of health, plugin, rest, floor) runs only those, e.g. to profile one.
 * BENCH_BATCH_MS=<n> sets consentWrites.batchMilliseconds (default the plugin's: 2 on PostgreSQL and MySQL, 5 on SQLite): how long the group commit waits.
 * BENCH_UNWRITTEN=1 (a diagnostic): the app answers every consent as usual but writes no record
 * (tests/app APP_BENCH_UNWRITTEN): the plugin's figure is then what the path costs without its
 * commit, the most any change to the write could reach. Its requests are estimated from the rate.
 * BENCH_RATE_LIMIT_STORE=database|redis counts the rate limit in that store instead of memory
 * ('database' needs BENCH_DATABASE=postgres; 'redis' uses BENCH_REDIS_URL, default
 * redis://127.0.0.1:6379): what a shared limit costs each consent, against /_health in the same run.
 *
 * Targets (reported, not asserted): the plugin at 10× or more the REST create and at half or more
 * of /_health on SQLite (DESIGN.md §7); 12× and 0.8× on PostgreSQL (issue #19).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { cpuMs, mainThreadCpuMs, mainThreadRunQueueMs, json, registerAdmin, measure, withApp, prepare, ratio, report, print, seconds, connections, profilerEnv, rounds, medianRound, postgresDatabase, mysqlDatabase } = require('./lib');

/**
 * The machine's CPU counters (/proc/stat, Linux): all of them, and the time taken by the host for
 * other guests (steal). The first eight only: guest time is counted in user time already.
 */
function cpuTimes() {
  try {
    const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
    return { total: fields.reduce((sum, n) => sum + n, 0), steal: fields[7] ?? 0 };
  } catch {
    return null;
  }
}
/** The median, the mean of the two middle values for an even count. */
const median = (values) => {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : +((sorted[middle - 1] + sorted[middle]) / 2).toFixed(2);
};
const stealShare = (before) => {
  const now = cpuTimes();
  return before && now && now.total > before.total ? (now.steal - before.steal) / (now.total - before.total) : null;
};

/** "busy 86%, waiting for a core 5%": the main thread's shares of a round (waiting: where Linux keeps it). */
const threadShares = ({ mainThreadBusy, mainThreadWaitingForCore }) =>
  `busy ${Math.round(100 * mainThreadBusy)}%${mainThreadWaitingForCore === null ? '' : `, waiting for a core ${Math.round(100 * mainThreadWaitingForCore)}%`}`;

const database = process.env.BENCH_DATABASE || 'sqlite';
/** BENCH_NO_POLICY=1: no privacy policy published (a site that keeps its policy elsewhere). */
const withPolicy = process.env.BENCH_NO_POLICY !== '1';
/** BENCH_UNWRITTEN=1: consents answered without their record (a diagnostic, see above). */
const unwritten = process.env.BENCH_UNWRITTEN === '1';
/** rateLimit.store of the app (memory, the default; database; redis). */
const store = process.env.BENCH_RATE_LIMIT_STORE || 'memory';

/** What a site's banner sends: the plugin's own shape. */
const consentBody = { state: { preferences: false, statistics: true, marketing: false }, source: 'https://site.example/', locale: 'en' };

/** The same facts as a plugin record, as a site would keep them in its own collection type. */
const entryBody = {
  data: {
    consentId: randomBytes(16).toString('base64url'),
    subjectId: randomBytes(16).toString('base64url'),
    action: 'given',
    state: { necessary: true, preferences: false, statistics: true, marketing: false },
    consentMode: {
      ad_storage: 'denied',
      ad_user_data: 'denied',
      ad_personalization: 'denied',
      analytics_storage: 'granted',
      functionality_storage: 'denied',
      personalization_storage: 'denied',
      security_storage: 'granted',
    },
    gpc: false,
    policySlug: 'privacy-policy',
    policyVersion: 1,
    declarationRevision: 1,
    ipPrefix: '127.0.0.0/24',
    userAgent: 'autocannon',
    sourceUrl: 'https://site.example/',
    language: 'en',
    givenAt: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 365 * 24 * 3600 * 1000).toISOString(),
    signature: randomBytes(32).toString('base64url'),
  },
};

/** A short privacy policy in force: receipts then name it, as on a site that uses the plugin for it. */
async function publishPolicy(url, token) {
  const sections = [{ anchor: '', heading: '1. Cookies', markdown: 'We keep proof of your cookie choices for a year.' }];
  const draft = await json(`${url}/privacy-centre/policies/drafts`, {
    method: 'POST',
    token,
    body: { slug: 'privacy-policy', locales: { en: { title: 'Privacy policy', summary: 'First version.', sections } } },
  });
  await json(`${url}/privacy-centre/policies/drafts/${draft.data.documentId}/publish`, { method: 'POST', token, body: {} });
}

async function main() {
  if (!['sqlite', 'postgres', 'mysql'].includes(database)) throw new Error(`BENCH_DATABASE must be sqlite, postgres or mysql, not ${database}`);
  prepare();
  const target = database === 'postgres' ? await postgresDatabase() : database === 'mysql' ? await mysqlDatabase() : { env: {}, drop: async () => {} };
  try {
    await run(target);
  } finally {
    // A failed drop is said, and does not hide what stopped the run.
    await target.drop().catch((error) => console.error(`the bench database could not be dropped: ${error.message}`));
  }
}

async function run(target) {
  const env = {
    ...target.env,
    // The plugin's per-network limit stays on (as on a site), far above what one run sends.
    PRIVACY_CENTRE_RATE_LIMIT_MAX: '100000000',
    APP_BENCH_FLOOR: process.env.APP_BENCH_FLOOR || '1',
    ...(unwritten ? { APP_BENCH_UNWRITTEN: '1' } : {}),
    // Rows are counted through the consent log's total: exact however many a run writes.
    PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({
      consentLog: { exactTotalLimit: 10_000_000 },
      // BENCH_REPLAY_SECURITY=0: strapi::security runs for every consent (as before the replay).
      ...(process.env.BENCH_REPLAY_SECURITY === '0' ? { replaySecurityHeaders: false } : {}),
      ...(process.env.BENCH_BATCH_MS ? { consentWrites: { batchSize: 200, batchMilliseconds: Number(process.env.BENCH_BATCH_MS) } } : {}),
      ...(store === 'memory'
        ? {}
        : { rateLimit: { enabled: true, windowSeconds: 60, max: 100000000, store, ...(store === 'redis' ? { redis: process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379' } : {}) } }),
    }),
    ...profilerEnv(),
  };
  console.log(`bench/consent on ${database}, rateLimit.store ${store}${withPolicy ? '' : ', no privacy policy published'}${unwritten ? ', consent records NOT written (BENCH_UNWRITTEN)' : ''}: ${connections} connections, ${seconds} s per route`);
  const loadBefore = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  let stealBefore = null;
  const outcome = await withApp(env, async (app) => {
    const token = await registerAdmin(app.url);
    await json(`${app.url}/privacy-centre/cookies/publish`, { method: 'POST', token, body: {} });
    if (withPolicy) await publishPolicy(app.url, token);
    const post = (url, body) => ({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const routes = {
      health: { url: `${app.url}/_health` },
      plugin: post(`${app.url}/api/privacy-centre/consents`, consentBody),
      rest: post(`${app.url}/api/consent-entries`, entryBody),
      // The same body read and a receipt-sized 201 at the fast path's place, and nothing else.
      floor: post(`${app.url}/api/bench-floor/consents`, consentBody),
    };
    // Rows each route wrote (read through the admin), to count its requests exactly.
    const rows = {
      ...(unwritten ? {} : { plugin: async () => (await json(`${app.url}/privacy-centre/consents?pageSize=1`, { token })).meta.pagination.total }),
      rest: async () =>
        (await json(`${app.url}/content-manager/collection-types/api::consent-entry.consent-entry?pageSize=1`, { token })).pagination.total,
    };
    const only = (process.env.BENCH_ROUTES || 'health,plugin,rest,floor').split(',');
    const selected = Object.entries(routes).filter(([name]) => only.includes(name));
    // Rounds alternate the routes, so that a slower moment of the machine falls on every route
    // alike; each route's figure is its median round, its CPU time the total over all rounds.
    const measured = {};
    const totals = {};
    // From here: the rounds, not the app's start and seeding.
    stealBefore = cpuTimes();
    for (let round = 1; round <= rounds; round += 1) {
      for (const [name, options] of selected) {
        const rowsBefore = rows[name] ? await rows[name]() : 0;
        const cpuBefore = cpuMs(app.child.pid);
        const mainBefore = mainThreadCpuMs(app.child.pid);
        const queuedBefore = mainThreadRunQueueMs(app.child.pid);
        const started = process.hrtime.bigint();
        const result = await measure(options);
        const cpu = cpuMs(app.child.pid) - cpuBefore;
        // Warm-up and run alike: the shares of the wall time Strapi's main thread was on a core,
        // and runnable but waiting for one; the rest it had nothing to run (waiting for I/O).
        const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
        result.mainThreadBusy = +((mainThreadCpuMs(app.child.pid) - mainBefore) / wallMs).toFixed(2);
        const queuedAfter = mainThreadRunQueueMs(app.child.pid);
        result.mainThreadWaitingForCore = queuedBefore === null || queuedAfter === null ? null : +((queuedAfter - queuedBefore) / wallMs).toFixed(2);
        // Warm-up and run: exact for the routes that write a row, estimated from the rate for /_health.
        const requests = rows[name] ? (await rows[name]()) - rowsBefore : result.requestsPerSecond * (seconds + 2);
        (measured[name] ??= []).push(result);
        totals[name] = { cpu: (totals[name]?.cpu ?? 0) + cpu, requests: (totals[name]?.requests ?? 0) + requests };
        console.log(`  round ${round} ${name.padEnd(6)} ${result.requestsPerSecond} req/s, p99 ${result.p99Ms} ms, Strapi's main thread ${threadShares(result)}`);
      }
    }
    const results = {};
    for (const [name, options] of selected) {
      results[name] = medianRound(measured[name]);
      results[name].strapiCpuMsPerRequest = +(totals[name].cpu / totals[name].requests).toFixed(2);
      if (rows[name]) results[name].rowsWritten = totals[name].requests;
      print(name, `${options.method || 'GET'} ${options.url}`, results[name]);
      results[name].mainThreadBusy = median(measured[name].map((r) => r.mainThreadBusy));
      const queued = measured[name].map((r) => r.mainThreadWaitingForCore);
      results[name].mainThreadWaitingForCore = queued.includes(null) ? null : median(queued);
      console.log(`          Strapi process CPU ${rows[name] ? '' : '~'}${results[name].strapiCpuMsPerRequest} ms/request; its main thread ${threadShares(results[name])} (median rounds)`);
    }
    const written = { pluginRecords: results.plugin?.rowsWritten, restEntries: results.rest?.rowsWritten };
    const ratios = {};
    if (results.plugin && results.health) ratios.pluginVsHealth = ratio(results.plugin.requestsPerSecond, results.health.requestsPerSecond);
    if (results.plugin && results.rest) ratios.pluginVsRest = ratio(results.plugin.requestsPerSecond, results.rest.requestsPerSecond);
    if (ratios.pluginVsHealth !== undefined) {
      console.log(
        `plugin / _health = ${ratios.pluginVsHealth} ${unwritten ? '(consent records NOT written: BENCH_UNWRITTEN, not a figure to hold against a target)' : '(targets: 0.5 on SQLite, DESIGN.md §7; 0.8 on PostgreSQL, #19; none on MySQL)'}`
      );
    }
    if (results.floor && results.health) ratios.floorVsHealth = ratio(results.floor.requestsPerSecond, results.health.requestsPerSecond);
    if (results.plugin && results.floor) ratios.pluginVsFloor = ratio(results.plugin.requestsPerSecond, results.floor.requestsPerSecond);
    if (ratios.floorVsHealth !== undefined) console.log(`floor / _health = ${ratios.floorVsHealth} (the most any POST at the fast path's place can reach)`);
    if (ratios.pluginVsFloor !== undefined) console.log(`plugin / floor = ${ratios.pluginVsFloor}`);
    if (ratios.pluginVsRest !== undefined) console.log(`plugin / REST create = ${ratios.pluginVsRest} (targets: 10 on SQLite; 12 on PostgreSQL; none on MySQL)`);
    // Each round's own ratio (its routes measured seconds apart) and their median: on a
    // shared machine whose speed drifts between runs, steadier than the ratio of the medians.
    for (const [key, a, b] of [['pluginVsHealthRounds', 'plugin', 'health'], ['pluginVsRestRounds', 'plugin', 'rest']]) {
      if (!measured[a] || !measured[b] || rounds < 2) continue;
      const each = measured[a].map((r, i) => ratio(r.requestsPerSecond, measured[b][i].requestsPerSecond));
      ratios[key] = { each, median: median(each) };
      console.log(`${a} / ${b === 'health' ? '_health' : 'REST create'} round by round: ${each.join(', ')} (median ${ratios[key].median})`);
    }
    const steal = stealShare(stealBefore);
    if (steal !== null) console.log(`steal time ${(100 * steal).toFixed(1)}% of the machine's CPU during the run (other guests of its host)`);
    console.log(`load average ${loadBefore} before, ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} after (${os.cpus().length} cores)`);
    return { results, ratios, written, loadAverage: { before: loadBefore, after: os.loadavg() }, stealShare: steal };
  });
  report(`consent-${database}${store === 'memory' ? '' : `-${store}`}${withPolicy ? '' : '-no-policy'}${unwritten ? '-unwritten' : ''}`, { database, store, withPolicy, unwritten, ...outcome });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
