import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { Core } from '@strapi/strapi';
import { errors, z } from '@strapi/utils';
import { LRUCache } from 'lru-cache';
import type { PrivacyCentreConfig } from '../config';
import { describeDbError, retryOnDeadlock } from '../db/errors';
import { sortableDocumentId } from '../db/random';
import { bindingsOf, insertText, runText } from '../db/statements';
import { validated } from '../contract/validate';
import { OBSERVED_STORAGES } from '../contract/schemas';
import type { DeclarationSnapshot } from '../cookies/types';
import { matchesName, nameMatcher, type DeclaredName } from '../discovery/match';
import { OBSERVED_NAME_PATTERN, OBSERVED_NAME_RULE } from '../discovery/names';
import { cookieDatabase, siteCategoryOf } from '../discovery/open-cookie-database';
import { byCodeUnits } from '../policy/patterns';
import { describeActor, type AdminUser } from './audit';

const TABLE = 'privacy_centre_cookie_observations';
const RULE_UID = 'plugin::privacy-centre.cookie-ignore-rule';
const COLUMNS = ['key', 'day', 'name', 'storage', 'phase', 'refused', 'count', 'first_seen_at', 'last_seen_at', 'paths', 'document_id', 'created_at', 'updated_at', 'published_at'];
/** Rows per upsert statement: well inside every database's limit on bound parameters. */
const CHUNK = 100;
/** Distinct page paths kept per counter: a sample, so an editor can find the page. */
export const MAX_PATHS = 5;
/** Characters of path samples kept in memory (their keys included): a few MB whatever reports send. */
export const MAX_KNOWN_PATH_CHARS = 4_000_000;
/** The storage of the per-day flood counter (its name is ''). */
export const OVERFLOW = 'overflow';
const DAY = 24 * 3600 * 1000;

export type ObservedStorage = (typeof OBSERVED_STORAGES)[number];
export type Phase = 'before-consent' | 'after-consent';

/** A validated report (contract/schemas.ts CookieObservationInput). */
export interface ObservationReport {
  revision: number;
  path: string;
  granted: string[] | null;
  cookie?: string[];
  localStorage?: string[];
  sessionStorage?: string[];
}

interface Counter {
  key: string;
  day: string;
  name: string;
  storage: string;
  phase: Phase;
  refused: boolean;
  count: number;
  first: string;
  last: string;
  paths: Set<string>;
}

export interface Suggestion {
  platform: string;
  category: string | null;
  description: string;
  retention: string;
}

/** One line of a Discovery list. */
export interface Finding {
  name: string;
  storage: string;
  count: number;
  firstSeen: string | null;
  lastSeen: string | null;
  paths: string[];
  category: string | null;
  suggestion: Suggestion | null;
}

/** The counter's row key: a hash, hex (one case: MySQL's collation cannot merge two). */
const keyOf = (day: string, name: string, storage: string, phase: string, refused: boolean) =>
  createHash('sha256').update(`${day}\u0000${name}\u0000${storage}\u0000${phase}\u0000${refused ? 1 : 0}`).digest('hex');

const dayOf = (iso: string) => iso.slice(0, 10);

const pathsOf = (value: unknown): string[] => {
  const parsed = typeof value === 'string' ? (() => { try { return JSON.parse(value); } catch { return []; } })() : value;
  return Array.isArray(parsed) ? parsed.filter((p): p is string => typeof p === 'string') : [];
};

/**
 * The counters' upsert: adds to `count`, keeps the earliest first and latest last sighting
 * (PostgreSQL and SQLite: ON CONFLICT … DO UPDATE; MySQL: ON DUPLICATE KEY UPDATE). The paths
 * of an existing row are merged apart (mergePaths): JSON arrays do not merge alike in SQL.
 */
function upsertText(client: string, rows: number): string {
  const q = (name: string) => (client === 'postgres' ? `"${name}"` : `\`${name}\``);
  const insert = insertText(client, TABLE, COLUMNS, rows);
  if (client === 'mysql') {
    return `${insert} on duplicate key update ${q('count')} = ${q('count')} + VALUES(${q('count')}), ${q('first_seen_at')} = LEAST(${q('first_seen_at')}, VALUES(${q('first_seen_at')})), ${q('last_seen_at')} = GREATEST(${q('last_seen_at')}, VALUES(${q('last_seen_at')})), ${q('updated_at')} = VALUES(${q('updated_at')})`;
  }
  const t = q(TABLE);
  const [least, greatest] = client === 'postgres' ? ['LEAST', 'GREATEST'] : ['min', 'max'];
  return `${insert} on conflict (${q('key')}) do update set ${q('count')} = ${t}.${q('count')} + excluded.${q('count')}, ${q('first_seen_at')} = ${least}(${t}.${q('first_seen_at')}, excluded.${q('first_seen_at')}), ${q('last_seen_at')} = ${greatest}(${t}.${q('last_seen_at')}, excluded.${q('last_seen_at')}), ${q('updated_at')} = excluded.${q('updated_at')}`;
}

/** The definitions of a revision, with whether their category can be refused. */
function declaredOf(snapshot: DeclarationSnapshot | null | undefined) {
  const definitions: Array<DeclaredName & { required: boolean }> = [];
  for (const category of snapshot?.categories ?? []) {
    for (const cookie of category.cookies) definitions.push({ name: cookie.name, category: category.key, storageType: cookie.storageType, required: category.required });
  }
  return definitions;
}

const IgnoreRuleInput = z
  .object({
    pattern: z
      .string({ error: `pattern is required: a name, or a pattern where * is any run of characters (${OBSERVED_NAME_RULE})` })
      .regex(OBSERVED_NAME_PATTERN, { error: `pattern must be a name, or a pattern where * is any run of characters: ${OBSERVED_NAME_RULE}` })
      .refine((p) => /[^*]/.test(p), { error: 'pattern must hold something besides * (it would ignore every name)' }),
    note: z.string({ error: 'note must be text' }).max(500, { error: 'note must be at most 500 characters' }).optional(),
  })
  .strict();

const DefineInput = z
  .object({
    name: z.string({ error: `name is required: ${OBSERVED_NAME_RULE}` }).regex(OBSERVED_NAME_PATTERN, { error: `name must be an observed name or a pattern: ${OBSERVED_NAME_RULE}` }),
    storage: z.enum(OBSERVED_STORAGES, { error: `storage must be one of ${OBSERVED_STORAGES.join(', ')}` }).optional(),
    category: z.string({ error: 'category must be a category key' }).optional(),
  })
  .strict();

const DaysQuery = z.coerce
  .number({ error: 'days must be a whole number from 1 to 366' })
  .int({ error: 'days must be a whole number from 1 to 366' })
  .min(1, { error: 'days must be a whole number from 1 to 366' })
  .max(366, { error: 'days must be a whole number from 1 to 366' });

/**
 * Cookie discovery (issue 16): reports are taken at once and counted in memory; a writer adds
 * them to daily counters every `discovery.flushMilliseconds` (or once `flushNames` names wait),
 * as upserts in one transaction, so that the database sees a few statements per batch, not a
 * row per report. Counters are anonymous (name, storage, phase, refused, day). Losing a batch to
 * a database failure loses counts, never proof: it is logged and dropped.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => (strapi.config.get('plugin::privacy-centre') as PrivacyCentreConfig).discovery;
  const knex = () => strapi.db.connection;
  const audit = () => strapi.plugin('privacy-centre').service('audit');
  const declarations = () => strapi.plugin('privacy-centre').service('cookie-declarations');
  const cookies = () => strapi.plugin('privacy-centre').service('cookies');
  const locales = () => strapi.plugin('privacy-centre').service('locales');

  let queue: Array<{ report: ObservationReport; at: string }> = [];
  let queuedNames = 0;
  /** Names refused because the queue was full (a flood faster than the writer): counted as overflow. */
  let dropped = 0;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  /** Distinct names stored per day (up to the cap), read from the database on a day's first batch. */
  const dayNames = new Map<string, Set<string>>();
  /**
   * The path sample last written per counter, so that a full or unchanged one costs no statement.
   * Bounded by characters too: 50,000 samples of five 512-character paths would hold about 130 MB,
   * and anonymous reports can fill them (a forgotten sample is only read again).
   */
  const knownPaths = new LRUCache<string, string[]>({
    max: 50_000,
    maxSize: MAX_KNOWN_PATH_CHARS,
    sizeCalculation: (paths, key) => key.length + paths.reduce((sum, path) => sum + path.length, 0) + 1,
  });
  /** Matchers by revision (revisions are frozen). */
  const matchers = new Map<number, ReturnType<typeof matcherOf>>();
  const stats = { flushes: 0, statements: 0, rows: 0 };

  const matcherOf = (definitions: ReturnType<typeof declaredOf>) => nameMatcher(definitions);

  const matcherFor = async (revision: number) => {
    let matcher = matchers.get(revision);
    if (matcher) return matcher;
    // A revision past the latest (a page newer than this database, or any number a report
    // makes up) is not looked for: the latest one, with no database read per report.
    const latest = await declarations().latestNumber();
    const found = (latest !== null && revision <= latest ? await declarations().revision(revision) : null) ?? (await declarations().latest());
    matcher = matcherOf(declaredOf(found?.integrity === 'ok' ? found.snapshot : null));
    if (found && found.revision === revision) {
      if (matchers.size > 100) matchers.clear();
      matchers.set(revision, matcher);
    }
    return matcher;
  };

  const namesOfDay = async (day: string) => {
    let names = dayNames.get(day);
    if (!names) {
      const rows = await knex()(TABLE).distinct('name').where({ day }).whereNot({ storage: OVERFLOW }).limit(config().maxNamesPerDay + 1);
      names = new Set(rows.map((r: { name: string }) => r.name));
      // Only today's and yesterday's sets matter: reports are dated when they arrive.
      for (const known of dayNames.keys()) if (known < dayOf(new Date(Date.now() - DAY).toISOString())) dayNames.delete(known);
      dayNames.set(day, names);
    }
    return names;
  };

  /** The counters a batch of reports adds up to, the names past the day's cap in one per day. */
  const aggregate = async (batch: typeof queue, droppedNow: number) => {
    const counters = new Map<string, Counter>();
    const add = (day: string, name: string, storage: string, phase: Phase, refused: boolean, at: string, path: string | null, count = 1) => {
      const key = keyOf(day, name, storage, phase, refused);
      let counter = counters.get(key);
      if (!counter) counters.set(key, (counter = { key, day, name, storage, phase, refused, count: 0, first: at, last: at, paths: new Set() }));
      counter.count += count;
      if (at < counter.first) counter.first = at;
      if (at > counter.last) counter.last = at;
      if (path && counter.paths.size < MAX_PATHS) counter.paths.add(path);
    };
    for (const { report, at } of batch) {
      const match = await matcherFor(report.revision);
      const phase: Phase = report.granted === null ? 'before-consent' : 'after-consent';
      const granted = new Set(report.granted ?? []);
      const day = dayOf(at);
      const names = await namesOfDay(day);
      for (const storage of OBSERVED_STORAGES) {
        for (const name of new Set(report[storage] ?? [])) {
          if (!names.has(name)) {
            if (names.size >= config().maxNamesPerDay) {
              add(day, '', OVERFLOW, 'before-consent', false, at, null);
              continue;
            }
            names.add(name);
          }
          const declared = match(name);
          const refused = report.granted !== null && declared !== null && !declared.required && !granted.has(declared.category);
          add(day, name, storage, phase, refused, at, report.path);
        }
      }
    }
    if (droppedNow) {
      const at = new Date().toISOString();
      add(dayOf(at), '', OVERFLOW, 'before-consent', false, at, null, droppedNow);
    }
    return [...counters.values()].sort((a, b) => byCodeUnits(a.key, b.key)); // one order: no deadlock between instances
  };

  /** Adds new paths to the samples of counters that have room, reading only those not known here. */
  const mergePaths = async (trx: any, counters: Counter[]) => {
    // This batch's own copy of the stored samples: the bounded cache may drop one before it is merged.
    const stored = new Map<string, string[]>();
    const open = counters.filter((c) => {
      if (!c.paths.size) return false;
      const known = knownPaths.get(c.key);
      if (known) stored.set(c.key, known);
      return !known || (known.length < MAX_PATHS && [...c.paths].some((p) => !known.includes(p)));
    });
    const unknown = open.filter((c) => !stored.has(c.key)).map((c) => c.key);
    for (let i = 0; i < unknown.length; i += CHUNK) {
      const rows = await trx(TABLE).select('key', 'paths').whereIn('key', unknown.slice(i, i + CHUNK));
      stats.statements += 1;
      for (const row of rows) stored.set(row.key, pathsOf(row.paths));
    }
    for (const counter of open) {
      const before = stored.get(counter.key) ?? [];
      const merged = [...new Set([...before, ...counter.paths])].slice(0, MAX_PATHS);
      knownPaths.set(counter.key, merged);
      if (merged.length === before.length) continue;
      await trx(TABLE).where({ key: counter.key }).update({ paths: JSON.stringify(merged) });
      stats.statements += 1;
    }
  };

  const write = async (counters: Counter[]) => {
    const client = strapi.db.dialect.client;
    const now = new Date();
    await retryOnDeadlock(() =>
      knex().transaction(async (trx: any) => {
        for (let i = 0; i < counters.length; i += CHUNK) {
          const chunk = counters.slice(i, i + CHUNK).map((c) => ({
            key: c.key,
            day: c.day,
            name: c.name,
            storage: c.storage,
            phase: c.phase,
            refused: c.refused,
            count: c.count,
            first_seen_at: c.first,
            last_seen_at: c.last,
            paths: JSON.stringify([...c.paths]),
            document_id: sortableDocumentId(),
            created_at: now,
            updated_at: now,
            published_at: now,
          }));
          await runText(trx, upsertText(client, chunk.length), bindingsOf(chunk, COLUMNS));
          stats.statements += 1;
        }
        await mergePaths(trx, counters);
      })
    );
    stats.rows += counters.length;
  };

  const run = async () => {
    while (queue.length || dropped) {
      const batch = queue;
      const droppedNow = dropped;
      queue = [];
      queuedNames = 0;
      dropped = 0;
      try {
        const counters = await aggregate(batch, droppedNow);
        stats.flushes += 1;
        if (counters.length) await write(counters);
      } catch (error) {
        strapi.log.error(`[privacy-centre] ${batch.length} cookie observation report(s) could not be counted: ${describeDbError(error)}`);
      }
    }
  };

  const flush = (): Promise<void> => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (!running) {
      running = run().finally(() => {
        running = null;
        if (queue.length && !timer) timer = setTimeout(() => void flush(), config().flushMilliseconds);
      });
    }
    return running;
  };

  const itemOf = (rows: any[], category: string | null, categories: Array<{ key: string; c15tType?: string | null }>): Finding => {
    const [first] = rows;
    const paths = new Set<string>();
    let count = 0;
    let firstSeen: string | null = null;
    let lastSeen: string | null = null;
    for (const row of rows) {
      count += Number(row.count);
      if (!firstSeen || row.first_seen_at < firstSeen) firstSeen = row.first_seen_at;
      if (!lastSeen || row.last_seen_at > lastSeen) lastSeen = row.last_seen_at;
      for (const path of pathsOf(row.paths)) if (paths.size < MAX_PATHS) paths.add(path);
    }
    const known = cookieDatabase().lookup(first.name);
    const suggestion = known
      ? { platform: known.platform, category: siteCategoryOf(known.category, categories), description: known.description, retention: known.retention }
      : null;
    return { name: first.name, storage: first.storage, count, firstSeen, lastSeen, paths: [...paths].sort(byCodeUnits), category: category ?? suggestion?.category ?? null, suggestion };
  };

  const groupBy = (rows: any[]) => {
    const groups = new Map<string, any[]>();
    for (const row of rows) {
      const key = `${row.name}\u0000${row.storage}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key)!.push(row);
    }
    return [...groups.values()];
  };

  const byCount = (a: Finding, b: Finding) => b.count - a.count || byCodeUnits(a.name, b.name) || byCodeUnits(a.storage, b.storage);

  const service = {
    /** Takes a validated report; counted at the next flush. Never waits for the database. */
    observe(report: ObservationReport) {
      const names = OBSERVED_STORAGES.reduce((sum, storage) => sum + (report[storage]?.length ?? 0), 0);
      // Nothing to count: kept nowhere (the queue's bound counts names, so empty reports would escape it).
      if (!names) return;
      // A flood faster than the writer: counted, not kept (memory stays bounded).
      if (queuedNames + names > config().flushNames * 4) {
        dropped += names;
        return;
      }
      queue.push({ report, at: new Date().toISOString() });
      queuedNames += names;
      if (queuedNames >= config().flushNames) void flush();
      else if (!timer && !running) timer = setTimeout(() => void flush(), config().flushMilliseconds);
    },

    /** Writes what waits now (tests, shutdown). */
    async flush() {
      await flush();
      while (running) await running;
    },

    /** At shutdown, before the database closes. */
    async close() {
      await service.flush();
      // bench/discovery.js reads how many statements the counting took (the process is separate).
      const statsFile = process.env.PRIVACY_CENTRE_DISCOVERY_STATS_FILE;
      if (statsFile) writeFileSync(statsFile, JSON.stringify(stats));
    },

    /** Flushes and statements so far, the reports waiting now and the path samples held (bench, tests). */
    stats: () => {
      let knownPathChars = 0;
      for (const [key, paths] of knownPaths.entries()) knownPathChars += key.length + paths.reduce((sum, path) => sum + path.length, 0);
      return { ...stats, queued: queue.length, knownPathChars };
    },

    /** `GET /privacy-centre/cookies/discovery?days=`: the Discovery tab. */
    async report(query: { days?: unknown }) {
      const days = query.days === undefined ? 30 : validated(DaysQuery, query.days);
      const since = dayOf(new Date(Date.now() - (days - 1) * DAY).toISOString());
      const rows: any[] = await knex()(TABLE)
        .select('name', 'storage', 'phase', 'refused', 'count', 'first_seen_at', 'last_seen_at', 'paths', 'day')
        .where('day', '>=', since);
      const latest = await declarations().latest();
      const definitions = declaredOf(latest?.integrity === 'ok' ? latest.snapshot : null);
      const match = nameMatcher(definitions);
      const categories = await cookies().categories();
      const rules: any[] = await strapi.db.query(RULE_UID).findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
      const ignored = (name: string) => rules.some((rule) => matchesName(rule.pattern, name));

      const observed = rows.filter((row) => row.storage !== OVERFLOW).map((row) => ({ ...row, refused: Boolean(row.refused) }));
      const overflow = rows.filter((row) => row.storage === OVERFLOW);
      const undeclared: Finding[] = [];
      const beforeConsent: Finding[] = [];
      const despiteRefusal: Finding[] = [];
      for (const group of groupBy(observed)) {
        const declared = match(group[0].name);
        if (!declared) {
          if (!ignored(group[0].name)) undeclared.push(itemOf(group, null, categories));
          continue;
        }
        if (declared.required) continue;
        const before = group.filter((row) => row.phase === 'before-consent');
        if (before.length) beforeConsent.push(itemOf(before, declared.category, categories));
        const refused = group.filter((row) => row.refused);
        if (refused.length) despiteRefusal.push(itemOf(refused, declared.category, categories));
      }
      const seen = observed.map((row) => row.name as string);
      const unseen: Finding[] = definitions
        .filter((definition) => !seen.some((name) => matchesName(definition.name, name)))
        .map((definition) => {
          const known = definition.name.includes('*') ? null : cookieDatabase().lookup(definition.name);
          return {
            name: definition.name,
            storage: definition.storageType,
            count: 0,
            firstSeen: null,
            lastSeen: null,
            paths: [],
            category: definition.category,
            suggestion: known ? { platform: known.platform, category: siteCategoryOf(known.category, categories), description: known.description, retention: known.retention } : null,
          };
        })
        .sort((a, b) => byCodeUnits(a.name, b.name));
      for (const list of [undeclared, beforeConsent, despiteRefusal]) list.sort(byCount);

      const publishedAt: string | null = latest?.publishedAt ? new Date(latest.publishedAt).toISOString() : null;
      const newSince = (list: Finding[]) => (publishedAt ? list.filter((f) => f.firstSeen && f.firstSeen > publishedAt).length : list.length);
      return {
        days,
        since,
        revision: latest ? { revision: latest.revision, publishedAt } : null,
        undeclared,
        beforeConsent,
        despiteRefusal,
        unseen,
        flood: { count: overflow.reduce((sum, row) => sum + Number(row.count), 0), days: new Set(overflow.map((row) => row.day)).size, maxNamesPerDay: config().maxNamesPerDay },
        counts: { undeclared: undeclared.length, beforeConsent: beforeConsent.length, despiteRefusal: despiteRefusal.length, unseen: unseen.length },
        // Findings first seen after the current revision was published: what it did not fix.
        sinceRevision: { undeclared: newSince(undeclared), beforeConsent: newSince(beforeConsent), despiteRefusal: newSince(despiteRefusal) },
        ignoreRules: rules.map((rule) => ({ documentId: rule.documentId, pattern: rule.pattern, note: rule.note ?? '', createdBy: rule.author, createdAt: rule.createdAt })),
      };
    },

    /**
     * Adds a definition for an observed name to the declaration being edited, prefilled from the
     * Open Cookie Database (provider, category, purpose, duration in the default locale), through
     * the cookies service (its rules and audit). The editor still publishes a revision.
     */
    async define(input: unknown, user?: AdminUser | null) {
      const { name, storage = 'cookie', category } = validated(DefineInput, input, ['name', 'storage', 'category']);
      const known = name.includes('*') ? null : cookieDatabase().lookup(name);
      const categories = await cookies().categories();
      const chosen = category ?? (known ? siteCategoryOf(known.category, categories) : null);
      if (!chosen) {
        throw new errors.ValidationError(`category is required: ${known ? `no category of this site stands for the database's "${known.category}"` : 'the Open Cookie Database does not know this name'}`);
      }
      const { defaultLocale } = await locales().get();
      return cookies().createDefinition(
        {
          name,
          category: chosen,
          storageType: storage,
          provider: (known?.platform ?? '').slice(0, 200),
          locales: { [defaultLocale]: { purpose: (known?.description ?? '').slice(0, 2000), duration: (known?.retention ?? '').slice(0, 100) } },
        },
        user
      );
    },

    /** Leaves a name or pattern out of the undeclared list, for good (until removed), audited. */
    async ignore(input: unknown, user?: AdminUser | null) {
      const { pattern, note } = validated(IgnoreRuleInput, input, ['pattern', 'note']);
      const existing = await strapi.db.query(RULE_UID).findOne({ where: { pattern } });
      // MySQL compares without case: the rule found must be this very pattern.
      if (existing && existing.pattern === pattern) return { rule: existing, created: false };
      const rule = await strapi.db.transaction(async () => {
        const created = await strapi.db.query(RULE_UID).create({ data: { pattern, note: note ?? '', author: describeActor(user), authorId: user?.id ?? null } });
        await audit().record(user, 'cookies.discovery.ignore', pattern, { documentId: created.documentId, note: note ?? '' });
        return created;
      });
      return { rule, created: true };
    },

    async unignore(documentId: string, user?: AdminUser | null) {
      const rule = await strapi.db.query(RULE_UID).findOne({ where: { documentId: String(documentId).slice(0, 64) } });
      if (!rule) throw new errors.NotFoundError(`No ignore rule ${String(documentId).slice(0, 64)}`);
      await strapi.db.transaction(async () => {
        await strapi.db.query(RULE_UID).delete({ where: { id: rule.id } });
        await audit().record(user, 'cookies.discovery.unignore', rule.pattern, { documentId: rule.documentId });
      });
    },

    /** Retention: counters of days before `discovery.retentionDays` ago (the retention job deletes them). */
    purgeBefore(now = Date.now()) {
      return dayOf(new Date(now - config().retentionDays * DAY).toISOString());
    },
  };
  return service;
};
