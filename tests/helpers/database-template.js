/**
 * The integration tests' template database: tests/app's schema as Strapi creates it, with no
 * rows but the three that tell Strapi the schema and its migrations are done. Every test file's
 * database is a copy of it (tests/helpers/database.ts), so that its Strapi boots on an existing
 * schema instead of creating some hundred tables, their indexes and foreign keys one statement
 * at a time: measured on two loaded cores, a boot on a fresh database took 12 to 43 s and one on
 * an existing schema 3 to 6 s, and a suite boots about fifty times.
 *
 * The copy is what a fresh install is in every other way: no admin, no role, no locale, no key,
 * no setting and no trigger (the plugin creates its triggers at every boot); Strapi and the plugin
 * create their first rows at its boot as on any first start. Should the schema the copy says it
 * has differ from the app's (a content type changed between the template's boot and a test's),
 * Strapi compares the two at boot and synchronises as usual: slower, never wrong.
 *
 * Built once per jest run by the global setup (in a child process, as a plain boot), dropped by
 * the global teardown; TEST_DATABASE_TEMPLATE names it for the test files (`off`: no template,
 * every file creates its schema itself).
 */
const { spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const APP_DIR = path.resolve(__dirname, '..', 'app');
/** Strapi's own bookkeeping of its schema: kept, so that a copy's boot changes no table. */
const KEPT = ['strapi_database_schema', 'strapi_migrations', 'strapi_migrations_internal'];
const ENV = 'TEST_DATABASE_TEMPLATE';

const client = () => process.env.DATABASE_CLIENT || 'sqlite';
/** The PostgreSQL schema tests/app uses (config/database.ts reads the same variable). */
const pgSchema = () => process.env.DATABASE_SCHEMA || 'public';
const postgresSettings = (database = process.env.DATABASE_ADMIN_NAME || 'test') => ({
  host: process.env.DATABASE_HOST || '127.0.0.1',
  port: Number(process.env.DATABASE_PORT || 5432),
  user: process.env.DATABASE_USERNAME || 'postgres',
  password: process.env.DATABASE_PASSWORD || '',
  database,
});
const mysqlSettings = (extra = {}) => ({
  host: process.env.DATABASE_HOST || '127.0.0.1',
  port: Number(process.env.DATABASE_PORT || 3306),
  user: process.env.DATABASE_USERNAME || 'root',
  password: process.env.DATABASE_PASSWORD || '',
  ...extra,
});

async function postgres(sql, database, values) {
  const { Client } = require('pg');
  const connection = new Client(postgresSettings(database));
  await connection.connect();
  try {
    return await connection.query(sql, values);
  } finally {
    await connection.end();
  }
}

async function mysql(fn, extra) {
  const connection = await require('mysql2/promise').createConnection(mysqlSettings(extra));
  try {
    return await fn(connection);
  } finally {
    await connection.end();
  }
}

/** Boots tests/app once on the database `env` names, in a child process, and stops it. */
function bootOnce(env) {
  const script = `
    const path = require('node:path');
    const { createStrapi } = require('@strapi/strapi');
    (async () => {
      const app = createStrapi({ appDir: ${JSON.stringify(APP_DIR)}, distDir: path.join(${JSON.stringify(APP_DIR)}, 'dist') });
      await app.load();
      await app.destroy();
      process.exit(0);
    })().catch((error) => { console.error(error); process.exit(1); });`;
  const result = spawnSync(process.execPath, ['-e', script], {
    cwd: path.resolve(APP_DIR, '..', '..'),
    env: { ...process.env, PRIVACY_CENTRE_CONTRACT_CHECK: '1', STRAPI_LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (result.status !== 0) throw new Error(`the template database's boot failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  // The first boot on an empty database is the one that creates the schema: what it logged as an
  // error is shown (a test file's boot on a copy would not see it again).
  const logged = `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => /\berror\b/i.test(line));
  if (logged.length) console.log(`[integration] the template database's boot logged:\n${logged.join('\n')}`);
}

/** The template's database `name` (or SQLite file in `dir`), booted once and emptied; names it in TEST_DATABASE_TEMPLATE. */
async function build(kind, name, dir) {
  if (kind === 'sqlite') {
    const filename = path.join(dir, 'template.db');
    bootOnce({ DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: filename });
    const Database = require('better-sqlite3');
    const db = new Database(filename);
    try {
      for (const { name: trigger } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all()) db.exec(`DROP TRIGGER "${trigger}"`);
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all().map((t) => t.name);
      db.exec('PRAGMA foreign_keys = OFF');
      for (const table of tables.filter((t) => !KEPT.includes(t))) db.exec(`DELETE FROM "${table}"`);
      if (db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").get()) {
        db.prepare(`DELETE FROM sqlite_sequence WHERE name NOT IN (${KEPT.map(() => '?').join(', ')})`).run(...KEPT);
      }
      db.exec('VACUUM');
    } finally {
      db.close();
    }
    process.env[ENV] = filename;
  } else if (kind === 'postgres') {
    await postgres(`CREATE DATABASE ${name}`);
    bootOnce({ DATABASE_CLIENT: 'postgres', DATABASE_NAME: name });
    const triggers = await postgres(
      `SELECT t.tgname AS trigger, c.relname AS "table" FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND n.nspname = $1`,
      name,
      [pgSchema()]
    );
    const tables = (await postgres(`SELECT tablename FROM pg_tables WHERE schemaname = $1`, name, [pgSchema()])).rows.map((r) => r.tablename);
    const emptied = tables.filter((t) => !KEPT.includes(t));
    if (!emptied.length) throw new Error(`the template database has no table in schema ${pgSchema()} to empty`);
    await postgres(
      [
        ...triggers.rows.map((r) => `DROP TRIGGER IF EXISTS "${r.trigger}" ON "${pgSchema()}"."${r.table}";`),
        `TRUNCATE ${emptied.map((t) => `"${pgSchema()}"."${t}"`).join(', ')} RESTART IDENTITY CASCADE;`,
      ].join('\n'),
      name
    );
    process.env[ENV] = name;
  } else {
    await mysql((c) => c.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`));
    bootOnce({ DATABASE_CLIENT: 'mysql', DATABASE_NAME: name });
    // Copies take its tables' definitions (SHOW CREATE TABLE: no trigger) and the kept rows only.
    process.env[ENV] = name;
  }
}

/** Builds the template for DATABASE_CLIENT and names it in TEST_DATABASE_TEMPLATE. */
async function buildTemplate() {
  if (process.env[ENV] === 'off') return;
  const started = Date.now();
  const name = `pc_tpl_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const kind = client();
  const dir = kind === 'sqlite' ? fs.mkdtempSync(path.join(os.tmpdir(), 'privacy-centre-template-')) : null;
  try {
    await build(kind, name, dir);
  } catch (error) {
    // Nothing is left behind by a failed build (jest runs no teardown after a failed setup).
    await drop(kind, dir ?? name).catch(() => undefined);
    throw error;
  }
  console.log(`[integration] template database for ${kind} built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * A copy of the template as a new database: the SQLite file `filename`, or the database `name`
 * (already created empty, for MySQL). False when there is no template (the caller's database
 * stays empty: Strapi creates the schema at boot).
 */
async function copyTemplate({ name, filename }) {
  const template = process.env[ENV];
  if (!template || template === 'off') return false;
  const kind = client();
  if (kind === 'sqlite') {
    if (!fs.existsSync(template)) return false;
    fs.copyFileSync(template, filename);
    return true;
  }
  if (kind === 'postgres') {
    await postgres(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    return true;
  }
  await mysql(async (c) => {
    await c.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const [tables] = await c.query('SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = ?', [template, 'BASE TABLE']);
    const statements = ['SET FOREIGN_KEY_CHECKS = 0'];
    for (const { name: table } of tables) {
      const [[row]] = await c.query(`SHOW CREATE TABLE \`${template}\`.\`${table}\``);
      // A copy starts its ids at 1, as a fresh table does.
      statements.push(row['Create Table'].replace(/ AUTO_INCREMENT=\d+/, ''));
      if (KEPT.includes(table)) statements.push(`INSERT INTO \`${table}\` SELECT * FROM \`${template}\`.\`${table}\``);
    }
    statements.push('SET FOREIGN_KEY_CHECKS = 1');
    try {
      await mysql((target) => target.query(statements.join(';\n')), { database: name, multipleStatements: true });
    } catch (error) {
      await c.query(`DROP DATABASE IF EXISTS ${name}`).catch(() => undefined);
      throw error;
    }
  });
  return true;
}

/** Drops a database of `kind`: the SQLite directory, or the database named. */
async function drop(kind, target) {
  if (kind === 'sqlite') fs.rmSync(target, { recursive: true, force: true });
  else if (kind === 'postgres') await postgres(`DROP DATABASE IF EXISTS ${target} WITH (FORCE)`);
  else await mysql((c) => c.query(`DROP DATABASE IF EXISTS ${target}`));
}

/** Drops the template (the global teardown). */
async function dropTemplate() {
  const template = process.env[ENV];
  if (!template || template === 'off') return;
  const kind = client();
  await drop(kind, kind === 'sqlite' ? path.dirname(template) : template);
}

module.exports = { buildTemplate, copyTemplate, dropTemplate };
