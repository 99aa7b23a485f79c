import { hiddenEverywhere } from '../shared';

/**
 * A name or pattern (`*` any run of characters) that cookie discovery leaves out of its
 * undeclared list: set by an editor, with who and when (and an audit event).
 */
export const cookieIgnoreRuleSchema = {
  kind: 'collectionType',
  collectionName: 'privacy_centre_cookie_ignore_rules',
  info: {
    singularName: 'cookie-ignore-rule',
    pluralName: 'cookie-ignore-rules',
    displayName: 'Cookie ignore rule',
    description: 'Names cookie discovery does not list as undeclared.',
  },
  options: { draftAndPublish: false },
  pluginOptions: { ...hiddenEverywhere },
  attributes: {
    pattern: { type: 'string', required: true, maxLength: 128 },
    note: { type: 'string', maxLength: 500 },
    // Who set it (Strapi's own createdBy is a relation the Content Manager fills; this is the audit's words).
    author: { type: 'string', maxLength: 255 },
    authorId: { type: 'integer' },
  },
} as const;

export default cookieIgnoreRuleSchema;
