import type { Core } from '@strapi/strapi';
import { Redis, type RedisOptions } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterMySQL,
  RateLimiterPostgres,
  RateLimiterRedis,
  RateLimiterRes,
  RLWrapperTimeouts,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { PrivacyCentreConfig, RateLimitStore } from '../config';

/** The shared counters' table (`rateLimit.store: 'database'`), named like the plugin's own tables. */
export const RATE_LIMIT_TABLE = 'privacy_centre_rate_limits';
/**
 * A shared store that has not answered in this time counts as failed: the request goes on with
 * this instance's memory counters rather than wait for a slow Redis or a full connection pool.
 */
export const STORE_TIMEOUT_MS = 500;
/** After a store failure, requests are counted in memory this long before the store is tried again. */
export const STORE_PAUSE_MS = 5000;
/**
 * At most this many store calls at once per instance (a few of the pool's connections with
 * 'database'): more would queue for connections the consent writer needs; the rest are counted in
 * this instance's memory meanwhile.
 */
export const STORE_IN_FLIGHT = { database: 4, redis: 64 } as const;

/** What `status()` tells (the admin and monitoring read it; no client address is ever kept here). */
export interface RateLimitStatus {
  store: RateLimitStore;
  /** Requests counted in this instance's memory because the shared store failed, since the start. */
  storeFailures: number;
  /** Requests counted in this instance's memory because STORE_IN_FLIGHT store calls were already waiting. */
  storeBusy: number;
  /** Whether the last request found the store failing (it is logged once per such spell). */
  failing: boolean;
  /** The last failure's error code or name (e.g. ECONNREFUSED, 42P01), never its message. */
  lastFailure: string | null;
  lastFailureAt: string | null;
}

interface Counter {
  max: number;
  windowSeconds: number;
  /** What is consumed (for a shared store, `store` behind a timeout). */
  limiter: RateLimiterAbstract;
  /** The limiter holding the limits. */
  store: RateLimiterAbstract;
}

/** Redis options the plugin decides: fail fast (no offline queue), connect at bootstrap, short timeouts. */
const redisOptions = (configured: PrivacyCentreConfig['rateLimit']['redis']): RedisOptions => {
  const given: RedisOptions = typeof configured === 'string' ? {} : { ...(configured ?? {}) };
  return {
    connectTimeout: 2000,
    commandTimeout: STORE_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    ...given,
    // A command while disconnected must fail at once (and the request go on), not wait in a queue.
    enableOfflineQueue: false,
    lazyConnect: true,
  };
};

/** An error's code or class name: messages may carry the store's address, which stays out of logs. */
const describe = (error: unknown): string => {
  const { code, name, message } = (error ?? {}) as { code?: unknown; name?: string; message?: string };
  if (typeof code === 'string' || typeof code === 'number') return String(code);
  if (/timed out/i.test(message ?? '')) return 'timeout';
  if (/enableOfflineQueue|not ready|Connection is closed/i.test(message ?? '')) return 'not connected';
  return name || 'Error';
};

/**
 * The rate limits' counters (rate-limiter-flexible), per scope (`consents`, `newsletter`, …):
 * in this instance's memory (`rateLimit.store: 'memory'`), or shared by every instance in the
 * app's own PostgreSQL / MySQL (`'database'`) or in Redis (`'redis'`). A shared store that fails
 * or does not answer within STORE_TIMEOUT_MS never blocks a request: it is counted, logged once
 * per spell, and the request is counted in this instance's memory instead (as with `'memory'`).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const settings = () => (strapi.config.get('plugin::privacy-centre') as PrivacyCentreConfig).rateLimit;
  const stored = new Map<string, Counter>();
  const inMemory = new Map<string, Counter>();
  let makeStoreLimiter: ((scope: string, max: number, windowSeconds: number) => RateLimiterAbstract) | undefined;
  let redis: Redis | undefined;
  /** The database store's first limiter, whose timer removes expired rows. */
  let sweeper: RateLimiterAbstract | undefined;
  let storeName: RateLimitStore = 'memory';
  const status: RateLimitStatus = { store: 'memory', storeFailures: 0, storeBusy: 0, failing: false, lastFailure: null, lastFailureAt: null };

  /**
   * A client over the limit is answered from this instance's memory until its window ends: a
   * flood costs the shared store nothing past the first refusal (the store is the app's own
   * connection pool with 'database').
   */
  const blockedInMemory = (max: number) => ({ inMemoryBlockOnConsumed: max + 1 });
  /** Store calls in flight; past STORE_IN_FLIGHT the request is counted in memory instead of queueing for a connection. */
  let inFlight = 0;
  /** After a failure the store is left alone this long (requests counted in memory), not tried on every request. */
  let skipStoreUntil = 0;

  const memoryLimiter = (scope: string, max: number, windowSeconds: number): RateLimiterAbstract =>
    new RateLimiterMemory({ keyPrefix: scope, points: max, duration: windowSeconds });

  /**
   * The scope's limiter, with today's limits: changed limits (a test, a config reload) apply to
   * the counts already made, as they always have, rather than starting them again.
   */
  const counter = (
    counters: Map<string, Counter>,
    make: (scope: string, max: number, windowSeconds: number) => RateLimiterAbstract,
    scope: string,
    max: number,
    windowSeconds: number,
    wrap: (store: RateLimiterAbstract) => RateLimiterAbstract = (store) => store
  ) => {
    const existing = counters.get(scope);
    if (existing) {
      if (existing.max !== max || existing.windowSeconds !== windowSeconds) {
        const store = existing.store as RateLimiterAbstract & { inMemoryBlockOnConsumed?: number };
        // The library refuses points above inMemoryBlockOnConsumed: raise that first, lower it last.
        if (store.inMemoryBlockOnConsumed && max + 1 > store.inMemoryBlockOnConsumed) store.inMemoryBlockOnConsumed = max + 1;
        store.points = existing.max = max;
        if (store.inMemoryBlockOnConsumed) store.inMemoryBlockOnConsumed = max + 1;
        store.duration = existing.windowSeconds = windowSeconds;
      }
      return existing.limiter;
    }
    const store = make(scope, max, windowSeconds);
    const limiter = wrap(store);
    counters.set(scope, { max, windowSeconds, limiter, store });
    return limiter;
  };
  const withTimeout = (store: RateLimiterAbstract): RateLimiterAbstract =>
    new RLWrapperTimeouts({ limiter: store, timeoutMs: STORE_TIMEOUT_MS }) as unknown as RateLimiterAbstract;

  const failed = (error: unknown) => {
    status.storeFailures += 1;
    status.lastFailure = describe(error);
    status.lastFailureAt = new Date().toISOString();
    if (status.failing) return;
    status.failing = true;
    strapi.log.error(
      `[privacy-centre] rateLimit.store '${storeName}' failed (${status.lastFailure}): requests are let through and counted ` +
        "by each instance alone until it answers again (the rate-limits service's status() counts these)"
    );
  };

  /** Seconds until the client's window ends: what Retry-After says. */
  const retryAfter = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

  return {
    /**
     * At bootstrap: connects the configured store. The database table is created here (once,
     * `IF NOT EXISTS`, so instances starting together agree); SQLite is refused, since a SQLite
     * app runs one instance and 'memory' is what it needs. Redis not answering does not stop the
     * boot: requests fail open until it does.
     */
    async init() {
      const { store, redis: redisConfig } = settings();
      storeName = status.store = store;
      if (store === 'database') {
        const client = (strapi.db as any).dialect.client as string;
        const knex = strapi.db.connection;
        if (client === 'postgres') {
          const schemaName = (await knex.raw('select current_schema() as name')).rows[0]?.name as string | undefined;
          const options = { storeClient: knex, storeType: 'knex', tableName: RATE_LIMIT_TABLE, schemaName };
          // The first limiter creates the table and removes rows expired an hour ago every five minutes.
          await new Promise<void>((resolve, reject) => {
            sweeper = new RateLimiterPostgres({ ...options, keyPrefix: 'init', points: 1, duration: 1 }, (error?: Error) => (error ? reject(error) : resolve()));
          });
          makeStoreLimiter = (scope, max, windowSeconds) =>
            new RateLimiterPostgres({ ...options, ...blockedInMemory(max), keyPrefix: scope, points: max, duration: windowSeconds, tableCreated: true, clearExpiredByTimeout: false });
        } else if (client === 'mysql') {
          const [[{ name: dbName }]] = await knex.raw('select database() as name');
          const options = { storeClient: knex, storeType: 'knex', tableName: RATE_LIMIT_TABLE, dbName };
          await new Promise<void>((resolve, reject) => {
            sweeper = new RateLimiterMySQL({ ...options, keyPrefix: 'init', points: 1, duration: 1 }, (error?: Error) => (error ? reject(error) : resolve()));
          });
          makeStoreLimiter = (scope, max, windowSeconds) =>
            new RateLimiterMySQL({ ...options, ...blockedInMemory(max), keyPrefix: scope, points: max, duration: windowSeconds, tableCreated: true, clearExpiredByTimeout: false });
        } else {
          throw new Error(
            `privacy-centre config is invalid:\n  - rateLimit.store 'database' needs PostgreSQL or MySQL/MariaDB, not ${client}: ` +
              "a SQLite app runs as one instance, use 'memory' (or 'redis')"
          );
        }
      } else if (store === 'redis') {
        const connection = (redis =
          typeof redisConfig === 'string' ? new Redis(redisConfig, redisOptions(redisConfig)) : new Redis(redisOptions(redisConfig)));
        // Connection errors are counted as requests meet them; without a listener ioredis prints
        // each one, with the server's address.
        connection.on('error', () => undefined);
        try {
          await connection.connect();
        } catch (error) {
          strapi.log.warn(`[privacy-centre] rateLimit.redis: no connection at start (${describe(error)}); retrying, rate limits fail open meanwhile`);
        }
        makeStoreLimiter = (scope, max, windowSeconds) =>
          new RateLimiterRedis({ storeClient: connection, ...blockedInMemory(max), keyPrefix: `privacy-centre:${scope}`, points: max, duration: windowSeconds, rejectIfRedisNotReady: true });
      }
    },

    /**
     * Counts one request of `client` (its truncated IP) in `scope`: 0 when it may go on, else the
     * seconds until it may try again.
     */
    async consume(scope: string, client: string): Promise<number> {
      const { max, windowSeconds } = settings();
      const paused = Date.now() < skipStoreUntil;
      const busy = !paused && inFlight >= STORE_IN_FLIGHT[storeName as 'database' | 'redis'];
      if (makeStoreLimiter && paused) status.storeFailures += 1; // counted in memory: the store failed just now
      if (makeStoreLimiter && busy) status.storeBusy += 1;
      if (makeStoreLimiter && !paused && !busy) {
        const limiter = counter(stored, makeStoreLimiter, scope, max, windowSeconds, withTimeout);
        inFlight += 1;
        try {
          await limiter.consume(client);
          if (status.failing) {
            status.failing = false;
            strapi.log.info(`[privacy-centre] rateLimit.store '${storeName}' answers again`);
          }
          return 0;
        } catch (error) {
          if (error instanceof RateLimiterRes) return retryAfter(error);
          failed(error);
          skipStoreUntil = Date.now() + STORE_PAUSE_MS;
        } finally {
          inFlight -= 1;
        }
      }
      try {
        await counter(inMemory, memoryLimiter, scope, max, windowSeconds).consume(client);
        return 0;
      } catch (error) {
        if (error instanceof RateLimiterRes) return retryAfter(error);
        throw error;
      }
    },

    status(): RateLimitStatus {
      return { ...status };
    },

    /** At destroy: closes the Redis connection (the database's is Strapi's). */
    async close() {
      const connection = redis;
      redis = undefined;
      makeStoreLimiter = undefined;
      stored.clear();
      // rate-limiter-flexible keeps the sweep's timer to itself; it must not run on a closed pool.
      if (sweeper) clearTimeout((sweeper as unknown as { _clearExpiredTimeoutId?: NodeJS.Timeout })._clearExpiredTimeoutId);
      sweeper = undefined;
      if (connection) connection.disconnect();
    },
  };
};
