import * as yup from 'yup';
import { controllerSchema } from '../policy/validation';
import { isHttpUrl, SLUG_MAX_LENGTH, SLUG_PATTERN } from '../policy/patterns';
import { isAddrSpec } from '../newsletter/email';
import { JURISDICTION_ALIASES, JURISDICTION_CODES } from '../regions';
import { deadlineTableProblems, holidayProblems, type DeadlineTable } from '../subjects/due';
import { REQUEST_TYPES } from '../subjects/types';

/**
 * The plugin's configuration (`config/plugins.ts` → `'privacy-centre': { config: {...} }`).
 * Every key is documented in the README's configuration reference; keep both in step.
 */
/** Where the rate limits' counters live (`rateLimit.store`). */
export const RATE_LIMIT_STORES = ['memory', 'database', 'redis'] as const;
export type RateLimitStore = (typeof RATE_LIMIT_STORES)[number];

export interface PrivacyCentreConfig {
  /** Signs receipts and newsletter tokens. Required in production. */
  secret?: string;
  /** Earlier secrets still accepted when verifying (key rotation). */
  previousSecrets: string[];
  /** Public base URL of the Strapi server, used in links sent by e-mail. */
  publicUrl?: string;
  controller: { name: string; address: string; email: string; url: string };
  /** Seconds a cached public answer may be served before it is rebuilt. */
  cacheTtlSeconds: number;
  /** Memory the cache of public answers may use, in megabytes (least recently used go first). */
  cacheMaxMegabytes: number;
  /**
   * Put the plugin's middlewares (the fast paths and the body guard) into the app's middleware
   * list, right before `strapi::body`, unless the app lists them itself.
   */
  installMiddlewares: boolean;
  /**
   * For the fast paths' routes, set the headers strapi::security gave the route's first request
   * instead of running it again (middlewares/security-replay.ts).
   */
  replaySecurityHeaders: boolean;
  /**
   * Lets `strapi import` / `strapi transfer` delete and re-create frozen records (published
   * policy versions). Only for the duration of a restore; off otherwise.
   */
  allowRestore: boolean;
  /**
   * One-off, at boot: sign the published versions that have no signature (published before
   * 0.2) if their hash verifies. Turn it off afterwards.
   */
  signUnsignedVersions: boolean;
  ipTruncation: { ipv4PrefixLength: number; ipv6PrefixLength: number };
  consentValidityDays: number;
  retention: {
    consentRecordDays: number;
    auditEventDays: number;
    pendingSubscriptionDays: number;
    unsubscribedAddressDays: number;
    /** Completed and refused data-subject requests keep their address this long after closing. */
    subjectRequestDays: number;
    /** Rows of the other tables the purge deletes per statement: small, so no write waits long behind it. */
    batchSize: number;
    /**
     * Expired consent records deleted per statement by the purge; unset: 5,000, or 1,000 on
     * SQLite, whose synchronous driver holds the event loop for a whole batch (measured:
     * bench/consent-scale-pg.js).
     */
    consentRecordBatchSize?: number;
  };
  newsletter: {
    doubleOptIn: boolean;
    confirmationTokenHours: number;
    lists: string[];
    from?: string;
    /** A repeated sign-up re-sends the confirmation at most once per this many minutes (per mailbox and list). */
    resendIntervalMinutes: number;
    /** At most this many confirmation e-mails go to one mailbox in 24 hours, whatever the list. */
    confirmationsPerDay: number;
    /** An address for `List-Unsubscribe: <mailto:…>` besides the https link. */
    mailto?: string;
    /** Frontend pages that show the confirm / unsubscribe button themselves (they get `?token=`). */
    confirmRedirectUrl?: string;
    unsubscribeRedirectUrl?: string;
  };
  /**
   * Per client network and scope: `max` requests every `windowSeconds`. `store` keeps the
   * counters: this instance's memory, or shared by every instance in the app's PostgreSQL/MySQL
   * or in Redis (`redis`: a redis:// URL or ioredis options). See services/rate-limits.ts.
   */
  rateLimit: { enabled: boolean; windowSeconds: number; max: number; store: RateLimitStore; redis?: string | Record<string, unknown> };
  /**
   * Group commit of consent records: at most `batchSize` per transaction, after `batchMilliseconds`
   * (unset: services/consent-writer.ts defaultBatchMilliseconds, 2 on PostgreSQL and MySQL, 5 on
   * SQLite).
   * `preparedStatements` (PostgreSQL): each batch as a named prepared statement, parsed once per
   * connection; `false` for a pooler that pins a connection to its client for them (RDS Proxy).
   */
  consentWrites: { batchSize: number; batchMilliseconds?: number; preparedStatements: boolean };
  /**
   * The admin's consent log: a total up to `exactTotalLimit` records is counted exactly; past it,
   * the database's estimate is given (`totalIsEstimate`), since an exact count reads every row.
   */
  consentLog: { exactTotalLimit: number };
  /** `retentionRule`: when the retention purge runs (a cron rule, server time). */
  cron: { enabled: boolean; retentionRule: string };
  /**
   * Data-subject requests: how long the self-service link sent by e-mail works; deadline rules
   * replacing the built-in ones (jurisdiction code or `default` → rule, see subjects/due.ts and
   * the README's "The request register"); the holidays business days skip (`YYYY-MM-DD`).
   */
  subjects: { requestLinkHours: number; selfServiceApproval: boolean; deadlines: DeadlineTable; holidays: string[] };
  /**
   * Cookie discovery (POST /cookies/observations): off answers 404 and keeps nothing. Reports
   * are counted in memory and written every `flushMilliseconds` (sooner once `flushNames` names
   * wait); at most `maxNamesPerDay` distinct names a day are kept one by one, the rest counted
   * as a flood; counters older than `retentionDays` are purged by the nightly job.
   */
  discovery: { enabled: boolean; maxNamesPerDay: number; retentionDays: number; flushMilliseconds: number; flushNames: number };
  /**
   * Where a visitor is, for the frontends that ask (c15t's GET /init). Only headers a proxy or
   * CDN in front of Strapi sets and overwrites may be named: a browser can send any header.
   * Without one, every visitor gets `defaultJurisdiction`.
   */
  regions: {
    /** Headers holding an ISO 3166-1 alpha-2 country code, first usable wins (e.g. CF-IPCountry). */
    countryHeaders: string[];
    /** Headers holding an ISO 3166-2 subdivision (e.g. CloudFront-Viewer-Country-Region). */
    regionHeaders: string[];
    /**
     * The jurisdiction of a visitor whose area is unknown or has no entry in the regions table,
     * until an editor chooses another in Settings → Regions (see the README's "Regions").
     */
    defaultJurisdiction: string;
    /**
     * The site's own "Do Not Sell or Share" page, linked from opt-out answers; unset: the
     * plugin's page (GET /api/privacy-centre/do-not-sell).
     */
    doNotSellUrl?: string;
  };
  /**
   * Policies a signed-in users-permissions user must accept (slugs, e.g. `terms`), and how many
   * days after a material version takes effect they may go on without accepting it. Defaults:
   * Settings → General may change both at run time.
   */
  acceptance: { required: string[]; graceDays: number };
  /**
   * Advance notice of a material change (see the README's "Advance notice of material changes"):
   * how many days before a material version takes effect its notice goes out (`days` and `list`
   * are editable in Settings), to which newsletter list, how fast (messages per second per
   * instance), how often a temporary failure is retried before giving up, and the first retry's
   * delay (doubled at each further attempt).
   */
  notice: { days: number; list: string; ratePerSecond: number; maxAttempts: number; retrySeconds: number };
  /**
   * Several instances on one database (README "Running several instances"): how often each reads
   * the generations table (a change on one instance is served by all within about this plus the
   * read), whether PostgreSQL's LISTEN/NOTIFY makes them read it at once, and how long a job's
   * lease holds without its instance renewing it (a dead instance's job is taken over after it).
   */
  instances: { pollMilliseconds: number; listen: boolean; jobLeaseSeconds: number };
}

export const defaultConfig: PrivacyCentreConfig = {
  secret: undefined,
  previousSecrets: [],
  publicUrl: undefined,
  controller: { name: '', address: '', email: '', url: '' },
  cacheTtlSeconds: 30,
  cacheMaxMegabytes: 32,
  installMiddlewares: true,
  replaySecurityHeaders: true,
  allowRestore: false,
  signUnsignedVersions: false,
  ipTruncation: { ipv4PrefixLength: 24, ipv6PrefixLength: 48 },
  consentValidityDays: 365,
  // Three years after closing: the usual limitation period for a claim about how a request was handled.
  retention: { consentRecordDays: 365, auditEventDays: 730, pendingSubscriptionDays: 30, unsubscribedAddressDays: 30, subjectRequestDays: 1095, batchSize: 500, consentRecordBatchSize: undefined },
  newsletter: {
    doubleOptIn: true,
    confirmationTokenHours: 48,
    lists: ['default'],
    from: undefined,
    resendIntervalMinutes: 10,
    confirmationsPerDay: 5,
    mailto: undefined,
    confirmRedirectUrl: undefined,
    unsubscribeRedirectUrl: undefined,
  },
  rateLimit: { enabled: true, windowSeconds: 60, max: 120, store: 'memory', redis: undefined },
  consentWrites: { batchSize: 200, batchMilliseconds: undefined, preparedStatements: true },
  consentLog: { exactTotalLimit: 1000 },
  cron: { enabled: true, retentionRule: '17 3 * * *' },
  // deadlines: rules that replace the built-in ones (subjects/due.ts DEFAULT_DEADLINES), each
  // whole: Strapi merges config deeply, and { days } merged into { months } would be both.
  subjects: { requestLinkHours: 24, selfServiceApproval: false, deadlines: {}, holidays: [] },
  discovery: { enabled: true, maxNamesPerDay: 5000, retentionDays: 90, flushMilliseconds: 2000, flushNames: 20000 },
  regions: { countryHeaders: [], regionHeaders: [], defaultJurisdiction: 'GDPR' },
  acceptance: { required: [], graceDays: 0 },
  // 30 days: what GitHub gives for material changes to its terms.
  notice: { days: 30, list: 'default', ratePerSecond: 10, maxAttempts: 5, retrySeconds: 60 },
  // Two reads a second: a change is served everywhere within a second, read time included.
  instances: { pollMilliseconds: 500, listen: true, jobLeaseSeconds: 60 },
};

const headerNames = () =>
  yup
    .array(yup.string().strict().matches(/^[A-Za-z0-9-]{1,64}$/, '${path} must be a header name (letters, digits and -)'))
    .strict()
    .max(10);

/** A year: a grace period longer than that is no deadline at all. */
export const MAX_GRACE_DAYS = 365;
/** Policy slugs that need acceptance: few, each once. */
export const acceptanceSlugs = () =>
  yup
    .array(yup.string().strict().max(SLUG_MAX_LENGTH).matches(SLUG_PATTERN, '${path} must be a policy slug (e.g. terms)'))
    .strict()
    .max(20)
    .test('distinct', '${path} names a policy twice', (v) => !v || new Set(v).size === v.length);

const positiveInt = () => yup.number().strict().integer().min(1);

// An object that refuses undeclared keys, in a message that names the object: `consentWrites has an unknown key: prepared`.
const closedObject = <S extends NonNullable<Parameters<typeof yup.object>[0]>>(shape: S, message = '${path} has an unknown key: ${unknown}') =>
  yup.object(shape).noUnknown(true, message);

const schema = closedObject(
  {
    secret: yup.string().strict().min(32, '${path} must be at least 32 characters').nullable().notRequired(),
    previousSecrets: yup.array(yup.string().strict().min(32)).strict(),
    // yup's url() refuses http://localhost, which every development setup uses.
    publicUrl: yup
      .string()
      .strict()
      .notRequired()
      .test('http-url', '${path} must be an absolute http(s) URL', (value) => value === undefined || value === null || isHttpUrl(value)),
    controller: controllerSchema.default(undefined),
    cacheTtlSeconds: yup.number().strict().integer().min(0),
    cacheMaxMegabytes: positiveInt().max(4096),
    installMiddlewares: yup.boolean().strict(),
    replaySecurityHeaders: yup.boolean().strict(),
    allowRestore: yup.boolean().strict(),
    signUnsignedVersions: yup.boolean().strict(),
    ipTruncation: closedObject({
      ipv4PrefixLength: yup.number().strict().integer().min(0).max(24),
      ipv6PrefixLength: yup.number().strict().integer().min(0).max(64),
    }).strict(),
    consentValidityDays: positiveInt().max(3650),
    retention: closedObject({
      consentRecordDays: positiveInt(),
      auditEventDays: positiveInt(),
      pendingSubscriptionDays: positiveInt(),
      unsubscribedAddressDays: positiveInt(),
      subjectRequestDays: positiveInt(),
      batchSize: positiveInt().max(10_000),
      consentRecordBatchSize: positiveInt().max(100_000),
    }).strict(),
    newsletter: closedObject({
      doubleOptIn: yup.boolean().strict(),
      confirmationTokenHours: positiveInt(),
      lists: yup.array(yup.string().strict().matches(/^[a-z0-9][a-z0-9_-]*$/)).strict().min(1),
      from: yup.string().strict().notRequired(),
      resendIntervalMinutes: yup.number().strict().integer().min(0),
      confirmationsPerDay: positiveInt().max(100),
      mailto: yup
        .string()
        .strict()
        .notRequired()
        .test('addr-spec', '${path} must be a bare e-mail address (local@domain, nothing around it)', (v) => v === undefined || v === null || isAddrSpec(v)),
      confirmRedirectUrl: yup.string().strict().notRequired().test('http-url', '${path} must be an absolute http(s) URL', (v) => v === undefined || v === null || isHttpUrl(v)),
      unsubscribeRedirectUrl: yup.string().strict().notRequired().test('http-url', '${path} must be an absolute http(s) URL', (v) => v === undefined || v === null || isHttpUrl(v)),
    }).strict(),
    rateLimit: closedObject({
      enabled: yup.boolean().strict(),
      windowSeconds: positiveInt(),
      max: positiveInt(),
      store: yup.string().strict().oneOf([...RATE_LIMIT_STORES], '${path} must be one of ' + RATE_LIMIT_STORES.join(', ')),
      // ioredis takes a URL or its options object; the options are its own to check.
      redis: yup
        .mixed()
        .test(
          'redis',
          '${path} must be a redis:// or rediss:// URL or an object of ioredis options (host, port, password, …)',
          (v) =>
            v === undefined ||
            v === null ||
            (typeof v === 'string' && /^rediss?:\/\/\S+$/.test(v)) ||
            (typeof v === 'object' && !Array.isArray(v))
        ),
    })
      // Said, not guessed: a Redis at localhost:6379 may be another app's.
      .test('redis-named', "rateLimit.redis must be set when rateLimit.store is 'redis' (a redis:// URL or ioredis options)", (v: any) => !v || v.store !== 'redis' || Boolean(v.redis))
      .strict(),
    consentWrites: closedObject({
      batchSize: positiveInt().max(5000),
      batchMilliseconds: yup.number().strict().integer().min(0).max(1000),
      preparedStatements: yup.boolean().strict(),
    }).strict(),
    consentLog: closedObject({ exactTotalLimit: positiveInt().max(10_000_000) }).strict(),
    cron: closedObject({
      enabled: yup.boolean().strict(),
      // Five fields (minute first) or six (second first), as Strapi's cron takes them.
      retentionRule: yup
        .string()
        .strict()
        .matches(/^\S+( \S+){4,5}$/, '${path} must be a cron rule of five or six fields, e.g. "17 3 * * *"'),
    }).strict(),
    subjects: closedObject({
      requestLinkHours: positiveInt().max(168),
      selfServiceApproval: yup.boolean().strict(),
      // Checked by the pure validators, whose messages name the key and what it expects.
      deadlines: yup
        .mixed()
        .test('deadlines', (value, context) => {
          const problems = deadlineTableProblems(value, JURISDICTION_CODES, REQUEST_TYPES);
          return problems.length ? context.createError({ message: problems.join('; ') }) : true;
        }),
      holidays: yup
        .mixed()
        .test('holidays', (value, context) => {
          const problems = holidayProblems(value);
          return problems.length ? context.createError({ message: problems.join('; ') }) : true;
        }),
    }).strict(),
    discovery: closedObject({
      enabled: yup.boolean().strict(),
      maxNamesPerDay: positiveInt().max(1_000_000),
      retentionDays: positiveInt().max(3650),
      flushMilliseconds: yup.number().strict().integer().min(0).max(60_000),
      flushNames: positiveInt().max(1_000_000),
    }).strict(),
    regions: closedObject({
      countryHeaders: headerNames(),
      regionHeaders: headerNames(),
      doNotSellUrl: yup.string().strict().notRequired().test('http-url', '${path} must be an absolute http(s) URL', (v) => v === undefined || v === null || isHttpUrl(v)),
      defaultJurisdiction: yup
        .string()
        .strict()
        .oneOf([...JURISDICTION_CODES, ...Object.keys(JURISDICTION_ALIASES)], '${path} must be one of ' + JURISDICTION_CODES.join(', ')),
    }).strict(),
    acceptance: closedObject({
      required: acceptanceSlugs(),
      graceDays: yup.number().strict().integer().min(0).max(MAX_GRACE_DAYS),
    }).strict(),
    notice: closedObject({
      days: yup.number().strict().integer().min(0).max(365),
      list: yup.string().strict().matches(/^[a-z0-9][a-z0-9_-]*$/, '${path} must be a list name (lower-case letters, digits, - and _)').max(64),
      ratePerSecond: positiveInt().max(10_000),
      maxAttempts: positiveInt().max(50),
      retrySeconds: positiveInt().max(86_400),
    }).strict(),
    instances: closedObject({
      pollMilliseconds: yup.number().strict().integer().min(50, '${path} must be at least 50').max(60_000, '${path} must be at most 60000'),
      listen: yup.boolean().strict(),
      // A renewal every third of the lease: under 3 s, one slow statement would lose it.
      jobLeaseSeconds: yup.number().strict().integer().min(3, '${path} must be at least 3').max(3600, '${path} must be at most 3600'),
    }).strict(),
  },
  // At the root there is no path to name.
  'has an unknown key: ${unknown}'
).strict();

/**
 * Strapi calls this at boot with the merged configuration; throwing stops Strapi.
 * The message names the key and what it expects, e.g.
 * `privacy-centre config: cacheTtlSeconds must be a `number` type …`.
 */
export function validateConfig(config: unknown): void {
  try {
    schema.validateSync(config, { abortEarly: false, strict: true });
  } catch (error) {
    if (error instanceof yup.ValidationError) {
      const problems = error.errors.map((message) =>
        message.startsWith('this ') ? message.replace(/^this /, '(root) ') : message
      );
      throw new Error(`privacy-centre config is invalid:\n  - ${problems.join('\n  - ')}`);
    }
    throw error;
  }
  const { secret, notice, newsletter } = config as PrivacyCentreConfig;
  if (notice && newsletter && !newsletter.lists.includes(notice.list)) {
    throw new Error(`privacy-centre config is invalid:\n  - notice.list must be one of newsletter.lists (${newsletter.lists.join(', ')}), not "${notice.list}"`);
  }
  if (!secret && process.env.NODE_ENV === 'production') {
    throw new Error(
      'privacy-centre config is invalid:\n  - secret is required in production (at least 32 random characters, e.g. env("PRIVACY_CENTRE_SECRET"))'
    );
  }
}

export default {
  default: defaultConfig,
  validator: validateConfig,
};
