// What `POST /consents` accepts, in the plugin's own shape or the one cookieconsent v3 gives its
// callbacks, read into one normalised decision. Pure: every rule here is unit-tested.
import { CATEGORY_KEY_PATTERN } from '../cookies/validation';
import { isCleanText, isHttpUrl, isLocaleCode, isSlug } from '../policy/patterns';

/** A random id the browser keeps (cookieconsent's `consentId` is a UUID). */
export const SUBJECT_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
/** The plugin's consent ids: 16 random bytes, base64url. */
export const CONSENT_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
const REQUEST_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
const MAX_CATEGORIES = 50;

export interface ConsentDecision {
  /** How the frontend sent it: the plugin's shape, cookieconsent v3's, or c15t's POST /subjects. */
  via: 'plugin' | 'cookieconsent' | 'c15t';
  /** Category key → granted, as the visitor chose (before required categories and GPC). */
  choices: Record<string, boolean>;
  declarationRevision?: number;
  policy?: { slug: string; version?: number };
  source?: string;
  language?: string;
  subjectId?: string;
  previousConsentId?: string;
  requestId?: string;
}

/** Thrown with every problem found, in words a frontend developer understands. */
export class ConsentInputError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;

const positiveInteger = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 1 && (value as number) <= 1e9;

const OWN_KEYS = ['state', 'declarationRevision', 'policy', 'source', 'locale', 'subjectId', 'previousConsentId', 'requestId'];
/** cookieconsent v3's cookie, plus the plugin's optional fields; other keys it writes are ignored. */
const COOKIECONSENT_KEYS = [
  'consentId', 'revision', 'acceptType', 'acceptedCategories', 'rejectedCategories', 'languageCode',
  'consentTimestamp', 'lastConsentTimestamp', 'categories', 'services', 'acceptedServices', 'rejectedServices',
  'data', 'expirationTime', 'policy', 'source', 'previousConsentId', 'requestId',
];

/**
 * Reads a request body (an object, or the JSON text `navigator.sendBeacon` sends as text/plain)
 * into a decision, or throws ConsentInputError listing what is wrong.
 */
export function parseConsentInput(body: unknown): ConsentDecision {
  let input = body;
  if (typeof input === 'string') {
    try {
      input = JSON.parse(input);
    } catch {
      throw new ConsentInputError(['the body must be a JSON object (also when sent as text/plain)']);
    }
  }
  if (!isPlainObject(input)) throw new ConsentInputError(['the body must be a JSON object']);
  const problems: string[] = [];
  const via = Array.isArray(input.acceptedCategories) || Array.isArray(input.rejectedCategories) ? 'cookieconsent' : 'plugin';
  const known = via === 'plugin' ? OWN_KEYS : COOKIECONSENT_KEYS;
  const unknown = Object.keys(input).filter((key) => !known.includes(key));
  if (unknown.length) problems.push(`unknown field${unknown.length > 1 ? 's' : ''}: ${unknown.slice(0, 5).join(', ')}`);

  const decision: ConsentDecision = { via, choices: {} };
  const category = (key: unknown, where: string) => {
    if (typeof key !== 'string' || !CATEGORY_KEY_PATTERN.test(key)) {
      problems.push(`${where} holds ${JSON.stringify(key)?.slice(0, 70) ?? 'a value'}, which is not a category key`);
      return false;
    }
    return true;
  };

  if (via === 'plugin') {
    if (!isPlainObject(input.state)) problems.push('state is required: an object of category key → true or false');
    else {
      const entries = Object.entries(input.state);
      if (entries.length > MAX_CATEGORIES) problems.push(`state names more than ${MAX_CATEGORIES} categories`);
      for (const [key, granted] of entries.slice(0, MAX_CATEGORIES)) {
        if (!category(key, 'state')) continue;
        if (typeof granted !== 'boolean') problems.push(`state.${key} must be true or false`);
        else decision.choices[key] = granted;
      }
    }
    if (input.declarationRevision !== undefined) {
      if (!positiveInteger(input.declarationRevision)) problems.push('declarationRevision must be a positive whole number');
      else decision.declarationRevision = input.declarationRevision as number;
    }
    if (input.locale !== undefined) {
      if (!isLocaleCode(input.locale)) problems.push('locale must be a locale code such as "en" or "fi"');
      else decision.language = input.locale as string;
    }
    if (input.subjectId !== undefined) {
      if (typeof input.subjectId !== 'string' || !SUBJECT_ID_PATTERN.test(input.subjectId)) {
        problems.push('subjectId must be 8–64 letters, digits, _ or -');
      } else decision.subjectId = input.subjectId;
    }
  } else {
    const accepted = input.acceptedCategories ?? [];
    const rejected = input.rejectedCategories ?? [];
    for (const [list, granted, name] of [[accepted, true, 'acceptedCategories'], [rejected, false, 'rejectedCategories']] as const) {
      if (!Array.isArray(list)) {
        problems.push(`${name} must be a list of category keys`);
        continue;
      }
      if (list.length > MAX_CATEGORIES) problems.push(`${name} names more than ${MAX_CATEGORIES} categories`);
      for (const key of list.slice(0, MAX_CATEGORIES)) {
        if (!category(key, name)) continue;
        if (Object.hasOwn(decision.choices, key as string) && decision.choices[key as string] !== granted) {
          problems.push(`${key} is both accepted and rejected`);
        }
        decision.choices[key as string] = granted;
      }
    }
    if (input.revision !== undefined) {
      if (!positiveInteger(input.revision)) problems.push('revision must be the declaration revision, a positive whole number');
      else decision.declarationRevision = input.revision as number;
    }
    if (input.languageCode !== undefined) {
      if (!isLocaleCode(input.languageCode)) problems.push('languageCode must be a locale code such as "en" or "fi"');
      else decision.language = input.languageCode as string;
    }
    if (input.consentId !== undefined) {
      if (typeof input.consentId !== 'string' || !SUBJECT_ID_PATTERN.test(input.consentId)) {
        problems.push("consentId (cookieconsent's, the visitor's id) must be 8–64 letters, digits, _ or -");
      } else decision.subjectId = input.consentId;
    }
  }

  if (input.policy !== undefined) {
    const policy = input.policy;
    if (!isPlainObject(policy) || !isSlug(policy.slug) || Object.keys(policy).some((k) => k !== 'slug' && k !== 'version')) {
      problems.push('policy must be { slug, version? } with a policy slug such as "privacy-policy"');
    } else if (policy.version !== undefined && !positiveInteger(policy.version)) {
      problems.push('policy.version must be a positive whole number');
    } else {
      decision.policy = { slug: policy.slug as string, ...(policy.version !== undefined ? { version: policy.version as number } : {}) };
    }
  }
  if (input.source !== undefined) {
    // The URL parser would accept a NUL or a broken surrogate, which the databases refuse (a 503) or mangle.
    if (!isHttpUrl(input.source) || !isCleanText(input.source)) problems.push('source must be an absolute http(s) URL of at most 2048 characters');
    else decision.source = input.source as string;
  }
  if (input.previousConsentId !== undefined) {
    if (typeof input.previousConsentId !== 'string' || !CONSENT_ID_PATTERN.test(input.previousConsentId)) {
      problems.push('previousConsentId must be the consentId of an earlier receipt');
    } else decision.previousConsentId = input.previousConsentId;
  }
  // A continuation names the browser it continues: a consentId alone (which may leak, e.g. in a
  // support ticket) must not get a fresh receipt carrying that browser's subjectId.
  if (decision.previousConsentId && !decision.subjectId) {
    problems.push('previousConsentId needs the subjectId of its receipt: only the browser that holds the receipt continues it');
  }
  if (input.requestId !== undefined) {
    if (typeof input.requestId !== 'string' || !REQUEST_ID_PATTERN.test(input.requestId)) {
      problems.push('requestId must be 1–64 letters, digits, _, -, . or :');
    } else if (!decision.subjectId) {
      problems.push('requestId needs a subjectId: a retry is recognised by the two together');
    } else decision.requestId = input.requestId;
  }
  if (problems.length) throw new ConsentInputError(problems);
  return decision;
}
