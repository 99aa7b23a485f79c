import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// `strapi export` / `strapi import`, the real CLI on tests/app (SQLite): an import deletes every
// row and re-creates it, so on a database holding published policy versions it is refused
// (rolled back) unless `allowRestore` is on; a restored version is checked against its seal when
// served, so a backup altered on its way back is noticed. Settings → Regions (Strapi's store)
// travels with the backup like the rest of the app's configuration.
const runner = require('../app/scripts/app-runner');

const STRAPI = path.join(runner.REPO_ROOT, 'node_modules', '.bin', 'strapi');
let temp: string;
let database: string;

const env = (extra: Record<string, string> = {}) => ({
  ...process.env,
  NODE_ENV: 'production',
  DATABASE_CLIENT: 'sqlite',
  DATABASE_FILENAME: database,
  SERVE_ADMIN: 'false',
  STRAPI_LOG_LEVEL: 'warn',
  STRAPI_TELEMETRY_DISABLED: 'true',
  ...extra,
});

const cli = (args: string[], extra: Record<string, string> = {}) => {
  const result = spawnSync(STRAPI, args, { cwd: runner.APP_DIR, env: env(extra), encoding: 'utf8', timeout: 300_000 });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
};

async function json(url: string, options: { method?: string; token?: string; body?: unknown } = {}) {
  const response = await fetch(url, {
    method: options.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
    body: options.body ? JSON.stringify(options.body) : undefined,
  });
  return { status: response.status, body: (await response.json().catch(() => null)) as any };
}

/** Starts tests/app on the test's database, runs `fn`, stops it. */
async function withApp<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const app = await runner.startApp({ env: env() });
  try {
    return await fn(app.url);
  } finally {
    await app.stop();
  }
}

const served = (url: string) => json(`${url}/api/privacy-centre/policies/privacy-policy/versions/1?locale=fi`);
/** The areas of the Consent Mode command naming `area`: one per jurisdiction of the regions table. */
const consentModeAreas = async (url: string, area: string): Promise<string[]> => {
  const answer = await json(`${url}/api/privacy-centre/cookies/consent-mode`);
  expect(answer.status).toBe(200);
  return answer.body.data.commands.find(([, , defaults]: any) => defaults.region?.includes(area))?.[2].region ?? [];
};

let published: { hash: string; body: unknown };
let backup: string;
/** The generations table's counters in the backup (as they stood at the export). */
let backedUp: Map<string, number>;

/** The generations table's counters, read from the test's database file. */
function generations(): Map<string, number> {
  const Database = require('better-sqlite3');
  const db = new Database(database, { readonly: true });
  try {
    return new Map(db.prepare('SELECT topic, generation FROM privacy_centre_generations').all().map((r: any) => [r.topic, Number(r.generation)]));
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  runner.ensurePluginBuilt({ log: () => {} });
  runner.compileApp({ log: () => {} });
  temp = fs.mkdtempSync(path.join(os.tmpdir(), 'privacy-centre-restore-'));
  database = path.join(temp, 'data.db');
  published = await withApp(async (url) => {
    const { body } = await json(`${url}/admin/register-admin`, {
      method: 'POST',
      body: { email: 'restore@example.com', password: 'Restore-Passw0rd!', firstname: 'Re', lastname: 'Store' },
    });
    const token = body.data.token;
    const created = await json(`${url}/i18n/locales`, { method: 'POST', token, body: { code: 'fi', name: 'Finnish (fi)', isDefault: false } });
    if (created.status !== 200) throw new Error(`locale: ${JSON.stringify(created)}`);
    const section = (heading: string, markdown: string) => ({ anchor: '', heading, markdown });
    const locale = await json(`${url}/i18n/locales`, { token });
    if (!locale.body?.some?.((l: any) => l.code === 'fi')) throw new Error(`no fi locale: ${JSON.stringify(locale)}`);
    const draft = await json(`${url}/privacy-centre/policies/drafts`, {
      method: 'POST',
      token,
      body: {
        slug: 'privacy-policy',
        locales: {
          en: { title: 'Privacy policy', summary: '', sections: [section('1. Who we are', 'The controller.')] },
          fi: { title: 'Tietosuojaseloste', summary: '', sections: [section('1. Keitä olemme', 'Rekisterinpitäjä.')] },
        },
      },
    });
    if (draft.status !== 201) throw new Error(`draft: ${JSON.stringify(draft)}`);
    const done = await json(`${url}/privacy-centre/policies/drafts/${draft.body.data.documentId}/publish`, { method: 'POST', token, body: {} });
    expect(done.status).toBe(200);
    // An edited regions table (New Zealand under APPI's rules, as an example) and a declaration
    // whose Consent Mode commands show it.
    const regions = await json(`${url}/privacy-centre/regions`, { token });
    const edited = await json(`${url}/privacy-centre/regions`, {
      method: 'PUT',
      token,
      body: { ...regions.body.data.table, areas: { ...regions.body.data.table.areas, NZ: 'APPI' } },
    });
    expect(edited.status).toBe(200);
    expect((await json(`${url}/privacy-centre/cookies/publish`, { method: 'POST', token, body: {} })).status).toBe(200);
    expect(await consentModeAreas(url, 'JP')).toContain('NZ');
    const answer = await served(url);
    expect(answer.status).toBe(200);
    return { hash: done.body.data.hash, body: answer.body };
  });
  const exported = cli(['export', '--no-encrypt', '--no-compress', '--file', path.join(temp, 'backup')]);
  expect(exported.output).toMatch(/Export process has been completed successfully/);
  backup = path.join(temp, 'backup.tar');
  expect(fs.existsSync(backup)).toBe(true);
  backedUp = generations();
  expect(backedUp.get('policy:privacy-policy')).toBeGreaterThan(0);
});
afterAll(() => {
  if (temp) fs.rmSync(temp, { recursive: true, force: true });
  // `strapi import` keeps the app's uploads aside as public/uploads_backup_<time>.
  const publicDir = path.join(runner.APP_DIR, 'public');
  for (const entry of fs.readdirSync(publicDir)) {
    if (entry.startsWith('uploads_backup_')) fs.rmSync(path.join(publicDir, entry), { recursive: true, force: true });
  }
});

describe('strapi import over published policy versions', () => {
  it('is refused and rolled back without allowRestore', async () => {
    const imported = cli(['import', '--file', backup, '--force']);
    expect(imported.status).not.toBe(0);
    expect(imported.output).toMatch(/published and frozen/);
    await withApp(async (url) => {
      const answer = await served(url);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual(published.body);
    });
  });

  it('restores with allowRestore, and the restored version is served with its seal intact', async () => {
    // The regions edit is gone from the database before the import: only the backup can bring it back.
    const Database = require('better-sqlite3');
    const db = new Database(database);
    try {
      expect(db.prepare("DELETE FROM strapi_core_store_settings WHERE key = 'plugin_privacy-centre_regions'").run().changes).toBe(1);
    } finally {
      db.close();
    }
    const imported = cli(['import', '--file', backup, '--force'], { PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({ allowRestore: true }) });
    expect(imported.output).toMatch(/Import process has been completed successfully/);
    expect(imported.status).toBe(0);
    // The importing process bumped every topic after the import's commit, before it stopped: the
    // instances running on this database drop what they cached (README "Running several instances").
    const restored = generations();
    for (const topic of ['settings', 'declaration', 'keys', 'policy:privacy-policy']) {
      expect([topic, restored.get(topic)]).toEqual([topic, (backedUp.get(topic) ?? 0) + 1]);
    }
    await withApp(async (url) => {
      const answer = await served(url);
      expect(answer.status).toBe(200);
      expect(answer.body.data.hash).toBe(published.hash);
      expect(answer.body).toEqual(published.body);
      // The regions table came back with the backup: the edit is served, not the defaults.
      expect(await consentModeAreas(url, 'JP')).toContain('NZ');
    });
  });

  it('notices a backup altered on its way back: the version is not served', async () => {
    const unpacked = path.join(temp, 'altered');
    fs.mkdirSync(unpacked);
    expect(spawnSync('tar', ['-xf', backup, '-C', unpacked]).status).toBe(0);
    const entities = path.join(unpacked, 'entities');
    let altered = 0;
    for (const file of fs.readdirSync(entities)) {
      const lines = fs.readFileSync(path.join(entities, file), 'utf8').split('\n');
      const changed = lines.map((line) => {
        if (!line.includes('"plugin::privacy-centre.policy-version"') || !line.includes('Tietosuojaseloste')) return line;
        altered += 1;
        return line.replace('Tietosuojaseloste', 'Muutettu tietosuojaseloste');
      });
      fs.writeFileSync(path.join(entities, file), changed.join('\n'));
    }
    expect(altered).toBe(1);
    const alteredBackup = path.join(temp, 'altered.tar');
    expect(spawnSync('tar', ['-cf', alteredBackup, '-C', unpacked, '.']).status).toBe(0);
    const imported = cli(['import', '--file', alteredBackup, '--force'], { PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({ allowRestore: true }) });
    expect(imported.status).toBe(0);
    await withApp(async (url) => {
      const answer = await served(url);
      expect(answer.status).toBe(500);
      expect(answer.body.error.name).toBe('IntegrityError');
      expect(JSON.stringify(answer.body)).not.toContain('Muutettu');
    });
  });
});
