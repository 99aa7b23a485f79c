import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { PrivacyCentreConfig } from '../config';
import {
  AREA_PATTERN,
  JURISDICTION_ALIASES,
  DEFAULT_AREAS,
  JURISDICTIONS,
  jurisdictionByCode,
  MODELS,
  modelIn,
  readCountry,
  readRegion,
  resolveJurisdiction,
  type Location,
  type Model,
  type RegionTable,
  type ResolvedJurisdiction,
} from '../regions';
import type { AdminUser } from './audit';
import { restPrefix, withoutTrailingSlashes } from '../middlewares/paths';

/** Reads one request header by its lower-case name. */
export type HeaderOf = (name: string) => string | undefined;

const STORE_KEY = 'regions';
/** Areas a table may hold: every country and subdivision there is, with room to spare. */
const MAX_AREAS = 6000;

type Stored = Partial<RegionTable> & { changedAt?: string };

/** The problems of a table an editor sends, in words; empty when it can be saved. */
export function tableProblems(input: unknown): string[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return ['the body must be { areas, models, defaultJurisdiction }'];
  const { areas, models, defaultJurisdiction, ...rest } = input as Record<string, unknown>;
  const problems: string[] = [];
  const unknown = Object.keys(rest);
  if (unknown.length) problems.push(`unknown field${unknown.length > 1 ? 's' : ''}: ${unknown.slice(0, 5).join(', ')}`);
  const known = (code: unknown) => typeof code === 'string' && jurisdictionByCode(code) !== undefined;
  if (typeof areas !== 'object' || areas === null || Array.isArray(areas)) problems.push('areas must be an object of area (DE, US-CA) → jurisdiction code');
  else {
    const entries = Object.entries(areas);
    if (entries.length > MAX_AREAS) problems.push(`areas holds more than ${MAX_AREAS} entries`);
    else {
      const badAreas = entries.filter(([area]) => !AREA_PATTERN.test(area)).map(([area]) => area.slice(0, 16));
      if (badAreas.length) problems.push(`areas must be ISO 3166 codes such as DE or US-CA: ${badAreas.slice(0, 5).join(', ')}`);
      const badCodes = entries.filter(([, code]) => !known(code)).map(([area]) => area.slice(0, 16));
      if (badCodes.length) problems.push(`areas name an unknown jurisdiction: ${badCodes.slice(0, 5).join(', ')}`);
    }
  }
  if (models !== undefined) {
    if (typeof models !== 'object' || models === null || Array.isArray(models)) problems.push('models must be an object of jurisdiction code → opt-in, opt-out or notice');
    else {
      const bad = Object.entries(models).filter(([code, model]) => !known(code) || !(MODELS as readonly unknown[]).includes(model));
      if (bad.length) problems.push(`models must map known jurisdiction codes to opt-in, opt-out or notice: ${bad.slice(0, 5).map(([c]) => c.slice(0, 16)).join(', ')}`);
    }
  }
  if (!known(defaultJurisdiction)) problems.push('defaultJurisdiction must be a known jurisdiction code');
  return problems;
}

/**
 * Regions: the table editors keep (Settings → Regions, in Strapi's store, audited), and the
 * jurisdiction of a request, read from the trusted headers config names and nothing else.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get('plugin::privacy-centre') as PrivacyCentreConfig;
  const store = () => strapi.store({ type: 'plugin', name: 'privacy-centre' });
  const audit = () => strapi.plugin('privacy-centre').service('audit');
  const cache = () => strapi.plugin('privacy-centre').service('answer-cache');

  const configuredDefault = () => {
    const code = config().regions.defaultJurisdiction;
    return JURISDICTION_ALIASES[code] ?? code;
  };

  /** The table, read once per answer TTL: another instance's edit arrives within it. */
  let memo: { table: RegionTable; changedAt: number; until: number } | null = null;

  const read = async (): Promise<{ table: RegionTable; edited: boolean; changedAt: string | null }> => {
    const stored = ((await store().get({ key: STORE_KEY })) ?? null) as Stored | null;
    return {
      table: {
        areas: stored?.areas ?? { ...DEFAULT_AREAS },
        models: stored?.models ?? {},
        defaultJurisdiction: stored?.defaultJurisdiction ?? configuredDefault(),
      },
      // A reset keeps only its date (see reset): the table is the defaults again.
      edited: Boolean(stored?.areas),
      changedAt: stored?.changedAt ?? null,
    };
  };

  const service = {
    async table(): Promise<RegionTable> {
      return (await service.current()).table;
    },

    /**
     * The table and when it last changed (an edit or a reset; 0: never). The public answers it
     * shapes take their Last-Modified from it too, else a cache revalidating with
     * If-Modified-Since would be told its answer of before the edit is still fresh.
     */
    async current(): Promise<{ table: RegionTable; changedAt: number }> {
      if (memo && memo.until > Date.now()) return memo;
      const { table, changedAt } = await read();
      const current = { table, changedAt: changedAt ? Date.parse(changedAt) : 0 };
      memo = { ...current, until: Date.now() + cache().ttlMs() };
      return current;
    },

    /** Settings → Regions: the table, every jurisdiction with its model and source, and the trusted headers. */
    async describe() {
      const { table, edited, changedAt } = await read();
      const { countryHeaders, regionHeaders } = config().regions;
      return {
        table,
        edited,
        changedAt,
        jurisdictions: JURISDICTIONS.map((j) => ({ code: j.code, name: j.name, defaultModel: j.model, model: modelIn(table, j.code), source: j.source })),
        defaults: { areas: DEFAULT_AREAS, defaultJurisdiction: configuredDefault() },
        countryHeaders,
        regionHeaders,
      };
    },

    /** Saves a whole table (audited with what changed); `reset` goes back to the defaults. */
    async update(input: unknown, user?: AdminUser | null) {
      const problems = tableProblems(input);
      if (problems.length) throw new errors.ValidationError(problems.join('; '));
      const before = (await read()).table;
      const { areas, models = {}, defaultJurisdiction } = input as RegionTable;
      // Sorted, so that the store and the audit read the same way whatever order was sent.
      const sorted = <T>(object: Record<string, T>) => Object.fromEntries(Object.entries(object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      const table: RegionTable = { areas: sorted(areas), models: sorted(models), defaultJurisdiction };
      await store().set({ key: STORE_KEY, value: { ...table, changedAt: new Date().toISOString() } });
      await audit().record(user, 'regions.update', 'regions', diffTables(before, table));
      await strapi.plugin('privacy-centre').service('generations').bump('settings');
      return service.describe();
    },

    async reset(user?: AdminUser | null) {
      const before = (await read()).table;
      // Its date is kept: the answers it changes must be newer than those of the edited table.
      await store().set({ key: STORE_KEY, value: { changedAt: new Date().toISOString() } });
      await strapi.plugin('privacy-centre').service('generations').bump('settings');
      const after = await service.describe();
      await audit().record(user, 'regions.reset', 'regions', diffTables(before, after.table));
      return after;
    },

    /** Drops the memo and every cached public answer (they name a jurisdiction). */
    forget() {
      memo = null;
      cache().clear();
    },

    /** Where a request comes from, by the configured trusted headers only. */
    location(header: HeaderOf): Location {
      const { countryHeaders, regionHeaders } = config().regions;
      const first = (names: string[], readValue: (value: string | undefined) => string | null) => {
        for (const name of names) {
          const value = readValue(header(name.toLowerCase()));
          if (value) return value;
        }
        return null;
      };
      const countryCode = first(countryHeaders, readCountry);
      return { countryCode, regionCode: countryCode ? first(regionHeaders, (value) => readRegion(value, countryCode)) : null };
    },

    async resolve(header: HeaderOf): Promise<ResolvedJurisdiction> {
      return resolveJurisdiction(await service.table(), service.location(header));
    },

    /** Where the "Do Not Sell or Share" link of an opt-out answer points. */
    doNotSellUrl(locale: string): string {
      const own = config().regions.doNotSellUrl;
      if (own) return own;
      const configured = config().publicUrl || (strapi.config.get('server.url') as string) || `http://localhost:${strapi.config.get('server.port', 1337)}`;
      return `${withoutTrailingSlashes(configured)}${restPrefix(strapi)}/privacy-centre/do-not-sell?locale=${encodeURIComponent(locale)}`;
    },

    /** The headers a public answer that names the jurisdiction varies on (for `Vary`). */
    decidingHeaders(): string[] {
      const { countryHeaders, regionHeaders } = config().regions;
      return [...countryHeaders, ...regionHeaders];
    },
  };
  return service;
};

/** What an edit changed: areas added, removed or moved, models changed, the default. */
export function diffTables(before: RegionTable, after: RegionTable) {
  const changed = (a: Record<string, string>, b: Record<string, string>) =>
    Object.fromEntries(
      [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => a[key] !== b[key]).map((key) => [key, { from: a[key] ?? null, to: b[key] ?? null }])
    );
  return {
    areas: changed(before.areas, after.areas),
    models: changed(before.models as Record<string, Model>, after.models as Record<string, Model>),
    ...(before.defaultJurisdiction !== after.defaultJurisdiction ? { defaultJurisdiction: { from: before.defaultJurisdiction, to: after.defaultJurisdiction } } : {}),
  };
}
