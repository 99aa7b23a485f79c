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
  close(): Promise<void>;
}

/**
 * Boots a real Strapi from tests/app (compiled once by global-setup.js) on a fresh database,
 * mounts its HTTP server, and returns it with a supertest agent. One per test file.
 * `env` adds environment variables read by tests/app/config (e.g. a wrong plugin config).
 */
export async function bootStrapi(env: Record<string, string> = {}): Promise<TestStrapi> {
  const database = await createTestDatabase();
  const previous: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries({ ...database.env, ...env })) {
    previous[key] = process.env[key];
    process.env[key] = value;
  }
  process.env.STRAPI_LOG_LEVEL = process.env.STRAPI_LOG_LEVEL || 'warn';
  const { createStrapi } = require('@strapi/strapi');
  let strapi: Core.Strapi | undefined;
  try {
    strapi = createStrapi({ appDir: APP_DIR, distDir: path.join(APP_DIR, 'dist') });
    await strapi!.load();
    await strapi!.server.mount();
  } catch (error) {
    await safeDestroy(strapi);
    await database.drop();
    restore(previous);
    throw error;
  }
  const instance = strapi!;
  return {
    strapi: instance,
    database,
    http: () => request.agent(instance.server.httpServer),
    async close() {
      await safeDestroy(instance);
      await database.drop();
      restore(previous);
    },
  };
}

function restore(previous: Record<string, string | undefined>) {
  for (const [key, value] of Object.entries(previous)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

async function safeDestroy(strapi?: Core.Strapi) {
  if (!strapi) return;
  // Order matters: stop taking requests, close the pool, then let Strapi tear down the rest.
  await new Promise<void>((resolve) => {
    const server = strapi.server?.httpServer;
    if (!server?.listening) return resolve();
    server.close(() => resolve());
  });
  try {
    await strapi.db?.connection?.destroy();
  } catch {
    /* already closed */
  }
  try {
    await strapi.destroy();
  } catch {
    /* destroy after a failed load may throw; nothing left to close */
  }
}
