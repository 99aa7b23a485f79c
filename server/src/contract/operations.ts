// What the plugin's OpenAPI document says of each public route beyond its schemas: a summary,
// every status the route really answers (read from its controller, the fast paths, body-guard,
// rate-limit and the tests), and the headers that matter. Keyed by `METHOD path` as the routes
// declare them. A content-api route without an entry here is still documented, with defaults
// (see document.ts): that is how routes added later (the c15t backend) get in.
import type { z } from '@strapi/utils';
import { answers } from './schemas';
import { getSubjectOutput, initOutput, patchSubjectOutput, postSubjectOutput } from './c15t';

export interface HeaderSpec {
  /** A header of components/headers. */
  ref: 'ETag' | 'Last-Modified' | 'Cache-Control' | 'Content-Language' | 'Retry-After' | 'Location' | 'Vary';
  required?: boolean;
}

export interface ResponseSpec {
  description: string;
  /** Media type → schema of the body; none: the answer has no body. */
  content?: Record<string, z.ZodType>;
  headers?: HeaderSpec[];
}

export interface OperationSpec {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Who may call it; none: public (no authentication). */
  security?: Array<Record<string, string[]>>;
  responses: Record<number, ResponseSpec>;
}

const JSON_TYPE = 'application/json';
const HTML = 'text/html';

const json = (schema: z.ZodType) => ({ [JSON_TYPE]: schema });
const error = (description: string, headers?: HeaderSpec[]): ResponseSpec => ({ description, content: json(answers.error), ...(headers ? { headers } : {}) });
const page = (description: string): ResponseSpec => ({ description, content: { [HTML]: answers.html }, headers: [{ ref: 'Cache-Control', required: true }] });

/** What any route may answer: malformed or oversized bodies (body-guard), and server failures. */
const common = (badRequest: string): Record<number, ResponseSpec> => ({
  400: error(badRequest),
  413: error('The request body is larger than the route accepts (16 KiB), refused before it is read.'),
  415: error('A compressed request body (Content-Encoding other than identity).'),
  500: error('A server failure.'),
});
const rateLimited = { 429: error('Too many requests from the client\'s network; try again after Retry-After seconds.', [{ ref: 'Retry-After', required: true }]) };

/** A cacheable JSON answer, revalidated with ETag (If-None-Match → 304). */
const cacheable = (schema: z.ZodType, description: string, withLanguage: boolean): Record<number, ResponseSpec> => {
  const headers: HeaderSpec[] = [
    { ref: 'ETag', required: true },
    { ref: 'Last-Modified', required: true },
    { ref: 'Cache-Control', required: true },
    ...(withLanguage ? [{ ref: 'Content-Language' as const, required: true }] : []),
  ];
  return {
    200: { description, content: json(schema), headers },
    304: { description: 'Not modified: the client\'s copy (If-None-Match) is still valid.', headers: headers.filter((h) => h.ref !== 'Content-Language') },
  };
};

const integrity = (what: string) => error(`${what} fails its integrity check and is not served (IntegrityError), or a server failure.`);

const POLICY_BAD = 'A slug, version or locale that is malformed (ValidationError).';

export const OPERATIONS: Record<string, OperationSpec> = {
  'GET /policies/:slug/current': {
    operationId: 'getCurrentPolicy',
    summary: 'The version of a policy in force',
    description: 'Cached; the plugin answers it before Strapi routes the request when it can.',
    tags: ['Policies'],
    responses: {
      ...common(POLICY_BAD),
      ...cacheable(answers.policyVersion, 'The version in force, in the locale asked for (or a fallback).', true),
      404: error('No such policy, or no version in force yet.'),
      500: integrity('The version'),
    },
  },
  'GET /policies/:slug/upcoming': {
    operationId: 'getUpcomingPolicy',
    summary: 'The next scheduled version of a policy',
    tags: ['Policies'],
    responses: {
      ...common(POLICY_BAD),
      ...cacheable(answers.policyVersion, 'The scheduled version.', true),
      404: error('No such policy, or no scheduled version.'),
      500: integrity('The version'),
    },
  },
  'GET /policies/:slug/versions': {
    operationId: 'listPolicyVersions',
    summary: 'The changelog of a policy',
    tags: ['Policies'],
    responses: {
      ...common(POLICY_BAD),
      ...cacheable(answers.policyChangelog, 'Every published version, newest first.', false),
      404: error('No such policy.'),
    },
  },
  'GET /policies/:slug/versions/:version': {
    operationId: 'getPolicyVersion',
    summary: 'One published version of a policy',
    description: 'Immutable (cached for a year) once in effect, when a locale it has was asked for.',
    tags: ['Policies'],
    responses: {
      ...common(POLICY_BAD),
      ...cacheable(answers.policyVersion, 'The version.', true),
      404: error('No such policy or version.'),
      500: integrity('The version'),
    },
  },
  'GET /policies/:slug/versions/:version/changes': {
    operationId: 'getPolicyChanges',
    summary: 'What changed in a version',
    description: 'The added, removed and changed sections against the version before it; the link of a notice e-mail. Cached like the version.',
    tags: ['Policies'],
    responses: {
      ...common(POLICY_BAD),
      ...cacheable(answers.policyChanges, 'The changed sections.', true),
      404: error('No such policy or version.'),
      500: integrity('The version or the one before it'),
    },
  },
  'GET /cookies': {
    operationId: 'getCookieDeclaration',
    summary: 'The cookie declaration',
    tags: ['Cookies'],
    responses: {
      ...common('A malformed locale (ValidationError).'),
      ...cacheable(answers.cookieDeclaration, 'The latest published revision, in the locale asked for (or a fallback).', true),
      404: error('No cookie declaration has been published yet.'),
      500: integrity('The latest revision'),
    },
  },
  'GET /cookies/consent-mode': {
    operationId: 'getConsentModeDefaults',
    summary: 'Google Consent Mode v2 defaults per region',
    description:
      "One `gtag('consent', 'default', …)` command per jurisdiction of the regions table, with its areas as `region`, then the global default (the default jurisdiction's). Opt-in jurisdictions deny every signal but those of required categories; opt-out and notice grant them. `?format=script` answers the same as JavaScript to include before any tag.",
    tags: ['Cookies'],
    responses: {
      ...common('A format other than json or script (ValidationError).'),
      ...(() => {
        const answered = cacheable(answers.consentModeDefaults, 'The commands (JSON, or JavaScript with `format=script`).', false);
        answered[200].content = { ...answered[200].content, 'text/javascript': answers.text };
        return answered;
      })(),
      404: error('No cookie declaration has been published yet.'),
      500: integrity('The latest revision'),
    },
  },
  'POST /consents': {
    operationId: 'recordConsent',
    summary: 'Record a consent decision',
    description:
      "Takes the plugin's shape or cookieconsent v3's, as JSON or as text/plain (navigator.sendBeacon). Answers the signed receipt. A retry with the same subjectId and requestId answers the first receipt with 200.",
    tags: ['Consents'],
    responses: {
      ...common('The decision is malformed: every problem, joined by "; " (ValidationError); or the body is not well-formed.'),
      ...rateLimited,
      200: { description: 'A retry: the receipt recorded for this subjectId and requestId.', content: json(answers.receipt), headers: [{ ref: 'Cache-Control', required: true }] },
      201: { description: 'Recorded: the receipt.', content: json(answers.receipt), headers: [{ ref: 'Cache-Control', required: true }] },
      409: error('This requestId was used for another decision, or previousConsentId was continued already.', [{ ref: 'Cache-Control', required: true }]),
      500: integrity('The cookie declaration'),
      503: error('The decision could not be written now; retry with the same requestId.', [{ ref: 'Retry-After', required: true }, { ref: 'Cache-Control', required: true }]),
    },
  },
  'POST /cookies/observations': {
    operationId: 'reportCookieObservations',
    summary: 'Report the cookie and storage names a page saw (cookie discovery)',
    description:
      'Names only, never values; the page path without query or fragment; the declaration revision; the consent at that moment. Counted per day and name, nothing personal kept. Answered 202 at once, before it is written (navigator.sendBeacon does not read answers).',
    tags: ['Cookies'],
    responses: {
      ...common('The report is malformed: every problem, joined by "; " (ValidationError); or the body is not well-formed.'),
      ...rateLimited,
      202: { description: 'Taken: it will be counted.', content: json(answers.observationAccepted), headers: [{ ref: 'Cache-Control', required: true }] },
    },
  },
  'POST /consents/verify': {
    operationId: 'verifyReceipt',
    summary: 'Check a receipt',
    description: 'Whether a receipt is authentic (signed by this site) and the one on record.',
    tags: ['Consents'],
    responses: {
      ...common('The body is not well-formed.'),
      ...rateLimited,
      200: { description: 'The verdict.', content: json(answers.verifyResult), headers: [{ ref: 'Cache-Control', required: true }] },
    },
  },
  'GET /consents/:consentId': {
    operationId: 'getConsentStatus',
    summary: 'What a receipt stands for now',
    tags: ['Consents'],
    responses: {
      ...common('A malformed consentId (ValidationError).'),
      ...rateLimited,
      200: { description: 'Its status, and whether to ask again.', content: json(answers.consentStatus), headers: [{ ref: 'Cache-Control', required: true }] },
      404: error('No consent with this consentId (it may have been purged after its retention period).'),
    },
  },
  'POST /newsletter/subscribe': {
    operationId: 'subscribeNewsletter',
    summary: 'Sign up for a newsletter (double opt-in)',
    description: 'The same 202 for every address, before anything is done: it tells nobody who subscribes.',
    tags: ['Newsletter'],
    responses: {
      ...common('The sign-up is malformed: every problem, joined by "; " (ValidationError).'),
      ...rateLimited,
      202: { description: 'Accepted.', content: json(answers.accepted), headers: [{ ref: 'Cache-Control', required: true }] },
      503: error('Too many sign-ups are waiting; try again after Retry-After seconds.', [{ ref: 'Retry-After', required: true }]),
    },
  },
  'GET /do-not-sell': {
    operationId: 'doNotSellPage',
    summary: 'The "Do Not Sell or Share My Personal Information" page',
    description:
      "A page in the visitor's language (`locale`, else Accept-Language) naming the sale/share categories, with one Opt out button and an optional e-mail field. Changes nothing. `subjectId` (the browser's) is carried to the button, so that the opt-out continues that browser's latest decision.",
    tags: ['Consents'],
    responses: {
      ...common('The body is not well-formed.'),
      200: page('The page.'),
      400: { description: 'A malformed locale or subjectId: a page that says so.', content: { [HTML]: answers.html, [JSON_TYPE]: answers.error } },
    },
  },
  'POST /do-not-sell': {
    operationId: 'optOutOfSaleShare',
    summary: 'Opt out of the sale and sharing of personal information',
    description:
      "Records a consent decision (`via: do-not-sell`) that refuses the latest revision's sale/share categories, continuing the browser's latest decision when `subjectId` is given (what it grants and has not expired is kept, everything else refused: an opt-out never grants), else starting from the jurisdiction's defaults. With `email`, also registers an opt-out-sale-share request (the same answer for every address). The page's form is answered with a page, JSON with JSON.",
    tags: ['Consents'],
    responses: {
      ...common('A malformed subjectId, e-mail address or locale (ValidationError; a page for the form).'),
      ...rateLimited,
      200: page("The form's answer: the opt-out is recorded."),
      201: { description: 'Recorded (or another opt-out of the same browser at the same moment holds): the receipt.', content: json(answers.doNotSell), headers: [{ ref: 'Cache-Control', required: true }] },
      409: error('Other decisions of the same browser kept continuing its chain at the same moment; retry.', [{ ref: 'Cache-Control', required: true }]),
      400: { description: 'A malformed subjectId, e-mail address or locale, or no declaration published yet.', content: { [HTML]: answers.html, [JSON_TYPE]: answers.error } },
      500: integrity('The cookie declaration'),
      503: error('The opt-out could not be written now; retry.', [{ ref: 'Retry-After', required: true }, { ref: 'Cache-Control', required: true }]),
    },
  },
  'GET /newsletter/confirm': {
    operationId: 'newsletterConfirmPage',
    summary: 'The confirmation link: a page with one Confirm button',
    description: 'Changes nothing (mail scanners open links). Redirects to the site\'s own page when one is configured.',
    tags: ['Newsletter'],
    responses: {
      ...common('The body is not well-formed.'),
      200: page('The page.'),
      302: { description: "The site's own confirmation page, with the token.", headers: [{ ref: 'Location', required: true }] },
      400: { description: 'The link is not valid, expired or replaced by a newer one: a page that says so.', content: { [HTML]: answers.html, [JSON_TYPE]: answers.error } },
    },
  },
  'POST /newsletter/confirm': {
    operationId: 'confirmNewsletter',
    summary: 'Confirm a sign-up',
    description: 'A form (the page\'s button) is answered with a page, JSON with JSON.',
    tags: ['Newsletter'],
    responses: {
      ...common('The body is not well-formed.'),
      ...rateLimited,
      200: { description: 'Subscribed (also when it already was).', content: { [JSON_TYPE]: answers.subscribed, [HTML]: answers.html }, headers: [{ ref: 'Cache-Control', required: true }] },
      400: {
        description: 'The link is not valid (InvalidLinkError), expired (ExpiredLinkError) or replaced by a newer one (StaleLinkError); or the body is not well-formed.',
        content: { [JSON_TYPE]: answers.error, [HTML]: answers.html },
      },
    },
  },
  'GET /newsletter/unsubscribe': {
    operationId: 'newsletterUnsubscribePage',
    summary: 'The unsubscribe link: a page with one button and an optional reason',
    description: 'Changes nothing. Redirects to the site\'s own page when one is configured.',
    tags: ['Newsletter'],
    responses: {
      ...common('The body is not well-formed.'),
      200: page('The page (or that the address is unsubscribed already).'),
      302: { description: "The site's own unsubscribe page, with the token.", headers: [{ ref: 'Location', required: true }] },
      400: { description: 'The link is not valid: a page that says so.', content: { [HTML]: answers.html, [JSON_TYPE]: answers.error } },
    },
  },
  'POST /newsletter/unsubscribe': {
    operationId: 'unsubscribeNewsletter',
    summary: 'Unsubscribe (RFC 8058 one-click, the page\'s form, or a frontend)',
    description:
      'One-click (`List-Unsubscribe=One-Click`, form-encoded or multipart, token in the URL) is answered 200 text/plain, never a redirect; the page\'s form with a page; JSON with JSON. Idempotent; not rate-limited (mailbox providers send one-clicks for many people).',
    tags: ['Newsletter'],
    responses: {
      ...common('The body is not well-formed.'),
      200: {
        description: 'Unsubscribed (also when it already was).',
        content: { [JSON_TYPE]: answers.unsubscribed, 'text/plain': answers.text, [HTML]: answers.html },
        headers: [{ ref: 'Cache-Control', required: true }],
      },
      400: {
        description: 'The link is not valid (InvalidLinkError), or the body is not well-formed.',
        content: { [JSON_TYPE]: answers.error, 'text/plain': answers.text, [HTML]: answers.html },
      },
    },
  },
  'POST /requests': {
    operationId: 'createSubjectRequest',
    summary: 'Ask for access to or erasure of one\'s data',
    description: 'The same 202 for every address; a link to confirm the request is e-mailed to it.',
    tags: ['Requests'],
    responses: {
      ...common('The request is malformed: every problem, joined by "; " (ValidationError).'),
      ...rateLimited,
      202: { description: 'Accepted.', content: json(answers.accepted), headers: [{ ref: 'Cache-Control', required: true }] },
      503: error('Too many requests are waiting; try again after Retry-After seconds.', [{ ref: 'Retry-After', required: true }]),
    },
  },
  'GET /requests/confirm': {
    operationId: 'subjectRequestConfirmPage',
    summary: 'The request\'s e-mailed link: a page with one button',
    description: 'Changes nothing (mail scanners open links).',
    tags: ['Requests'],
    responses: {
      ...common('The body is not well-formed.'),
      200: page('The page.'),
      400: { description: 'The link is not valid or expired: a page that says so.', content: { [HTML]: answers.html, [JSON_TYPE]: answers.error } },
    },
  },
  'POST /requests/confirm': {
    operationId: 'confirmSubjectRequest',
    summary: 'Carry out a confirmed request',
    description: 'A form (the page\'s button) is answered with a page, JSON with JSON.',
    tags: ['Requests'],
    responses: {
      ...common('The body is not well-formed.'),
      ...rateLimited,
      200: { description: 'Carried out, or waiting for approval.', content: { [JSON_TYPE]: answers.requestStatus, [HTML]: answers.html }, headers: [{ ref: 'Cache-Control', required: true }] },
      400: { description: 'The link is not valid (InvalidLinkError) or expired (ExpiredLinkError).', content: { [JSON_TYPE]: answers.error, [HTML]: answers.html } },
      503: { description: 'Recorded, but it could not be finished now: it will be answered by its due date.', content: { [JSON_TYPE]: answers.error, [HTML]: answers.html }, headers: [{ ref: 'Cache-Control', required: true }] },
    },
  },
  'GET /keys': {
    operationId: 'getKeys',
    summary: 'The public keys that check every signed proof',
    description: 'A JWK Set at the top level (not under `data`), as JOSE tools read it.',
    tags: ['Keys'],
    responses: {
      ...common('The body is not well-formed.'),
      200: { description: 'The keys.', content: json(answers.jwks), headers: [{ ref: 'ETag', required: true }, { ref: 'Cache-Control', required: true }] },
      304: { description: 'Not modified.', headers: [{ ref: 'ETag', required: true }, { ref: 'Cache-Control', required: true }] },
    },
  },
  'GET /acceptances/me': {
    operationId: 'getMyAcceptances',
    summary: 'What the signed-in user must accept',
    description:
      "Per policy of `acceptance.required`: the version in force (with a link to its public answer), the version the user last accepted, whether they must accept, and the deadline (the material version's effectiveAt plus the grace days). Needs a users-permissions JWT.",
    tags: ['Acceptances'],
    security: [{ bearerAuth: [] }],
    responses: {
      ...common('The body is not well-formed.'),
      200: { description: 'The policies and what is asked.', content: json(answers.acceptanceStatus), headers: [{ ref: 'Cache-Control', required: true }] },
      401: error('No valid JWT (missing, expired, forged, or of a blocked user).'),
      403: error("The user's role lacks the permission (the app took it from the authenticated role)."),
    },
  },
  'POST /acceptances/verify': {
    operationId: 'verifyAcceptance',
    summary: 'Check an acceptance receipt',
    description: 'Whether an acceptance receipt is authentic (signed by this site) and the one on record. Public.',
    tags: ['Acceptances'],
    responses: {
      ...common('The body is not well-formed.'),
      ...rateLimited,
      200: { description: 'The verdict.', content: json(answers.verifyResult), headers: [{ ref: 'Cache-Control', required: true }] },
    },
  },
  'POST /acceptances': {
    operationId: 'acceptPolicy',
    summary: 'The signed-in user accepts the version of a policy in force',
    description:
      'Exactly the version in force, with the hash of the text shown (any of its locales). Recorded as a consent record of kind `policy` with the same proof as a consent; answers its signed receipt. Accepting the same version again answers the first receipt (200).',
    tags: ['Acceptances'],
    security: [{ bearerAuth: [] }],
    responses: {
      ...common('The body is malformed: every problem, joined by "; " (ValidationError).'),
      200: { description: 'Accepted before: the first receipt.', content: json(answers.acceptanceReceipt), headers: [{ ref: 'Cache-Control', required: true }] },
      201: { description: 'Accepted: the receipt.', content: json(answers.acceptanceReceipt), headers: [{ ref: 'Cache-Control', required: true }] },
      401: error('No valid JWT (missing, expired, forged, or of a blocked user).'),
      403: error("The user's role lacks the permission (the app took it from the authenticated role)."),
      404: error('The slug is not one users are asked to accept (NotFoundError).'),
      409: error('Not the version in force, or a hash that is not one of its texts (ConflictError): read acceptances/me again.', [{ ref: 'Cache-Control', required: true }]),
    },
  },
  // c15t 2.x hosted mode: c15t's own shapes (no `data` wrapper); errors keep Strapi's shape.
  'GET /c15t/init': {
    operationId: 'c15tInit',
    summary: "c15t: the banner's jurisdiction, location, texts and categories",
    description: 'Built from the published declaration; the jurisdiction comes from trusted headers only (config `regions`).',
    tags: ['c15t'],
    responses: {
      ...common('A malformed query (ValidationError).'),
      200: { description: "c15t's InitOutput.", content: json(initOutput), headers: [{ ref: 'Vary', required: true }] },
    },
  },
  'POST /c15t/subjects': {
    operationId: 'c15tRecordSubject',
    summary: "c15t: record a visitor's cookie-banner decision",
    description: 'Recorded as a consent record with the same proof as POST /consents; the receipt is in `metadata.receipt`.',
    tags: ['c15t'],
    responses: {
      ...common('The decision is malformed or names unknown consent types (ValidationError).'),
      ...rateLimited,
      200: { description: 'A retry of a decision already recorded: its first answer.', content: json(postSubjectOutput) },
      201: { description: "Recorded: c15t's PostSubjectOutput.", content: json(postSubjectOutput) },
      409: error('Another decision of this subject was recorded at the same moment: save again (ConflictError).'),
      500: integrity('The declaration revision'),
      503: error('The consent log cannot take the write now; try again after Retry-After seconds.', [{ ref: 'Retry-After', required: true }]),
    },
  },
  'GET /c15t/subjects/:id': {
    operationId: 'c15tGetSubject',
    summary: "c15t: a subject's recorded decisions",
    tags: ['c15t'],
    responses: {
      ...common('A malformed subject id or query (ValidationError).'),
      ...rateLimited,
      200: { description: "c15t's GetSubjectOutput.", content: json(getSubjectOutput) },
      404: error('No consent is recorded for this subject (NotFoundError).'),
    },
  },
  'PATCH /c15t/subjects/:id': {
    operationId: 'c15tIdentifySubject',
    summary: "c15t: link a subject to the site's own user id",
    tags: ['c15t'],
    responses: {
      ...common('A malformed subject id or body (ValidationError).'),
      ...rateLimited,
      200: { description: "c15t's PatchSubjectOutput.", content: json(patchSubjectOutput) },
      404: error('No consent is recorded for this subject (NotFoundError).'),
    },
  },
  'GET /openapi.json': {
    operationId: 'getOpenApiDocument',
    summary: 'This document',
    description: "The plugin's own OpenAPI 3.1 document of its public routes.",
    tags: ['Contract'],
    responses: {
      ...common('The body is not well-formed.'),
      200: { description: 'The document.', content: json(answers.document), headers: [{ ref: 'ETag', required: true }, { ref: 'Cache-Control', required: true }] },
      304: { description: 'Not modified.', headers: [{ ref: 'ETag', required: true }, { ref: 'Cache-Control', required: true }] },
    },
  },
};

/** Headers the document names (components/headers). */
export const HEADERS: Record<HeaderSpec['ref'], { description: string; schema: Record<string, unknown> }> = {
  ETag: { description: 'A strong validator of the exact bytes: send it back as If-None-Match.', schema: { type: 'string' } },
  'Last-Modified': { description: 'When the answer last changed.', schema: { type: 'string' } },
  'Cache-Control': { description: 'How long the answer may be kept (no-store on writes and errors the plugin answers).', schema: { type: 'string' } },
  'Content-Language': { description: 'The locale of the content served.', schema: { type: 'string' } },
  'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'string', pattern: '^[0-9]+$' } },
  Location: { description: 'Where the client is sent.', schema: { type: 'string' } },
  Vary: { description: 'Request headers the answer depends on.', schema: { type: 'string' } },
};
