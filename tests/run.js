#!/usr/bin/env node
/**
 * The whole test suite, as `npm test` runs it (and .ci/run calls `npm test`):
 *   1. type checks (server and admin) and the plugin build (tests/app loads the plugin from
 *      dist/), side by side; then `strapi-plugin verify`
 *   2. unit tests
 *   3. integration tests on SQLite, PostgreSQL and MySQL (these two when reachable), side by
 *      side (TEST_SERIAL=1: one after the other)
 *   4. packaging and the Strapi CLI (tests/install; once, on SQLite): `npm pack` and a plain
 *      `npm install` into a separate Strapi 5 app, `strapi start`; `strapi export`/`import`
 *      over published policy versions
 *   5. browser e2e tests (playwright-core driving the Chromium or Chrome that
 *      tests/helpers/find-browser.js finds; skipped with one line when there is none, a failure
 *      under CI=true)
 * `node tests/run.js <stage>...` runs only those stages (after the build), any of: unit,
 * integration (all three databases), integration-sqlite, integration-postgres,
 * integration-mysql, runtime (a few integration files on SQLite, see RUNTIME_FILES), install, e2e.
 * TEST_RUN_DRY=1 decides every stage (databases reachable, browser found) and prints what would
 * run without running anything: the test of this script uses it.
 * Ends with one line `N passed, N failed, N skipped`, summed over every jest run (a failed stage
 * that is not one, or a jest run that crashed or ran nothing, counts as one failure).
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const { findBrowser } = require('./helpers/find-browser');

const root = path.resolve(__dirname, '..');
const STAGES = ['unit', 'integration', 'integration-sqlite', 'integration-postgres', 'integration-mysql', 'runtime', 'install', 'e2e'];
/**
 * The `runtime` stage: the integration files that lean hardest on what differs between Node
 * releases (crypto: Ed25519 keys and signatures, a receipt checked in another process; streams
 * and zlib: exports, evidence bundles, compressed answers; sockets: SMTP; the raw HTTP of the
 * consent fast path; the generated client), on SQLite. CI runs it on the second Node (24) where the
 * machine's Node runs every integration file on three databases.
 */
const RUNTIME_FILES = ['keys', 'consents', 'policy-cache', 'subjects', 'newsletter', 'client', 'consent-fast-path', 'plugin-loaded'].map(
  (name) => `tests/integration/${name}.test.ts`
);
const only = process.argv.slice(2);
const unknown = only.filter((stage) => !STAGES.includes(stage));
if (unknown.length) {
  console.error(`unknown stage ${unknown.join(', ')}: the stages are ${STAGES.join(', ')}`);
  process.exit(2);
}
const all = only.length === 0;
const wants = (...stages) => all || stages.some((stage) => only.includes(stage));
const dry = process.env.TEST_RUN_DRY === '1';
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function run(title, command, args, env = {}) {
  console.log(`\n=== ${title} ===`);
  if (dry) {
    console.log(`--- ${title}: would run ${[path.basename(command), ...args].join(' ')}`);
    return true;
  }
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`--- ${title}: ${result.status === 0 ? 'ok' : `FAILED (exit ${result.status})`} in ${seconds}s`);
  if (result.status !== 0) failures.push(title);
  return result.status === 0;
}

const reportFile = () => path.join(os.tmpdir(), `privacy-centre-jest-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
const jestArgs = (args, report) => [require.resolve('jest/bin/jest'), ...args, '--json', `--outputFile=${report}`];

function jest(title, args, env = {}) {
  const report = reportFile();
  run(title, process.execPath, jestArgs(args, report), env);
  if (dry) return;
  count(title, report);
}

/**
 * Jest runs side by side, each writing to its own log, printed whole when it ends (the runs
 * never interleave in the output). The integration suites of the three databases go together:
 * each is one Node process (in band: one Strapi at a time) that spends much of its time waiting
 * for its database or its own timers, so they share two cores well, and CI stays within its time.
 * TEST_SERIAL=1 runs them one after the other instead.
 */
async function jestTogether(runs) {
  if (dry || runs.length < 2 || process.env.TEST_SERIAL === '1') {
    for (const { title, args, env } of runs) jest(title, args, env);
    return;
  }
  if (runs.length > 1 && !step('test app compilation', process.execPath, ['-e', "require('./tests/helpers/global-setup.js').compile()"])) return;
  const started = Date.now();
  const ended = await Promise.all(
    runs.map(
      ({ title, args, env }) =>
        new Promise((resolve) => {
          const report = reportFile();
          const log = `${report}.log`;
          const out = fs.openSync(log, 'w');
          const child = spawn(process.execPath, jestArgs(args, report), { cwd: root, stdio: ['ignore', out, out], env: { ...process.env, TEST_APP_COMPILED: '1', ...env } });
          child.on('error', (error) => (fs.writeSync(out, `${error.stack}\n`), fs.closeSync(out), resolve({ title, report, log, status: 1, ended: Date.now() })));
          child.on('close', (status) => (fs.closeSync(out), resolve({ title, report, log, status, ended: Date.now() })));
        })
    )
  );
  for (const { title, report, log, status, ended: at } of ended) {
    console.log(`\n=== ${title} (run alongside ${runs.filter((r) => r.title !== title).map((r) => r.title).join(', ')}) ===`);
    process.stdout.write(fs.readFileSync(log));
    fs.rmSync(log, { force: true });
    console.log(`--- ${title}: ${status === 0 ? 'ok' : `FAILED (exit ${status})`} in ${((at - started) / 1000).toFixed(1)}s`);
    if (status !== 0) failures.push(title);
    count(title, report);
  }
}

/** Adds a jest run's JSON report to the totals; a run that crashed or ran nothing counts as a failure. */
function count(title, report) {
  if (!fs.existsSync(report)) {
    totals.failed += 1; // jest crashed before reporting: count it, never hide it
    return;
  }
  const summary = JSON.parse(fs.readFileSync(report, 'utf8'));
  // The slowest files of the run, for whoever has to keep CI within its time.
  const files = (summary.testResults ?? [])
    .map((r) => ({ file: path.relative(root, r.name), seconds: ((r.endTime ?? 0) - (r.startTime ?? 0)) / 1000 }))
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, 8);
  if (files.length > 1) console.log(`${title}: slowest files: ${files.map((f) => `${f.file} ${f.seconds.toFixed(0)}s`).join(', ')}`);
  totals.passed += summary.numPassedTests;
  totals.failed += summary.numFailedTests + summary.numRuntimeErrorTestSuites;
  totals.skipped += summary.numPendingTests + summary.numTodoTests;
  if (summary.numTotalTests === 0) {
    console.log(`${title}: no test ran`);
    failures.push(`${title} (no test ran)`);
    totals.failed += 1;
  }
  fs.rmSync(report, { force: true });
}

const reachable = (port) =>
  new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(2000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });

/** A stage that is not a jest run (type check, build, verify): its failure counts as one. */
function step(title, command, args) {
  const ok = run(title, command, args);
  if (!ok) totals.failed += 1;
  return ok;
}

/**
 * Stages that are not jest runs, side by side (the type checks and the build: each a single
 * thread, on two cores), each writing to its own log, printed whole when all have ended. Each
 * failure counts as one. TEST_SERIAL=1 runs them one after the other. Returns title -> ok.
 */
async function stepsTogether(steps) {
  const ok = {};
  if (dry || steps.length < 2 || process.env.TEST_SERIAL === '1') {
    for (const { title, command, args } of steps) ok[title] = step(title, command, args);
    return ok;
  }
  const started = Date.now();
  const ended = await Promise.all(
    steps.map(
      ({ title, command, args }) =>
        new Promise((resolve) => {
          const log = path.join(os.tmpdir(), `privacy-centre-step-${process.pid}-${Math.random().toString(36).slice(2)}.log`);
          const out = fs.openSync(log, 'w');
          const child = spawn(command, args, { cwd: root, stdio: ['ignore', out, out], env: process.env });
          child.on('error', (error) => (fs.writeSync(out, `${error.stack}\n`), fs.closeSync(out), resolve({ title, log, status: 1, at: Date.now() })));
          child.on('close', (status) => (fs.closeSync(out), resolve({ title, log, status, at: Date.now() })));
        })
    )
  );
  for (const { title, log, status, at } of ended) {
    console.log(`\n=== ${title} (run alongside ${steps.filter((s) => s.title !== title).map((s) => s.title).join(', ')}) ===`);
    process.stdout.write(fs.readFileSync(log));
    fs.rmSync(log, { force: true });
    console.log(`--- ${title}: ${status === 0 ? 'ok' : `FAILED (exit ${status})`} in ${((at - started) / 1000).toFixed(1)}s`);
    ok[title] = status === 0;
    if (status !== 0) {
      failures.push(title);
      totals.failed += 1;
    }
  }
  return ok;
}

/**
 * The stage runs with the browser found; without one it is skipped with one line, except under
 * CI, where a missing browser is a failure (CI installs one: a skip there would hide the stage).
 */
function browserStage() {
  const title = 'browser e2e tests';
  const browser = findBrowser();
  if (browser.path) {
    console.log(`\nbrowser for the e2e tests: ${browser.path} (${browser.source})`);
    // Two files at a time (E2E_WORKERS): a file spends much of its time waiting on its Strapi and
    // its browser, so two share two cores well.
    jest(title, ['--config', 'jest.e2e.config.js', `--maxWorkers=${process.env.E2E_WORKERS || 2}`], { CHROMIUM_PATH: browser.path });
  } else if (process.env.CI === 'true') {
    console.log(`\n${title}: FAILED: ${browser.reason}`);
    failures.push(`${title} (no browser under CI)`);
    totals.failed += 1;
  } else {
    console.log(`\nskipped: ${title}: ${browser.reason}`);
  }
}

async function main() {
  // The Node that runs this script runs every stage (npx would take the first node on PATH).
  const sdkPlugin = path.join(path.dirname(require.resolve('@strapi/sdk-plugin/package.json')), 'bin', 'strapi-plugin.js');
  const tsc = require.resolve('typescript/bin/tsc');
  const runner = require('./app/scripts/app-runner');
  const sources = runner.pluginSourceDigest();
  const built = await stepsTogether([
    ...(all
      ? [
          { title: 'type check: server', command: process.execPath, args: [tsc, '-p', 'tsconfig.json', '--noEmit'] },
          { title: 'type check: admin', command: process.execPath, args: [tsc, '-p', 'admin/tsconfig.json', '--noEmit'] },
        ]
      : []),
    { title: 'plugin build', command: process.execPath, args: [sdkPlugin, 'build'] },
  ]);
  if (!built['plugin build']) return finish();
  // The e2e stage's setup would otherwise build it again (it knows only its own builds).
  if (!dry) runner.recordPluginBuild(sources);
  if (all) step('plugin verify', process.execPath, [sdkPlugin, 'verify']);
  // Two workers: jest's default on two cores is one, and the unit files are pure CPU.
  if (wants('unit')) jest('unit tests', ['--selectProjects', 'unit', '--maxWorkers=2']);

  const integration = ['--selectProjects', 'integration', '--runInBand'];
  const suites = [];
  if (wants('integration', 'integration-sqlite')) {
    suites.push({ title: 'integration tests on sqlite', args: integration, env: { DATABASE_CLIENT: 'sqlite' } });
  }
  if (wants('integration', 'integration-postgres')) {
    if (await reachable(5432)) {
      suites.push({ title: 'integration tests on postgres', args: integration, env: { DATABASE_CLIENT: 'postgres', DATABASE_HOST: '127.0.0.1', DATABASE_PORT: '5432' } });
    } else {
      console.log('\nskipped: no PostgreSQL at 127.0.0.1:5432');
    }
  }
  if (wants('integration', 'integration-mysql')) {
    if (await reachable(3306)) {
      suites.push({ title: 'integration tests on mysql', args: integration, env: { DATABASE_CLIENT: 'mysql', DATABASE_HOST: '127.0.0.1', DATABASE_PORT: '3306' } });
    } else {
      console.log('\nskipped: no MySQL at 127.0.0.1:3306');
    }
  }
  await jestTogether(suites);
  if (only.includes('runtime')) {
    jest('integration tests on sqlite that lean on the Node runtime', [...integration, ...RUNTIME_FILES], { DATABASE_CLIENT: 'sqlite' });
  }

  if (wants('install')) {
    jest('packaging and the Strapi CLI (install from the packed tarball, strapi export/import)', ['--config', 'jest.install.config.js', '--runInBand']);
  }

  if (wants('e2e')) browserStage();
  finish();
}

function finish() {
  console.log('');
  if (failures.length) console.log(`failed stages: ${failures.join('; ')}`);
  console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  process.exit(failures.length || totals.failed ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
