/**
 * Two instances of tests/app on ONE database, as a site runs several behind a load balancer:
 * `a` is booted in this process (bootStrapi: its services, knex and supertest are at hand),
 * `b` is `strapi start` in a child process (tests/app/scripts/app-runner.js) on the same
 * database, reached over HTTP. The admin panel is not served by `b` (SERVE_ADMIN=false), so no
 * admin build is needed; the app itself is compiled by the integration project's global setup.
 */
import { bootStrapi, type TestStrapi } from './strapi';
import type { TestDatabase } from './database';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const runner = require('../app/scripts/app-runner');

export interface ChildInstance {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 */
  url: string;
  /** The process running `strapi start` (its group is killed by stop / kill). */
  pid: number;
  /** Everything it printed so far (for failure messages). */
  output(): string;
  /** SIGTERM, then SIGKILL if it does not exit: a clean shutdown. */
  stop(): Promise<void>;
  /** SIGKILL at once: an instance that dies mid-work (nothing of its destroy runs). */
  kill(): Promise<void>;
}

export interface Instances {
  a: TestStrapi;
  b: ChildInstance;
  database: TestDatabase;
  /** Stops b, then a, and drops the database. */
  close(): Promise<void>;
}

/**
 * Starts one more instance (`strapi start`, a child process) on `database`: `b` of
 * startInstances, or a third one a test means to kill. `env` adds to the database's.
 */
export async function startChild(database: TestDatabase, env: Record<string, string> = {}): Promise<ChildInstance> {
  const child: { url: string; child: import('node:child_process').ChildProcess; output(): string; stop(): Promise<void> } = await runner.startApp({
    env: {
      ...database.env,
      SERVE_ADMIN: 'false',
      STRAPI_LOG_LEVEL: process.env.STRAPI_LOG_LEVEL || 'warn',
      // Its answers are not checked against the contract: nobody would read what it found.
      PRIVACY_CENTRE_CONTRACT_CHECK: '0',
      ...env,
    },
    timeoutMs: 90_000,
  });
  const exited = () => child.child.exitCode !== null || child.child.signalCode !== null;
  return {
    url: child.url,
    pid: child.child.pid!,
    output: child.output,
    stop: child.stop,
    async kill() {
      if (exited()) return;
      const gone = new Promise((resolve) => child.child.once('exit', resolve));
      try {
        process.kill(-child.child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
      await gone;
    },
  };
}

/**
 * Boots `a`, then `b` on its database (one after the other: the first boot creates the schema,
 * the second finds it in place). `env` goes to both (e.g. PRIVACY_CENTRE_EXTRA_CONFIG); `bEnv`
 * to `b` alone, after it.
 */
export async function startInstances(env: Record<string, string> = {}, options: { bEnv?: Record<string, string> } = {}): Promise<Instances> {
  const a = await bootStrapi(env);
  let b: ChildInstance;
  try {
    b = await startChild(a.database, { ...env, ...(options.bEnv ?? {}) });
  } catch (error) {
    await a.close();
    throw error;
  }
  return {
    a,
    b,
    database: a.database,
    async close() {
      await b.stop();
      await a.close();
    },
  };
}
