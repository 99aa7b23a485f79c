/**
 * tests/run.js decides the browser stage as a newcomer's machine would: run as a child process in
 * dry mode (TEST_RUN_DRY=1: every stage decided, nothing run, no build), with PATH, HOME and the
 * cache pointing at empty directories and no CHROMIUM_PATH.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { findBrowser } = require('../helpers/find-browser');

const ROOT = path.resolve(__dirname, '..', '..');
let empty: string;

beforeAll(() => {
  empty = fs.mkdtempSync(path.join(os.tmpdir(), 'privacy-centre-no-browser-'));
});
afterAll(() => fs.rmSync(empty, { recursive: true, force: true }));

/** An environment with no browser anywhere a newcomer's would have one (but fixed system paths). */
function bare(extra: Record<string, string> = {}) {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(CHROMIUM_PATH|PLAYWRIGHT_BROWSERS_PATH|XDG_CACHE_HOME|CI)$/.test(key)) env[key] = value;
  }
  return { ...env, PATH: empty, HOME: empty, TEST_RUN_DRY: '1', ...extra };
}

function runStages(env: Record<string, string>, ...stages: string[]) {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'tests', 'run.js'), ...stages], { cwd: ROOT, env, encoding: 'utf8', timeout: 30_000 });
  const lines = result.stdout.trim().split('\n');
  return { status: result.status, stdout: result.stdout, lines, last: lines[lines.length - 1] };
}

/** This machine may hold a browser at a fixed location (/snap/bin, /opt/google) that no PATH hides. */
const fixed = findBrowser({ env: bare() }).path as string | null;

test('no browser: the browser stage is skipped with one line saying why and how to get one', () => {
  const { status, lines, last } = runStages(bare(), 'e2e');
  if (fixed) {
    expect(lines).toContain(`browser for the e2e tests: ${fixed} (installed)`);
    return;
  }
  const skips = lines.filter((line) => line.startsWith('skipped: browser e2e tests: '));
  expect(skips).toEqual([
    "skipped: browser e2e tests: no Chromium or Chrome found (CHROMIUM_PATH, PATH, the usual install paths, Playwright's cache): install Chromium or Chrome (Debian/Ubuntu: apt-get install chromium; any system: npx playwright-core install chromium) or set CHROMIUM_PATH",
  ]);
  // The stage itself does not run.
  expect(lines.some((line) => line.includes('=== browser e2e tests ==='))).toBe(false);
  expect(last).toBe('0 passed, 0 failed, 0 skipped');
  expect(status).toBe(0);
});

test('no browser under CI=true: the stage fails with the reason, never skipped', () => {
  const { status, lines, last } = runStages(bare({ CI: 'true' }), 'e2e');
  if (fixed) return void expect(status).toBe(0);
  expect(lines.some((line) => line.startsWith('skipped:'))).toBe(false);
  expect(lines).toContain("browser e2e tests: FAILED: no Chromium or Chrome found (CHROMIUM_PATH, PATH, the usual install paths, Playwright's cache): install Chromium or Chrome (Debian/Ubuntu: apt-get install chromium; any system: npx playwright-core install chromium) or set CHROMIUM_PATH");
  expect(last).toBe('0 passed, 1 failed, 0 skipped');
  expect(status).toBe(1);
});

test("a browser in Playwright's cache under HOME, or named by CHROMIUM_PATH: the stage runs with it", () => {
  const chrome = path.join(empty, '.cache', 'ms-playwright', 'chromium-1', 'chrome-linux', 'chrome');
  fs.mkdirSync(path.dirname(chrome), { recursive: true });
  fs.writeFileSync(chrome, '#!/bin/sh\n', { mode: 0o755 });
  try {
    const cached = runStages(bare(), 'e2e');
    if (!fixed && process.platform === 'linux') expect(cached.lines).toContain(`browser for the e2e tests: ${chrome} (playwright)`);
    const named = runStages(bare({ CHROMIUM_PATH: chrome, CI: 'true' }), 'e2e');
    expect(named.lines).toContain(`browser for the e2e tests: ${chrome} (CHROMIUM_PATH)`);
    expect(named.lines).toContain('=== browser e2e tests ===');
    expect(named.status).toBe(0);
  } finally {
    fs.rmSync(path.join(empty, '.cache'), { recursive: true, force: true });
  }
});

test('stages are chosen by name; an unknown one is refused', () => {
  const { lines } = runStages(bare(), 'unit', 'integration-sqlite');
  const titles = lines.filter((line) => line.startsWith('=== ')).map((line) => line.slice(4, -4));
  expect(titles).toEqual(['plugin build', 'unit tests', 'integration tests on sqlite']);
  const wrong = spawnSync(process.execPath, [path.join(ROOT, 'tests', 'run.js'), 'unti'], { cwd: ROOT, env: bare(), encoding: 'utf8' });
  expect(wrong.status).toBe(2);
  expect(wrong.stderr).toMatch(/unknown stage unti: the stages are unit, integration, /);
});
