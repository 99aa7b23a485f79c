// What a policy version's content may hold, checked on every save (the plugin's admin API, the
// Content Manager, strapi.documents(), strapi.db.query()) and again at publication: a section
// whose markdown is not a string could otherwise be sealed and then never be served.
// Pure (yup only): the admin may import it.
import * as yup from 'yup';
import { isAddrSpec } from '../newsletter/email';
import { CLEAN_TEXT_RULE, isCleanText, isHttpUrl, isLocaleCode } from './patterns';
import type { LocaleContent } from './types';

export const LIMITS = {
  sections: 500,
  anchor: 120,
  heading: 300,
  /** One section's markdown. */
  markdown: 200_000,
  /** All the markdown of one locale together: it must fit in one request (1 MiB). */
  localeMarkdown: 500_000,
  /** Strapi stores a `string` attribute as varchar(255). */
  title: 255,
  summary: 5_000,
  /** Pasted text to import. */
  importText: 500_000,
} as const;

const ANCHOR_PATTERN = /^[a-z0-9-]*$/;

/** A strict string that every database stores unchanged (see isCleanText). */
const text = () => yup.string().strict().test('clean-text', CLEAN_TEXT_RULE, isCleanText);

export const sectionSchema = yup
  .object({
    anchor: yup.string().strict().max(LIMITS.anchor).matches(ANCHOR_PATTERN, 'anchor may hold only a-z, 0-9 and -'),
    // An untitled introduction (text before the first heading) has an empty heading.
    heading: text().max(LIMITS.heading).defined('every section needs a heading (it may be empty)'),
    markdown: text().max(LIMITS.markdown).defined('every section needs markdown (it may be empty)'),
  })
  .strict()
  .noUnknown(true, 'a section has an unknown key: ${unknown}');

export const sectionsSchema = yup
  .array(sectionSchema)
  .strict()
  .max(LIMITS.sections)
  .test(
    'total-markdown',
    `the sections of one locale hold at most ${LIMITS.localeMarkdown.toLocaleString('en')} characters of markdown`,
    (sections) =>
      (sections ?? []).reduce((sum, s) => sum + (typeof s?.markdown === 'string' ? s.markdown.length : 0), 0) <=
      LIMITS.localeMarkdown
  );

export const localeContentSchema = yup
  .object({
    title: text().trim().max(LIMITS.title).required('title is required'),
    summary: text().max(LIMITS.summary).nullable(),
    sections: sectionsSchema.required('sections are required (an empty list is fine for a draft)'),
  })
  .noUnknown(true, 'unknown key in a locale: ${unknown}');

export interface DraftInput {
  materialChange?: boolean;
  locales?: Record<string, LocaleContent | null>;
}

/** The body of `PUT /policies/drafts/:documentId` and the content part of `POST /policies/drafts`. */
export const draftInputSchema = yup
  .object({
    materialChange: yup.boolean().strict(),
    locales: yup.lazy((value) =>
      yup
        .object(
          Object.fromEntries(
            Object.keys(value ?? {}).map((key) => [key, localeContentSchema.nullable().default(undefined)])
          )
        )
        .strict()
        .test('locale-codes', 'locales must be keyed by locale codes such as "en" or "fi"', (v) =>
          Object.keys(v ?? {}).every(isLocaleCode)
        )
    ),
  })
  .noUnknown(true, 'unknown key: ${unknown}')
  .strict();

/** The problems yup finds, as sentences; empty when the input is valid. */
export function problemsOf(schema: yup.AnySchema, input: unknown): string[] {
  try {
    schema.validateSync(input, { abortEarly: false, stripUnknown: false });
    return [];
  } catch (error) {
    if (error instanceof yup.ValidationError) return error.errors.length ? error.errors : [error.message];
    throw error;
  }
}

/**
 * The controller identity (config, Settings), served with every policy and sealed into each
 * version at publication. Each part may be empty; a URL is http(s) only (it is rendered as a
 * link on sites: `javascript:` must never get there).
 */
export const controllerSchema = yup
  .object({
    name: text().max(200).defined(),
    address: text().max(500).defined(),
    email: text()
      .max(254)
      .defined()
      .test('email', '${path} must be empty or a bare e-mail address (local@domain, nothing around it)', (v) => !v || isAddrSpec(v)),
    url: text()
      .max(2048)
      .defined()
      .test('http-url', '${path} must be empty or an absolute http(s) URL', (v) => !v || isHttpUrl(v)),
  })
  .strict()
  .noUnknown(true, 'controller has an unknown key: ${unknown}');
