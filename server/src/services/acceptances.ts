import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { LRUCache } from 'lru-cache';
import type { PrivacyCentreConfig } from '../config';
import {
  acceptanceIsAuthentic,
  acceptanceKeyOf,
  acceptanceReceiptOf,
  isOverdue,
  mustAccept,
  requirementOf,
  signAcceptance,
  type AcceptanceReceipt,
  type Requirement,
  type VersionInForce,
} from '../acceptance';
import { AcceptanceVerifyInput } from '../contract/schemas';
import { CSV_CAST } from '../export/csv';
import { CONSENT_UID } from '../guards/consent-record';
import { POLICY_UID } from '../guards/policy-version';
import { truncateIp } from '../ip';
import { canonicalJson } from '../policy/canonical';
import { isCleanText, isHttpUrl } from '../policy/patterns';
import { randomId } from '../db/random';
import { isUniqueViolation } from '../db/errors';
import { restPrefix, withoutTrailingSlashes } from '../middlewares/paths';
import { writeRecords } from './consent-writer';
import type { ReceiptVerification } from '../consent/types';

const USER_UID = 'plugin::users-permissions.user';
const SITE_USER = 'site-user' as const;
/** Users whose acceptances the route policy keeps in memory (least recently seen go first). */
const USERS_CACHED = 10_000;
/** A refusal is re-read from the database at most this often per user (another instance may have taken the acceptance). */
const REFUSAL_RECHECK_MS = 1000;
/** The last page the admin list answers: beyond, an offset no database takes (Infinity, 1e300). */
const MAX_PAGE = 1_000_000;

/** Who accepts: a users-permissions user as its auth strategy puts it in ctx.state.user. */
export interface SiteUser {
  id: number;
  documentId: string;
}

/** What the server knows about the request besides its body (see services/consents RequestFacts). */
export interface AcceptanceFacts {
  ip: string | undefined;
  userAgent: string | undefined;
  referer: string | undefined;
}

/**
 * The page the user accepted on, without its query or fragment: a signed-in user's pages carry
 * what no proof needs in them (`?email=…`, a reset or session token), and the list, CSV and
 * export would show it to the admin. Credentials in the URL go too.
 */
function sourceOf(referer: string | undefined): string | null {
  if (!isHttpUrl(referer) || !isCleanText(referer)) return null;
  const url = new URL(referer);
  return `${url.origin}${url.pathname}`;
}

/** Not the version in force, or a hash that is not one of its locales': the user saw something else. */
export class AcceptanceConflictError extends Error {}

/** A policy a user must accept now and no longer may go on without (the route policy's details). */
export interface OverduePolicy {
  slug: string;
  version: number;
  url: string;
}

type Row = Record<string, any>;

interface Requirements {
  list: Requirement[];
  graceDays: number;
  /** The answer-cache generations of the slugs (bumped by publish, withdraw and settings changes). */
  generation: string;
  /** Epoch ms: the next scheduled version of a required slug takes effect, or the TTL ends. */
  until: number;
}

interface UserEntry {
  /** slug → the latest version this user accepted. */
  accepted: Map<string, number>;
  readAt: number;
  /** The requirements it was read for: other required slugs mean reading again. */
  generation: string;
}

/**
 * Acceptance of policies by signed-in users (users-permissions): what each must accept and by
 * when, recording an acceptance as a consent record of kind `policy` with its signed receipt, the
 * route policy's check (kept in memory), and the admin's counts, list and export.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get('plugin::privacy-centre') as PrivacyCentreConfig;
  const plugin = () => strapi.plugin('privacy-centre');
  const keys = () => plugin().service('keys');
  const cache = () => plugin().service('answer-cache');
  const records = () => strapi.db.query(CONSENT_UID);

  let requirements: Requirements | null = null;
  let building: Promise<Requirements> | null = null;
  // Keyed by documentId, the id acceptances are recorded under: a numeric id may name another
  // user (another auth strategy's, or one the database gave out again after a deletion).
  const users = new LRUCache<string, UserEntry>({ max: USERS_CACHED });

  /** The answer cache's epoch (bumped by a settings change) and the generation of each slug (publish, withdraw). */
  const epochOf = () => cache().generation('\u0000');
  const generationOf = (slugs: string[], epoch = epochOf()) => `${epoch}|${slugs.map((s) => cache().generation(s)).join(',')}`;

  const publicBase = () => {
    const configured = config().publicUrl || (strapi.config.get('server.url') as string) || `http://localhost:${strapi.config.get('server.port', 1337)}`;
    return `${withoutTrailingSlashes(configured)}${restPrefix(strapi)}/privacy-centre`;
  };
  const versionUrl = (slug: string, version: number) => `${publicBase()}/policies/${slug}/versions/${version}`;

  const build = async (): Promise<Requirements> => {
    // The epoch is taken first: a settings change while this reads leaves the result unkept.
    const epoch = epochOf();
    const settings = (await plugin().service('settings').get()).acceptance as PrivacyCentreConfig['acceptance'];
    const generation = generationOf(settings.required, epoch);
    const now = new Date();
    const list: Requirement[] = [];
    let until = now.getTime() + cache().ttlMs();
    for (const slug of settings.required) {
      list.push(requirementOf(slug, await versionsInForce(slug, now), settings.graceDays));
      const next = await strapi.db.query(POLICY_UID).findOne({
        select: ['effectiveAt'],
        where: { slug, lifecycle: 'published', effectiveAt: { $gt: now.toISOString() } },
        orderBy: [{ effectiveAt: 'asc' }],
      });
      if (next) until = Math.min(until, new Date(next.effectiveAt).getTime());
    }
    return { list, graceDays: settings.graceDays, generation, until };
  };

  /** What the required policies ask now: rebuilt when a version takes effect, is published or withdrawn, or the settings change. */
  const current = async (): Promise<Requirements> => {
    const held = requirements;
    if (held && Date.now() < held.until && held.generation === generationOf(held.list.map((r) => r.slug))) return held;
    if (!building) {
      building = build()
        .then((built) => {
          if (built.generation === generationOf(built.list.map((r) => r.slug))) requirements = built;
          return built;
        })
        .finally(() => {
          building = null;
        });
    }
    return building;
  };

  const pseudonymsOf = (user: SiteUser): string[] => keys().pseudonyms(SITE_USER, user.documentId);

  /** slug → the latest acceptance of that slug by the user (any version). */
  const latestAcceptances = async (user: SiteUser, slugs: string[]): Promise<Map<string, Row>> => {
    const latest = new Map<string, Row>();
    if (!slugs.length) return latest;
    const rows: Row[] = await records().findMany({
      where: { kind: 'policy', action: 'given', subjectRef: { $in: pseudonymsOf(user) }, policySlug: { $in: slugs } },
      orderBy: [{ policyVersion: 'asc' }, { id: 'asc' }],
    });
    for (const row of rows) latest.set(row.policySlug, row);
    return latest;
  };

  const userEntry = async (user: SiteUser, required: Requirements, fresh = false): Promise<UserEntry> => {
    const held = users.get(user.documentId);
    if (held && !fresh && held.generation === required.generation && Date.now() - held.readAt < cache().ttlMs()) return held;
    const latest = await latestAcceptances(user, required.list.map((r) => r.slug));
    const entry = {
      accepted: new Map([...latest].map(([slug, row]) => [slug, row.policyVersion as number])),
      readAt: Date.now(),
      generation: required.generation,
    };
    users.set(user.documentId, entry);
    return entry;
  };

  const overdueOf = (required: Requirements, entry: UserEntry, now: number): OverduePolicy[] =>
    required.list
      .filter((r) => isOverdue(r, entry.accepted.get(r.slug) ?? null, now))
      .map((r) => ({ slug: r.slug, version: r.current!.version, url: versionUrl(r.slug, r.current!.version) }));

  const service = {
    /** The slugs that need acceptance now (Settings, else config). */
    async required(): Promise<string[]> {
      return (await current()).list.map((r) => r.slug);
    },

    /** `GET /acceptances/me`: per required policy, the version in force, the user's latest acceptance, and what is asked. */
    async statusOf(user: SiteUser, now = Date.now()) {
      const required = await current();
      const latest = await latestAcceptances(user, required.list.map((r) => r.slug));
      return {
        graceDays: required.graceDays,
        policies: required.list.map((r) => {
          const row = latest.get(r.slug);
          const accepted = row ? (row.policyVersion as number) : null;
          const must = mustAccept(r, accepted);
          return {
            slug: r.slug,
            current: r.current
              ? { version: r.current.version, hash: r.current.hash, effectiveAt: r.current.effectiveAt, url: versionUrl(r.slug, r.current.version) }
              : null,
            accepted: row ? { version: accepted!, hash: row.policyHash as string, acceptedAt: row.givenAt as string, consentId: row.consentId as string } : null,
            mustAccept: must,
            deadline: must ? r.deadline : null,
            overdue: must && r.deadline !== null && now >= Date.parse(r.deadline),
          };
        }),
      };
    },

    /**
     * `POST /acceptances`: records that the user accepts exactly this version (the one in force,
     * one of its locales' hashes). Accepting a version again answers the first receipt.
     */
    async accept(user: SiteUser, input: { slug: string; version: number; hash: string }, facts: AcceptanceFacts): Promise<{ receipt: AcceptanceReceipt; created: boolean }> {
      const required = await current();
      const requirement = required.list.find((r) => r.slug === input.slug);
      if (!requirement) throw new errors.NotFoundError(`${input.slug} is not a policy users are asked to accept`);
      // Read again rather than trust the memory: a version may have taken effect on another instance's clock.
      const inForce = requirementOf(input.slug, await versionsInForce(input.slug), required.graceDays).current;
      if (!inForce || inForce.version !== input.version) {
        throw new AcceptanceConflictError(
          inForce ? `version ${input.version} of ${input.slug} is not the one in force (${inForce.version}): read acceptances/me again` : `${input.slug} has no version in force yet`
        );
      }
      if (!inForce.hashes.includes(input.hash)) {
        throw new AcceptanceConflictError(`hash is not the hash of ${input.slug} version ${input.version}: the text shown was another one`);
      }
      const [subjectRef] = pseudonymsOf(user);
      const acceptanceKey = acceptanceKeyOf(subjectRef, input.slug, input.version);
      const existing = async () => {
        // A key made with an earlier secret (before the keyring) counts too.
        const refs = pseudonymsOf(user);
        const row = await records().findOne({
          where: { kind: 'policy', subjectRef: { $in: refs }, policySlug: input.slug, policyVersion: input.version, action: 'given' },
          orderBy: [{ id: 'asc' }],
        });
        return row ? { receipt: acceptanceReceiptOf(row), created: false } : null;
      };
      const again = await existing();
      if (again) return again;

      const receipt = signAcceptance((text) => keys().sign('policy-acceptance', text), {
        consentId: randomId(),
        kind: 'policy',
        action: 'given',
        subjectRef,
        policy: { slug: input.slug, version: input.version, hash: input.hash },
        givenAt: new Date().toISOString(),
      });
      const { ipv4PrefixLength, ipv6PrefixLength } = config().ipTruncation;
      const columns = {
        consent_id: receipt.consentId,
        kind: 'policy',
        action: 'given',
        subject_ref: subjectRef,
        acceptance_key: acceptanceKey,
        policy_slug: input.slug,
        policy_version: input.version,
        policy_hash: input.hash,
        // The raw address is never stored: only its network.
        ip_prefix: truncateIp(facts.ip, ipv4PrefixLength, ipv6PrefixLength),
        user_agent: typeof facts.userAgent === 'string' && isCleanText(facts.userAgent) ? facts.userAgent.slice(0, 255) : null,
        source_url: sourceOf(facts.referer),
        via: 'plugin',
        given_at: receipt.givenAt,
        signature: receipt.signature,
      };
      try {
        await strapi.db.connection.transaction((trx) => writeRecords(trx, strapi.db.dialect.client, [{ columns, rollups: [] }]));
      } catch (error) {
        // The same acceptance at the same moment (two tabs, two instances): the first one holds.
        if (isUniqueViolation(error)) {
          const first = await existing();
          if (first) return first;
        }
        throw error;
      }
      service.forget(user);
      return { receipt, created: true };
    },

    /** Whether an acceptance receipt is authentic (signed by this site) and the one recorded. */
    async verify(input: unknown): Promise<ReceiptVerification> {
      const shaped = AcceptanceVerifyInput.safeParse(input);
      if (!shaped.success) return { authentic: false, matchesRecord: false, reason: 'malformed' };
      const receipt = shaped.data.receipt as AcceptanceReceipt;
      const authentic = await keys().recheck(() => acceptanceIsAuthentic(keys().verify, receipt), Boolean);
      if (!authentic) return { authentic: false, matchesRecord: false, reason: 'bad-signature' };
      const row = await records().findOne({ where: { consentId: receipt.consentId, kind: 'policy' } });
      if (!row) return { authentic: true, matchesRecord: false, reason: 'unknown-consent' };
      const same = canonicalJson(acceptanceReceiptOf(row)) === canonicalJson(receipt);
      return { authentic: true, matchesRecord: same, reason: same ? 'ok' : 'differs-from-record' };
    },

    /**
     * The route policy's question: the policies this user must accept and is past the deadline
     * for (empty: pass). From memory when it can: a requirement snapshot and the user's accepted
     * versions; a refusal is checked against the database first (at most once a second).
     */
    async overdue(user: SiteUser): Promise<OverduePolicy[]> {
      const required = await current();
      if (!required.list.length) return [];
      let entry = await userEntry(user, required);
      let overdue = overdueOf(required, entry, Date.now());
      if (overdue.length && Date.now() - entry.readAt >= REFUSAL_RECHECK_MS) {
        entry = await userEntry(user, required, true);
        overdue = overdueOf(required, entry, Date.now());
      }
      return overdue;
    },

    /** Drops what is kept about a user (after an acceptance, an erasure, a deletion). */
    forget(user: { documentId?: string | null }) {
      if (typeof user.documentId === 'string') users.delete(user.documentId);
    },

    /** Drops everything kept in memory (tests; a restore). */
    reset() {
      users.clear();
      requirements = null;
    },

    // ---- the admin -------------------------------------------------------------------------

    /**
     * For one version of a policy: how many active users (confirmed, not blocked) accepted it,
     * and how many must still accept (when it is the version asked of everyone now or later).
     * Pseudonyms cannot be reversed: users are read in pages and their pseudonyms matched.
     */
    async versionSummary(slug: string, version: number) {
      const required = await current();
      const requirement = required.list.find((r) => r.slug === slug) ?? null;
      const refs = await acceptedRefs(slug);
      let activeUsers = 0;
      let accepted = 0;
      let mustStill = 0;
      for await (const user of activeUsersPaged()) {
        activeUsers += 1;
        const latest = refs.get(pseudonymsOf(user).find((ref) => refs.has(ref)) ?? '');
        if (latest?.versions.has(version)) accepted += 1;
        if (requirement && mustAccept(requirement, latest ? Math.max(...latest.versions) : null)) mustStill += 1;
      }
      const asked = requirement?.target ? version >= requirement.target.version && version <= (requirement.current?.version ?? 0) : false;
      return {
        slug,
        version,
        required: requirement !== null,
        askedNow: asked,
        deadline: requirement?.deadline ?? null,
        activeUsers,
        accepted,
        mustStill: asked ? mustStill : 0,
      };
    },

    /** The acceptances of one version, newest first, with the user they belong to (if still there). */
    async list(slug: string, version: number, query: { page?: unknown; pageSize?: unknown }) {
      const page = Math.min(MAX_PAGE, Math.max(1, Math.floor(Number(query.page)) || 1));
      const pageSize = Math.min(100, Math.max(1, Math.floor(Number(query.pageSize)) || 25));
      const where = { kind: 'policy', action: 'given', policySlug: slug, policyVersion: version };
      const [rows, total] = await Promise.all([
        records().findMany({ where, orderBy: [{ givenAt: 'desc' }, { id: 'desc' }], limit: pageSize, offset: (page - 1) * pageSize }),
        records().count({ where }),
      ]);
      const owners = await ownersOf(new Set(rows.map((r: Row) => r.subjectRef)));
      return { data: rows.map((row: Row) => viewOf(row, owners)), meta: { pagination: { page, pageSize, total } } };
    },

    /** The same as CSV, streamed in pages of 1,000. */
    exportCsv(slug: string, version: number): Readable {
      const where = { kind: 'policy', action: 'given', policySlug: slug, policyVersion: version };
      async function* views() {
        let after = 0;
        for (;;) {
          const rows: Row[] = await records().findMany({ where: { ...where, id: { $gt: after } }, orderBy: [{ id: 'asc' }], limit: 1000 });
          if (!rows.length) return;
          const owners = await ownersOf(new Set(rows.map((r) => r.subjectRef)));
          for (const row of rows) {
            const view = viewOf(row, owners);
            yield { ...view, userDocumentId: view.user?.documentId ?? '', username: view.user?.username ?? '' };
          }
          after = rows[rows.length - 1].id;
        }
      }
      const csv = stringify({
        header: true,
        columns: ['consentId', 'slug', 'version', 'hash', 'acceptedAt', 'subjectRef', 'userDocumentId', 'username', 'ipPrefix', 'userAgent', 'source', 'signature'],
        cast: CSV_CAST,
      });
      const source = Readable.from(views());
      source.on('error', (error) => csv.destroy(error));
      source.pipe(csv);
      return csv;
    },

    /**
     * When a users-permissions user is deleted, their acceptances lose what identified the
     * request (IP prefix, user agent, source), as an erasure does; the pseudonymous proof stays.
     * Called once at boot.
     */
    watchUserDeletion() {
      if (!strapi.plugin('users-permissions')) return;
      const deleted = async (rows: Array<{ id: number; documentId?: string | null }>) => {
        const documentIds = [...new Set(rows.map((row) => row.documentId).filter((id): id is string => typeof id === 'string'))];
        for (const row of rows) service.forget(row);
        if (!documentIds.length) return;
        // Another locale or draft of the same document may remain: only a document gone for good counts.
        const remaining: Row[] = await strapi.db.query(USER_UID).findMany({ select: ['documentId'], where: { documentId: { $in: documentIds } } });
        const gone = documentIds.filter((id) => !remaining.some((row) => row.documentId === id));
        const refs = gone.flatMap((id) => keys().pseudonyms(SITE_USER, id));
        if (!refs.length) return;
        const erasedAt = new Date().toISOString();
        // In the deletion's own transaction (the lifecycle runs inside it; on SQLite it holds the only connection).
        const stripped = await strapi.db.transaction(({ trx }) =>
          plugin()
            .service('subjects')
            .stripConsentRecords((q: any) => q.where('kind', 'policy').whereIn('subject_ref', refs), erasedAt, () => false, trx)
        );
        if (stripped) {
          await plugin().service('audit').record(null, 'acceptances.user-deleted', gone.map((id) => `[site-user ${keys().pseudonyms(SITE_USER, id)[0]}]`).join(' '), { records: stripped });
        }
      };
      strapi.db.lifecycles.subscribe({
        models: [USER_UID],
        async beforeDelete(event: any) {
          event.state.privacyCentreUsers = await strapi.db.query(USER_UID).findMany({ select: ['id', 'documentId'], where: event.params.where });
        },
        async afterDelete(event: any) {
          await deleted(event.state.privacyCentreUsers ?? (event.result ? [event.result] : []));
        },
        async beforeDeleteMany(event: any) {
          event.state.privacyCentreUsers = await strapi.db.query(USER_UID).findMany({ select: ['id', 'documentId'], where: event.params.where });
        },
        async afterDeleteMany(event: any) {
          await deleted(event.state.privacyCentreUsers ?? []);
        },
      });
    },

    /** The users-permissions user's pseudonyms (data-subject search, erasure). */
    pseudonymsOfUser: (documentId: string): string[] => keys().pseudonyms(SITE_USER, documentId),
  };

  /** The versions of a slug in force at `now`, one entry per version (its locales' hashes together). */
  async function versionsInForce(slug: string, now = new Date()): Promise<VersionInForce[]> {
    const { defaultLocale } = await plugin().service('locales').get();
    const rows: Row[] = await strapi.db.query(POLICY_UID).findMany({
      select: ['version', 'hash', 'locale', 'effectiveAt', 'materialChange'],
      where: { slug, lifecycle: 'published', version: { $notNull: true }, effectiveAt: { $lte: now.toISOString() } },
    });
    const byVersion = new Map<number, VersionInForce>();
    for (const row of rows) {
      const entry: VersionInForce = byVersion.get(row.version) ?? {
        version: row.version,
        hashes: [],
        hash: row.hash,
        effectiveAt: new Date(row.effectiveAt).toISOString(),
        materialChange: Boolean(row.materialChange),
      };
      entry.hashes.push(row.hash);
      if (row.locale === defaultLocale) entry.hash = row.hash;
      byVersion.set(row.version, entry);
    }
    return [...byVersion.values()];
  }

  /** subjectRef → the versions of `slug` it accepted. */
  async function acceptedRefs(slug: string) {
    const refs = new Map<string, { versions: Set<number> }>();
    let after = 0;
    for (;;) {
      const rows: Row[] = await records().findMany({
        select: ['id', 'subjectRef', 'policyVersion'],
        where: { kind: 'policy', action: 'given', policySlug: slug, id: { $gt: after } },
        orderBy: [{ id: 'asc' }],
        limit: 5000,
      });
      if (!rows.length) return refs;
      for (const row of rows) {
        const entry = refs.get(row.subjectRef) ?? { versions: new Set<number>() };
        entry.versions.add(row.policyVersion);
        refs.set(row.subjectRef, entry);
      }
      after = rows[rows.length - 1].id;
    }
  }

  async function* activeUsersPaged() {
    if (!strapi.plugin('users-permissions')) return;
    let after = 0;
    for (;;) {
      const rows: Row[] = await strapi.db.query(USER_UID).findMany({
        select: ['id', 'documentId', 'username'],
        where: { id: { $gt: after }, confirmed: true, $or: [{ blocked: false }, { blocked: { $null: true } }] },
        orderBy: [{ id: 'asc' }],
        limit: 1000,
      });
      if (!rows.length) return;
      for (const row of rows) yield row as SiteUser & { username: string };
      after = rows[rows.length - 1].id;
    }
  }

  /** The users (any state) behind some pseudonyms; a deleted user is simply not found. */
  async function ownersOf(wanted: Set<string>) {
    const owners = new Map<string, { documentId: string; username: string }>();
    if (!wanted.size || !strapi.plugin('users-permissions')) return owners;
    let after = 0;
    while (owners.size < wanted.size) {
      const rows: Row[] = await strapi.db.query(USER_UID).findMany({
        select: ['id', 'documentId', 'username'],
        where: { id: { $gt: after } },
        orderBy: [{ id: 'asc' }],
        limit: 1000,
      });
      if (!rows.length) break;
      for (const row of rows) {
        for (const ref of keys().pseudonyms(SITE_USER, row.documentId)) {
          if (wanted.has(ref)) owners.set(ref, { documentId: row.documentId, username: row.username });
        }
      }
      after = rows[rows.length - 1].id;
    }
    return owners;
  }

  function viewOf(row: Row, owners: Map<string, { documentId: string; username: string }>) {
    return {
      consentId: row.consentId as string,
      slug: row.policySlug as string,
      version: row.policyVersion as number,
      hash: row.policyHash as string,
      acceptedAt: row.givenAt as string,
      subjectRef: row.subjectRef as string,
      user: owners.get(row.subjectRef) ?? null,
      ipPrefix: row.ipPrefix ?? null,
      userAgent: row.userAgent ?? null,
      source: row.sourceUrl ?? null,
      signature: row.signature as string,
    };
  }

  return service;
};
