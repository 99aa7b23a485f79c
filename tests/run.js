#!/usr/bin/env node
/**
 * The whole test suite, as `npm test` runs it (and .ci/run calls `npm test`):
 *   1. type checks (server and admin)
 *   2. the plugin build (tests/app loads the plugin from dist/) and `strapi-plugin verify`
 *   3. unit tests
 *   4. integration tests on SQLite, then PostgreSQL and MySQL when reachable
 *   5. packaging and the Strapi CLI (tests/install; once, on SQLite): `npm pack` and a plain
 *      `npm install` into a separate Strapi 5 app, `strapi start`; `strapi export`/`import`
 *      over published policy versions
 *   6. browser e2e tests (Debian Chromium through playwright-core)
 * `node tests/run.js integration`, `... install` or `... e2e` runs one stage (after the build).
 * Ends with one line `N passed, N failed, N skipped`, summed over every jest run.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const only = process.argv[2];
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function run(title, command, args, env = {}) {
  console.log(`\n=== ${title} ===`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`--- ${title}: ${result.status === 0 ? 'ok' : `FAILED (exit ${result.status})`} in ${seconds}s`);
  if (result.status !== 0) failures.push(title);
  return result.status === 0;
}

function jest(title, args, env = {}) {
  const report = path.join(os.tmpdir(), `privacy-centre-jest-${process.pid}-${Date.now()}.json`);
  run(title, process.execPath, [require.resolve('jest/bin/jest'), ...args, '--json', `--outputFile=${report}`], env);
  if (!fs.existsSync(report)) {
    totals.failed += 1; // jest crashed before reporting: count it, never hide it
    return;
  }
  const summary = JSON.parse(fs.readFileSync(report, 'utf8'));
  totals.passed += summary.numPassedTests;
  totals.failed += summary.numFailedTests + summary.numRuntimeErrorTestSuites;
  totals.skipped += summary.numPendingTests + summary.numTodoTests;
  if (summary.numTotalTests === 0) {
    console.log(`${title}: no test ran`);
    failures.push(`${title} (no test ran)`);
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

async function main() {
  const all = !only;
  if (all) {
    run('type check: server', process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit']);
    run('type check: admin', process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'admin/tsconfig.json', '--noEmit']);
  }
  if (!run('plugin build', 'npx', ['strapi-plugin', 'build'])) return finish();
  if (all) run('plugin verify', 'npx', ['strapi-plugin', 'verify']);
  if (all) jest('unit tests', ['--selectProjects', 'unit']);

  if (all || only === 'integration') {
    const integration = ['--selectProjects', 'integration', '--runInBand'];
    jest('integration tests on sqlite', integration, { DATABASE_CLIENT: 'sqlite' });
    if (await reachable(5432)) {
      jest('integration tests on postgres', integration, { DATABASE_CLIENT: 'postgres', DATABASE_HOST: '127.0.0.1', DATABASE_PORT: '5432' });
    } else {
      console.log('\nskipped: no PostgreSQL at 127.0.0.1:5432');
    }
    if (await reachable(3306)) {
      jest('integration tests on mysql', integration, { DATABASE_CLIENT: 'mysql', DATABASE_HOST: '127.0.0.1', DATABASE_PORT: '3306' });
    } else {
      console.log('\nskipped: no MySQL at 127.0.0.1:3306');
    }
  }

  if (all || only === 'install') {
    jest('packaging and the Strapi CLI (install from the packed tarball, strapi export/import)', ['--config', 'jest.install.config.js', '--runInBand']);
  }

  if (all || only === 'e2e') {
    jest('browser e2e tests', ['--config', 'jest.e2e.config.js', '--runInBand']);
  }
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
