// The Open Cookie Database (Apache-2.0, see NOTICE): what a name no definition matches probably is.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';

export interface KnownCookie {
  platform: string;
  /** The database's category: Functional, Analytics, Marketing, Security, Personalization, Necessary. */
  category: string;
  description: string;
  retention: string;
  controller: string;
  /** The database's name: with `wildcard`, a prefix. */
  name: string;
  wildcard: boolean;
}

const FILE = 'open-cookie-database.csv';

/**
 * server/data/ of the package: two levels up from the built bundle (dist/server/index.js) and
 * three from the sources (server/src/discovery/, under jest and the contract script).
 */
function dataFile(): string {
  // Strapi loads the server bundle as CommonJS; the guard keeps an ESM load from throwing here.
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const candidates = [path.resolve(here, '..', '..', 'server', 'data', FILE), path.resolve(here, '..', '..', '..', 'server', 'data', FILE)];
  const found = candidates.find((file) => fs.existsSync(file));
  if (!found) throw new Error(`privacy-centre: the Open Cookie Database (server/data/${FILE}) is missing from the package`);
  return found;
}

export interface CookieDatabase {
  size: number;
  lookup(name: string): KnownCookie | null;
}

/** Builds the lookup: exact names by a Map; wildcard entries as prefixes, longest first. */
export function buildDatabase(csv: string): CookieDatabase {
  const rows: Array<Record<string, string>> = parse(csv, { columns: true, skip_empty_lines: true, bom: true, relax_column_count: true });
  const exact = new Map<string, KnownCookie>();
  const prefixes: KnownCookie[] = [];
  for (const row of rows) {
    // A few names carry a stray tab or trailing `*`: the database means the name without them.
    let name = String(row['Cookie / Data Key name'] ?? '').trim();
    const starred = name.endsWith('*');
    while (name.endsWith('*')) name = name.slice(0, -1);
    if (!name) continue;
    const wildcard = String(row['Wildcard match']).trim() === '1' || starred;
    const entry: KnownCookie = {
      name,
      wildcard,
      platform: row.Platform ?? '',
      category: row.Category ?? '',
      description: row.Description ?? '',
      retention: row['Retention period'] ?? '',
      controller: row['Data Controller'] ?? '',
    };
    if (wildcard) prefixes.push(entry);
    else if (!exact.has(name)) exact.set(name, entry);
  }
  // The most specific prefix first: `_gac_gb_` before `_gac_`.
  prefixes.sort((a, b) => b.name.length - a.name.length);
  // Prefixes grouped by their first character: a lookup tries only those that can match.
  const byFirst = new Map<string, KnownCookie[]>();
  for (const entry of prefixes) {
    const first = entry.name[0];
    if (!byFirst.has(first)) byFirst.set(first, []);
    byFirst.get(first)!.push(entry);
  }
  return {
    size: exact.size + prefixes.length,
    lookup(name) {
      const found = exact.get(name);
      if (found) return found;
      for (const entry of byFirst.get(name[0]) ?? []) if (name.startsWith(entry.name)) return entry;
      return null;
    },
  };
}

let loaded: CookieDatabase | null = null;

/** The database, read and indexed once, on first use. */
export function cookieDatabase(): CookieDatabase {
  if (!loaded) loaded = buildDatabase(fs.readFileSync(dataFile(), 'utf8'));
  return loaded;
}

/** The usual category keys the database's categories stand for. */
const USUAL_KEY: Record<string, string> = {
  necessary: 'necessary',
  security: 'necessary',
  functional: 'preferences',
  personalization: 'preferences',
  analytics: 'statistics',
  marketing: 'marketing',
};
/** c15t's consent type of each usual key (a site's category may carry one: `c15tType`). */
const C15T_OF: Record<string, string> = { necessary: 'necessary', preferences: 'functionality', statistics: 'measurement', marketing: 'marketing' };

/**
 * The site's category a database category stands for: the category whose key is the usual one
 * (necessary, preferences, statistics, marketing), else the one whose c15t type is that key's,
 * else null (the editor chooses).
 */
export function siteCategoryOf(databaseCategory: string, categories: ReadonlyArray<{ key: string; c15tType?: string | null }>): string | null {
  const usual = USUAL_KEY[databaseCategory.trim().toLowerCase()];
  if (!usual) return null;
  if (categories.some((c) => c.key === usual)) return usual;
  return categories.find((c) => c.c15tType && c.c15tType === C15T_OF[usual])?.key ?? null;
}
