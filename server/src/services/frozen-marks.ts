import type { Core } from '@strapi/strapi';
import type { PrivacyCentreConfig } from '../config';
import { describeDbError } from '../db/errors';

const KEY = 'frozen-marks';
const VERSIONS = 'privacy_centre_policy_versions';
const DECLARATIONS = 'privacy_centre_cookie_declarations';
const RECORDS = 'privacy_centre_consent_records';
const DAY = 24 * 3600 * 1000;

/** The newest consent record the plugin has seen, and what says whether it may be gone. */
interface RecordMark {
  consentId: string;
  givenAt: string;
  kind: string;
  expiresAt: string | null;
}

/** How far each frozen table has been seen to reach: it never legitimately falls back. */
interface Marks {
  /** slug → highest version number published (withdrawn ones keep theirs). */
  policyVersions: Record<string, number>;
  declarationRevision: number;
  consentRecord: RecordMark | null;
}

/** What a frozen table no longer holds although the plugin saw it. */
export interface FrozenShortfall {
  policyVersions: Array<{ slug: string; version: number }>;
  declarationRevisions: number[];
  /** The newest record seen is gone (and was not due for the retention purge): the table was wiped. */
  consentRecords: { newestKnownGivenAt: string } | null;
}

const numberOf = (value: unknown) => (value === null || value === undefined ? 0 : Number(value));

/**
 * High-water marks of the frozen tables, in the plugin's store: the highest version per policy,
 * the latest declaration revision, the newest consent record. Rows below Strapi can vanish where
 * no trigger can stop it (MySQL's TRUNCATE, a dropped trigger): the verification then reports
 * what the table holds less than it once did. A few indexed reads per check, none per write:
 * taken at boot, at each publication, by the nightly retention run and by every verification.
 * A mark the table falls short of stays, so the report stays until a deliberate restore
 * (a boot with `allowRestore`) takes the marks again.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;
  const store = () => strapi.store({ type: 'plugin', name: 'privacy-centre' });
  const config = () => strapi.config.get('plugin::privacy-centre') as PrivacyCentreConfig;

  const newestRecord = async (): Promise<RecordMark | null> => {
    const row = await knex()(RECORDS).select('consent_id', 'given_at', 'kind', 'expires_at').orderBy('id', 'desc').first();
    return row ? { consentId: row.consent_id, givenAt: row.given_at, kind: row.kind, expiresAt: row.expires_at ?? null } : null;
  };

  /** A record the retention purge deletes may be gone without anything being wrong. */
  const purgeable = (mark: RecordMark) =>
    mark.kind === 'cookie' &&
    mark.expiresAt !== null &&
    mark.expiresAt < new Date(Date.now() - config().retention.consentRecordDays * DAY).toISOString();

  const service = {
    /** Compares the tables with their marks, raises the marks they reach, and says what is missing. */
    async check({ reset = false }: { reset?: boolean } = {}): Promise<FrozenShortfall> {
      const saved = reset ? null : ((await store().get({ key: KEY })) as Marks | null);
      const marks: Marks = { policyVersions: { ...(saved?.policyVersions ?? {}) }, declarationRevision: saved?.declarationRevision ?? 0, consentRecord: saved?.consentRecord ?? null };
      const shortfall: FrozenShortfall = { policyVersions: [], declarationRevisions: [], consentRecords: null };

      const highest = (await knex()(VERSIONS).select('slug').max({ version: 'version' }).whereNot('lifecycle', 'draft').groupBy('slug')) as Array<{ slug: string; version: unknown }>;
      const reached = new Map(highest.map((row) => [row.slug, numberOf(row.version)]));
      for (const slug of new Set([...Object.keys(marks.policyVersions), ...reached.keys()])) {
        const now = reached.get(slug) ?? 0;
        const mark = marks.policyVersions[slug] ?? 0;
        for (let version = now + 1; version <= mark; version += 1) shortfall.policyVersions.push({ slug, version });
        marks.policyVersions[slug] = Math.max(now, mark);
      }

      // Revisions are numbered 1, 2, … and never deleted: a gap is missing too.
      const revisions = new Set(((await knex()(DECLARATIONS).select('revision')) as Array<{ revision: unknown }>).map((r) => numberOf(r.revision)));
      const latest = Math.max(0, ...revisions);
      for (let revision = 1; revision <= Math.max(latest, marks.declarationRevision); revision += 1) {
        if (!revisions.has(revision)) shortfall.declarationRevisions.push(revision);
      }
      marks.declarationRevision = Math.max(latest, marks.declarationRevision);

      const known = marks.consentRecord;
      const kept = known ? await knex()(RECORDS).select('id').where('consent_id', known.consentId).first() : null;
      if (known && !kept && !purgeable(known)) {
        shortfall.consentRecords = { newestKnownGivenAt: known.givenAt };
      } else {
        marks.consentRecord = await newestRecord();
      }

      if (JSON.stringify(marks) !== JSON.stringify(saved)) await store().set({ key: KEY, value: marks });
      return shortfall;
    },

    /** After a publication or a purge: raises the marks; a failure only leaves them where they were. */
    async observe() {
      try {
        await service.check();
      } catch (error) {
        strapi.log.warn(`[privacy-centre] the frozen tables' high-water marks could not be updated: ${describeDbError(error)}`);
      }
    },
  };
  return service;
};
