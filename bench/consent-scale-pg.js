#!/usr/bin/env node
/**
 * bench/consent-scale-pg: the consent log at ten million records on PostgreSQL (issue 19), and at
 * a million on MySQL/MariaDB and SQLite (BENCH_DATABASE=mysql|sqlite, BENCH_SCALE_ROWS).
 * A measurement, not a test: it prints figures and ratios and asserts only the row counts.
 *
 * 1. tests/app (production mode) on a fresh database; an admin; a policy and the cookie
 *    declaration published; one consent recorded through the API, the template of every row.
 * 2. BENCH_SCALE_ROWS records (default 10,000,000) inserted behind the app's back by ONE
 *    INSERT ... SELECT over a generated series (PostgreSQL generate_series, MariaDB seq_1_to_N,
 *    else a recursive CTE), the table's non-unique indexes dropped before and built after;
 *    BENCH_PURGE_ROWS of them (default a tenth) given two years ago, so expired past retention;
 *    the rest over the last year; a mix of decisions and actions; the daily rollups computed from
 *    them by one GROUP BY. The rows are not signed (receipts do not verify): the log, the
 *    overview, the export and the purge do not read signatures.
 * 3. With the app running: the consent log's first page with its total, a page deep by cursor,
 *    a filtered page (time range + action + category), the overview (stats of 30 and 365
 *    days), POST /consents throughput and p99 idle and while the retention purge deletes the
 *    expired records (purge rows/s), and the Strapi process's peak RSS while exporting the last
 *    BENCH_EXPORT_DAYS (7) days as NDJSON.
 * Writes bench/results/consent-scale-<database>.json.
 */
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const autocannon = require('autocannon');
const { json, registerAdmin, withApp, prepare, report, ratio, connections, seconds, timed, decisions } = require('./lib');

const DATABASE = process.env.BENCH_DATABASE || 'postgres';
const ROWS = Number(process.env.BENCH_SCALE_ROWS || (DATABASE === 'postgres' ? 10_000_000 : 1_000_000));
const PURGE_ROWS = Number(process.env.BENCH_PURGE_ROWS || Math.round(ROWS / 10));
const EXPORT_DAYS = Number(process.env.BENCH_EXPORT_DAYS || 7);
const DAY = 24 * 3600 * 1000;
const RECORDS = 'privacy_centre_consent_records';
const ROLLUPS = 'privacy_centre_consent_rollups';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds2 = (ms) => `${(ms / 1000).toFixed(1)} s`;

function rss(pid) {
  const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number((text.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm')) || [])[1] || 0);
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** A fresh database of the chosen kind for the run, its app env, a knex on it, and how to drop it. */
async function database() {
  const name = `pc_scale_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  if (DATABASE === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'privacy-centre-scale-'));
    const filename = path.join(dir, 'scale.db');
    return {
      env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: filename },
      knex: () => require('knex')({ client: 'better-sqlite3', connection: { filename }, useNullAsDefault: true }),
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const postgres = DATABASE === 'postgres';
  const settings = {
    host: process.env.DATABASE_HOST || '127.0.0.1',
    port: Number(process.env.DATABASE_PORT || (postgres ? 5432 : 3306)),
    user: process.env.DATABASE_USERNAME || (postgres ? 'postgres' : 'root'),
    password: process.env.DATABASE_PASSWORD || '',
  };
  const server = require('knex')({ client: postgres ? 'pg' : 'mysql2', connection: { ...settings, database: postgres ? 'postgres' : undefined } });
  await server.raw(`CREATE DATABASE ${name}`);
  await server.destroy();
  return {
    env: {
      DATABASE_CLIENT: DATABASE,
      DATABASE_HOST: settings.host,
      DATABASE_PORT: String(settings.port),
      DATABASE_USERNAME: settings.user,
      DATABASE_PASSWORD: settings.password,
      DATABASE_NAME: name,
    },
    knex: () => require('knex')({ client: postgres ? 'pg' : 'mysql2', connection: { ...settings, database: name }, pool: { min: 0, max: 2 } }),
    drop: async () => {
      if (process.env.BENCH_KEEP_DB) return console.log(`database kept: ${name}`);
      const again = require('knex')({ client: postgres ? 'pg' : 'mysql2', connection: { ...settings, database: postgres ? 'postgres' : undefined } });
      await again.raw(postgres ? `DROP DATABASE IF EXISTS ${name} WITH (FORCE)` : `DROP DATABASE IF EXISTS ${name}`);
      await again.destroy();
    },
  };
}

/** SQL pieces per dialect. */
function dialect(client, mariadb) {
  const pg = client === 'postgres';
  const my = client === 'mysql';
  return {
    concat: (...parts) => (my ? `CONCAT(${parts.join(', ')})` : parts.join(' || ')),
    pad: (expr, n) => (pg ? `lpad((${expr})::text, ${n}, '0')` : my ? `LPAD(${expr}, ${n}, '0')` : `substr('${'0'.repeat(n)}' || (${expr}), -${n}, ${n})`),
    div: (a, b) => (my ? `((${a}) DIV (${b}))` : `((${a}) / (${b}))`),
    iso: (ms) =>
      pg
        ? `to_char(to_timestamp((${ms}) / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
        : my
          ? `CONCAT(DATE_FORMAT(FROM_UNIXTIME((${ms}) DIV 1000), '%Y-%m-%dT%H:%i:%s.'), LPAD((${ms}) % 1000, 3, '0'), 'Z')`
          : `strftime('%Y-%m-%dT%H:%M:%fZ', (${ms}) / 1000.0, 'unixepoch')`,
    series: (n) =>
      pg
        ? { prefix: '', from: `generate_series(1, ${n}) AS g(i)` }
        : my && mariadb
          ? { prefix: '', from: `(SELECT seq AS i FROM seq_1_to_${n}) AS g` }
          : { prefix: `WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < ${n}) `, from: 'g' },
  };
}

/** The eight decisions over the three optional categories, as the writer stores them (JSON text). */
const storedDecisions = (categories, signals) =>
  decisions(categories, signals).map(({ stateJson, consentModeJson, grantedList, refusedList }) => ({ state: stateJson, consentMode: consentModeJson, grantedList, refusedList }));

async function fill(knex, client, template, categories) {
  const mariadb = client === 'mysql' && /mariadb/i.test(Object.values((await knex.raw('SELECT VERSION() AS v'))[0][0])[0]);
  const sql = dialect(client, mariadb);
  const pg = client === 'postgres';
  const types = pg
    ? Object.fromEntries((await knex.raw(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?`, [RECORDS])).rows.map((r) => [r.column_name, r.data_type]))
    : {};
  const cast = (column, expr) => (pg ? `CAST(${expr} AS ${types[column]})` : expr);
  const choices = storedDecisions(categories, Object.keys(JSON.parse(typeof template.consent_mode === 'string' ? template.consent_mode : JSON.stringify(template.consent_mode))));
  const quote = (text) => `'${text.replace(/'/g, "''")}'`;
  const byDecision = (field) => `CASE d ${choices.map((c, n) => `WHEN ${n} THEN ${quote(c[field])}`).join(' ')} END`;
  const now = Date.now();
  const today = Math.floor(now / DAY) * DAY;
  // The purged: given between 800 and 731 days ago (expired 435 to 366 days ago); the rest over
  // the 365 days before today (today's rollups belong to the API's records only).
  const oldStart = now - 800 * DAY;
  const oldSpan = 69 * DAY;
  const newStart = today - 365 * DAY;
  const newSpan = 365 * DAY - 1;
  const rest = ROWS - PURGE_ROWS;
  const givenMs = `CASE WHEN i <= ${PURGE_ROWS} THEN ${oldStart} + ${sql.div(`i * ${oldSpan}`, PURGE_ROWS)} ELSE ${newStart} + ${sql.div(`(i - ${PURGE_ROWS}) * ${newSpan}`, rest)} END`;
  const varying = {
    document_id: sql.concat(`'bench'`, sql.pad('i', 19)),
    consent_id: sql.concat(`'b'`, sql.pad('i', 21)),
    subject_id: sql.concat(`'s'`, sql.pad('i', 21)),
    action: `CASE WHEN d = 0 AND i % 5 = 0 THEN 'withdrawn' WHEN d > 0 AND i % 7 = 0 THEN 'updated' ELSE 'given' END`,
    state: byDecision('state'),
    consent_mode: byDecision('consentMode'),
    granted_list: byDecision('grantedList'),
    refused_list: byDecision('refusedList'),
    ip_prefix: sql.concat(`'198.51.'`, `(i % 256)`, `'.0/24'`),
    given_at: sql.iso('ms'),
    expires_at: sql.iso(`ms + ${365 * DAY}`),
    request_hash: 'NULL',
    request_id: 'NULL',
    previous_consent_id: 'NULL',
    chain_root: 'NULL',
    acceptance_key: 'NULL',
  };
  const columns = Object.keys(template).filter((c) => c !== 'id');
  const bindings = [];
  const expressions = columns.map((column) => {
    if (varying[column]) return cast(column, varying[column]);
    let value = template[column];
    if (value !== null && typeof value === 'object' && !(value instanceof Date)) value = JSON.stringify(value);
    bindings.push(value);
    return cast(column, '?');
  });
  // pg counts i as an integer: i * span needs bigint.
  const i = pg ? 'i::bigint' : 'i';
  const { prefix, from } = sql.series(ROWS);
  const decision = `CASE WHEN ${i} % 100 < 50 THEN 0 WHEN ${i} % 100 < 75 THEN 7 ELSE 1 + ${i} % 6 END`;
  const statement =
    `INSERT INTO ${RECORDS} (${columns.join(', ')}) ${prefix}` +
    `SELECT ${expressions.join(', ')} FROM (SELECT i, ${decision} AS d, ${givenMs.replace(/\bi\b/g, i)} AS ms FROM ${from}) AS s`;

  // Non-unique indexes are built after the rows (one sort each, rather than ten million inserts).
  let indexes = [];
  if (pg) {
    indexes = (await knex.raw(`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ? AND indexdef NOT LIKE 'CREATE UNIQUE%'`, [RECORDS])).rows.map((r) => ({ name: r.indexname, create: r.indexdef }));
    for (const index of indexes) await knex.raw(`DROP INDEX ${index.name}`);
  } else if (client === 'sqlite') {
    indexes = (await knex.raw(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'`, [RECORDS])).map((r) => ({ name: r.name, create: r.sql }));
    for (const index of indexes) await knex.raw(`DROP INDEX ${index.name}`);
    await knex.raw('PRAGMA synchronous = OFF');
  } else {
    await knex.raw(`SET SESSION time_zone = '+00:00'`);
    if (!mariadb) await knex.raw(`SET SESSION cte_max_recursion_depth = ${ROWS + 1}`);
    else await knex.raw(`SET SESSION max_recursive_iterations = ${ROWS + 1}`).catch(() => {});
  }
  let started = Date.now();
  await knex.raw(statement, bindings);
  const insertMs = Date.now() - started;
  console.log(`inserted ${ROWS.toLocaleString('en')} records in ${seconds2(insertMs)} (one INSERT ... SELECT)`);
  started = Date.now();
  for (const index of indexes) await knex.raw(index.create);
  if (pg) await knex.raw(`VACUUM ANALYZE ${RECORDS}`);
  if (client === 'mysql') await knex.raw(`ANALYZE TABLE ${RECORDS}`);
  const indexMs = Date.now() - started;
  console.log(`${indexes.length} indexes built${pg ? ', VACUUM ANALYZE' : ''} in ${seconds2(indexMs)}`);

  // The rollups that go with them, from one GROUP BY (the template's own are in already, today).
  started = Date.now();
  const groups = await knex(RECORDS)
    .select(knex.raw('substr(given_at, 1, 10) AS day'), 'granted_list', 'refused_list')
    .count({ n: '*' })
    .where('kind', 'cookie')
    .andWhere('id', '<>', template.id)
    .groupByRaw('substr(given_at, 1, 10), granted_list, refused_list');
  const counts = new Map();
  const optional = categories.filter((c) => !c.required).map((c) => c.key);
  for (const { day, granted_list: granted, refused_list: refused, n } of groups) {
    const grantedKeys = granted.split(',').filter(Boolean);
    const refusedKeys = refused.split(',').filter(Boolean);
    const grantedOptional = optional.filter((k) => grantedKeys.includes(k)).length;
    const metrics = [
      'total',
      ...grantedKeys.map((k) => `granted:${k}`),
      ...refusedKeys.map((k) => `refused:${k}`),
      grantedOptional === optional.length ? 'accepted-all' : grantedOptional ? 'chose' : 'refused-all',
    ];
    for (const metric of metrics) counts.set(`${day} ${metric}`, (counts.get(`${day} ${metric}`) || 0) + Number(n));
  }
  const created = new Date();
  const rows = [...counts].map(([key, count]) => {
    const [day, metric] = key.split(' ');
    return { day, metric, count, document_id: `bench${randomBytes(10).toString('hex').slice(0, 19)}`, created_at: created, updated_at: created, published_at: created };
  });
  for (let n = 0; n < rows.length; n += 500) await knex(ROLLUPS).insert(rows.slice(n, n + 500));
  console.log(`${rows.length} rollup rows from one GROUP BY in ${seconds2(Date.now() - started)}`);
  return { insertMs, indexMs, rollupRows: rows.length };
}

/** POST /consents for `duration` s (or until `until` settles), at the bench's connections. */
function posting(url, duration, until) {
  const body = JSON.stringify({ state: { statistics: true } });
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: `${url}/api/privacy-centre/consents`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections, duration },
      (error, result) => (error ? reject(error) : resolve({ requestsPerSecond: Math.round(result.requests.average), p99Ms: result.latency.p99, p50Ms: result.latency.p50, non2xx: result.non2xx, errors: result.errors }))
    );
    if (until) until.finally(() => instance.stop());
  });
}

/** Streams an export to nowhere; wall time, lines and the Strapi process's peak RSS. */
async function exportRun(url, token, pid, query) {
  fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
  const before = rss(pid);
  let peak = before.rss;
  const sampler = setInterval(() => (peak = Math.max(peak, rss(pid).rss)), 50);
  const started = Date.now();
  let lines = 0;
  try {
    await new Promise((resolve, reject) => {
      http
        .get(`${url}/privacy-centre/consents/export?format=ndjson&${query}`, { headers: { authorization: `Bearer ${token}` } }, (response) => {
          if (response.statusCode !== 200) return reject(new Error(`export: ${response.statusCode}`));
          response.on('data', (chunk) => {
            for (let n = chunk.indexOf(10); n !== -1; n = chunk.indexOf(10, n + 1)) lines += 1;
          });
          response.on('end', resolve);
          response.on('error', reject);
        })
        .on('error', reject);
    });
  } finally {
    clearInterval(sampler);
  }
  const wallMs = Date.now() - started;
  return { lines, wallMs, rowsPerSecond: Math.round(lines / (wallMs / 1000)), rssBeforeMb: Math.round(before.rss / 1024), peakRssMb: Math.round(Math.max(rss(pid).hwm, peak) / 1024) };
}

async function main() {
  prepare();
  const target = await database();
  const resultFile = path.join(os.tmpdir(), `privacy-centre-purge-${process.pid}.json`);
  fs.rmSync(resultFile, { force: true });
  console.log(`bench/consent-scale-pg: ${ROWS.toLocaleString('en')} consent records on ${DATABASE} (${PURGE_ROWS.toLocaleString('en')} expired past retention); load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  try {
    const figures = await withApp({ ...target.env, BENCH_PURGE_RESULT: resultFile, PRIVACY_CENTRE_RATE_LIMIT_MAX: '100000000', PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({ cron: { enabled: false }, ...(process.env.BENCH_PURGE_BATCH ? { retention: { consentRecordBatchSize: Number(process.env.BENCH_PURGE_BATCH) } } : {}) }) }, async (app) => {
      const pid = app.child.pid;
      const token = await registerAdmin(app.url);
      const sections = [{ anchor: '', heading: '1. Who we are', markdown: 'We keep proof of your cookie choices for a year.' }];
      const draft = await json(`${app.url}/privacy-centre/policies/drafts`, { method: 'POST', token, body: { slug: 'privacy-policy', locales: { en: { title: 'Privacy policy', summary: 'First.', sections } } } });
      await json(`${app.url}/privacy-centre/policies/drafts/${draft.data.documentId}/publish`, { method: 'POST', token, body: {} });
      await json(`${app.url}/privacy-centre/cookies/publish`, { method: 'POST', token, body: {} });
      const recorded = (await json(`${app.url}/api/privacy-centre/consents`, { method: 'POST', body: { state: { statistics: true } } })).data;
      const { categories } = (await json(`${app.url}/api/privacy-centre/cookies`)).data;

      const knex = target.knex();
      let filled;
      try {
        const template = await knex(RECORDS).where({ consent_id: recorded.consentId }).first();
        filled = await fill(knex, DATABASE, template, categories);
        const count = Number((await knex(RECORDS).count({ n: '*' }))[0].n);
        if (count !== ROWS + 1) throw new Error(`expected ${ROWS + 1} records, found ${count}`);
      } finally {
        await knex.destroy();
      }
      await sleep(500);
      const load = os.loadavg().map((l) => +l.toFixed(2));
      console.log(`measuring; load ${load.join(' ')}`);

      const health = await timed(() => fetch(`${app.url}/_health`), 20);
      const firstPage = await timed(() => json(`${app.url}/privacy-centre/consents?pageSize=25`, { token }));
      const { total, totalIsEstimate, next } = firstPage.result.meta.pagination;
      console.log(`consent log, first page of 25 with its total (${total.toLocaleString('en')}, ${totalIsEstimate ? 'estimated' : 'exact'}): first ${firstPage.firstMs} ms, median ${firstPage.medianMs} ms (target < 100)`);
      // A page far down: the cursor of a record a third of the way into the log.
      let cursor = next;
      for (let n = 0; n < 3; n += 1) cursor = (await json(`${app.url}/privacy-centre/consents?pageSize=100&cursor=${encodeURIComponent(cursor)}`, { token })).meta.pagination.next;
      const nextPage = await timed(() => json(`${app.url}/privacy-centre/consents?pageSize=25&cursor=${encodeURIComponent(cursor)}`, { token }));
      console.log(`consent log, a page by cursor: median ${nextPage.medianMs} ms`);
      const to = new Date();
      const from = new Date(to.getTime() - 30 * DAY);
      const range = `from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
      const filteredQueries = {
        updatedMarketing: `${range}&action=updated&category=marketing&granted=true`,
        withdrawn: `${range}&action=withdrawn`,
        givenStatisticsRefused: `${range}&action=given&category=statistics&granted=false`,
      };
      const filtered = {};
      for (const [name, query] of Object.entries(filteredQueries)) {
        const run = await timed(() => json(`${app.url}/privacy-centre/consents?pageSize=25&${query}`, { token }));
        const p = run.result.meta.pagination;
        filtered[name] = { firstMs: run.firstMs, medianMs: run.medianMs, rows: run.result.data.length, total: p.total, totalIsEstimate: p.totalIsEstimate };
        console.log(`consent log, 30 days + ${name}: first ${run.firstMs} ms, median ${run.medianMs} ms, total ${p.total} (${p.totalIsEstimate ? 'estimated' : 'exact'}) (target < 200)`);
      }
      const overview = {};
      for (const days of [30, 365]) {
        const q = `from=${encodeURIComponent(new Date(to.getTime() - (days - 1) * DAY).toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
        const run = await timed(() => json(`${app.url}/privacy-centre/consents/stats?${q}`, { token }));
        overview[`days${days}`] = { firstMs: run.firstMs, medianMs: run.medianMs, days: run.result.data.days.length };
        console.log(`overview (stats of ${days} days): first ${run.firstMs} ms, median ${run.medianMs} ms (target < 100)`);
      }

      const idle = await posting(app.url, seconds);
      console.log(`POST /consents idle: ${idle.requestsPerSecond} req/s, p50 ${idle.p50Ms} ms, p99 ${idle.p99Ms} ms`);
      await sleep(1000);
      // The purge, in the app (SIGUSR2: tests/app/src/index.ts), while consents keep coming.
      process.kill(pid, 'SIGUSR2');
      const purged = (async () => {
        for (;;) {
          await sleep(100);
          if (fs.existsSync(resultFile)) return JSON.parse(fs.readFileSync(resultFile, 'utf8'));
        }
      })();
      const during = await posting(app.url, 3600, purged);
      const purge = await purged;
      if (purge.error) throw new Error(`the purge failed: ${purge.error}`);
      const purgeRate = Math.round(purge.result.consentRecords / (purge.ms / 1000));
      console.log(`purge: ${purge.result.consentRecords.toLocaleString('en')} records in ${seconds2(purge.ms)} = ${purgeRate.toLocaleString('en')} rows/s (target >= 50,000)`);
      console.log(`POST /consents during the purge: ${during.requestsPerSecond} req/s, p50 ${during.p50Ms} ms, p99 ${during.p99Ms} ms; p99 ratio to idle ${ratio(during.p99Ms, idle.p99Ms)} (target <= 2)`);

      const exportQuery = `from=${encodeURIComponent(new Date(to.getTime() - EXPORT_DAYS * DAY).toISOString())}`;
      const exported = await exportRun(app.url, token, pid, exportQuery);
      console.log(`export NDJSON of ${EXPORT_DAYS} days: ${exported.lines.toLocaleString('en')} lines in ${seconds2(exported.wallMs)} (${exported.rowsPerSecond}/s); Strapi RSS ${exported.rssBeforeMb} MB before, peak ${exported.peakRssMb} MB`);
      const ratios = {
        firstPageVsHealth: ratio(firstPage.medianMs, health.medianMs),
        overview30VsHealth: ratio(overview.days30.medianMs, health.medianMs),
        purgeP99VsIdle: ratio(during.p99Ms, idle.p99Ms),
        purgeThroughputVsIdle: ratio(during.requestsPerSecond, idle.requestsPerSecond),
      };
      console.log(`ratios (same run): ${JSON.stringify(ratios)}; /_health median ${health.medianMs} ms`);
      return {
        database: DATABASE,
        rows: ROWS,
        load,
        fill: filled,
        health: { medianMs: health.medianMs },
        consentLog: { firstPage: { firstMs: firstPage.firstMs, medianMs: firstPage.medianMs, total, totalIsEstimate }, pageByCursor: { medianMs: nextPage.medianMs }, filtered },
        overview,
        posting: { idle, duringPurge: during },
        purge: { records: purge.result.consentRecords, ms: purge.ms, rowsPerSecond: purgeRate, batchSize: Number(process.env.BENCH_PURGE_BATCH) || (DATABASE === 'sqlite' ? 250 : 5000) },
        export: exported,
        ratios,
      };
    });
    report(`consent-scale-${DATABASE}`, figures);
  } finally {
    fs.rmSync(resultFile, { force: true });
    await target.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
