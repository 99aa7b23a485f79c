import { randomId } from '../db/random';
import { Readable } from 'node:stream';
import { consentRecordNode, DPV_CONTEXT } from '../subjects/dpv';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { stringify } from 'csv-stringify';
import { LRUCache } from 'lru-cache';
import type { PrivacyCentreConfig } from '../config';
import { CONSENT_ID_PATTERN, ConsentInputError, parseConsentInput, type ConsentDecision } from '../consent/input';
import { ConsentVerifyInput } from '../contract/schemas';
import { receiptIsAuthentic, signReceipt } from '../consent/receipt';
import type { ConsentRecordView, ConsentStats, ConsentStatus, Receipt, ReceiptVerification } from '../consent/types';
import { consentModeOf } from '../cookies/snapshot';
import { CSV_CAST } from '../export/csv';
import { CATEGORY_KEY_PATTERN } from '../cookies/validation';
import { CONSENT_UID } from '../guards/consent-record';
import { POLICY_UID } from '../guards/policy-version';
import { truncateIp } from '../ip';
import { signText, verifyText } from '../signing';
import { canonicalJson, sha256Hex } from '../policy/canonical';
import { isCleanText, isHttpUrl, parseInstant } from '../policy/patterns';
import { DeclarationIntegrityError } from './cookie-declarations';
import { DuplicateRequestError } from './consent-writer';
import { defaultsFor, gpcHonoured, refusedByGpc, resolveJurisdiction, type ResolvedJurisdiction } from '../regions';
import { modelCategory, saleShareOf } from '../regions/categories';

/** What the server knows about a request besides its body. */
export interface RequestFacts {
  ip: string | undefined;
  userAgent: string | undefined;
  /** `Sec-GPC: 1` was sent. */
  gpc: boolean;
  referer: string | undefined;
  /** The jurisdiction resolved from the request's trusted headers; absent: the table's default. */
  jurisdiction?: ResolvedJurisdiction;
}

/** Options of a recording made by code, never by a request (see recordDecision). */
export interface RecordOptions {
  recordedAt?: Date;
}

/** A retry (same subjectId and requestId) that sent something else than the first time. */
export class RequestConflictError extends Error {}

/** The previous consent named was continued already by another record: a chain does not fork. */
export class ChainForkError extends Error {}

type Row = Record<string, any>;
const DAY = 24 * 3600 * 1000;
/** A consent log cursor: base64url of [direction, givenAt, id], a dot, its HMAC (base64url SHA-256). */
const LOG_CURSOR = /^[A-Za-z0-9_-]{1,200}\.[A-Za-z0-9_-]{43}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
interface LogPosition {
  direction: 'after' | 'before';
  givenAt: string;
  id: number;
}

/** `,necessary,ad.storage,`: category keys as a list a LIKE can search ('_' would be a wildcard). */
const keyList = (keys: string[]) => `,${keys.map((k) => k.replace(/_/g, '.')).join(',')},`;

/** The receipt a stored record stands for: the same fields, so its signature verifies. */
export const receiptOf = (row: Row): Receipt => ({
  consentId: row.consentId,
  subjectId: row.subjectId,
  action: row.action,
  state: row.state ?? {},
  consentMode: row.consentMode ?? {},
  gpc: {
    signal: Boolean(row.gpc),
    refused: row.gpcRefused ?? [],
    ...(row.jurisdiction ? { honoured: gpcHonoured(row.jurisdictionModel, Boolean(row.gpc)) } : {}),
  },
  givenAt: row.givenAt,
  expiresAt: row.expiresAt,
  previousConsentId: row.previousConsentId ?? null,
  policy: row.policySlug ? { slug: row.policySlug, version: row.policyVersion, hash: row.policyHash } : null,
  declaration: { revision: row.declarationRevision, hash: row.declarationHash },
  // Only on records made since regions: a receipt signed before has neither field.
  ...(row.jurisdiction ? { jurisdiction: { code: row.jurisdiction, model: row.jurisdictionModel } } : {}),
  signature: row.signature,
});

export const toView = (row: Row): ConsentRecordView => ({
  ...receiptOf(row),
  ipPrefix: row.ipPrefix ?? null,
  userAgent: row.userAgent ?? null,
  source: row.sourceUrl ?? null,
  language: row.language ?? null,
  via: row.via,
});

/** Admin filters of the consent log and its export, read from a query string. */
export function consentFilters(query: Record<string, unknown>) {
  const problems: string[] = [];
  const where: Record<string, unknown>[] = [{ kind: 'cookie' }];
  const instant = (name: 'from' | 'to') => {
    if (query[name] === undefined) return;
    const parsed = parseInstant(query[name]);
    if (!parsed) problems.push(`${name} must be an ISO 8601 instant with a time zone`);
    else where.push({ givenAt: name === 'from' ? { $gte: parsed.toISOString() } : { $lt: parsed.toISOString() } });
  };
  instant('from');
  instant('to');
  if (query.action !== undefined) {
    if (!['given', 'updated', 'withdrawn'].includes(query.action as string)) problems.push('action must be given, updated or withdrawn');
    else where.push({ action: query.action });
  }
  const flag = (name: string) => {
    const value = query[name];
    if (value === undefined) return undefined;
    if (value !== 'true' && value !== 'false') problems.push(`${name} must be true or false`);
    return value === 'true';
  };
  const granted = flag('granted');
  if (query.category !== undefined) {
    if (typeof query.category !== 'string' || !CATEGORY_KEY_PATTERN.test(query.category)) problems.push('category must be a category key');
    else where.push({ [granted === false ? 'refusedList' : 'grantedList']: { $contains: keyList([query.category]) } });
  } else if (granted !== undefined) problems.push('granted needs a category');
  const gpc = flag('gpc');
  if (gpc !== undefined) where.push({ gpc });
  if (query.revision !== undefined) {
    const revision = Number(query.revision);
    if (!Number.isSafeInteger(revision) || revision < 1 || String(query.revision) !== String(revision)) problems.push('revision must be a positive whole number');
    else where.push({ declarationRevision: revision });
  }
  if (problems.length) throw new errors.ValidationError(problems.join('; '));
  return { $and: where };
}

/**
 * Proof of cookie consent: recording a decision (validated, completed by the server, signed,
 * written by the group-commit writer), what a receipt stands for now, verifying a receipt, and
 * the consent log of the admin.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get('plugin::privacy-centre') as PrivacyCentreConfig;
  const query = () => strapi.db.query(CONSENT_UID);
  const declarations = () => strapi.plugin('privacy-centre').service('cookie-declarations');
  const writer = () => strapi.plugin('privacy-centre').service('consent-writer');
  const keys = () => strapi.plugin('privacy-centre').service('keys');
  const cache = () => strapi.plugin('privacy-centre').service('answer-cache');
  const regions = () => strapi.plugin('privacy-centre').service('regions');

  /**
   * The policy version in force per slug, or `null` for "none in force" (kept for the default
   * slug only: a request cannot name it, so absent slugs it names cannot fill the cache, while a
   * site that keeps its policy elsewhere does not pay a query per consent).
   */
  const policies = new LRUCache<string, { shown: { version: number; hash: string } | null; until: number }>({ max: 200 });
  /** Per slug, how many times it was forgotten: a read that a publication overtook is not kept. */
  const forgotten = new Map<string, number>();

  /** When the next published version of `slug` after `version` takes effect after `now` (Infinity: none). */
  const nextChange = async (slug: string, version: number | null, now: string) => {
    const next = await strapi.db.query(POLICY_UID).findOne({
      select: ['effectiveAt'],
      where: { slug, lifecycle: 'published', version: version === null ? { $notNull: true } : { $gt: version }, effectiveAt: { $gt: now } },
      orderBy: [{ effectiveAt: 'asc' }],
    });
    return next?.effectiveAt ? new Date(next.effectiveAt).getTime() : Infinity;
  };

  const policyShown = async (requested: { slug: string; version?: number } | undefined, fresh = false) => {
    const slug = requested?.slug ?? 'privacy-policy';
    if (requested?.version !== undefined) {
      const row = await strapi.db.query(POLICY_UID).findOne({
        select: ['version', 'hash'],
        where: { slug, version: requested.version, lifecycle: 'published' },
      });
      if (!row) throw new errors.ValidationError(`policy ${slug} has no published version ${requested.version}`);
      return { slug, version: row.version as number, hash: row.hash as string };
    }
    const known = policies.get(slug);
    if (known && known.until > Date.now() && !fresh) {
      if (known.shown) return { slug, ...known.shown };
      if (!requested) return null;
    }
    // One instant for both reads: a version taking effect between two would be missed by both.
    const at = Date.now();
    const now = new Date(at).toISOString();
    const generation = forgotten.get(slug) ?? 0;
    const row = await strapi.db.query(POLICY_UID).findOne({
      select: ['version', 'hash'],
      where: { slug, lifecycle: 'published', version: { $notNull: true }, effectiveAt: { $lte: now } },
      orderBy: [{ version: 'desc' }],
    });
    if (!row && requested) throw new errors.ValidationError(`policy ${slug} has no version in force`);
    // Kept until the TTL, or until a scheduled version takes effect if sooner: a receipt must
    // never name the version that was superseded (or no version, before the first takes
    // effect) while `current` already serves the next. A publication or withdrawal forgets it
    // at once here, and on other instances within `instances.pollMilliseconds` (forgetPolicy).
    // "None in force" is kept no longer than that poll either: `current` does not cache a 404,
    // so another instance serves a first version as soon as it is committed.
    const changes = await nextChange(slug, row ? row.version : null, now);
    const until = Math.min(at + (row ? cache().ttlMs() : Math.min(cache().ttlMs(), config().instances.pollMilliseconds)), changes);
    const shown = row ? { version: row.version as number, hash: row.hash as string } : null;
    // A publication committed while this was read may have been forgotten already: not kept.
    if ((forgotten.get(slug) ?? 0) === generation) policies.set(slug, { shown, until });
    return shown && { slug, ...shown }; // null: a site may keep its privacy policy elsewhere
  };

  // ---- the consent log's keyset pages and totals ------------------------------------------

  /** A cursor names a position (givenAt, id) and a direction; signed, so a changed one is refused. */
  const makeCursor = (direction: 'after' | 'before', row: Row) => {
    const text = Buffer.from(JSON.stringify([direction, row.givenAt, row.id])).toString('base64url');
    return `${text}.${signText(keys().linkKey(), 'consent-log-cursor', text)}`;
  };
  const readCursor = (cursor: unknown): LogPosition => {
    const refused = () => new errors.ValidationError('cursor is not one this consent log gave: start again from the first page');
    if (typeof cursor !== 'string' || !LOG_CURSOR.test(cursor)) throw refused();
    const [text, signature] = cursor.split('.');
    if (verifyText(keys().linkKeys(), 'consent-log-cursor', text, signature) < 0) throw refused();
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    } catch {
      throw refused();
    }
    if (!Array.isArray(value) || value.length !== 3) throw refused();
    const [direction, givenAt, id] = value;
    if ((direction !== 'after' && direction !== 'before') || typeof givenAt !== 'string' || !ISO_INSTANT.test(givenAt) || !Number.isSafeInteger(id) || id < 1) {
      throw refused();
    }
    return { direction, givenAt, id };
  };

  /**
   * One page from a position. `givenAt <= g` repeated beside the tie-break lets every database
   * start its index range scan at the position (a bare OR would be a filter over the whole index).
   */
  const logPage = async (where: object, position: LogPosition | null, pageSize: number): Promise<{ rows: Row[]; next: string | null; previous: string | null }> => {
    const fetch = (at: LogPosition | null) => {
      const older = at?.direction !== 'before';
      const keyset = !at
        ? null
        : older
          ? { $and: [{ givenAt: { $lte: at.givenAt } }, { $or: [{ givenAt: { $lt: at.givenAt } }, { id: { $lt: at.id } }] }] }
          : { $and: [{ givenAt: { $gte: at.givenAt } }, { $or: [{ givenAt: { $gt: at.givenAt } }, { id: { $gt: at.id } }] }] };
      const order = older ? 'desc' : 'asc';
      return query().findMany({ where: keyset ? { $and: [where, keyset] } : where, orderBy: [{ givenAt: order }, { id: order }], limit: pageSize + 1 });
    };
    if (position?.direction === 'before') {
      const newer = await fetch(position);
      // Fewer than a page before it: that is the first page, shown whole.
      if (newer.length > pageSize) {
        const rows = newer.slice(0, pageSize).reverse();
        return { rows, next: makeCursor('after', rows[rows.length - 1]), previous: makeCursor('before', rows[0]) };
      }
      position = null;
    }
    const found = await fetch(position);
    const rows = found.slice(0, pageSize);
    return {
      rows,
      next: found.length > pageSize ? makeCursor('after', rows[rows.length - 1]) : null,
      previous: position && rows.length ? makeCursor('before', rows[0]) : null,
    };
  };

  /**
   * The number of records a filter matches: exact up to `exactTotalLimit`, else an estimate.
   * PostgreSQL and MySQL are asked first for the planner's estimate of the same query (EXPLAIN:
   * statistics, no row read); one well past the limit (10 times) is the answer. Otherwise the
   * rows are counted up to the limit (one more is read to know it is past it), in the log's
   * order, and past it the estimate stands. SQLite keeps no estimate without ANALYZE: it counts
   * (measured at a million records: bench/consent-scale-pg.js).
   */
  const totalOf = async (where: object): Promise<{ total: number; totalIsEstimate: boolean }> => {
    const limit = config().consentLog.exactTotalLimit;
    const knex = strapi.db.connection;
    const client = strapi.db.dialect.client;
    const matching = () => (strapi.db as any).queryBuilder(CONSENT_UID).select('id').where(where);
    const count = async (sub: any) => Number(((await knex.count({ n: '*' }).from(sub.as('matching'))) as any)[0].n);
    let estimate: number | null = null;
    if (client === 'postgres' || client === 'mysql') {
      const { sql, bindings } = matching().getKnexQuery().toSQL();
      const explained = await knex.raw(`EXPLAIN ${client === 'postgres' ? '(FORMAT JSON) ' : ''}${sql}`, bindings);
      estimate = Math.round(
        client === 'postgres'
          ? Number(explained.rows[0]['QUERY PLAN'][0].Plan['Plan Rows'])
          : Number(explained[0][0].rows) * (Number(explained[0][0].filtered ?? 100) / 100)
      ) || 0;
      if (estimate > 10 * limit) return { total: estimate, totalIsEstimate: true };
    }
    // In the log's order: the planner then walks the index from the newest end, as the page
    // does. Without it, a LIMIT tempts it into a sequential scan from the oldest rows, and the
    // matches of a recent time range are at the other end of the table (measured: 0.4 s at 1M).
    const bounded = await count(matching().orderBy([{ givenAt: 'desc' }, { id: 'desc' }]).limit(limit + 1).getKnexQuery());
    if (bounded <= limit) return { total: bounded, totalIsEstimate: false };
    if (estimate === null) return { total: await count(matching().getKnexQuery()), totalIsEstimate: false };
    // It is past the limit: an estimate below it (stale statistics) would contradict the count.
    return { total: Math.max(limit + 1, estimate), totalIsEstimate: true };
  };

  const service = {
    /** Forgets the version in force of `slug` (a publication or withdrawal, here or on another instance). */
    forgetPolicy(slug: string) {
      policies.delete(slug);
      forgotten.set(slug, (forgotten.get(slug) ?? 0) + 1);
    },

    /**
     * Records a consent decision and returns its receipt. `created` is false for a retry (same
     * subjectId and requestId, same content), which gets the first receipt again.
     * `options.recordedAt`: see recordDecision.
     */
    async record(body: unknown, facts: RequestFacts, options: RecordOptions = {}): Promise<{ receipt: Receipt; created: boolean }> {
      let decision;
      try {
        decision = parseConsentInput(body);
      } catch (error) {
        if (error instanceof ConsentInputError) throw new errors.ValidationError(error.message);
        throw error;
      }
      return service.recordDecision(decision, facts, options);
    },

    /**
     * Records a decision already read from a request (POST /consents, or a frontend's own
     * contract such as c15t's POST /subjects): the same rules, proof and receipt for every way in.
     *
     * `recordedAt` dates the decision in the past: only for seeding a history from code (the
     * demo's month of decisions, tests/app/src/seed). No route passes it, and nothing a request
     * sends can reach it: a site's records are always dated by this server's clock.
     */
    async recordDecision(decision: ConsentDecision, facts: RequestFacts, { recordedAt }: RecordOptions = {}): Promise<{ receipt: Receipt; created: boolean }> {
      if (recordedAt !== undefined && !(recordedAt instanceof Date && recordedAt.getTime() <= Date.now())) {
        throw new TypeError('recordedAt must be a Date that is not in the future');
      }
      // Only a request that may be retried (it names a requestId) needs its fingerprint.
      const requestHash = decision.requestId ? sha256Hex(canonicalJson({ decision, gpc: facts.gpc })) : null;
      const retried = async (subjectId: string, requestId: string) => {
        const existing = await query().findOne({ where: { subjectId, requestId } });
        if (!existing) return null;
        if (existing.requestHash !== requestHash) throw new RequestConflictError();
        return { receipt: receiptOf(existing), created: false };
      };
      if (decision.requestId && decision.subjectId) {
        const again = await retried(decision.subjectId, decision.requestId);
        if (again) return again;
      }

      const latest = await declarations().latestNumber();
      if (latest === null) throw new errors.ValidationError('no cookie declaration has been published yet: publish one on the Cookies page');
      const revision = decision.declarationRevision ?? latest;
      const declaration = await declarations().revision(revision);
      if (!declaration) throw new errors.ValidationError(`unknown declaration revision ${revision} (the current one is ${latest})`);
      if (declaration.integrity !== 'ok') throw new DeclarationIntegrityError(revision);
      const categories = declaration.snapshot.categories;
      const unknown = Object.keys(decision.choices).filter((key) => !categories.some((c) => c.key === key));
      if (unknown.length) {
        throw new errors.ValidationError(
          `unknown categor${unknown.length > 1 ? 'ies' : 'y'} ${unknown.join(', ')}: revision ${revision} has ${categories.map((c) => c.key).join(', ')}`
        );
      }
      const jurisdiction = facts.jurisdiction ?? resolveJurisdiction(await regions().table(), { countryCode: null, regionCode: null });
      if (decision.jurisdiction !== undefined && decision.jurisdiction !== jurisdiction.code) {
        throw new errors.ValidationError(
          `jurisdiction ${decision.jurisdiction} is not the one this server resolved for the request (${jurisdiction.code}): take it from GET /cookies, or leave it out`
        );
      }
      // GPC is an opt-out of sale/share where an opt-out law applies; elsewhere it refuses what
      // the categories are set to refuse under it.
      const gpcRefused = refusedByGpc(jurisdiction.model, categories.map(modelCategory), facts.gpc);
      const state = Object.fromEntries(
        categories.map((c) => [c.key, c.required || (decision.choices[c.key] === true && !gpcRefused.includes(c.key))])
      );

      let previous: Row | null = null;
      if (decision.previousConsentId) {
        previous = await query().findOne({ where: { consentId: decision.previousConsentId, kind: 'cookie' } });
        if (!previous) throw new errors.ValidationError('previousConsentId is not a recorded consent');
        if (decision.subjectId && previous.subjectId !== decision.subjectId) {
          throw new errors.ValidationError('previousConsentId belongs to another subjectId');
        }
        // Cheap to ask first; the unique index on previous_consent_id decides races. A retry of
        // the continuation that committed since the check above is answered, not refused.
        if ((await query().count({ where: { previousConsentId: previous.consentId } })) > 0) {
          const again = decision.requestId ? await retried(decision.subjectId ?? previous.subjectId, decision.requestId) : null;
          if (again) return again;
          throw new ChainForkError();
        }
      }
      const subjectId = decision.subjectId ?? previous?.subjectId ?? randomId();
      // c15t's subject id is the browser's, and all its decisions continue one chain: its first
      // record claims the subject in a unique column, so a racing first save forks nothing.
      const chainRoot = !previous && decision.via === 'c15t' ? subjectId : null;
      const optional = categories.filter((c) => !c.required);
      const grantedOptional = optional.filter((c) => state[c.key]);
      const action = previous ? (grantedOptional.length ? 'updated' : 'withdrawn') : 'given';
      const now = recordedAt ?? new Date();
      const unsignedReceipt = {
        consentId: randomId(),
        subjectId,
        action,
        state,
        consentMode: consentModeOf(declaration.snapshot, state),
        gpc: { signal: facts.gpc, refused: gpcRefused, honoured: gpcHonoured(jurisdiction.model, facts.gpc) },
        givenAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + config().consentValidityDays * DAY).toISOString(),
        previousConsentId: previous?.consentId ?? null,
        policy: await policyShown(decision.policy),
        declaration: { revision, hash: declaration.hash },
        jurisdiction: { code: jurisdiction.code, model: jurisdiction.model },
      } as const;
      const receipt = signReceipt((text) => keys().sign('consent-receipt', text), unsignedReceipt);

      const { ipv4PrefixLength, ipv6PrefixLength } = config().ipTruncation;
      const userAgent = typeof facts.userAgent === 'string' && isCleanText(facts.userAgent) ? facts.userAgent.slice(0, 255) : null;
      const day = receipt.givenAt.slice(0, 10);
      const rollups = [
        { day, metric: 'total' },
        ...categories.map((c) => ({ day, metric: `${state[c.key] ? 'granted' : 'refused'}:${c.key}` })),
        ...(optional.length
          ? [{ day, metric: grantedOptional.length === optional.length ? 'accepted-all' : grantedOptional.length ? 'chose' : 'refused-all' }]
          : []),
      ];
      try {
        await writer().write({
          columns: {
            consent_id: receipt.consentId,
            kind: 'cookie',
            action,
            subject_id: subjectId,
            previous_consent_id: receipt.previousConsentId,
            chain_root: chainRoot,
            request_id: decision.requestId ?? null,
            request_hash: requestHash,
            state: JSON.stringify(state),
            consent_mode: JSON.stringify(receipt.consentMode),
            gpc: facts.gpc,
            gpc_refused: JSON.stringify(gpcRefused),
            granted_list: keyList(categories.filter((c) => state[c.key]).map((c) => c.key)),
            refused_list: keyList(categories.filter((c) => !state[c.key]).map((c) => c.key)),
            policy_slug: receipt.policy?.slug ?? null,
            policy_version: receipt.policy?.version ?? null,
            policy_hash: receipt.policy?.hash ?? null,
            declaration_revision: revision,
            declaration_hash: declaration.hash,
            jurisdiction: jurisdiction.code,
            jurisdiction_model: jurisdiction.model,
            // The raw address is never stored nor logged: only its network.
            ip_prefix: truncateIp(facts.ip, ipv4PrefixLength, ipv6PrefixLength),
            user_agent: userAgent,
            // The Referer only when the body names no source (a URL parse less per consent).
            source_url: decision.source ?? (isHttpUrl(facts.referer) && isCleanText(facts.referer) ? facts.referer : null),
            language: decision.language ?? null,
            via: decision.via,
            given_at: receipt.givenAt,
            expires_at: receipt.expiresAt,
            signature: receipt.signature,
          },
          rollups,
        });
      } catch (error) {
        // The same retry arrived twice at once (here or on another instance): the first one won.
        if (error instanceof DuplicateRequestError && decision.requestId) {
          const again = await retried(subjectId, decision.requestId);
          if (again) return again;
        }
        // Another record continued the same consent, or started the c15t subject's chain,
        // meanwhile (here, in the same batch, or on another instance): an index refused this one.
        if (error instanceof DuplicateRequestError && (previous || chainRoot)) throw new ChainForkError();
        throw error;
      }
      return { receipt, created: true };
    },

    /**
     * An opt-out of the sale and sharing of personal information ("Do Not Sell or Share"): a
     * decision recorded like any other (`via: do-not-sell`) that refuses the latest revision's
     * sale/share categories. A browser that names its subjectId continues its latest decision,
     * keeping its other choices; else the decision starts from the jurisdiction's defaults.
     */
    async optOutOfSaleShare(input: { subjectId?: string; language?: string }, facts: RequestFacts) {
      const latest = await declarations().latest();
      if (!latest) throw new errors.ValidationError('no cookie declaration has been published yet: publish one on the Cookies page');
      if (latest.integrity !== 'ok') throw new DeclarationIntegrityError(latest.revision);
      const categories = latest.snapshot.categories;
      const jurisdiction = facts.jurisdiction ?? resolveJurisdiction(await regions().table(), { countryCode: null, regionCode: null });
      const defaults = defaultsFor(jurisdiction.model, categories.map(modelCategory), facts.gpc);
      // Two opt-outs of one browser at once: the second continues the first's record.
      for (let attempt = 0; ; attempt += 1) {
        const [previous] = input.subjectId
          ? await query().findMany({ where: { subjectId: input.subjectId, kind: 'cookie' }, orderBy: [{ id: 'desc' }], limit: 1 })
          : [];
        // An opt-out only ever refuses: whoever names a subjectId (its browser, or anyone who
        // learnt it) keeps what its latest decision grants now, and nothing more. A category that
        // decision never granted (one published since, or one it refused) stays refused, and an
        // expired decision grants nothing any more: continuing it must not renew it.
        const held: Record<string, boolean> = previous && new Date(previous.expiresAt).getTime() > Date.now() ? previous.state ?? {} : {};
        const choices = Object.fromEntries(
          categories.map((c) => [c.key, c.required || (!saleShareOf(c) && (previous ? held[c.key] === true : defaults[c.key]))])
        );
        try {
          return await service.recordDecision(
            {
              via: 'do-not-sell',
              choices,
              declarationRevision: latest.revision,
              ...(input.subjectId ? { subjectId: input.subjectId } : {}),
              ...(previous ? { previousConsentId: previous.consentId } : {}),
              ...(input.language ? { language: input.language } : {}),
            },
            facts
          );
        } catch (error) {
          if (!(error instanceof ChainForkError)) throw error;
          // Another decision of this browser continued the chain first. If it refuses every
          // sale/share category (a second opt-out at the same moment), the opt-out holds: its
          // receipt answers this one too. Else this opt-out continues after it.
          const [winner] = await query().findMany({ where: { subjectId: input.subjectId, kind: 'cookie' }, orderBy: [{ id: 'desc' }], limit: 1 });
          const saleShare = categories.filter((c) => !c.required && saleShareOf(c)).map((c) => c.key);
          if (winner && winner.declarationRevision === latest.revision && saleShare.every((key) => winner.state?.[key] === false)) {
            return { receipt: receiptOf(winner), created: false };
          }
          if (attempt >= 4) throw error;
        }
      }
    },

    /** What a receipt stands for now: valid, expired, superseded or withdrawn, and whether to ask again. */
    async status(consentId: string): Promise<ConsentStatus> {
      if (!CONSENT_ID_PATTERN.test(consentId)) throw new errors.ValidationError('consentId must be the consentId of a receipt');
      const row = await query().findOne({ where: { consentId, kind: 'cookie' } });
      if (!row) throw new errors.NotFoundError('No consent with this consentId (it may have been purged after its retention period)');
      const now = new Date().toISOString();
      const superseded = (await query().count({ where: { previousConsentId: consentId } })) > 0;
      const expired = row.expiresAt <= now;
      const latest = await declarations().latestNumber();
      const policy = row.policySlug ? await policyShown({ slug: row.policySlug }, true).catch(() => null) : null;
      const materialSince = row.policySlug
        ? await strapi.db.query(POLICY_UID).count({
            where: { slug: row.policySlug, lifecycle: 'published', materialChange: true, version: { $gt: row.policyVersion }, effectiveAt: { $lte: now } },
          })
        : 0;
      const reasons: ConsentStatus['reasons'] = [];
      if (expired) reasons.push('expired');
      if (superseded) reasons.push('superseded');
      if (row.action === 'withdrawn') reasons.push('withdrawn');
      if (latest !== null && latest > row.declarationRevision) reasons.push('declaration-changed');
      if (materialSince > 0) reasons.push('policy-changed');
      // Whoever holds only a consentId learns nothing that would let them act as the browser:
      // no subjectId (a sign-up that proves the browser's id links consents to an address), and no
      // signature (over a subjectId a browser may have chosen weakly, it would allow guessing it).
      const { subjectId: _subjectId, signature: _signature, ...receipt } = receiptOf(row);
      return {
        receipt,
        status: superseded ? 'superseded' : expired ? 'expired' : row.action === 'withdrawn' ? 'withdrawn' : 'valid',
        askAgain: expired || reasons.includes('declaration-changed') || reasons.includes('policy-changed'),
        reasons,
        current: { declarationRevision: latest, policyVersion: policy?.version ?? null },
      };
    },

    /** Whether a receipt a browser holds is authentic (signed by this site) and the one recorded. */
    async verify(input: unknown): Promise<ReceiptVerification> {
      // The route's own schema: a body of another shape is a receipt that cannot be checked.
      const shaped = ConsentVerifyInput.safeParse(input);
      if (!shaped.success) return { authentic: false, matchesRecord: false, reason: 'malformed' };
      const receipt = shaped.data.receipt as unknown as Receipt;
      const authentic = await keys().recheck(() => receiptIsAuthentic(keys().verify, receipt as Receipt), Boolean);
      if (!authentic) {
        return { authentic: false, matchesRecord: false, reason: 'bad-signature' };
      }
      const consentId = (receipt as Receipt).consentId;
      const row = CONSENT_ID_PATTERN.test(consentId) ? await query().findOne({ where: { consentId, kind: 'cookie' } }) : null;
      const same = row !== null && canonicalJson(receiptOf(row)) === canonicalJson(receipt);
      // A legacy HMAC receipt (0.2) is believed only as recorded: its date, which decides that an
      // old secret may have signed it, is written by whoever holds the receipt.
      if (!same && !keys().isCurrentScheme((receipt as Receipt).signature)) return { authentic: false, matchesRecord: false, reason: 'bad-signature' };
      if (!row) return { authentic: true, matchesRecord: false, reason: 'unknown-consent' };
      return { authentic: true, matchesRecord: same, reason: same ? 'ok' : 'differs-from-record' };
    },

    // ---- the admin's consent log ---------------------------------------------------------

    /**
     * A page of the consent log, newest first, by keyset on (givenAt, id): each page starts where
     * a signed cursor says, so a page deep in ten million records costs what the first one does
     * (an offset would read every row before it). `meta.pagination.next` / `previous` are the
     * cursors of the neighbouring pages (null at either end). The total is exact up to
     * `consentLog.exactTotalLimit`, else the database's estimate (`totalIsEstimate`).
     */
    async list(filters: Record<string, unknown>) {
      const { cursor, page, pageSize: requestedSize, ...rest } = filters;
      const where = consentFilters(rest);
      if (page !== undefined && String(page) !== '1') {
        throw new errors.ValidationError('the consent log pages by cursor: pass meta.pagination.next or previous as cursor');
      }
      const pageSize = Math.min(100, Math.max(1, Number(requestedSize) || 25));
      const position = cursor === undefined ? null : readCursor(cursor);
      const [rows, estimated] = await Promise.all([logPage(where, position, pageSize), totalOf(where)]);
      // The first page and no next one: everything that matches is on it, whatever the planner guessed.
      const total = !position && !rows.next ? { total: rows.rows.length, totalIsEstimate: false } : estimated;
      return { data: rows.rows.map(toView), meta: { pagination: { pageSize, ...total, next: rows.next, previous: rows.previous } } };
    },

    async detail(consentId: string) {
      const status = await service.status(consentId);
      const row = await query().findOne({ where: { consentId } });
      return { ...toView(row), status: status.status, askAgain: status.askAgain, reasons: status.reasons };
    },

    /** Daily rollups between two days: O(days × categories), whatever the number of records. */
    async stats(filters: { from?: unknown; to?: unknown }): Promise<ConsentStats> {
      const to = filters.to === undefined ? new Date() : parseInstant(filters.to);
      const from = filters.from === undefined ? new Date((to?.getTime() ?? Date.now()) - 29 * DAY) : parseInstant(filters.from);
      if (!from || !to) throw new errors.ValidationError('from and to must be ISO 8601 instants with a time zone');
      if (to.getTime() - from.getTime() > 800 * DAY) throw new errors.ValidationError('at most 800 days at once');
      // Three columns straight from the unique (day, metric) index's table: a year is some
      // thousands of rows, which Strapi's entity mapping would make the larger part of the time.
      const rows: Row[] = await strapi.db
        .connection('privacy_centre_consent_rollups')
        .select('day', 'metric', 'count')
        .whereBetween('day', [from.toISOString().slice(0, 10), to.toISOString().slice(0, 10)])
        .orderBy([{ column: 'day' }, { column: 'metric' }]);
      const days = new Map<string, ConsentStats['days'][number]>();
      for (const row of rows) {
        if (!days.has(row.day)) days.set(row.day, { day: row.day, total: 0, acceptedAll: 0, refusedAll: 0, chose: 0, categories: {} });
        const day = days.get(row.day)!;
        const [kind, category] = String(row.metric).split(':');
        const count = Number(row.count);
        if (kind === 'total') day.total = count;
        else if (kind === 'accepted-all') day.acceptedAll = count;
        else if (kind === 'refused-all') day.refusedAll = count;
        else if (kind === 'chose') day.chose = count;
        else if (category && (kind === 'granted' || kind === 'refused')) {
          day.categories[category] ??= { granted: 0, refused: 0 };
          day.categories[category][kind] = count;
        }
      }
      return { days: [...days.values()] };
    },

    /**
     * The filtered records as a stream of NDJSON lines or CSV rows, read in pages of 1,000 by
     * id, so memory stays flat whatever the number of records.
     */
    export(filters: Record<string, unknown>, format: 'ndjson' | 'csv' | 'jsonld'): Readable {
      const where = consentFilters(filters);
      async function* pages() {
        let after = 0;
        for (;;) {
          const rows: Row[] = await query().findMany({ where: { $and: [where, { id: { $gt: after } }] }, orderBy: [{ id: 'asc' }], limit: 1000 });
          if (!rows.length) return;
          for (const row of rows) yield format === 'jsonld' ? row : toView(row);
          after = rows[rows.length - 1].id;
        }
      }
      if (format === 'jsonld') {
        // One JSON-LD document of ISO/IEC TS 27560 records (DPV), written record by record.
        return Readable.from((async function* () {
          const { controller } = await strapi.plugin('privacy-centre').service('settings').get();
          yield `{"@context":${JSON.stringify(DPV_CONTEXT)},"@graph":[`;
          let first = true;
          for await (const row of pages()) {
            yield `${first ? '' : ','}\n${JSON.stringify(consentRecordNode(row, controller))}`;
            first = false;
          }
          yield '\n]}\n';
        })());
      }
      if (format === 'ndjson') return Readable.from((async function* () {
        for await (const view of pages()) yield `${JSON.stringify(view)}\n`;
      })());
      const csv = stringify({
        header: true,
        columns: [
          'consentId', 'subjectId', 'action', 'givenAt', 'expiresAt', 'state', 'consentMode', 'gpc', 'previousConsentId',
          'policy', 'declaration', 'ipPrefix', 'userAgent', 'source', 'language', 'via', 'signature',
        ],
        cast: CSV_CAST,
      });
      const source = Readable.from(pages());
      source.on('error', (error) => csv.destroy(error));
      source.pipe(csv);
      return csv;
    },
  };
  return service;
};
