// What editors may write into the cookie declaration. Pure (yup only): the admin may import it.
import * as yup from 'yup';
import { CLEAN_TEXT_RULE, isCleanText, isLocaleCode } from '../policy/patterns';
import { CONSENT_MODE_SIGNALS, STORAGE_TYPES } from './types';
import { C15T_CONSENT_TYPES } from '../c15t/consent-types';

/** A category key: what frontends and consent states name it by (cookieconsent's category name). */
export const CATEGORY_KEY_PATTERN = /^[a-z][a-z0-9_-]{0,63}$/;
export const CATEGORY_KEY_RULE = 'key must start with a lowercase letter and hold only a-z, 0-9, _ and - (at most 64)';

const text = (max: number) => yup.string().strict().max(max).test('clean-text', CLEAN_TEXT_RULE, isCleanText);

const localesOf = <T extends yup.AnyObjectSchema>(schema: T) =>
  yup.lazy((value) =>
    yup
      .object(Object.fromEntries(Object.keys(value ?? {}).map((code) => [code, schema.nullable().default(undefined)])))
      .strict()
      .test('locale-codes', 'locales must be keyed by locale codes such as "en" or "fi"', (v) => Object.keys(v ?? {}).every(isLocaleCode))
  );

export const categoryTextSchema = yup
  .object({
    name: text(200).trim().required('every locale of a category needs a name'),
    description: text(2000).defined('description is required (it may be empty)'),
  })
  .strict()
  .noUnknown(true, 'unknown key in a category locale: ${unknown}');

const categoryFields = {
  required: yup.boolean().strict(),
  consentMode: yup
    .array(yup.string().strict().oneOf([...CONSENT_MODE_SIGNALS], '${value} is not a Consent Mode v2 signal'))
    .strict()
    .max(CONSENT_MODE_SIGNALS.length)
    .test('unique', 'consentMode lists a signal twice', (v) => !v || new Set(v).size === v.length),
  refusedUnderGpc: yup.boolean().strict(),
  // null: back to the default for the category's key.
  c15tType: yup
    .string()
    .strict()
    .nullable()
    .oneOf([...C15T_CONSENT_TYPES, null], 'c15tType must be one of ' + C15T_CONSENT_TYPES.join(', ') + ' (or null for the default)'),
  // null: back to the default (true for marketing).
  saleShare: yup.boolean().strict().nullable(),
  locales: localesOf(categoryTextSchema),
};

export const categoryCreateSchema = yup
  .object({ key: yup.string().strict().required('key is required').matches(CATEGORY_KEY_PATTERN, CATEGORY_KEY_RULE), ...categoryFields })
  .strict()
  .noUnknown(true, 'unknown key: ${unknown}');

export const categoryUpdateSchema = yup.object(categoryFields).strict().noUnknown(true, 'unknown key: ${unknown} (a category key cannot be changed)');

export const definitionTextSchema = yup
  .object({
    purpose: text(2000).defined('purpose is required (it may be empty)'),
    duration: text(100).defined('duration is required (it may be empty)'),
  })
  .strict()
  .noUnknown(true, 'unknown key in a cookie locale: ${unknown}');

const definitionFields = {
  name: text(200).trim().min(1, 'name must not be empty'),
  category: yup.string().strict().matches(CATEGORY_KEY_PATTERN, CATEGORY_KEY_RULE),
  provider: text(200),
  domain: text(255),
  storageType: yup.string().strict().oneOf([...STORAGE_TYPES], 'storageType must be one of ' + STORAGE_TYPES.join(', ')),
  thirdParty: yup.boolean().strict(),
  service: text(200),
  locales: localesOf(definitionTextSchema),
};

export const definitionCreateSchema = yup
  .object({
    ...definitionFields,
    name: definitionFields.name.required('name is required'),
    category: definitionFields.category.required('category is required'),
  })
  .strict()
  .noUnknown(true, 'unknown key: ${unknown}');

export const definitionUpdateSchema = yup.object(definitionFields).strict().noUnknown(true, 'unknown key: ${unknown}');
