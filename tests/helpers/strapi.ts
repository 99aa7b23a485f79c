import path from 'node:path';
import type { Core } from '@strapi/strapi';
import request from 'supertest';
import { createTestDatabase, type TestDatabase } from './database';

export const APP_DIR = path.resolve(__dirname, '..', 'app');

export interface TestStrapi {
  strapi: Core.Strapi;
  /** supertest agent bound to the mounted HTTP server. */
  http: () => request.Agent;
  database: TestDatabase;
  /** Stops Strapi and drops its database, unless `keepDatabase` (to boot again on it). */
  close(options?: { keepDatabase?: boolean }): Promise<void>;
}

/**
 * Boots a real Strapi from tests/app (compiled once by global-setup.js) on a fresh database,
 * mounts its HTTP server, and returns it with a supertest agent. One per test file.
 * `env` adds environment variables read by tests/app/config (e.g. a wrong plugin config).
 * `beforeLoad` sees Strapi before its register and bootstrap run (e.g. to listen to its logs).
 */
export async function bootStrapi(
  env: Record<string, string> = {},
  options: { database?: TestDatabase; beforeLoad?: (strapi: Core.Strapi) => void } = {}
): Promise<TestStrapi> {
  const database = options.database ?? (await createTestDatabase());
  const previous: Record<string, string | undefined> = {};
  // Every answer of the plugin's public routes is checked against its OpenAPI document
  // (tests/app's global::contract-check); close() fails the test file on a mismatch.
  for (const [key, value] of Object.entries({ PRIVACY_CENTRE_CONTRACT_CHECK: '1', ...database.env, ...env })) {
    previous[key] = process.env[key];
    process.env[key] = value;
  }
  process.env.STRAPI_LOG_LEVEL = process.env.STRAPI_LOG_LEVEL || 'warn';
  const { createStrapi } = require('@strapi/strapi');
  let strapi: Core.Strapi | undefined;
  try {
    strapi = createStrapi({ appDir: APP_DIR, distDir: path.join(APP_DIR, 'dist') });
    options.beforeLoad?.(strapi!);
    await strapi!.load();
    await strapi!.server.mount();
    // Listening once, on loopback: supertest would otherwise listen and close the server around
    // every request, which resets the other requests of a concurrent batch.
    const server = strapi!.server.httpServer;
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
  } catch (error) {
    await safeDestroy(strapi);
    // A database the caller brought stays theirs (a test may boot again on it).
    if (!options.database) await database.drop();
    restore(previous);
    throw error;
  }
  const instance = strapi!;
  return {
    strapi: instance,
    database,
    http: () => request.agent(instance.server.httpServer),
    async close({ keepDatabase = false } = {}) {
      await safeDestroy(instance);
      if (!keepDatabase) await database.drop();
      restore(previous);
      assertContractKept(instance);
    },
  };
}

/**
 * Fails (throws from close(), in the file's afterAll) when an answer of a public route did not
 * match the plugin's OpenAPI document, listing each mismatch.
 */
function assertContractKept(strapi: Core.Strapi) {
  const record = (strapi as unknown as { privacyCentreContract?: { checked: number; mismatches: string[] } }).privacyCentreContract;
  if (!record?.mismatches.length) return;
  const unique = [...new Set(record.mismatches)];
  throw new Error(
    `${unique.length} answer(s) of the plugin's public routes do not match server/src/contract/openapi.json:\n${unique.slice(0, 30).map((m) => `  - ${m}`).join('\n')}`
  );
}

function restore(previous: Record<string, string | undefined>) {
  for (const [key, value] of Object.entries(previous)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

async function safeDestroy(strapi?: Core.Strapi) {
  if (!strapi) return;
  // Order matters: stop taking requests, then let Strapi tear down the rest. strapi.destroy() runs
  // the plugins' destroy (the privacy-centre writes its queued consents there) before it closes
  // the database: closing the pool first would make that drain fail.
  await new Promise<void>((resolve) => {
    const server = strapi.server?.httpServer;
    if (!server?.listening) return resolve();
    server.close(() => resolve());
  });
  try {
    await strapi.destroy();
  } catch {
    /* destroy after a failed load may throw: close the pool it may have left open */
    try {
      await strapi.db?.connection?.destroy();
    } catch {
      /* already closed */
    }
  }
}
