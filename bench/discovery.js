#!/usr/bin/env node
/**
 * bench/discovery: cookie discovery's intake at the rate of a busy site, against Strapi's own
 * cheapest route in the same run, on the same app (tests/app, production mode, SQLite):
 *
 *   /_health                                 Strapi's cheapest route (the ceiling)
 *   POST /api/privacy-centre/cookies/observations
 *                                            reports of 30 names each (declared, known to the
 *                                            Open Cookie Database, the site's own), over 1,000
 *                                            distinct page paths, before and after consent
 *
 * Then, from the database and the plugin's own count (PRIVACY_CENTRE_DISCOVERY_STATS_FILE,
 * written at shutdown): the statements and counter rows the reports cost, per 1,000 reports.
 * BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 20). Writes bench/results/discovery.json.
 * Figures are reported, never asserted.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { json, registerAdmin, measure, withApp, prepare, ratio, report, print, seconds, connections } = require('./lib');

const DECLARED = ['_ga', '_ga_ABC123XYZ', '_gid', '_fbp', 'session_id'];
const KNOWN = ['_hjSessionUser_1234', '_hjSession_1234', '_gcl_au', 'IDE', 'test_cookie', '_pin_unauth', 'li_gc', 'bcookie', 'MUID', '_clck'];
const OWN = Array.from({ length: 15 }, (_, i) => `site_pref_${i}`);
const GRANTED = [null, ['necessary'], ['necessary', 'statistics'], ['necessary', 'preferences', 'statistics', 'marketing']];

/** 1,000 different reports: one per page path, the consent varying. */
function reports(revision) {
  return Array.from({ length: 1000 }, (_, i) => ({
    method: 'POST',
    path: '/api/privacy-centre/cookies/observations',
    headers: { 'content-type': i % 2 ? 'text/plain;charset=UTF-8' : 'application/json' },
    body: JSON.stringify({
      revision,
      path: `/blog/${i}/post-${i % 37}`,
      granted: GRANTED[i % GRANTED.length],
      cookie: [...DECLARED, ...KNOWN],
      localStorage: OWN,
    }),
  }));
}

async function main() {
  prepare();
  const statsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'privacy-centre-discovery-')), 'stats.json');
  const dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'privacy-centre-discovery-db-'));
  const dbFile = path.join(dbDir, 'bench.db');
  const env = {
    DATABASE_FILENAME: dbFile,
    PRIVACY_CENTRE_RATE_LIMIT_MAX: '100000000',
    PRIVACY_CENTRE_DISCOVERY_STATS_FILE: statsFile,
  };
  console.log(`bench/discovery on sqlite: ${connections} connections, ${seconds} s per route`);
  let reportsSent = 0;
  const outcome = await withApp(env, async (app) => {
    const token = await registerAdmin(app.url);
    for (const [name, category] of [['_ga', 'statistics'], ['_ga_*', 'statistics'], ['_gid', 'statistics'], ['_fbp', 'marketing'], ['session_id', 'necessary']]) {
      await json(`${app.url}/privacy-centre/cookies/definitions`, { method: 'POST', token, body: { name, category } });
    }
    const { data } = await json(`${app.url}/privacy-centre/cookies/publish`, { method: 'POST', token, body: {} });
    const results = {};
    results.health = await measure({ url: `${app.url}/_health` });
    print('health', `GET ${app.url}/_health`, results.health);
    const started = Date.now();
    results.intake = await measure({ url: app.url, requests: reports(data.revision) });
    print('intake', `POST ${app.url}/api/privacy-centre/cookies/observations (30 names, 1,000 paths)`, results.intake);
    // Warm-up and run, from the rate (every answer was a 202: measure() fails on anything else).
    reportsSent = Math.round(results.intake.requestsPerSecond * (seconds + 2));
    const ratios = { intakeVsHealth: ratio(results.intake.requestsPerSecond, results.health.requestsPerSecond) };
    console.log(`intake / _health = ${ratios.intakeVsHealth}; ~${reportsSent} reports in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return { results, ratios };
  });
  // After the app stopped (its shutdown flushed the last counters and wrote its statement count).
  const stats = JSON.parse(fs.readFileSync(statsFile, 'utf8'));
  const Database = require('better-sqlite3');
  const db = new Database(dbFile, { readonly: true });
  const { rows, counted } = db.prepare('select count(*) as rows, sum(count) as counted from privacy_centre_cookie_observations').get();
  db.close();
  fs.rmSync(dbDir, { recursive: true, force: true });
  const reportsCounted = counted / 30;
  const per1000 = (n) => +((n / reportsCounted) * 1000).toFixed(2);
  const writes = {
    reportsCounted,
    flushes: stats.flushes,
    statements: stats.statements,
    counterRows: rows,
    statementsPer1000Reports: per1000(stats.statements),
    flushesPer1000Reports: per1000(stats.flushes),
    counterRowsPer1000Reports: per1000(rows),
  };
  console.log(
    `writes: ${reportsCounted} reports (${counted} names) counted in ${stats.flushes} flushes, ${stats.statements} statements, ${rows} counter rows: ` +
      `${writes.statementsPer1000Reports} statements and ${writes.flushesPer1000Reports} transactions per 1,000 reports`
  );
  report('discovery', { database: 'sqlite', ...outcome, writes });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
