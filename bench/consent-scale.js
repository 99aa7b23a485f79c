#!/usr/bin/env node
/**
 * bench/consent-scale: the consent log at a million records (DESIGN.md §7: export in constant
 * memory, the overview in O(days)). A measurement, not a test: it prints figures and asserts
 * nothing but the row counts.
 *
 * 1. tests/app (production mode, a fresh SQLite file); an admin; a privacy policy and the cookie
 *    declaration published; one consent recorded through the API, read back as the template of
 *    what the writer stores.
 * 2. BENCH_SCALE_ROWS (default 1,000,000) records inserted behind the app's back with raw
 *    multi-row INSERTs (knex, better-sqlite3), shaped as services/consent-writer.ts writes them:
 *    every column, a signed receipt per row (the app verifies one), givenAt spread over the last
 *    365 days; and the daily rollup counters that go with them.
 * 3. With the app running: the wall time and the Strapi process's peak RSS (VmHWM, reset before
 *    each run through /proc/<pid>/clear_refs, and VmRSS sampled every 50 ms) while
 *    GET /privacy-centre/consents/export?format=ndjson and ?format=csv stream every record to
 *    nowhere; the time of GET /privacy-centre/consents/stats over the whole range (the
 *    overview), and for comparison of the consent log's first page.
 * Writes bench/results/consent-scale.json. BENCH_KEEP_DB=1 keeps the filled database and prints its
 * path; BENCH_SCALE_DB=<that path> measures again on it without inserting.
 * V8 grows its heap rather than collect while garbage is cheap, so the peak RSS of an export says
 * more about the collector than about the export: BENCH_APP_NODE_OPTIONS=--max-old-space-size=160
 * gives the Strapi process a small heap, under which an export that held its records would fail.
 */
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { createHash, createHmac, randomBytes } = require('node:crypto');
const canonicalize = require('canonicalize');
const { json, registerAdmin, withApp, prepare, report, timed, decisions } = require('./lib');

const ROWS = Number(process.env.BENCH_SCALE_ROWS || 1_000_000);
const SECRET = 'privacy-centre-scale-bench-secret-0123456789';
const DAY = 24 * 3600 * 1000;
const RECORDS = 'privacy_centre_consent_records';
const ROLLUPS = 'privacy_centre_consent_rollups';
/** Bound parameters SQLite allows in one statement: rows per INSERT follow from the column count. */
const SQLITE_MAX_VARIABLES = 32_766;
/** Rows per transaction. */
const TRANSACTION = 50_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`;

/** Strapi's document id shape, as the writer makes it. */
const documentId = () => Array.from(randomBytes(24), (byte) => 'abcdefghijklmnopqrstuvwxyz0123456789'[byte % 36]).join('');
/** The writer's `,a,b,` lists ('_' written '.'). */
/** signing/index.ts: HMAC-SHA256 of the purpose and the canonical JSON, base64url. */
const signReceipt = (body) =>
  createHmac('sha256', SECRET).update('privacy-centre:consent-receipt\n').update(canonicalize(body), 'utf8').digest('base64url');

function status(pid) {
  const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number((text.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm')) || [])[1] || 0);
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}


async function seed(url, token) {
  const sections = [{ anchor: '', heading: '1. Who we are', markdown: 'We keep proof of your cookie choices for a year.' }];
  const draft = await json(`${url}/privacy-centre/policies/drafts`, {
    method: 'POST',
    token,
    body: { slug: 'privacy-policy', locales: { en: { title: 'Privacy policy', summary: 'First version.', sections } } },
  });
  await json(`${url}/privacy-centre/policies/drafts/${draft.data.documentId}/publish`, { method: 'POST', token, body: {} });
  await json(`${url}/privacy-centre/cookies/publish`, { method: 'POST', token, body: {} });
  const { data } = await json(`${url}/api/privacy-centre/consents`, { method: 'POST', body: { state: { statistics: true } } });
  return data;
}

/** Inserts ROWS records and their rollups; returns the first day and one receipt to verify. */
async function insertRecords(knex, template, categories) {
  const signals = Object.keys(template.consent_mode ? JSON.parse(template.consent_mode) : {});
  const choices = decisions(categories, signals);
  const columns = Object.keys(template).filter((c) => c !== 'id');
  const CHUNK = Math.min(1000, Math.floor(SQLITE_MAX_VARIABLES / columns.length));
  const rowSql = `(${columns.map(() => '?').join(',')})`;
  const insertSql = (n) => `INSERT INTO ${RECORDS} (${columns.join(',')}) VALUES ${Array(n).fill(rowSql).join(',')}`;
  const fullChunkSql = insertSql(CHUNK);
  const now = Date.now();
  const first = now - 365 * DAY;
  const step = (now - 60_000 - first) / ROWS;
  const created = new Date();
  const rollups = new Map();
  const userAgents = [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
    'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0',
  ];
  let sample = null;
  const started = Date.now();
  for (let done = 0; done < ROWS; ) {
    const inTransaction = Math.min(TRANSACTION, ROWS - done);
    await knex.transaction(async (trx) => {
      for (let offset = 0; offset < inTransaction; offset += CHUNK) {
        const n = Math.min(CHUNK, inTransaction - offset);
        const bindings = [];
        for (let j = 0; j < n; j += 1) {
          const i = done + offset + j;
          // Half refuse everything, a quarter accept everything, the rest choose.
          const r = (i * 2654435761) % 100;
          const choice = r < 50 ? choices[0] : r < 75 ? choices[choices.length - 1] : choices[1 + (i % (choices.length - 2))];
          const givenAt = new Date(first + i * step).toISOString();
          const expiresAt = new Date(Date.parse(givenAt) + 365 * DAY).toISOString();
          const consentId = randomBytes(16).toString('base64url');
          const subjectId = randomBytes(16).toString('base64url');
          const receipt = {
            consentId,
            subjectId,
            action: 'given',
            state: choice.state,
            consentMode: choice.consentMode,
            gpc: { signal: false, refused: [] },
            givenAt,
            expiresAt,
            previousConsentId: null,
            policy: { slug: template.policy_slug, version: template.policy_version, hash: template.policy_hash },
            declaration: { revision: template.declaration_revision, hash: template.declaration_hash },
          };
          const signature = signReceipt(receipt);
          if (i === 0) sample = { ...receipt, signature };
          const values = {
            ...template,
            document_id: documentId(),
            consent_id: consentId,
            subject_id: subjectId,
            request_hash: createHash('sha256').update(consentId).digest('hex'),
            state: choice.stateJson,
            consent_mode: choice.consentModeJson,
            granted_list: choice.grantedList,
            refused_list: choice.refusedList,
            ip_prefix: `198.51.${i % 256}.0/24`,
            user_agent: userAgents[i % userAgents.length],
            given_at: givenAt,
            expires_at: expiresAt,
            signature,
            created_at: created,
            updated_at: created,
            published_at: created,
          };
          for (const column of columns) bindings.push(values[column]);
          const day = givenAt.slice(0, 10);
          for (const metric of choice.metrics) {
            const key = `${day}\u0000${metric}`;
            rollups.set(key, (rollups.get(key) || 0) + 1);
          }
        }
        await trx.raw(n === CHUNK ? fullChunkSql : insertSql(n), bindings);
      }
    });
    done += inTransaction;
    if (done % 200_000 === 0 || done === ROWS) console.log(`  ${done.toLocaleString('en')} records, ${seconds(Date.now() - started)}`);
  }
  // The counters that go with them, added to those the API consent made.
  const rows = [...rollups].map(([key, count]) => {
    const [day, metric] = key.split('\u0000');
    return { day, metric, count, document_id: documentId(), created_at: created, updated_at: created, published_at: created };
  });
  await knex.transaction(async (trx) => {
    for (let i = 0; i < rows.length; i += 500) {
      await trx(ROLLUPS)
        .insert(rows.slice(i, i + 500))
        .onConflict(['day', 'metric'])
        .merge({ count: trx.raw(`${ROLLUPS}.count + excluded.count`) });
    }
  });
  return { firstDay: new Date(first).toISOString().slice(0, 10), sample, insertMs: Date.now() - started, rollupRows: rows.length };
}

/** Streams an export to nowhere; wall time, size, lines and the Strapi process's peak RSS. */
async function exportRun(url, token, pid, format) {
  fs.writeFileSync(`/proc/${pid}/clear_refs`, '5'); // resets VmHWM to the current RSS
  const before = status(pid);
  let sampledPeak = before.rss;
  const sampler = setInterval(() => {
    sampledPeak = Math.max(sampledPeak, status(pid).rss);
  }, 50);
  const started = Date.now();
  let bytes = 0;
  let lines = 0;
  try {
    // node:http, not fetch: a web-stream reader in this process was the bottleneck at a million rows.
    await new Promise((resolve, reject) => {
      const request = http.get(`${url}/privacy-centre/consents/export?format=${format}`, { headers: { authorization: `Bearer ${token}` } }, (response) => {
        if (response.statusCode !== 200) return reject(new Error(`export ${format}: ${response.statusCode}`));
        response.on('data', (chunk) => {
          bytes += chunk.length;
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
        });
        response.on('end', resolve);
        response.on('error', reject);
      });
      request.on('error', reject);
    });
  } finally {
    clearInterval(sampler);
  }
  const wallMs = Date.now() - started;
  const after = status(pid);
  return {
    format,
    wallMs,
    bytes,
    lines,
    rssBeforeKb: before.rss,
    peakRssKb: Math.max(after.hwm, sampledPeak),
    rssAfterKb: after.rss,
    rowsPerSecond: Math.round(lines / (wallMs / 1000)),
  };
}

/** BENCH_SCALE_DB=<file>: measure again on a database an earlier run filled (and kept). */
const REUSE = process.env.BENCH_SCALE_DB;

async function main() {
  prepare();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'privacy-centre-scale-'));
  const filename = REUSE ? path.resolve(REUSE) : path.join(tmp, 'scale.db');
  console.log(`bench/consent-scale: ${ROWS.toLocaleString('en')} consent records on SQLite (${filename})`);
  try {
    const figures = await withApp({ DATABASE_FILENAME: filename, PRIVACY_CENTRE_SECRET: SECRET }, async (app) => {
      const pid = app.child.pid;
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('node')) throw new Error(`process ${pid} is not the Strapi node process`);
      if (REUSE) return measureApp(app, pid, await login(app.url), null);
      const token = await registerAdmin(app.url);
      const recorded = await seed(app.url, token);

      const knex = require('knex')({ client: 'better-sqlite3', connection: { filename }, useNullAsDefault: true });
      let inserted;
      try {
        // This connection only: the app keeps its own settings (journal, sync) for its writes.
        await knex.raw('PRAGMA synchronous = OFF');
        await knex.raw('PRAGMA cache_size = -262144');
        await knex.raw('PRAGMA busy_timeout = 60000');
        const template = await knex(RECORDS).where({ consent_id: recorded.consentId }).first();
        if (!template) throw new Error('the recorded consent is not in the database');
        const { categories } = (await json(`${app.url}/api/privacy-centre/cookies`)).data;
        console.log(`inserting (template columns: ${Object.keys(template).length - 1})`);
        inserted = await insertRecords(knex, template, categories);
        const count = Number((await knex(RECORDS).count({ n: '*' }))[0].n);
        if (count !== ROWS + 1) throw new Error(`expected ${ROWS + 1} records, found ${count}`);
        console.log(`inserted ${ROWS.toLocaleString('en')} records in ${seconds(inserted.insertMs)}, ${inserted.rollupRows} rollup rows`);
      } finally {
        await knex.destroy();
      }
      // better-sqlite3 is synchronous: the inserts blocked this process's event loop for minutes,
      // long past the app's keep-alive timeout. Let the closed sockets be seen before fetching again
      // (otherwise the next request is written to a closed keep-alive socket: EPIPE).
      await sleep(500);
      // The app takes the synthetic records as its own: a receipt shaped and signed as they are verifies.
      const verified = await json(`${app.url}/api/privacy-centre/consents/verify`, { method: 'POST', body: { receipt: inserted.sample } });
      console.log(`a synthetic record's receipt verifies: ${JSON.stringify(verified.data)}`);
      if (!verified.data.matchesRecord) throw new Error('the synthetic records are not shaped as the writer writes them');
      return measureApp(app, pid, token, inserted);
    });
    report('consent-scale', figures);
  } finally {
    // BENCH_KEEP_DB=1 keeps the filled database for BENCH_SCALE_DB runs.
    if (REUSE || !process.env.BENCH_KEEP_DB) fs.rmSync(tmp, { recursive: true, force: true });
    else console.log(`database kept: ${filename}`);
  }

  async function measureApp(app, pid, token, inserted) {
      const size = fs.statSync(filename).size;
      console.log(`database file: ${(size / 1024 / 1024).toFixed(0)} MB`);
      const firstDay = inserted?.firstDay ?? new Date(Date.now() - 366 * DAY).toISOString().slice(0, 10);
      const to = new Date().toISOString();
      const from = `${firstDay}T00:00:00.000Z`;
      const stats = await timed(() => json(`${app.url}/privacy-centre/consents/stats?from=${from}&to=${to}`, { token }));
      const days = stats.result.data.days;
      const total = days.reduce((sum, d) => sum + d.total, 0);
      console.log(`stats over ${days.length} days (${total.toLocaleString('en')} consents): first ${stats.firstMs} ms, median of 5 ${stats.medianMs} ms`);
      const firstPage = await timed(() => json(`${app.url}/privacy-centre/consents?pageSize=25`, { token }), 3);
      console.log(`consent log, first page of 25 (with its total count): first ${firstPage.firstMs} ms, median of 3 ${firstPage.medianMs} ms`);
      const filtered = await timed(() => json(`${app.url}/privacy-centre/consents?pageSize=25&category=marketing&granted=true`, { token }), 3);
      console.log(`consent log, filtered (marketing granted): first ${filtered.firstMs} ms, median of 3 ${filtered.medianMs} ms`);

      const exports = [];
      for (const format of ['ndjson', 'csv']) {
        await sleep(1000);
        const run = await exportRun(app.url, token, pid, format);
        exports.push(run);
        console.log(
          `export ${format}: ${seconds(run.wallMs)}, ${(run.bytes / 1024 / 1024).toFixed(0)} MB, ${run.lines.toLocaleString('en')} lines ` +
            `(${run.rowsPerSecond.toLocaleString('en')}/s); Strapi RSS ${mb(run.rssBeforeKb)} before, peak ${mb(run.peakRssKb)}, ${mb(run.rssAfterKb)} after`
        );
      }
      return {
        rows: ROWS,
        insertMs: inserted?.insertMs ?? null,
        databaseBytes: size,
        stats: { days: days.length, total, firstMs: stats.firstMs, medianMs: stats.medianMs },
        consentLog: { firstPage: { firstMs: firstPage.firstMs, medianMs: firstPage.medianMs }, filtered: { firstMs: filtered.firstMs, medianMs: filtered.medianMs } },
        exports,
      };
  }
}

/** Logs in as the admin an earlier run registered (lib.js registerAdmin). */
async function login(url) {
  const { data } = await json(`${url}/admin/login`, { method: 'POST', body: { email: 'bench@example.com', password: 'Bench-Passw0rd!' } });
  return data.token;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
