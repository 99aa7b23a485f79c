import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { databaseClient } from '../helpers/database';

/**
 * The README's "Upgrading a large install": the consent log's indexes, built ahead with
 * `CREATE INDEX CONCURRENTLY` as printed there, are kept by the next boot's schema
 * synchronisation (same names, same columns: not dropped and built again, which would block
 * writes on a table of millions). PostgreSQL only: its index identity (oid) shows a rebuild;
 * MySQL has no such identity to compare, and SQLite runs one small instance.
 */
const INDEXES = ['privacy_centre_consent_records_log', 'privacy_centre_consent_records_log_action', 'privacy_centre_consent_records_expiry'];
let app: TestStrapi | undefined;

afterAll(async () => {
  await app?.close();
});

it('indexes built ahead with the README statements are kept by the next boot', async () => {
  if (databaseClient() !== 'postgres') {
    console.log(`upgrade-indexes: PostgreSQL only (this run is on ${databaseClient()}): the README's statements are PostgreSQL's`);
    return;
  }
  app = await bootStrapi();
  const knex = () => app!.strapi.db.connection;
  // As on an install of before: the table without them; then the README's statements.
  for (const name of INDEXES) await knex().raw(`DROP INDEX ${name}`);
  const readme = require('node:fs').readFileSync(require('node:path').resolve(__dirname, '../../README.md'), 'utf8') as string;
  const statements = readme.match(/^CREATE INDEX CONCURRENTLY IF NOT EXISTS privacy_centre_consent_records_[^;]+;$/gm) ?? [];
  expect(statements).toHaveLength(3);
  for (const statement of statements) await knex().raw(statement);
  const identities = async () => (await knex().raw('SELECT relname, oid FROM pg_class WHERE relname = ANY(?) ORDER BY relname', [INDEXES])).rows;
  const before = await identities();
  expect(before).toHaveLength(3);
  const database = app.database;
  await app.close({ keepDatabase: true });
  app = await bootStrapi({}, { database });
  expect(await identities()).toEqual(before);
});
