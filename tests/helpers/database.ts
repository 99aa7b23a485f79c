import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type DatabaseClient = 'sqlite' | 'postgres' | 'mysql';

export const databaseClient = (): DatabaseClient =>
  (process.env.DATABASE_CLIENT as DatabaseClient) || 'sqlite';

export interface TestDatabase {
  client: DatabaseClient;
  /** Environment for config/database.ts of tests/app. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { copyTemplate } = require('./database-template');

/**
 * A fresh database for one test file: a temp SQLite file, or a new database on the PostgreSQL /
 * MySQL server named by DATABASE_HOST/PORT (created from the `test` database). It is a copy of
 * the run's template (tests/helpers/database-template.js: the schema, no rows) when there is
 * one, else empty; `{ empty: true }`: empty whatever.
 */
export async function createTestDatabase({ empty = false }: { empty?: boolean } = {}): Promise<TestDatabase> {
  const client = databaseClient();
  const name = `pc_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;

  if (client === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'privacy-centre-'));
    const filename = path.join(dir, 'data.db');
    if (!empty) await copyTemplate({ name, filename });
    return {
      client,
      env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: filename },
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }

  if (client === 'postgres') {
    const { Client } = require('pg');
    const admin = () =>
      new Client({
        host: process.env.DATABASE_HOST || '127.0.0.1',
        port: Number(process.env.DATABASE_PORT || 5432),
        user: process.env.DATABASE_USERNAME || 'postgres',
        password: process.env.DATABASE_PASSWORD || '',
        database: process.env.DATABASE_ADMIN_NAME || 'test',
      });
    if (empty || !(await copyTemplate({ name }))) {
      const connection = admin();
      await connection.connect();
      await connection.query(`CREATE DATABASE ${name}`);
      await connection.end();
    }
    return {
      client,
      env: { DATABASE_CLIENT: 'postgres', DATABASE_NAME: name },
      drop: async () => {
        const c = admin();
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }

  const mysql = require('mysql2/promise');
  const connect = () =>
    mysql.createConnection({
      host: process.env.DATABASE_HOST || '127.0.0.1',
      port: Number(process.env.DATABASE_PORT || 3306),
      user: process.env.DATABASE_USERNAME || 'root',
      password: process.env.DATABASE_PASSWORD || '',
    });
  if (empty || !(await copyTemplate({ name }))) {
    const connection = await connect();
    await connection.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await connection.end();
  }
  return {
    client,
    env: { DATABASE_CLIENT: 'mysql', DATABASE_NAME: name },
    drop: async () => {
      const c = await connect();
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
      await c.end();
    },
  };
}
