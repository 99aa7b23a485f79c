import type { Core } from '@strapi/strapi';
import type { PrivacyCentreConfig } from '../config';
import { describeDbError, isUniqueViolation } from '../db/errors';
import { sortableDocumentId } from '../db/random';
import { POLICY_UID } from '../guards/policy-version';

const TABLE = 'privacy_centre_generations';
/** The PostgreSQL channel every instance LISTENs on; the payload is the topic. */
export const CHANNEL = 'privacy_centre_generations';
/** How long to wait before opening the LISTEN connection again after it failed or closed. */
const RECONNECT_MS = 2000;
/** The longest wait between attempts while LISTEN keeps failing (too many clients, pg_hba, …). */
const RECONNECT_MAX_MS = 60_000;
/** How often the keyring is re-read anyway (a rotation whose bump was lost), as before. */
const KEYS_WATCH_MS = 60_000;
/** How long shutting down waits for the bumps after a data transfer (its transaction may hang). */
const TRANSFER_BUMP_WAIT_MS = 10_000;
/** Marks a Database whose lifecycles and transactions followDataTransfers has wrapped. */
const FOLLOWED = Symbol.for('privacy-centre.followDataTransfers');

/** The topics of shared state another instance may change; `policy:<slug>` per policy. */
export type Topic = 'declaration' | 'settings' | 'keys' | `policy:${string}`;

/**
 * What a topic's row says, as compared between two reads: its counter and when it was last
 * bumped. The time tells a bump from a row put back by `strapi import` or `strapi transfer`
 * whose counter, one bump on, happens to equal the one an instance last read.
 */
type Seen = { generation: number; at: string };
const seenOf = (row: { generation: number | string; updated_at?: unknown }): Seen => ({
  generation: Number(row.generation),
  at: String(row.updated_at instanceof Date ? row.updated_at.getTime() : row.updated_at),
});
const same = (a: Seen | undefined, b: Seen) => a !== undefined && a.generation === b.generation && a.at === b.at;

/**
 * Cross-instance invalidation. What one instance keeps in memory about shared state (cached
 * public answers, the requirements of acceptance, the regions table, i18n's locales, the keyring)
 * is dropped on every instance within about a second of a change, not after `cacheTtlSeconds`:
 *
 * - the instance that changes a topic drops its own copies at once and, after its commit, bumps
 *   the topic's counter in `privacy_centre_generations` (and on PostgreSQL sends a NOTIFY);
 * - every instance reads the whole table (a few rows) every `instances.pollMilliseconds`, and at
 *   once when a NOTIFY arrives, and drops its copies of each topic whose counter moved.
 *
 * The TTL stays the safety net: an instance that died between its commit and its bump, or a
 * database that could not be read for a while, delays the others by at most `cacheTtlSeconds`.
 * A bump is never awaited by a reader: serving stays on memory, the poll runs beside it.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get('plugin::privacy-centre') as PrivacyCentreConfig;
  const knex = () => strapi.db.connection;
  const plugin = () => strapi.plugin('privacy-centre');
  /** Each topic's row as last read; a topic first seen after the first read was bumped. */
  let known: Map<string, Seen> | null = null;
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | null = null;
  let pollAgain = false;
  let stopped = false;
  let keysReadAt = Date.now();
  let failing = false;
  let listener: { end(): Promise<void> } | null = null;
  let reconnect: NodeJS.Timeout | undefined;
  /** The bumps after data transfers, while they run: awaited at shutdown (`strapi import` stops right after). */
  const afterTransfer = new Set<Promise<void>>();
  /** Counts, for the tests and the bench: polls done, topics applied from other instances, data transfers followed (every topic bumped). */
  const stats = { polls: 0, applied: 0, notified: 0, transfers: 0 };

  /** Drops this instance's copies of what `topic` names. */
  const apply = async (topic: string) => {
    if (topic.startsWith('policy:')) {
      const slug = topic.slice('policy:'.length);
      plugin().service('answer-cache').invalidate(slug);
      plugin().service('consents').forgetPolicy?.(slug);
    } else if (topic === 'declaration') {
      plugin().service('cookie-declarations').forgetLatest();
    } else if (topic === 'settings') {
      // Settings, the regions table and i18n's locales shape every answer: all of it goes.
      plugin().service('regions').forget();
      plugin().service('locales').forget();
      plugin().service('answer-cache').clear();
    } else if (topic === 'keys') {
      keysReadAt = Date.now();
      await plugin().service('keys').reload({ force: true });
    }
  };

  const poll = async () => {
    const rows: Array<{ topic: string; generation: number | string; updated_at: unknown }> = await knex()(TABLE).select('topic', 'generation', 'updated_at');
    stats.polls += 1;
    const first = known === null;
    const previous = known ?? new Map<string, Seen>();
    const next = new Map<string, Seen>();
    for (const row of rows) next.set(row.topic, seenOf(row));
    known = next;
    if (first) return; // nothing is cached yet that an earlier bump could have made stale
    for (const [topic, seen] of next) {
      if (same(previous.get(topic), seen)) continue;
      stats.applied += 1;
      try {
        await apply(topic);
      } catch (error) {
        strapi.log.warn(`[privacy-centre] applying a change of ${topic} failed: ${describeDbError(error)}`);
      }
    }
  };

  /** One poll at a time; a request for one while it runs makes another follow it. */
  const pollSoon = (): Promise<void> => {
    if (polling) {
      pollAgain = true;
      return polling;
    }
    polling = (async () => {
      do {
        pollAgain = false;
        try {
          await poll();
          if (failing) strapi.log.info('[privacy-centre] the generations table can be read again');
          failing = false;
        } catch (error) {
          // Logged once per outage: the TTL keeps answers converging meanwhile.
          if (!failing) strapi.log.warn(`[privacy-centre] the generations table could not be read (caches fall back to their TTL): ${describeDbError(error)}`);
          failing = true;
        }
      } while (pollAgain && !stopped);
      if (Date.now() - keysReadAt > KEYS_WATCH_MS) {
        keysReadAt = Date.now();
        await plugin()
          .service('keys')
          .reload()
          .catch((error: Error) => strapi.log.warn(`[privacy-centre] the keyring could not be re-read: ${error.message}`));
      }
    })().finally(() => {
      polling = null;
    });
    return polling;
  };

  let listenBackoff = RECONNECT_MS;
  let listenFailing = false;
  /** A dedicated PostgreSQL connection LISTENing on CHANNEL, opened again whenever it drops. */
  const listen = async () => {
    if (stopped || listener) return;
    const client = knex().client as { connectionSettings?: unknown; driver?: { Client?: new (settings: object) => any } };
    const settings = client.connectionSettings as Record<string, unknown> | string;
    let connection: any;
    try {
      // The pg module knex's pool already loaded (the app's own version), and no `require`, which
      // the ESM build does not have.
      const Client = client.driver?.Client;
      if (typeof Client !== 'function') throw new Error("knex's PostgreSQL driver has no Client");
      connection = new Client({ ...(typeof settings === 'string' ? { connectionString: settings } : settings), connectionTimeoutMillis: 5000 });
    } catch (error) {
      // Set up the same way every time: not retried, and said once. Polling alone meanwhile.
      if (!listenFailing) strapi.log.warn(`[privacy-centre] LISTEN ${CHANNEL} cannot be set up (polling alone): ${(error as Error).message}`);
      listenFailing = true;
      return;
    }
    const retry = () => {
      if (listener === handle) listener = null;
      if (stopped || reconnect) return;
      reconnect = setTimeout(() => {
        reconnect = undefined;
        listen().catch(() => undefined);
      }, listenBackoff);
      reconnect.unref();
      // What was NOTIFYed while the connection was down is found by the next poll.
    };
    const handle = {
      end: async () => {
        connection.removeAllListeners('end');
        await connection.end().catch(() => undefined);
      },
    };
    listener = handle;
    connection.on('error', () => {
      connection.end().catch(() => undefined);
    });
    connection.on('end', retry);
    connection.on('notification', () => {
      stats.notified += 1;
      pollSoon();
    });
    try {
      await connection.connect();
      // pg's connection keeps the process alive; the poll timer does not, nor should this.
      (connection as any).connection?.stream?.unref?.();
      await connection.query(`LISTEN ${CHANNEL}`);
      listenBackoff = RECONNECT_MS;
      if (listenFailing) strapi.log.info(`[privacy-centre] LISTEN ${CHANNEL} works again`);
      listenFailing = false;
      if (stopped) await handle.end();
    } catch (error) {
      // Once per outage, and ever further apart (to a minute): polling covers the meantime.
      if (!listenFailing) strapi.log.warn(`[privacy-centre] LISTEN ${CHANNEL} failed (polling goes on, retried with backoff): ${describeDbError(error)}`);
      listenFailing = true;
      await handle.end();
      retry();
      listenBackoff = Math.min(listenBackoff * 2, RECONNECT_MAX_MS);
    }
  };

  const service = {
    /**
     * Marks `topic` changed: drops this instance's copies now, then (after the caller's commit)
     * bumps its counter for the others. A failed bump is logged, not thrown: the change itself
     * is committed, and the others converge within the TTL.
     */
    async bump(topic: Topic) {
      await apply(topic);
      const now = new Date();
      try {
        const bumped = () =>
          knex()(TABLE)
            .where({ topic })
            .update({ generation: knex().raw('?? + 1', ['generation']), updated_at: now });
        if (Number(await bumped()) === 0) {
          try {
            await knex()(TABLE).insert({ topic, generation: 1, document_id: sortableDocumentId(), created_at: now, updated_at: now, published_at: now });
          } catch (error) {
            if (!isUniqueViolation(error)) throw error;
            await bumped(); // another instance inserted it first
          }
        }
        // This instance applied its own change above: when its bump is the only one since its last
        // read of the table, its poll must not apply it a second time (a second rebuild of what it
        // just cached). Any other instance's bump in between leaves it to the poll.
        const row = await knex()(TABLE).where({ topic }).first('generation', 'updated_at');
        if (known && row && Number(row.generation) === (known.get(topic)?.generation ?? 0) + 1) known.set(topic, seenOf(row));
        if (knex().client.config.client === 'postgres' || knex().client.config.client === 'pg') {
          await knex().raw('select pg_notify(?, ?)', [CHANNEL, topic]);
        }
      } catch (error) {
        strapi.log.warn(`[privacy-centre] could not tell other instances that ${topic} changed (they follow within cacheTtlSeconds): ${describeDbError(error)}`);
      }
    },

    /**
     * Bumps every topic: the ones in the table, the fixed ones and every policy's. For a change
     * that may have touched anything (a data transfer, see followDataTransfers).
     */
    async bumpAll() {
      const rows: Array<{ topic: string }> = await knex()(TABLE).select('topic');
      const policies: Array<{ slug: string }> = await strapi.db.query(POLICY_UID).findMany({ select: ['slug'] });
      // The topics last read too: a policy a restore removed has no row nor version any more,
      // and what the instances keep about it must go all the same.
      const topics = new Set<string>(['settings', 'declaration', 'keys', ...rows.map((row) => row.topic), ...policies.map(({ slug }) => `policy:${slug}`), ...(known?.keys() ?? [])]);
      for (const topic of topics) {
        // One topic failing (the keyring not readable just now) does not keep the others from being told.
        await service.bump(topic as Topic).catch((error: Error) => strapi.log.warn(`[privacy-centre] could not drop what is cached about ${topic}: ${error.message}`));
      }
    },

    /**
     * `strapi import` and `strapi transfer` delete and re-create every table with Strapi's
     * lifecycles switched off, behind the plugin's services: no topic is bumped, and the instances
     * running would serve what they cached until `cacheTtlSeconds`. Strapi's data transfer is the
     * only caller of `strapi.db.lifecycles.disable()` and `enable()` (its destination, source and
     * remote handlers), so when they come back on here, every topic is bumped (bumpAll), once
     * every transaction begun while they were off has ended: the transfer's own commits just after
     * `enable()`, and an instance that read the tables before that commit would cache them again
     * (waited for at most `cacheTtlSeconds`). Only when a transaction began while they were off:
     * a transfer out of this app (an export, a pull) reads without one; a push that failed and was
     * rolled back is told all the same. Said at info level, with the count in stats().transfers. (A write
     * through the Document Service while a pull runs also begins one: every instance then drops
     * its caches once, for nothing.)
     */
    followDataTransfers() {
      const db = strapi.db as any;
      const lifecycles = db.lifecycles;
      if (!lifecycles || db[FOLLOWED]) return;
      db[FOLLOWED] = true;
      let off = false;
      /** When each transaction begun while lifecycles were off has ended (committed or rolled back). */
      const begun = new Set<Promise<void>>();
      const { disable, enable } = lifecycles;
      const transaction = db.transaction;
      db.transaction = function (this: unknown, ...args: unknown[]) {
        const [callback, ...rest] = args;
        // Only a transaction with a callback ends by itself. The caller's promise is left as it
        // is (a handler on it would hide its rejection): its end is read off knex's transaction.
        if (!off || typeof callback !== 'function') return transaction.apply(this, args);
        const tracked = (params: { trx?: { executionPromise?: Promise<unknown> } }) => {
          const ended: Promise<void> = Promise.resolve(params?.trx?.executionPromise).then(
            () => undefined,
            () => undefined
          );
          begun.add(ended);
          void ended.then(() => begun.delete(ended));
          return callback(params);
        };
        return transaction.call(this, tracked, ...rest);
      };
      lifecycles.disable = function (this: unknown, ...args: unknown[]) {
        off = true;
        return disable.apply(this, args);
      };
      lifecycles.enable = function (this: unknown, ...args: unknown[]) {
        const result = enable.apply(this, args);
        const waiting = [...begun];
        const wasOff = off;
        off = false;
        begun.clear();
        // A transfer out of this app (an export, a pull) reads without a transaction: nothing to
        // tell; nor after this instance stopped (its database may be closed).
        if (!wasOff || !waiting.length || stopped) return result;
        const run: Promise<void> = (async () => {
          // A transaction that never ends (a push whose client vanished) holds the bumps no
          // longer than the TTL, which would have covered them anyway.
          const limit = new Promise<boolean>((resolve) => setTimeout(resolve, config().cacheTtlSeconds * 1000, false).unref());
          const ended = await Promise.race([Promise.all(waiting).then(() => true), limit]);
          if (!ended) strapi.log.warn('[privacy-centre] a data transfer\'s transaction is still open after cacheTtlSeconds: telling other instances anyway');
          strapi.log.info("[privacy-centre] Strapi's lifecycles are back on after a data transfer: every instance drops what it cached");
          await service.bumpAll();
          stats.transfers += 1;
        })()
          .catch((error) => {
            strapi.log.warn(`[privacy-centre] could not tell other instances about a data transfer (they follow within cacheTtlSeconds): ${describeDbError(error)}`);
          })
          .finally(() => afterTransfer.delete(run));
        afterTransfer.add(run);
        return result;
      };
    },

    /** Starts polling (and LISTEN on PostgreSQL); at bootstrap. */
    async start() {
      stopped = false;
      service.followDataTransfers();
      await pollSoon();
      const { pollMilliseconds, listen: useListen } = config().instances;
      timer = setInterval(() => void pollSoon(), pollMilliseconds);
      timer.unref();
      const dialect = knex().client.config.client;
      if (useListen && (dialect === 'postgres' || dialect === 'pg')) await listen();
    },

    /** Reads the table now (tests; a NOTIFY does the same). */
    poll: pollSoon,

    stats() {
      return { ...stats };
    },

    async stop() {
      if (afterTransfer.size) await Promise.race([Promise.all(afterTransfer), new Promise((resolve) => setTimeout(resolve, TRANSFER_BUMP_WAIT_MS).unref())]);
      stopped = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      if (reconnect) clearTimeout(reconnect);
      reconnect = undefined;
      const open = listener;
      listener = null;
      await open?.end();
      while (polling) await polling;
    },
  };
  return service;
};
