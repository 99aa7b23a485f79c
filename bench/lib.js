/**
 * What every benchmark shares: a tests/app started as a site runs Strapi (production mode, its
 * own SQLite file or database), an admin to seed it through the real API, and autocannon runs
 * that report requests/s, p99 and bytes per response. Figures go to the console and to
 * bench/results/<name>.json (not committed); they are never asserted in tests.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const autocannon = require('autocannon');
const { ensurePluginBuilt, compileApp, startApp } = require('../tests/app/scripts/app-runner');

const seconds = Number(process.env.BENCH_SECONDS || 10);
const connections = Number(process.env.BENCH_CONNECTIONS || 20);

async function json(url, { method = 'GET', token, body } = {}) {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : {};
}

/** Registers the first admin of a fresh app and returns its token. */
async function registerAdmin(url) {
  const { data } = await json(`${url}/admin/register-admin`, {
    method: 'POST',
    body: { email: 'bench@example.com', password: 'Bench-Passw0rd!', firstname: 'Bench', lastname: 'Admin' },
  });
  return data.token;
}

/** A 2 s warm-up, then `seconds` at `connections`; any non-2xx answer or error fails the run. */
async function measure(options) {
  const opts = typeof options === 'string' ? { url: options } : options;
  await new Promise((resolve, reject) =>
    autocannon({ ...opts, connections, duration: 2 }, (error) => (error ? reject(error) : resolve()))
  );
  const result = await new Promise((resolve, reject) =>
    autocannon({ ...opts, connections, duration: seconds }, (error, r) => (error ? reject(error) : resolve(r)))
  );
  if (result.non2xx || result.errors) throw new Error(`${opts.url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p99Ms: result.latency.p99,
    bytesPerResponse: Math.round(result.throughput.total / Math.max(result.requests.total, 1)),
  };
}

/** Builds what is needed once, then runs `fn(app)` on a fresh app with `env`, and stops it. */
async function withApp(env, fn) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'privacy-centre-bench-'));
  const app = await startApp({
    env: {
      DATABASE_CLIENT: 'sqlite',
      DATABASE_FILENAME: path.join(tmp, 'bench.db'),
      SERVE_ADMIN: 'false',
      NODE_ENV: 'production',
      // Strapi's request logger writes a line per request: off for every route alike.
      STRAPI_LOG_LEVEL: 'warn',
      // e.g. --max-old-space-size=160: a smaller heap for the Strapi process only (not the build).
      ...(process.env.BENCH_APP_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_APP_NODE_OPTIONS } : {}),
      ...env,
    },
  });
  try {
    return await fn(app);
  } finally {
    await app.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function prepare() {
  ensurePluginBuilt({ log: console.log });
  compileApp({ log: console.log });
}

const ratio = (a, b) => +(a / b).toFixed(2);

function report(name, data) {
  const out = path.join(__dirname, 'results');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(
    path.join(out, `${name}.json`),
    JSON.stringify({ date: new Date().toISOString(), seconds, connections, cpus: os.cpus().length, ...data }, null, 2)
  );
}

const print = (name, url, r) =>
  console.log(`${name.padEnd(9)} ${url}\n          ${r.requestsPerSecond} req/s, p99 ${r.p99Ms} ms, ${r.bytesPerResponse} B/response`);

/** A list of category keys as the consent writer stores it (`,a,b,`, dots for underscores). */
const keyList = (keys) => `,${keys.map((k) => k.replace(/_/g, '.')).join(',')},`;

/** The eight decisions over the three optional categories, with what the writer derives from each. */
function decisions(categories, signals) {
  const optional = categories.filter((c) => !c.required);
  const out = [];
  for (let mask = 0; mask < 1 << optional.length; mask += 1) {
    const state = Object.fromEntries(categories.map((c) => [c.key, c.required || Boolean(mask & (1 << optional.indexOf(c)))]));
    const consentMode = Object.fromEntries(
      signals.map((signal) => {
        const carriers = categories.filter((c) => c.consentMode.includes(signal));
        return [signal, carriers.length && carriers.every((c) => state[c.key]) ? 'granted' : 'denied'];
      })
    );
    const granted = optional.filter((c) => state[c.key]).length;
    out.push({
      state,
      consentMode,
      stateJson: JSON.stringify(state),
      consentModeJson: JSON.stringify(consentMode),
      grantedList: keyList(categories.filter((c) => state[c.key]).map((c) => c.key)),
      refusedList: keyList(categories.filter((c) => !state[c.key]).map((c) => c.key)),
      metrics: [
        'total',
        ...categories.map((c) => `${state[c.key] ? 'granted' : 'refused'}:${c.key}`),
        granted === optional.length ? 'accepted-all' : granted ? 'chose' : 'refused-all',
      ],
    });
  }
  return out;
}

/** Runs `fn` `times` times: the first call's and the median time in ms, and the last result. */
async function timed(fn, times = 5) {
  const all = [];
  let result;
  for (let i = 0; i < times; i += 1) {
    const started = process.hrtime.bigint();
    result = await fn();
    all.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  const sorted = [...all].sort((a, b) => a - b);
  return { firstMs: +all[0].toFixed(1), medianMs: +sorted[Math.floor(sorted.length / 2)].toFixed(1), result };
}

/**
 * A preload for the Strapi process that profiles it from start to exit and writes the profile to
 * `dir` (node refuses --cpu-prof in NODE_OPTIONS; the inspector answers synchronously).
 */
function profiler(dir) {
  const out = path.resolve(dir);
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, 'profile-preload.js');
  fs.writeFileSync(
    file,
    `const inspector = require('node:inspector');
const fs = require('node:fs');
const session = new inspector.Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 500 });
session.post('Profiler.start');
let written = false;
const write = () => {
  if (written) return;
  written = true;
  session.post('Profiler.stop', (error, result) => {
    if (!error) fs.writeFileSync(${JSON.stringify(out)} + '/strapi-' + process.pid + '.cpuprofile', JSON.stringify(result.profile));
  });
};
// At the stop signal, before Strapi's own handler (which removes every listener, then exits).
process.on('SIGTERM', write);
process.on('exit', write);
`
  );
  return file;
}

/**
 * utime + stime (ms) from a /proc stat file (Linux only, 100 clock ticks a second): the fields
 * after the command name, which ends at the last `)` (the name itself may hold one).
 */
function statCpuMs(file) {
  const text = fs.readFileSync(file, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU time (ms) of the whole process, every thread. */
function cpuMs(pid) {
  return statCpuMs(`/proc/${pid}/stat`);
}

/**
 * CPU time (ms) of the process's main thread alone, the JavaScript thread (Linux: its task has the
 * process's id). Over a run's wall time, the share of it that thread was on a core (garbage
 * collection on it included): near 100% the route is bound by Strapi's CPU; lower, the thread was
 * waiting, for I/O (a commit) or for a core the machine's other processes held.
 */
function mainThreadCpuMs(pid) {
  return statCpuMs(`/proc/${pid}/task/${pid}/stat`);
}

/**
 * How long (ms) the main thread was runnable but waiting for a core (Linux schedstat, its second
 * field, in ns; null where the kernel does not keep it). With mainThreadCpuMs over the same wall
 * time, it splits the thread's time off a core into waiting for a core (other processes on the
 * machine) and waiting for I/O (nothing to run: a commit, the load generator).
 */
function mainThreadRunQueueMs(pid) {
  try {
    const waited = Number(fs.readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[1]);
    return Number.isFinite(waited) ? waited / 1e6 : null;
  } catch {
    return null;
  }
}

/**
 * `measure`, with the CPU each side spent: the Strapi process (`pid`, from /proc) and this
 * process, which is the load generator (autocannon runs in it). A side near one core per second
 * of run is what bounds the figure: when it is the generator, the route is faster than measured.
 */
async function measureCpu(options, pid) {
  const strapiBefore = cpuMs(pid);
  const clientBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const result = await measure(options);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const client = process.cpuUsage(clientBefore);
  return {
    ...result,
    strapiCpuMs: cpuMs(pid) - strapiBefore,
    generatorCoreShare: +((client.user + client.system) / 1000 / wallMs).toFixed(2),
    strapiCoreShare: +((cpuMs(pid) - strapiBefore) / wallMs).toFixed(2),
  };
}

/** BENCH_ROUNDS (default 3): how many times each route is measured, the routes in turn. */
const rounds = Math.max(1, Math.trunc(Number(process.env.BENCH_ROUNDS || 3)) || 3);

/** The median round of one route (by requests/s), with every round kept. */
function medianRound(results) {
  const sorted = [...results].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  return { ...sorted[Math.floor(sorted.length / 2)], rounds: results };
}

/** BENCH_CPU_PROF=<dir>: the environment that makes the Strapi process write its CPU profile there. */
function profilerEnv() {
  const dir = process.env.BENCH_CPU_PROF;
  // Added to BENCH_APP_NODE_OPTIONS (withApp), which it would otherwise replace.
  const base = process.env.BENCH_APP_NODE_OPTIONS || process.env.NODE_OPTIONS || '';
  return dir ? { NODE_OPTIONS: `${base} --require ${JSON.stringify(profiler(dir))}`.trim() } : {};
}

/** A fresh PostgreSQL database for the run (DATABASE_HOST, PG_PORT or DATABASE_PORT, default 5432), and how to drop it. */
async function postgresDatabase() {
  const { Client } = require('pg');
  const settings = {
    host: process.env.DATABASE_HOST || '127.0.0.1',
    port: Number(process.env.PG_PORT || process.env.DATABASE_PORT || 5432),
    user: process.env.DATABASE_USERNAME || 'postgres',
    password: process.env.DATABASE_PASSWORD || '',
  };
  const name = `pc_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = async (sql) => {
    const client = new Client({ ...settings, database: process.env.DATABASE_ADMIN_NAME || 'postgres' });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  return {
    env: {
      DATABASE_CLIENT: 'postgres',
      DATABASE_HOST: settings.host,
      DATABASE_PORT: String(settings.port),
      DATABASE_USERNAME: settings.user,
      DATABASE_PASSWORD: settings.password,
      DATABASE_NAME: name,
    },
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/**
 * A fresh MySQL/MariaDB database (DATABASE_HOST, MYSQL_PORT or DATABASE_PORT, default 3306, DATABASE_USERNAME default
 * root, DATABASE_PASSWORD), with the environment that points tests/app at it and its drop.
 */
async function mysqlDatabase() {
  const mysql = require('mysql2/promise');
  const settings = {
    host: process.env.DATABASE_HOST || '127.0.0.1',
    port: Number(process.env.MYSQL_PORT || process.env.DATABASE_PORT || 3306),
    user: process.env.DATABASE_USERNAME || 'root',
    password: process.env.DATABASE_PASSWORD || '',
  };
  const name = `pc_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = async (sql) => {
    const connection = await mysql.createConnection(settings);
    try {
      await connection.query(sql);
    } finally {
      await connection.end();
    }
  };
  await admin(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  return {
    env: {
      DATABASE_CLIENT: 'mysql',
      DATABASE_HOST: settings.host,
      DATABASE_PORT: String(settings.port),
      DATABASE_USERNAME: settings.user,
      DATABASE_PASSWORD: settings.password,
      DATABASE_NAME: name,
    },
    drop: () => admin(`DROP DATABASE IF EXISTS ${name}`),
  };
}

module.exports = { postgresDatabase, mysqlDatabase, cpuMs, mainThreadCpuMs, mainThreadRunQueueMs, measureCpu, json, registerAdmin, measure, withApp, prepare, ratio, report, print, seconds, connections, timed, decisions, profilerEnv, rounds, medianRound };
