import { hiddenEverywhere } from '../shared';

/**
 * The site's own id of a visitor, linked to their browser's subjectId by c15t's identify
 * (PATCH /api/privacy-centre/c15t/subjects/:id). One row per subjectId; the last link wins.
 * Personal data of the site's users: an erasure of the subjectId deletes it
 * (services/subjects eraseRows).
 */
export const subjectLinkSchema = {
  kind: 'collectionType',
  collectionName: 'privacy_centre_subject_links',
  info: {
    singularName: 'subject-link',
    pluralName: 'subject-links',
    displayName: 'Subject link',
    description: "A site user's id linked to a browser's subjectId (c15t identify).",
  },
  options: { draftAndPublish: false },
  pluginOptions: { ...hiddenEverywhere },
  attributes: {
    subjectId: { type: 'string', required: true, maxLength: 64 },
    externalId: { type: 'string', required: true, maxLength: 255 },
    identityProvider: { type: 'string', maxLength: 64 },
    // ISO 8601 UTC, like every instant of the plugin's records.
    linkedAt: { type: 'string', required: true, maxLength: 24 },
  },
  indexes: [{ name: 'privacy_centre_subject_links_subject_id', columns: ['subject_id'], type: 'unique' }],
} as const;

export default subjectLinkSchema;
