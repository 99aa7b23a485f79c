// The shapes of the public API, once: the routes declare them (Strapi's own OpenAPI generator reads
// them there), the controllers and fast paths validate input with them, and server/scripts/openapi.js
// writes the plugin's OpenAPI 3.1 document from them. `z` is Strapi's own zod (4.x).
//
// Request schemas are strict (bounds, patterns, no unknown fields) because they validate. Their
// messages are the API's error messages: `{path}` in one is replaced by the field's path (see
// problems.ts), and several are what frontends and tests have read since 0.1.
import { z } from '@strapi/utils';
import { CATEGORY_KEY_PATTERN } from '../cookies/validation';
import { CONSENT_MODE_SIGNALS, STORAGE_TYPES } from '../cookies/types';
import { MODELS } from '../regions';
import {
  isPagePath,
  MAX_NAME_LENGTH,
  MAX_NAMES_PER_REPORT,
  MAX_PATH_LENGTH,
  OBSERVED_NAME_PATTERN,
  OBSERVED_NAME_RULE,
  PATH_RULE,
  VALUE_RUN,
  VALUE_RUN_RULE,
} from '../discovery/names';
import { EMAIL_MAX_LENGTH, normaliseEmail } from '../newsletter/email';
import {
  isCleanText,
  isHttpUrl,
  LOCALE_MAX_LENGTH,
  LOCALE_PATTERN,
  LOCALE_RULE,
  SLUG_MAX_LENGTH,
  SLUG_PATTERN,
  SLUG_RULE,
  VERSION_PATTERN,
} from '../policy/patterns';

export { z };

/**
 * The named schemas: `components/schemas` of the document, by these ids. The typed client
 * (openapi-typescript) names its types after them, so an id is never renamed lightly.
 */
export const contractRegistry = z.registry<{ id?: string; description?: string }>();
// Descriptions, formats and examples are written with `.meta()`, which keeps them in zod's global
// registry: the document reads them from there too (never an id: ids are this registry's alone).
const ownMeta = contractRegistry.get.bind(contractRegistry);
contractRegistry.get = (schema) => {
  const { id: _foreignId, ...shared } = (z.globalRegistry.get(schema) ?? {}) as Record<string, unknown>;
  const own = ownMeta(schema);
  return own || Object.keys(shared).length ? { ...shared, ...own } : undefined;
};
const named = <T extends z.ZodType>(id: string, schema: T, description?: string): T => {
  contractRegistry.add(schema, { id, ...(description ? { description } : {}) });
  return schema;
};

// ---- patterns ----------------------------------------------------------------------------

/** A random id the browser keeps (cookieconsent's `consentId` is a UUID). */
export const SUBJECT_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
/** The plugin's consent ids: 16 random bytes, base64url. */
export const CONSENT_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
/** Categories one decision may name (per list in cookieconsent's shape). */
export const MAX_CATEGORIES = 50;
/** Link tokens are short: anything longer is not one (see newsletter/tokens.ts). */
export const TOKEN_MAX_LENGTH = 1024;

const MAX_VERSION = 1e9;
/** A message naming the value it refuses, JSON-quoted and cut to 70 characters. */
const quoted = (value: unknown) => JSON.stringify(value)?.slice(0, 70) ?? 'a value';

// ---- building blocks ---------------------------------------------------------------------

/** A positive whole number up to 1e9 (revisions, versions). */
const positiveInteger = (message: string) =>
  z.number({ error: message }).int({ error: message }).min(1, { error: message }).max(MAX_VERSION, { error: message });

export const slugSchema = (message = SLUG_RULE) =>
  z.string({ error: message }).max(SLUG_MAX_LENGTH, { error: message }).regex(SLUG_PATTERN, { error: message });

export const localeSchema = (message: string = LOCALE_RULE) =>
  z.string({ error: message }).max(LOCALE_MAX_LENGTH, { error: message }).regex(LOCALE_PATTERN, { error: message });

/** An absolute http(s) URL without NUL or broken surrogates (which the databases refuse or mangle). */
const httpUrl = (message: string) =>
  z
    .string({ error: message })
    .max(2048, { error: message })
    .refine((value) => isHttpUrl(value) && isCleanText(value), { error: message })
    .meta({ format: 'uri' });

const categoryKeyIn = (container: string) => {
  const message = (issue: { input?: unknown }) => `${container} holds ${quoted(issue.input)}, which is not a category key`;
  return z.string({ error: message }).regex(CATEGORY_KEY_PATTERN, { error: message });
};

const subjectId = (message: string) => z.string({ error: message }).regex(SUBJECT_ID_PATTERN, { error: message });
const dateTime = () => z.string().meta({ format: 'date-time' });

// ---- path and query parameters -----------------------------------------------------------

export const params = {
  slug: slugSchema().meta({ description: 'The policy document, e.g. `privacy-policy`.', examples: ['privacy-policy'] }),
  version: z
    .string({ error: 'version must be a positive whole number, e.g. /versions/3' })
    .regex(VERSION_PATTERN, { error: 'version must be a positive whole number, e.g. /versions/3' })
    .meta({ description: 'A published version number.', examples: ['3'] }),
  consentId: z
    .string({ error: 'consentId must be the consentId of a receipt' })
    .regex(CONSENT_ID_PATTERN, { error: 'consentId must be the consentId of a receipt' })
    .meta({ description: 'The `consentId` of a receipt.' }),
};

export const queries = {
  locale: localeSchema().optional().meta({ description: 'The locale to answer in; a locale the content lacks falls back (the answer says `fallback: true`).', examples: ['fi'] }),
  token: z.string().max(TOKEN_MAX_LENGTH).optional().meta({ description: 'The signed token of the e-mailed link.' }),
  consentModeFormat: z
    .object({
      format: z
        .enum(['json', 'script'], { error: 'format must be json or script' })
        .optional()
        .meta({ description: '`script`: the commands as JavaScript to include before any tag (with gtag\'s own two lines).' }),
    })
    .loose(),
};

// ---- errors --------------------------------------------------------------------------------

export const ErrorSchema = named(
  'Error',
  z.object({
    data: z.null(),
    error: z.object({
      status: z.number().int().min(400).max(599),
      name: z.string(),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  }),
  "Strapi's error shape."
);

// ---- policies ------------------------------------------------------------------------------

const PolicySection = named(
  'PolicySection',
  z.object({
    anchor: z.string(),
    heading: z.string(),
    markdown: z.string(),
    html: z.string().meta({ description: 'Sanitised HTML of `markdown`.' }),
  })
);

const ControllerIdentity = named(
  'ControllerIdentity',
  z.object({ name: z.string(), address: z.string(), email: z.string(), url: z.string() }),
  'The controller named in the version (sealed with it).'
);

const POLICY_STATUSES = ['scheduled', 'in-force', 'superseded', 'withdrawn'] as const;

export const PolicyVersion = named(
  'PolicyVersion',
  z.object({
    slug: z.string(),
    version: z.number().int().min(1),
    status: z.enum(['in-force', 'scheduled']).optional().meta({ description: 'On `current` and `upcoming` only.' }),
    locale: z.string(),
    fallback: z.boolean().meta({ description: 'Served in another locale than asked for.' }),
    locales: z.array(z.string()),
    title: z.string(),
    summary: z.string(),
    materialChange: z.boolean(),
    effectiveAt: dateTime(),
    publishedAt: dateTime(),
    hash: z.string(),
    signature: z.string().nullable().meta({ description: 'Ed25519 over `hash:publishedAt`, checkable with GET /keys.' }),
    previousVersion: z.number().int().min(1).nullable(),
    controller: ControllerIdentity,
    sections: z.array(PolicySection),
  }),
  'One published version of a policy, in one locale.'
);

export const PolicyChangelog = named(
  'PolicyChangelog',
  z.object({
    slug: z.string(),
    versions: z.array(
      z.union([
        z.object({
          version: z.number().int().min(1),
          status: z.enum(POLICY_STATUSES),
          effectiveAt: dateTime(),
          publishedAt: dateTime(),
          summary: z.string(),
          materialChange: z.boolean(),
          hash: z.string(),
          integrity: z.literal('ok'),
          locales: z.array(z.string()),
        }),
        z.object({ version: z.number().int().min(1), integrity: z.literal('broken') }),
      ])
    ),
  }),
  'Every published version, newest first; one that fails its integrity check is listed by number only.'
);

export const PolicyChanges = named(
  'PolicyChanges',
  z.object({
    slug: z.string(),
    version: z.number().int().min(1),
    previousVersion: z.number().int().min(1).nullable().meta({ description: 'The published version before this one; null for the first (then every section is `added`).' }),
    locale: z.string(),
    fallback: z.boolean().meta({ description: 'Served in another locale than asked for.' }),
    title: z.string(),
    summary: z.string(),
    materialChange: z.boolean(),
    effectiveAt: dateTime(),
    hash: z.string(),
    changes: z.array(
      z.union([
        z.object({ kind: z.literal('added'), anchor: z.string(), heading: z.string(), markdown: z.string() }),
        z.object({ kind: z.literal('removed'), anchor: z.string(), heading: z.string(), previousMarkdown: z.string() }),
        z.object({
          kind: z.literal('changed'),
          anchor: z.string(),
          heading: z.string(),
          previousHeading: z.string(),
          markdown: z.string(),
          previousMarkdown: z.string(),
        }),
      ])
    ),
  }),
  'The sections of a version that differ from the version before it (matched by anchor), in its order; unchanged sections are left out.'
);

// ---- cookies -------------------------------------------------------------------------------

/** c15t's consent types (see the c15t backend): optional here until every category carries one. */
export const C15T_TYPES = ['necessary', 'functionality', 'measurement', 'experience', 'marketing'] as const;

const ConsentMode = named(
  'ConsentMode',
  z.object(Object.fromEntries(CONSENT_MODE_SIGNALS.map((signal) => [signal, z.enum(['granted', 'denied'])])) as Record<
    (typeof CONSENT_MODE_SIGNALS)[number],
    z.ZodEnum<{ granted: 'granted'; denied: 'denied' }>
  >),
  "Google Consent Mode v2: what `gtag('consent', 'update', …)` takes."
);

const DeclaredCookie = named(
  'DeclaredCookie',
  z.object({
    name: z.string(),
    provider: z.string(),
    domain: z.string(),
    purpose: z.string(),
    duration: z.string(),
    storageType: z.enum(STORAGE_TYPES),
    thirdParty: z.boolean(),
    service: z.string(),
  })
);

const CookieCategory = named(
  'CookieCategory',
  z.object({
    key: z.string(),
    name: z.string(),
    description: z.string(),
    required: z.boolean(),
    consentMode: z.array(z.enum(CONSENT_MODE_SIGNALS)),
    refusedUnderGpc: z.boolean(),
    c15tType: z.enum(C15T_TYPES).optional(),
    saleShare: z.boolean().meta({ description: 'Sells or shares personal information: an opt-out (GPC in an opt-out jurisdiction) refuses it.' }),
    cookies: z.array(DeclaredCookie),
  })
);

export const CookieDeclaration = named(
  'CookieDeclaration',
  z.object({
    revision: z.number().int().min(1),
    hash: z.string(),
    publishedAt: dateTime(),
    locale: z.string(),
    fallback: z.boolean(),
    locales: z.array(z.string()),
    categories: z.array(CookieCategory),
    jurisdiction: z
      .object({ code: z.string(), model: z.enum(MODELS), country: z.string().nullable(), region: z.string().nullable() })
      .meta({ description: 'The jurisdiction of the request, from trusted headers only (config `regions`), and its model.' }),
    defaults: z
      .record(z.string(), z.boolean())
      .meta({ description: 'Category key → the state a banner starts from: opt-in refuses optional categories until chosen; opt-out and notice grant them, less what GPC refuses.' }),
    gpc: z
      .object({ signal: z.boolean(), refused: z.array(z.string()), honoured: z.boolean() })
      .meta({ description: 'The request\'s Sec-GPC signal, what it refuses, and whether it is honoured as an opt-out of sale/share (opt-out jurisdictions).' }),
    doNotSell: z
      .object({ text: z.string(), url: z.string() })
      .nullable()
      .meta({ description: 'Under an opt-out model: the "Do Not Sell or Share My Personal Information" link a site must show.' }),
  }),
  'The latest published revision of the cookie declaration, in one locale, with what the request\'s jurisdiction makes of it.'
);

const consentModeValue = z.enum(['granted', 'denied']);
export const ConsentModeDefaults = named(
  'ConsentModeDefaults',
  z.object({
    revision: z.number().int().min(1),
    // A list, not a tuple: OpenAPI 3.0 (plugin-documentation) has no tuples.
    commands: z.array(
      z
        .array(
          z.union([
            z.enum(['consent', 'default']),
            z
              .object({
                ...(Object.fromEntries(CONSENT_MODE_SIGNALS.map((signal) => [signal, consentModeValue])) as Record<(typeof CONSENT_MODE_SIGNALS)[number], typeof consentModeValue>),
                region: z.array(z.string()).optional(),
              })
              .meta({ description: 'The defaults of one jurisdiction and the areas it covers (`region`), or, last and without `region`, the global default.' }),
          ])
        )
        .length(3)
        .meta({ description: "The arguments of one `gtag('consent', 'default', {…})`." })
    ),
  }),
  "Google Consent Mode v2: the `gtag('consent', 'default', …)` commands per region of the regions table, then the global default."
);

// ---- consents: input -----------------------------------------------------------------------

const POLICY_SHAPE = 'policy must be { slug, version? } with a policy slug such as "privacy-policy"';
const policyReference = z
  .object(
    {
      slug: slugSchema(POLICY_SHAPE),
      version: positiveInteger('policy.version must be a positive whole number').optional(),
    },
    { error: POLICY_SHAPE }
  )
  .strict()
  .meta({ description: 'The policy the visitor was shown (its version in force when omitted).' });

const SOURCE_RULE = 'source must be an absolute http(s) URL of at most 2048 characters';
const PREVIOUS_RULE = 'previousConsentId must be the consentId of an earlier receipt';
const REQUEST_ID_RULE = 'requestId must be 1–64 letters, digits, _, -, . or :';
const SUBJECT_RULE = 'subjectId must be 8–64 letters, digits, _ or -';
const JURISDICTION_RULE = 'jurisdiction must be a jurisdiction code such as "GDPR" or "CCPA"';
const JURISDICTION_PATTERN = /^[A-Z][A-Z0-9_]{1,15}$/;
const LOCALE_SHORT_RULE = (field: string) => `${field} must be a locale code such as "en" or "fi"`;

/** Fields both shapes of a decision take. */
const decisionAdditions = {
  policy: policyReference.optional(),
  source: httpUrl(SOURCE_RULE).optional().meta({ description: 'The page the decision was made on (else the `Referer`).' }),
  previousConsentId: z
    .string({ error: PREVIOUS_RULE })
    .regex(CONSENT_ID_PATTERN, { error: PREVIOUS_RULE })
    .optional()
    .meta({ description: 'The receipt this decision updates (needs the subjectId of that receipt).' }),
  requestId: z
    .string({ error: REQUEST_ID_RULE })
    .regex(REQUEST_ID_PATTERN, { error: REQUEST_ID_RULE })
    .optional()
    .meta({ description: 'Makes a retry safe: the same subjectId and requestId answer the first receipt (200).' }),
  jurisdiction: z
    .string({ error: JURISDICTION_RULE })
    .regex(JURISDICTION_PATTERN, { error: JURISDICTION_RULE })
    .optional()
    .meta({
      description:
        'The jurisdiction code the frontend was given by GET /cookies. The server resolves the jurisdiction itself (trusted headers only) and refuses a decision that names another (400).',
    }),
};

/** zod runs no check of a record some key of which it refused: parseConsentInput counts them too. */
export const STATE_LIMIT = `state names more than ${MAX_CATEGORIES} categories`;

export const ConsentInput = named(
  'ConsentInput',
  z
    .object({
      state: z
        .record(categoryKeyIn('state'), z.boolean({ error: '{path} must be true or false' }), {
          error: 'state is required: an object of category key → true or false',
        })
        .refine((state) => Object.keys(state).length <= MAX_CATEGORIES, { error: STATE_LIMIT })
        .meta({ description: 'Category key → granted.', maxProperties: MAX_CATEGORIES }),
      declarationRevision: positiveInteger('declarationRevision must be a positive whole number')
        .optional()
        .meta({ description: 'The declaration revision the visitor was shown.' }),
      locale: localeSchema(LOCALE_SHORT_RULE('locale')).optional(),
      subjectId: subjectId(SUBJECT_RULE).optional().meta({ description: "The browser's own random id." }),
      ...decisionAdditions,
    })
    .strict(),
  "A consent decision in the plugin's own shape."
);

const CC_LIST_RULE = (name: string) => `${name} must be a list of category keys`;
const categoryList = (name: string) =>
  z
    .array(categoryKeyIn(name), { error: CC_LIST_RULE(name) })
    .max(MAX_CATEGORIES, { error: `${name} names more than ${MAX_CATEGORIES} categories` })
    .nullable()
    .optional();
/** cookieconsent's own fields, sent as it keeps them: not read. */
const ignored = (description: string) => z.unknown().optional().meta({ description: `${description} (cookieconsent's; not read)` });

export const CookieConsentInput = named(
  'CookieConsentInput',
  z
    .object({
      acceptedCategories: categoryList('acceptedCategories'),
      rejectedCategories: categoryList('rejectedCategories'),
      revision: positiveInteger('revision must be the declaration revision, a positive whole number').optional(),
      languageCode: localeSchema(LOCALE_SHORT_RULE('languageCode')).optional(),
      consentId: subjectId("consentId (cookieconsent's, the visitor's id) must be 8–64 letters, digits, _ or -").optional(),
      acceptType: ignored('all, necessary or custom'),
      consentTimestamp: ignored('When consent was first given'),
      lastConsentTimestamp: ignored('When it last changed'),
      categories: ignored('The accepted categories'),
      services: ignored('The accepted services per category'),
      acceptedServices: ignored('Accepted services'),
      rejectedServices: ignored('Rejected services'),
      data: ignored("The site's own data"),
      expirationTime: ignored('When the cookie expires'),
      ...decisionAdditions,
    })
    .strict(),
  "A consent decision in cookieconsent v3's shape (its cookie, or what getUserPreferences() returns), recognised by `acceptedCategories` or `rejectedCategories` being a list."
);

// ---- consents: answers ---------------------------------------------------------------------

const receiptFields = {
  consentId: z.string(),
  subjectId: z.string(),
  action: z.enum(['given', 'updated', 'withdrawn']),
  state: z.record(z.string(), z.boolean()),
  consentMode: ConsentMode,
  gpc: z.object({
    signal: z.boolean(),
    refused: z.array(z.string()),
    honoured: z.boolean().optional().meta({ description: 'The signal was applied as the opt-out of sale/share an opt-out law makes it (absent on receipts from before regions).' }),
  }),
  givenAt: dateTime(),
  expiresAt: dateTime(),
  previousConsentId: z.string().nullable(),
  policy: z.object({ slug: z.string(), version: z.number().int(), hash: z.string() }).nullable(),
  declaration: z.object({ revision: z.number().int(), hash: z.string() }),
  jurisdiction: z
    .object({ code: z.string(), model: z.enum(MODELS) })
    .optional()
    .meta({ description: 'The jurisdiction the server resolved for the request, and its model (absent on receipts from before regions).' }),
  signature: z.string(),
};

export const ConsentReceipt = named(
  'ConsentReceipt',
  z.object(receiptFields),
  'What was recorded about a decision, signed: the browser keeps it (e.g. with cookieconsent\'s data).'
);

const { subjectId: _subjectId, signature: _signature, ...statusReceiptFields } = receiptFields;

export const ConsentStatus = named(
  'ConsentStatus',
  z.object({
    receipt: z.object(statusReceiptFields).meta({ description: 'The receipt as recorded, without subjectId and signature.' }),
    status: z.enum(['valid', 'expired', 'superseded', 'withdrawn']),
    askAgain: z.boolean(),
    reasons: z.array(z.enum(['expired', 'superseded', 'withdrawn', 'declaration-changed', 'policy-changed'])),
    current: z.object({ declarationRevision: z.number().int().nullable(), policyVersion: z.number().int().nullable() }),
  }),
  'What a receipt stands for now, and whether to ask the visitor again.'
);

export const ConsentVerifyInput = named(
  'ConsentVerifyInput',
  z.object({
    receipt: z.object({ consentId: z.string(), signature: z.string() }).loose().meta({ description: 'A receipt as POST /consents answered it.' }),
  }),
  'A receipt to check. A body of another shape is answered `reason: "malformed"`.'
);

export const VerifyResult = named(
  'VerifyResult',
  z.object({
    authentic: z.boolean(),
    matchesRecord: z.boolean(),
    reason: z.enum(['ok', 'malformed', 'bad-signature', 'unknown-consent', 'differs-from-record']),
  })
);

// ---- newsletter ----------------------------------------------------------------------------

const EMAIL_RULE = `email must be an e-mail address (at most ${EMAIL_MAX_LENGTH} characters)`;
const email = () =>
  z
    .string({ error: EMAIL_RULE })
    .refine((value) => normaliseEmail(value) !== null, { error: EMAIL_RULE })
    .meta({ format: 'email', description: `An address of at most ${EMAIL_MAX_LENGTH} characters (surrounding white space is ignored).` });
/** An optional field a plain HTML form sends as '' when left empty. */
const orEmpty = <T extends z.ZodType>(schema: T) => z.union([schema, z.literal('')]);

export const RECEIPT_RULE = 'receipt does not verify: it was not issued by this site, or it was changed';
/** The order the problems of a sign-up are listed in. */
export const SUBSCRIBE_ORDER = ['email', 'list', 'locale', 'source', 'subjectId', 'receipt'];

const subscribeFields = {
  email: email(),
  list: z.string({ error: 'list must be a list name' }).max(100, { error: 'list must be a list name' }).optional().meta({ description: 'One of the configured lists; the first when omitted.' }),
  locale: orEmpty(localeSchema(LOCALE_SHORT_RULE('locale'))).optional(),
  source: orEmpty(httpUrl('source must be an absolute http(s) URL')).optional(),
  subjectId: z
    .literal('', { error: "subjectId alone does not link a sign-up to a browser: send the browser's latest receipt as `receipt`" })
    .optional()
    .meta({ description: 'Never accepted: a sign-up is linked to a browser by its `receipt`.' }),
  receipt: orEmpty(z.object({}, { error: RECEIPT_RULE }).loose())
    .optional()
    .meta({ description: "The browser's latest consent receipt: links the sign-up to that browser's consents." }),
};

export const NewsletterSubscribeInput = named('NewsletterSubscribeInput', z.object(subscribeFields).strict(), 'A sign-up (double opt-in).');
/** A plain HTML form may carry its button's name too: ignored there. */
export const NewsletterSubscribeForm = z.object(subscribeFields).loose();

const token = () => z.string().max(TOKEN_MAX_LENGTH).meta({ description: 'The token of the e-mailed link.' });

export const LinkTokenInput = named('LinkTokenInput', z.object({ token: token().optional() }).loose(), 'The link token (else read from the URL).');

export const NewsletterUnsubscribeInput = named(
  'NewsletterUnsubscribeInput',
  z
    .object({
      token: token().optional(),
      reason: z.string().optional().meta({ description: 'Kept (its first 500 characters) with the withdrawal.' }),
    })
    .loose(),
  "A frontend's unsubscribe (the token is also read from the URL)."
);

export const OneClickUnsubscribeForm = named(
  'OneClickUnsubscribeForm',
  z
    .object({
      'List-Unsubscribe': z.literal('One-Click').optional().meta({ description: 'RFC 8058 one-click: the token is in the URL.' }),
      token: token().optional(),
      reason: z.string().optional(),
    })
    .loose(),
  "RFC 8058 one-click (`List-Unsubscribe=One-Click`, token in the URL) or the unsubscribe page's form."
);

export const Accepted = named(
  'Accepted',
  z.object({ data: z.object({ status: z.literal('accepted'), message: z.string() }) }),
  'The same answer for every address: it tells nobody who subscribes or asks.'
);

// ---- data-subject requests -----------------------------------------------------------------

export const SubjectRequestInput = named(
  'SubjectRequestInput',
  z
    .object({
      email: email(),
      type: z.enum(['access', 'erasure'], { error: 'type must be access or erasure' }),
      locale: orEmpty(localeSchema(LOCALE_SHORT_RULE('locale'))).optional(),
    })
    .strict(),
  'A self-service request: a link to confirm it is e-mailed to the address.'
);

// ---- cookie discovery ----------------------------------------------------------------------

/** Where a browser keeps what it reports: cookies and Web Storage keys. */
export const OBSERVED_STORAGES = ['cookie', 'localStorage', 'sessionStorage'] as const;
export const OBSERVATION_ORDER = ['revision', 'path', 'granted', ...OBSERVED_STORAGES];
const NAMES_LIMIT = `a report names more than ${MAX_NAMES_PER_REPORT} names`;

const observedNames = (storage: string) =>
  z
    .array(
      z
        .string({ error: `${storage} must be a list of names` })
        .regex(OBSERVED_NAME_PATTERN, { error: (issue) => `${storage} holds ${quoted(issue.input)}: ${OBSERVED_NAME_RULE}` })
        .refine((name) => !VALUE_RUN.test(name), { error: (issue) => `${storage} holds ${quoted(issue.input)}: ${VALUE_RUN_RULE}` })
        .meta({ maxLength: MAX_NAME_LENGTH }),
      { error: `${storage} must be a list of names` }
    )
    .max(MAX_NAMES_PER_REPORT, { error: NAMES_LIMIT })
    .optional()
    .meta({ description: `The ${storage === 'cookie' ? 'cookie names of `document.cookie`' : `keys of ${storage}`}: names only, never values.` });

const GRANTED_RULE = 'granted must be null (no decision yet) or the list of granted category keys';

export const CookieObservationInput = named(
  'CookieObservationInput',
  z
    .object({
      revision: positiveInteger('revision must be the declaration revision the page runs (a positive whole number)').meta({
        description: 'The declaration revision the page runs (its categories decide what counts as refused).',
      }),
      path: z
        .string({ error: PATH_RULE })
        .max(MAX_PATH_LENGTH, { error: PATH_RULE })
        .refine(isPagePath, { error: PATH_RULE })
        .meta({ description: 'The page path (`location.pathname`): no query, no fragment.', examples: ['/blog/hello'] }),
      granted: z
        .array(categoryKeyIn('granted'), { error: GRANTED_RULE })
        .max(MAX_CATEGORIES, { error: `granted names more than ${MAX_CATEGORIES} categories` })
        .nullable()
        .meta({ description: "The visitor's consent at that moment: null before any decision, else the granted category keys." }),
      cookie: observedNames('cookie'),
      localStorage: observedNames('localStorage'),
      sessionStorage: observedNames('sessionStorage'),
    })
    .strict()
    .refine((report) => OBSERVED_STORAGES.reduce((sum, storage) => sum + (report[storage]?.length ?? 0), 0) <= MAX_NAMES_PER_REPORT, {
      error: NAMES_LIMIT,
    }),
  `What a page saw (cookie discovery): names only, at most ${MAX_NAMES_PER_REPORT} in all; sent by navigator.sendBeacon as text/plain or as JSON.`
);

// ---- do not sell or share ------------------------------------------------------------------

const doNotSellFields = {
  subjectId: orEmpty(subjectId(SUBJECT_RULE))
    .optional()
    .meta({ description: "The browser's subjectId (of its receipts): its latest decision is continued, with the sale/share categories refused." }),
  email: orEmpty(email())
    .optional()
    .meta({ description: 'Registers an opt-out-sale-share request too, covering what the site holds beyond this browser. The answer is the same whether the address is known or not.' }),
  locale: orEmpty(localeSchema(LOCALE_SHORT_RULE('locale'))).optional(),
};

export const DoNotSellInput = named('DoNotSellInput', z.object(doNotSellFields).strict(), 'An opt-out of the sale and sharing of personal information.');
/** The page's form may carry its button's name too: ignored there. */
export const DoNotSellForm = z.object(doNotSellFields).loose();

export const DoNotSellResult = named(
  'DoNotSellResult',
  z.object({
    status: z.literal('opted-out'),
    receipt: ConsentReceipt,
    requestRegistered: z.boolean().meta({ description: 'An e-mail address was given and the request is registered (the same answer for every address).' }),
  }),
  'The opt-out, recorded: the receipt the browser keeps.'
);

export const doNotSellQuery = z
  .object({
    locale: localeSchema(LOCALE_SHORT_RULE('locale')).optional(),
    subjectId: subjectId(SUBJECT_RULE).optional(),
  })
  .loose();

// ---- keys ----------------------------------------------------------------------------------

export const Jwks = named(
  'Jwks',
  z.object({
    keys: z.array(
      z.object({
        kty: z.literal('OKP'),
        crv: z.literal('Ed25519'),
        x: z.string(),
        kid: z.string(),
        use: z.literal('sig'),
        alg: z.literal('EdDSA'),
        createdAt: dateTime(),
        retiredAt: dateTime().nullable(),
      })
    ),
  }),
  'Every public key that ever signed a proof (RFC 7517 JWK Set); retired keys stay listed.'
);

// ---- policy acceptance by signed-in users ---------------------------------------------------

const ACCEPT_HASH_RULE = 'hash must be the hash of the version shown (64 hexadecimal digits, from acceptances/me or the policy answer)';

export const AcceptanceInput = named(
  'AcceptanceInput',
  z
    .object({
      slug: slugSchema().meta({ description: 'The policy, e.g. `terms`.' }),
      version: positiveInteger('version must be a positive whole number').meta({ description: 'The version in force (`current.version` of acceptances/me).' }),
      hash: z
        .string({ error: ACCEPT_HASH_RULE })
        .regex(/^[0-9a-f]{64}$/, { error: ACCEPT_HASH_RULE })
        .meta({ description: 'The hash of the text the user was shown (any locale of that version).' }),
    })
    .strict(),
  'The version of a policy the signed-in user accepts: exactly the one in force, as it was shown.'
);

export const AcceptanceReceipt = named(
  'AcceptanceReceipt',
  z.object({
    consentId: z.string(),
    kind: z.literal('policy'),
    action: z.literal('given'),
    subjectRef: z.string().meta({ description: "A keyed pseudonym of the user's documentId (never the e-mail)." }),
    policy: z.object({ slug: z.string(), version: z.number().int(), hash: z.string() }),
    givenAt: dateTime(),
    signature: z.string().meta({ description: 'Ed25519 over the canonical JSON of every other field (`kid.signature`), checkable with GET /keys.' }),
  }),
  'What was recorded about an acceptance, signed.'
);

export const AcceptanceStatus = named(
  'AcceptanceStatus',
  z.object({
    graceDays: z.number().int(),
    policies: z.array(
      z.object({
        slug: z.string(),
        current: z
          .object({ version: z.number().int(), hash: z.string(), effectiveAt: dateTime(), url: z.string().meta({ description: "The version's public answer." }) })
          .nullable()
          .meta({ description: 'The version in force (null: none yet, nothing to accept).' }),
        accepted: z
          .object({ version: z.number().int(), hash: z.string(), acceptedAt: dateTime(), consentId: z.string() })
          .nullable()
          .meta({ description: 'The latest version the user accepted (null: none).' }),
        mustAccept: z.boolean().meta({ description: 'The user has not accepted the latest material version in force (or the first version).' }),
        deadline: dateTime().nullable().meta({ description: 'When the route policy starts refusing the user (null: nothing to accept).' }),
        overdue: z.boolean().meta({ description: 'The deadline has passed: routes with the policy `policies-accepted` refuse the user.' }),
      })
    ),
  }),
  'Per policy the signed-in user must accept: what is in force, what they accepted, and by when they must.'
);

export const AcceptanceVerifyInput = named(
  'AcceptanceVerifyInput',
  // Strict, the receipt too: a field the signature does not cover is not part of a receipt.
  z.object({ receipt: AcceptanceReceipt.strict() }).strict(),
  'An acceptance receipt to check. A body of another shape is answered `reason: "malformed"`.'
);

// ---- answer envelopes ----------------------------------------------------------------------

export const answers = {
  policyVersion: z.object({ data: PolicyVersion }),
  policyChangelog: z.object({ data: PolicyChangelog }),
  policyChanges: z.object({ data: PolicyChanges }),
  cookieDeclaration: z.object({ data: CookieDeclaration }),
  doNotSell: z.object({ data: DoNotSellResult }),
  consentModeDefaults: z.object({ data: ConsentModeDefaults }),
  receipt: z.object({ data: ConsentReceipt }),
  consentStatus: z.object({ data: ConsentStatus }),
  verifyResult: z.object({ data: VerifyResult }),
  acceptanceStatus: z.object({ data: AcceptanceStatus }),
  acceptanceReceipt: z.object({ data: AcceptanceReceipt }),
  accepted: Accepted,
  subscribed: z.object({ data: z.object({ status: z.literal('subscribed'), list: z.string().optional() }) }),
  unsubscribed: z.object({ data: z.object({ status: z.literal('unsubscribed') }) }),
  requestStatus: z.object({
    data: z.object({
      status: z.enum(['waiting-for-approval', 'in-progress', 'completed']),
      type: z.enum(['access', 'erasure']),
      dueAt: dateTime(),
    }),
  }),
  jwks: Jwks,
  observationAccepted: z.object({ data: z.object({ status: z.literal('accepted') }) }),
  html: z.string().meta({ description: 'A small HTML page.' }),
  text: z.string(),
  error: ErrorSchema,
  document: z.object({ openapi: z.string() }).loose().meta({ description: 'An OpenAPI 3.1 document.' }),
};
