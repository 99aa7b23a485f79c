/**
 * Runs tests/app the way a site runs Strapi for the browser tests: `strapi start`, serving the
 * built admin panel, on a fresh SQLite file and a free port. The building and starting live in
 * tests/app/scripts/app-runner.js, shared with the demo and the benchmarks.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const runner = require('../app/scripts/app-runner');

export const REPO_ROOT: string = runner.REPO_ROOT;
export const APP_DIR: string = runner.APP_DIR;

export interface RunningApp {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 */
  url: string;
  /** The app's SQLite database file, for a test that changes rows behind Strapi's back. */
  databaseFile: string;
  /** Everything the server printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

const log = (line: string) => console.log(`[e2e] ${line}`);

export async function startApp(env: Record<string, string> = {}): Promise<RunningApp> {
  // jest.e2e.config.js's global setup built everything once; a file run some other way builds here.
  if (process.env.E2E_PREPARED !== '1') {
    const force = process.env.E2E_REBUILD === '1';
    runner.ensurePluginBuilt({ force, log });
    runner.ensureAdminBuilt({ force, log });
  }

  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'privacy-centre-e2e-'));
  const databaseFile = path.join(tmpDir, 'data.db');
  const started = Date.now();
  const app = await runner.startApp({
    env: {
      DATABASE_CLIENT: 'sqlite',
      DATABASE_FILENAME: databaseFile,
      // As a deployed site runs (not jest's NODE_ENV=test). Strapi 5.54 marks the admin's
      // refresh cookie Secure only for https requests, so plain http on 127.0.0.1 works.
      NODE_ENV: 'production',
      ...env,
    },
  });
  log(`strapi start: ${((Date.now() - started) / 1000).toFixed(1)}s to /_health on ${app.url}`);
  return {
    url: app.url,
    databaseFile,
    output: app.output,
    async stop() {
      await app.stop();
      fs.rmSync(tmpDir, { recursive: true, force: true });
    },
  };
}
