// What `POST /consents` accepts, in the plugin's own shape or the one cookieconsent v3 gives its
// callbacks, read into one normalised decision. The shapes (types, bounds, patterns, unknown
// fields) are the contract's zod schemas (contract/schemas.ts), the same the route declares;
// what is left here is what relates fields to each other. Pure: every rule is unit-tested.
import { ConsentInput, CookieConsentInput, MAX_CATEGORIES, STATE_LIMIT } from '../contract/schemas';
import { problemsOf, sortProblems, type Problem } from '../contract/problems';

export { CONSENT_ID_PATTERN, SUBJECT_ID_PATTERN } from '../contract/schemas';

export interface ConsentDecision {
  /** How the frontend sent it: the plugin's shape, cookieconsent v3's, or c15t's POST /subjects. */
  via: 'plugin' | 'cookieconsent' | 'c15t' | 'do-not-sell';
  /** Category key → granted, as the visitor chose (before required categories and GPC). */
  choices: Record<string, boolean>;
  declarationRevision?: number;
  policy?: { slug: string; version?: number };
  source?: string;
  language?: string;
  subjectId?: string;
  previousConsentId?: string;
  requestId?: string;
  /** The jurisdiction the frontend believes applies: refused when the server resolves another. */
  jurisdiction?: string;
}

/** Thrown with every problem found, in words a frontend developer understands. */
export class ConsentInputError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;

const PLUGIN_ORDER = ['state', 'declarationRevision', 'locale', 'subjectId', 'policy', 'source', 'previousConsentId', 'requestId', 'jurisdiction'];
const COOKIECONSENT_ORDER = ['acceptedCategories', 'rejectedCategories', 'revision', 'languageCode', 'consentId', 'policy', 'source', 'previousConsentId', 'requestId', 'jurisdiction'];
const POLICY_SHAPE = 'policy must be { slug, version? } with a policy slug such as "privacy-policy"';

/**
 * zod passes over an own `__proto__` key (JSON.parse makes one) without a word: the copy without
 * it is what zod reads, and the key is reported here, as any other unknown field or bad key.
 */
function withoutProtoKeys(input: Record<string, unknown>, via: 'plugin' | 'cookieconsent') {
  const problems: Problem[] = [];
  let body = input;
  if (Object.hasOwn(input, '__proto__')) {
    body = Object.fromEntries(Object.entries(input).filter(([key]) => key !== '__proto__'));
    problems.push({ field: '', message: '__proto__' });
  }
  if (via === 'plugin' && isPlainObject(body.state) && Object.hasOwn(body.state, '__proto__')) {
    body = { ...body, state: Object.fromEntries(Object.entries(body.state).filter(([key]) => key !== '__proto__')) };
    problems.push({ field: 'state', message: 'state holds "__proto__", which is not a category key' });
  }
  return { body, problems };
}

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
  const via = Array.isArray(input.acceptedCategories) || Array.isArray(input.rejectedCategories) ? 'cookieconsent' : 'plugin';
  const order = via === 'plugin' ? PLUGIN_ORDER : COOKIECONSENT_ORDER;
  const { body: readable, problems: protoProblems } = withoutProtoKeys(input, via);
  const parsed = (via === 'plugin' ? ConsentInput : CookieConsentInput).safeParse(readable);
  let problems = parsed.success ? [] : problemsOf(parsed.error, order);
  // An own __proto__ joins the other unknown fields, in one message.
  for (const extra of protoProblems) {
    if (extra.field === 'state') problems.push(extra);
    else {
      const unknown = problems.find((p) => p.field === '' && p.message.startsWith('unknown field'));
      const keys = unknown ? unknown.message.replace(/^unknown fields?: /, '').split(', ') : [];
      keys.push('__proto__');
      const message = `unknown field${keys.length > 1 ? 's' : ''}: ${keys.slice(0, 5).join(', ')}`;
      if (unknown) unknown.message = message;
      else problems.push({ field: '', message });
    }
  }
  // Past the limit, what is beyond it is not looked at: that is the one problem of `state`.
  if (via === 'plugin' && isPlainObject(input.state) && Object.keys(input.state).length > MAX_CATEGORIES) {
    problems = [...problems.filter((p) => p.field !== 'state'), { field: 'state', message: STATE_LIMIT }];
  }
  // A policy that is not { slug, version? } is that one problem, whatever else is wrong in it.
  if (problems.some((p) => p.message === POLICY_SHAPE)) problems = problems.filter((p) => p.field !== 'policy' || p.message === POLICY_SHAPE);

  // What relates fields to each other, read from the fields that are valid.
  const refused = new Set(problems.map((p) => p.field));
  const valid = (field: string) => input[field] !== undefined && !refused.has(field);
  const subjectField = via === 'plugin' ? 'subjectId' : 'consentId';
  if (via === 'cookieconsent' && valid('acceptedCategories') && valid('rejectedCategories')) {
    const accepted = new Set(input.acceptedCategories as string[] | null);
    for (const key of new Set((input.rejectedCategories as string[] | null) ?? [])) {
      if (accepted.has(key)) problems.push({ field: 'rejectedCategories', message: `${key} is both accepted and rejected` });
    }
  }
  // A continuation names the browser it continues: a consentId alone (which may leak, e.g. in a
  // support ticket) must not get a fresh receipt carrying that browser's subjectId.
  if (valid('previousConsentId') && !valid(subjectField)) {
    problems.push({ field: 'previousConsentId', message: 'previousConsentId needs the subjectId of its receipt: only the browser that holds the receipt continues it' });
  }
  if (valid('requestId') && !valid(subjectField)) {
    problems.push({ field: 'requestId', message: 'requestId needs a subjectId: a retry is recognised by the two together' });
  }
  if (problems.length || !parsed.success) throw new ConsentInputError(sortProblems(problems, order).map((p) => p.message));

  const data = parsed.data as Record<string, any>;
  const decision: ConsentDecision = { via, choices: {} };
  if (via === 'plugin') {
    for (const [key, granted] of Object.entries(data.state as Record<string, boolean>)) decision.choices[key] = granted;
    if (data.declarationRevision !== undefined) decision.declarationRevision = data.declarationRevision;
    if (data.locale !== undefined) decision.language = data.locale;
    if (data.subjectId !== undefined) decision.subjectId = data.subjectId;
  } else {
    for (const key of data.acceptedCategories ?? []) decision.choices[key] = true;
    for (const key of data.rejectedCategories ?? []) decision.choices[key] = false;
    if (data.revision !== undefined) decision.declarationRevision = data.revision;
    if (data.languageCode !== undefined) decision.language = data.languageCode;
    if (data.consentId !== undefined) decision.subjectId = data.consentId;
  }
  if (data.policy !== undefined) decision.policy = { slug: data.policy.slug, ...(data.policy.version !== undefined ? { version: data.policy.version } : {}) };
  if (data.source !== undefined) decision.source = data.source;
  if (data.previousConsentId !== undefined) decision.previousConsentId = data.previousConsentId;
  if (data.requestId !== undefined) decision.requestId = data.requestId;
  if (data.jurisdiction !== undefined) decision.jurisdiction = data.jurisdiction;
  return decision;
}
