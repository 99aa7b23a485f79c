import { hostname } from 'node:os';
import type { Core } from '@strapi/strapi';
import type { PrivacyCentreConfig } from '../config';
import { describeDbError, isUniqueViolation } from '../db/errors';
import { randomId } from '../db/random';
import { withoutAddresses } from '../newsletter/email';
import type { AdminUser } from './audit';

const CLAIMS = 'privacy_centre_job_claims';
const JOB = 'retention';
const DAY = 24 * 3600 * 1000;

/** The running instance stopped holding the job (its renewals failed, another took it over). */
class LeaseLost extends Error {}

/**
 * The retention purge: deletes what the configured retention periods say is no longer kept, in
 * small batches (each its own short statement, so writes are never blocked long), on one
 * instance at a time whatever runs it (a claim in the database), leaving an audit event with the
 * counts. Strapi's cron runs it on every instance; only the instance that claims it works.
 *
 * The claim is a lease of `instances.jobLeaseSeconds`, renewed every third of it while the purge
 * runs: an instance that dies mid-run stops renewing, and another takes the job over once the
 * lease ends (a minute by default), not hours later. Every batch is idempotent (it deletes what
 * is still expired), so a purge taken over mid-way just goes on.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get('plugin::privacy-centre') as PrivacyCentreConfig;
  const knex = () => strapi.db.connection;
  const audit = () => strapi.plugin('privacy-centre').service('audit');
  const leaseMs = () => config().instances.jobLeaseSeconds * 1000;

  /** Takes the job for `owner` unless another instance holds an unexpired claim; true when this one won. */
  const claim = async (owner: string): Promise<boolean> => {
    const now = new Date();
    try {
      await knex()(CLAIMS).insert({ job: JOB, document_id: `job${JOB}`.padEnd(24, '0'), created_at: now, updated_at: now, published_at: now });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error; // there already: the usual case
    }
    const taken = await knex()(CLAIMS)
      .where({ job: JOB })
      .andWhere((q) => q.whereNull('claimed_until').orWhere('claimed_until', '<', now.toISOString()))
      .update({ claimed_until: new Date(now.getTime() + leaseMs()).toISOString(), claimed_by: owner });
    return Number(taken) === 1;
  };

  /** Moves the lease forward while `owner` still holds it; false once it does not. */
  const renew = async (owner: string): Promise<boolean> =>
    Number(await knex()(CLAIMS).where({ job: JOB, claimed_by: owner }).update({ claimed_until: new Date(Date.now() + leaseMs()).toISOString() })) === 1;

  /** Deletes matching rows in batches by id while the lease holds; returns how many went. */
  const purgeWhile = async (held: () => boolean, table: string, where: (q: any) => void): Promise<number> => {
    let total = 0;
    for (;;) {
      if (!held()) throw new LeaseLost('the retention purge lost its claim (renewals failed): another instance goes on with it');
      const ids = (await knex()(table).select('id').where(where).orderBy('id').limit(config().retention.batchSize)).map((r: { id: number }) => r.id);
      if (!ids.length) return total;
      total += Number(await knex()(table).whereIn('id', ids).del());
      await new Promise((resolve) => setImmediate(resolve)); // let other work in between batches
    }
  };

  /**
   * Deletes expired cookie consent records in batches by a range of the (kind, expires_at) index: the
   * batch's upper bound is the expires_at of the batch-th oldest expired record (one index read),
   * then one DELETE of that range. No id list travels to the database and back, and the range
   * it locks is the oldest end of the index, far from where new records are written.
   */
  const purgeConsentRecords = async (held: () => boolean, before: string): Promise<number> => {
    const table = 'privacy_centre_consent_records';
    // Measured with bench/consent-scale-pg.js: PostgreSQL 111,000 rows/s at 5,000 with
    // recording's p99 1.3 times idle. SQLite (better-sqlite3 holds the event loop during each
    // DELETE), 100,000 expired of a million, recording's p99 during the purge against idle:
    // 1,000 → 25,000 rows/s and 4.0 times; 500 → 21,000 and 2.2 times; 250 → 7,600 and 1.4
    // times. A nightly job can take its time; visitors should not wait for it.
    const size = config().retention.consentRecordBatchSize ?? (strapi.db.dialect.client === 'sqlite' ? 250 : 5000);
    // Each batch starts past the previous one's edge: the rows it deleted stay in the index as dead
    // entries until a vacuum (PostgreSQL) or the purge thread (InnoDB), and a range starting at
    // the index's beginning would step over all of them again, batch after batch.
    let after: unknown = null;
    const expired = (q: any) => {
      q.where('kind', 'cookie').andWhere('expires_at', '<', before);
      if (after !== null) q.andWhere('expires_at', '>', after);
    };
    let total = 0;
    for (;;) {
      if (!held()) throw new LeaseLost('the retention purge lost its claim (renewals failed): another instance goes on with it');
      const edge = await knex()(table).select('expires_at').where(expired).orderBy('expires_at').offset(size - 1).limit(1).first();
      // Past the last full batch: what is left is fewer than a batch.
      const deleted = Number(await knex()(table).where(expired).andWhere((q: any) => (edge ? q.where('expires_at', '<=', edge.expires_at) : q)).del());
      total += deleted;
      if (!edge || !deleted) return total;
      // Every record up to the edge is gone (`<=`); a record expiring at or before it that arrives
      // meanwhile (an import) is left for the next run.
      after = edge.expires_at;
      await new Promise((resolve) => setImmediate(resolve)); // let other work in between batches
    }
  };

  return {
    /** Runs the purge now if no other instance is running it; null when another one is. */
    async run(user?: AdminUser | null) {
      // One owner per run: two runs in one process are two claimants as well.
      const owner = `${hostname()}:${process.pid}:${randomId().slice(0, 8)}`;
      if (!(await claim(owner))) return null;
      let held = true;
      let renewing: Promise<unknown> = Promise.resolve();
      // The heartbeat: unref'd, so a process on its way out is not kept alive by it.
      const heartbeat = setInterval(() => {
        renewing = renew(owner)
          .then((ok) => {
            if (!ok) held = false;
          })
          .catch(() => undefined); // a failed renewal is retried at the next beat; the lease covers two
      }, Math.max(1000, Math.floor(leaseMs() / 3)));
      heartbeat.unref();
      const purge = (table: string, where: (q: any) => void) => purgeWhile(() => held, table, where);
      const { retention } = config();
      const now = Date.now();
      try {
        // Consent records are kept `consentRecordDays` after they expire (proof outlives consent).
        const consentsBefore = new Date(now - retention.consentRecordDays * DAY).toISOString();
        const consentRecords = await purgeConsentRecords(() => held, consentsBefore);
        // A link of the site's user id to a browser (c15t identify) goes with its last consent.
        const subjectLinks = await purge('privacy_centre_subject_links', (q) =>
          q.whereNotExists(
            knex()('privacy_centre_consent_records')
              .select(knex().raw('1'))
              .where('kind', 'cookie')
              .whereRaw('privacy_centre_consent_records.subject_id = privacy_centre_subject_links.subject_id')
          )
        );
        const auditBefore = new Date(now - retention.auditEventDays * DAY);
        const auditEvents = await purge('privacy_centre_audit_events', (q) => q.where('occurred_at', '<', auditBefore));
        // Cookie discovery's daily counters (anonymous, but not kept past their use).
        const cookieObservationsBefore = strapi.plugin('privacy-centre').service('discovery').purgeBefore(now);
        const cookieObservations = await purge('privacy_centre_cookie_observations', (q) => q.where('day', '<', cookieObservationsBefore));
        const newsletter = await strapi.plugin('privacy-centre').service('newsletter').purge();
        const requests = strapi.plugin('privacy-centre').service('subject-requests');
        const unconfirmedRequestsClosed = await requests.closeUnconfirmed(now);
        const closedRequestAddressesErased = await requests.eraseClosedAddresses(now);
        const result = { consentRecords, subjectLinks, auditEvents, consentRecordsExpiredBefore: consentsBefore, cookieObservations, ...newsletter, unconfirmedRequestsClosed, closedRequestAddressesErased };
        // Nightly, the newest consent record becomes the mark a wiped table is told by.
        await strapi.plugin('privacy-centre').service('frozen-marks').observe();
        await audit().record(user ?? null, 'retention.purge', 'retention', result);
        await knex()(CLAIMS).where({ job: JOB }).update({ last_run_at: new Date().toISOString(), last_result: JSON.stringify(result) });
        return result;
      } finally {
        clearInterval(heartbeat);
        // A renewal still on its way would otherwise land after the release and hold the job a lease longer.
        await renewing;
        await knex()(CLAIMS).where({ job: JOB, claimed_by: owner }).update({ claimed_until: new Date().toISOString() });
      }
    },

    /** Strapi's cron, when the plugin's own switch allows (it runs even if the app's cron is off). */
    schedule() {
      if (!config().cron.enabled) return;
      strapi.cron.add({
        'privacy-centre-retention': {
          task: async () => {
            try {
              await this.run();
            } catch (error) {
              strapi.log.error(`[privacy-centre] the retention purge failed: ${withoutAddresses(describeDbError(error))}`);
            }
          },
          // `cron.retentionRule`: by default every night at 03:17 in the server's zone, off the hour.
          options: { rule: config().cron.retentionRule },
        },
      });
    },
  };
};
