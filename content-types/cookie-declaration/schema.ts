import { hiddenEverywhere } from '../shared';

/** A published, immutable revision of the cookie categories and definitions. */
export const cookieDeclarationSchema = {
  kind: 'collectionType',
  collectionName: 'privacy_centre_cookie_declarations',
  info: {
    singularName: 'cookie-declaration',
    pluralName: 'cookie-declarations',
    displayName: 'Cookie declaration',
    description: 'A published revision of the cookie declaration; frozen.',
  },
  options: { draftAndPublish: false },
  pluginOptions: { ...hiddenEverywhere },
  attributes: {
    revision: { type: 'integer', required: true, unique: true, min: 1 },
    snapshot: { type: 'json', required: true },
    hash: { type: 'string', required: true, maxLength: 64 },
    releasedAt: { type: 'datetime', required: true },
    releasedBy: { type: 'string', maxLength: 255 },
  },
} as const;

export default cookieDeclarationSchema;
