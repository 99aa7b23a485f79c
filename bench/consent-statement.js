#!/usr/bin/env node
/**
 * bench/consent-statement: what one group-commit batch of consent records costs on PostgreSQL,
 * written the three ways the writer knows (server/src/db/statements.ts), against the tables Strapi
 * created for tests/app (booted once on a fresh database, then left idle):
 *
 *   values  multi-row INSERTs with some thirty bound parameters per record in one WITH
 *           statement (oneStatement: the writer's fallback, and its only way before)
 *   json    one constant statement of two parameters, the records and counters as JSON
 *           (jsonInsertText / jsonRows), through knex: parsed and planned at every batch
 *   prepared  the same statement as a named prepared statement on the pooled connection
 *           (runPrepared: what the writer runs on PostgreSQL), planned once per connection
 *
 * For each batch size (BENCH_BATCH_SIZES, default 20,100: 20 is what 20 connections make), the two
 * alternate BENCH_ROUNDS times (default 3) over BENCH_STATEMENT_RECORDS records each (default 8,000),
 * on one connection. Prints, per record: this process's CPU (building the statement, the driver),
 * the PostgreSQL backend's CPU (from /proc: the server must share this machine), and the wall
 * time; the median round counts, and the ratios are json / values and prepared / json. Run as the writer runs them:
 * the same column lists, the same day's counters added to by each batch.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { withApp, prepare, postgresDatabase, report, rounds } = require('./lib');

const SIZES = (process.env.BENCH_BATCH_SIZES || '20,100').split(',').map(Number);
const RECORDS_PER_ROUND = Number(process.env.BENCH_STATEMENT_RECORDS || 8000);
const RECORDS = 'privacy_centre_consent_records';
const ROLLUPS = 'privacy_centre_consent_rollups';
const ROLLUP_COLUMNS = ['day', 'metric', 'count', 'document_id', 'created_at', 'updated_at', 'published_at'];
const METRICS = ['total', 'granted:necessary', 'refused:preferences', 'granted:statistics', 'refused:marketing', 'chose'];

/** The plugin's statements module, from its TypeScript source (the build bundles it away). */
function statements() {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'privacy-centre-statements-')), 'statements.js');
  const esbuild = path.join(__dirname, '..', 'node_modules', '.bin', 'esbuild');
  execFileSync(esbuild, [path.join(__dirname, '..', 'server', 'src', 'db', 'statements.ts'), '--bundle', '--platform=node', '--format=cjs', `--outfile=${out}`, '--log-level=warning']);
  return require(out);
}

const id = () => randomBytes(16).toString('base64url');
/** A record's columns as services/consents.ts hands them to the writer. */
const record = () => {
  const now = new Date();
  return {
    consent_id: id(),
    kind: 'cookie',
    action: 'given',
    subject_id: id(),
    previous_consent_id: null,
    chain_root: null,
    request_id: null,
    request_hash: null,
    state: JSON.stringify({ necessary: true, preferences: false, statistics: true, marketing: false }),
    consent_mode: JSON.stringify({ ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'granted', functionality_storage: 'denied', personalization_storage: 'denied', security_storage: 'granted' }),
    gpc: false,
    gpc_refused: '[]',
    granted_list: ',necessary,statistics,',
    refused_list: ',marketing,preferences,',
    policy_slug: 'privacy-policy',
    policy_version: 1,
    policy_hash: 'f'.repeat(64),
    declaration_revision: 1,
    declaration_hash: '0'.repeat(64),
    jurisdiction: 'EU',
    jurisdiction_model: 'opt-in',
    ip_prefix: '127.0.0.0/24',
    user_agent: 'bench/consent-statement',
    source_url: 'https://site.example/',
    language: 'en',
    via: 'plugin',
    given_at: now.toISOString(),
    expires_at: new Date(now.getTime() + 365 * 86_400_000).toISOString(),
    signature: `k1.${'A'.repeat(86)}`,
  };
};

/** A process's CPU time in ms, from /proc (user + system, in clock ticks of 10 ms). */
const procCpuMs = (pid) => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

async function round(knex, S, types, kind, size) {
  const backend = (await knex.raw('select pg_backend_pid() as pid')).rows[0].pid;
  const prepareValue = knex.client.driver.utils.prepareValue;
  const batches = Math.ceil(RECORDS_PER_ROUND / size);
  const ownBefore = process.cpuUsage();
  const serverBefore = procCpuMs(backend);
  const started = process.hrtime.bigint();
  for (let b = 0; b < batches; b += 1) {
    const now = new Date();
    const day = now.toISOString().slice(0, 10);
    const at = kind === 'values' ? now : prepareValue(now);
    const rows = Array.from({ length: size }, () => ({ ...record(), document_id: id(), created_at: at, updated_at: at, published_at: at }));
    const columns = Object.keys(rows[0]);
    const counters = METRICS.map((metric) => ({ day, metric, count: size, document_id: id(), created_at: at, updated_at: at, published_at: at }));
    if (kind === 'json' || kind === 'prepared') {
      const [p1, p2] = kind === 'json' ? ['?', '?'] : ['$1', '$2'];
      const text = `with records as (${S.jsonInsertText(RECORDS, columns, types.records, undefined, p1)}) ${S.jsonInsertText(ROLLUPS, ROLLUP_COLUMNS, types.rollups, { keys: ['day', 'metric'], counter: 'count' }, p2)}`;
      const values = [S.jsonRows(rows, columns, prepareValue), S.jsonRows(counters, ROLLUP_COLUMNS, prepareValue)];
      if (kind === 'json') await knex.raw(text, values);
      else await S.runPrepared(knex, text, values, true);
    } else {
      const one = S.oneStatement([
        { text: S.insertText('postgres', RECORDS, columns, size), bindings: S.bindingsOf(rows, columns) },
        { text: S.addToCountersText('postgres', ROLLUPS, ROLLUP_COLUMNS, ['day', 'metric'], 'count', counters.length), bindings: S.bindingsOf(counters, ROLLUP_COLUMNS) },
      ]);
      await knex.raw(one.text, one.bindings);
    }
  }
  const own = process.cpuUsage(ownBefore);
  const records = batches * size;
  return {
    nodeUs: (own.user + own.system) / records,
    postgresUs: ((procCpuMs(backend) - serverBefore) * 1000) / records,
    wallUs: Number(process.hrtime.bigint() - started) / 1000 / records,
  };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  prepare();
  const S = statements();
  const target = await postgresDatabase();
  const loadBefore = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`bench/consent-statement on postgres: batches of ${SIZES.join(', ')} records, ${RECORDS_PER_ROUND} records a round, ${rounds} rounds; load ${loadBefore}`);
  try {
    const results = await withApp(target.env, async () => {
      const knex = require('knex')({
        client: 'pg',
        connection: { host: target.env.DATABASE_HOST, port: Number(target.env.DATABASE_PORT), user: target.env.DATABASE_USERNAME, password: target.env.DATABASE_PASSWORD, database: target.env.DATABASE_NAME },
        pool: { min: 1, max: 1 },
      });
      try {
        const types = { records: await S.postgresColumnTypes(knex, RECORDS), rollups: await S.postgresColumnTypes(knex, ROLLUPS) };
        const out = {};
        for (const size of SIZES) {
          const measured = { values: [], json: [], prepared: [] };
          for (let r = 0; r < rounds; r += 1) {
            for (const kind of ['values', 'json', 'prepared']) {
              const figures = await round(knex, S, types, kind, size);
              measured[kind].push(figures);
              console.log(`  batch ${size}, round ${r + 1}, ${kind.padEnd(8)} node ${figures.nodeUs.toFixed(1)} µs, postgres ${figures.postgresUs.toFixed(1)} µs, wall ${figures.wallUs.toFixed(1)} µs per record`);
            }
          }
          const of = (kind, key) => median(measured[kind].map((m) => m[key]));
          out[size] = Object.fromEntries(
            ['nodeUs', 'postgresUs', 'wallUs'].map((key) => [
              key,
              {
                values: +of('values', key).toFixed(1),
                json: +of('json', key).toFixed(1),
                prepared: +of('prepared', key).toFixed(1),
                ratio: +(of('json', key) / of('values', key)).toFixed(2),
                preparedRatio: +(of('prepared', key) / of('json', key)).toFixed(2),
              },
            ])
          );
          const line = (name) => `this process's CPU ${out[size].nodeUs[name]}, PostgreSQL's CPU ${out[size].postgresUs[name]}, wall ${out[size].wallUs[name]}`;
          console.log(`batch ${size}: json / values per record: ${line('ratio')}`);
          console.log(`batch ${size}: prepared / json per record: ${line('preparedRatio')}`);
        }
        return out;
      } finally {
        await knex.destroy();
      }
    });
    const loadAfter = os.loadavg().map((l) => l.toFixed(2)).join(' ');
    console.log(`load average ${loadBefore} before, ${loadAfter} after (${os.cpus().length} cores)`);
    report('consent-statement-postgres', { sizes: results, load: { before: loadBefore, after: loadAfter }, cores: os.cpus().length });
  } finally {
    await target.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
