// The c15t 2.x hosted-mode contract (`backendURL` = …/api/privacy-centre/c15t) as zod schemas:
// declared on the routes (request / response, for Strapi's OpenAPI generator and the plugin's
// document) and used by the controller to validate what it receives. Stricter than c15t's own
// valibot schemas where they say "a string": bounded, patterned, and objects refuse unknown keys
// except where c15t itself sends free-form data.
import { z } from '@strapi/utils';
import { C15T_CONSENT_TYPES } from '../c15t/consent-types';
import { C15T_JURISDICTIONS } from '../c15t/jurisdiction';

/** c15t's subject ids: `sub_` and base58 (its generateSubjectId); bounded by the column (64). */
export const c15tSubjectId = z
  .string()
  .regex(/^sub_[1-9A-HJ-NP-Za-km-z]{8,60}$/, 'must be a c15t subject id: sub_ and 8–60 base58 characters')
  .describe('Client-generated subject id (sub_ + base58), the visitor\'s browser\'s pseudonymous id.');

const consentType = z.enum(C15T_CONSENT_TYPES);
const jurisdiction = z.enum(C15T_JURISDICTIONS);
/** Free text c15t sends (ids of the site's users, UI names): printable, bounded. */
const label = (max: number) => z.string().min(1).max(max).regex(/^[^\u0000-\u001f\u007f]*$/, 'must not hold control characters');

// ---- GET /init ----------------------------------------------------------------------------

export const initQuery = z
  .object({
    lang: z.string().regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}$/, 'must be a language code such as "en" or "pt-BR"').optional(),
  })
  .describe('Other query parameters are ignored (c15t adds none today).');

const titleDescription = z.object({ title: z.string(), description: z.string() });

export const initOutput = z.object({
  jurisdiction,
  location: z.object({ countryCode: z.string().nullable(), regionCode: z.string().nullable() }),
  translations: z.object({
    language: z.string(),
    translations: z
      .object({
        common: z.record(z.string(), z.string()),
        cookieBanner: titleDescription,
        consentManagerDialog: titleDescription,
        consentTypes: z.object(Object.fromEntries(C15T_CONSENT_TYPES.map((t) => [t, titleDescription])) as Record<(typeof C15T_CONSENT_TYPES)[number], typeof titleDescription>),
      })
      .catchall(z.unknown())
      .describe("c15t's translation keys (@c15t/translations), the declaration's category texts over them."),
  }),
  branding: z.literal('none'),
  policy: z.object({
    id: z.string(),
    model: z.enum(['opt-in', 'opt-out', 'none']),
    consent: z.object({ scopeMode: z.literal('strict'), categories: z.array(z.string()) }),
  }),
  policyDecision: z.object({
    policyId: z.string(),
    fingerprint: z.string().describe('The hash of the declaration revision.'),
    matchedBy: z.enum(['country', 'default']),
    country: z.string().nullable(),
    region: z.string().nullable(),
    jurisdiction,
  }),
});

// ---- POST /subjects ------------------------------------------------------------------------

export const postSubjectBody = z.strictObject({
  type: z.literal('cookie_banner', { error: 'type must be "cookie_banner": only cookie-banner consents are recorded here' }),
  subjectId: c15tSubjectId,
  externalSubjectId: label(255).optional(),
  identityProvider: label(64).optional(),
  domain: z
    .string()
    .max(253)
    .regex(/^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/, 'must be a host name such as "example.com"'),
  preferences: z.partialRecord(consentType, z.boolean()).describe("c15t consent type → granted; mapped to the declaration's categories."),
  givenAt: z.number().int().min(0).max(8_640_000_000_000_000).describe('When the browser saved the choice (epoch ms); the record keeps the server time.'),
  // What the browser believes; the server resolves the jurisdiction itself and never trusts this.
  jurisdiction: jurisdiction.optional(),
  jurisdictionModel: z.enum(['opt-in', 'opt-out', 'none', 'iab']).optional(),
  consentAction: z.enum(['all', 'necessary', 'custom']).optional(),
  uiSource: label(64).optional(),
  // c15t's banner sends none; a site's own call may. Flat: nothing nested to walk.
  metadata: z
    .record(z.string().max(64), z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]))
    .optional()
    .describe('Accepted and not recorded.'),
  tcString: z.string().max(4096).optional().describe('Accepted and not recorded (no IAB TCF here).'),
  policySnapshotToken: z.string().max(4096).optional().describe('Accepted and not recorded (/init issues none).'),
  documentSnapshotToken: z.string().max(4096).optional(),
});
export type PostSubjectBody = z.infer<typeof postSubjectBody>;

const appliedPreferences = z.partialRecord(consentType, z.boolean());

export const postSubjectOutput = z.object({
  subjectId: z.string(),
  consentId: z.string(),
  domainId: z.string(),
  domain: z.string(),
  type: z.literal('cookie_banner'),
  appliedPreferences: appliedPreferences.describe('What was recorded, per c15t type (necessary always; a type is granted when all its categories are).'),
  uiSource: z.string().optional(),
  givenAt: z.string().describe('ISO 8601, the server time of the record.'),
  metadata: z.object({ receipt: z.record(z.string(), z.unknown()).describe("The plugin's signed receipt (as POST /consents answers it).") }),
});

// ---- GET and PATCH /subjects/:id -----------------------------------------------------------

export const subjectParams = z.object({ id: c15tSubjectId });

export const getSubjectQuery = z.object({
  type: z.string().max(200).optional().describe('Consent types, comma-separated; only cookie_banner is ever recorded here.'),
});

export const getSubjectOutput = z.object({
  subject: z.object({ id: z.string(), externalId: z.string().optional(), createdAt: z.string().optional() }),
  consents: z.array(
    z.object({
      id: z.string(),
      type: z.literal('cookie_banner'),
      policyId: z.string(),
      policyVersion: z.string(),
      policyHash: z.string(),
      isLatestPolicy: z.boolean(),
      preferences: appliedPreferences,
      givenAt: z.string(),
    })
  ),
  isValid: z.boolean(),
});

export const patchSubjectBody = z.strictObject({
  externalId: label(255),
  identityProvider: label(64).optional(),
});

export const patchSubjectOutput = z.object({
  success: z.literal(true),
  subject: z.object({ id: z.string(), externalId: z.string() }),
});

/** A zod error in words a frontend developer understands: `path: message; …`. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.slice(0, 10).map((issue) => {
    const path = issue.path.map(String).join('.');
    const message =
      issue.code === 'unrecognized_keys'
        ? `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.slice(0, 5).map((k) => k.slice(0, 40)).join(', ')}`
        : issue.code === 'invalid_key'
          ? `unknown consent type ${JSON.stringify(String(issue.path.at(-1)).slice(0, 40))}: c15t's types are ${C15T_CONSENT_TYPES.join(', ')}`
          : issue.message;
    return issue.code === 'invalid_key' ? message : path ? `${path}: ${message}` : message;
  });
}
