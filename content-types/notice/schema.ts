import { hiddenEverywhere } from '../shared';

/**
 * The advance notice of one material policy version: when its window opens (`notice.days`
 * before the version takes effect), and where sending stands. One per version; its deliveries
 * (notice-delivery) are the outbox.
 *
 * status: `pending` (the window has not opened), `sending` (deliveries are enqueued and go
 * out), `paused` (an administrator stopped it), `done` (nothing left to send), `cancelled`
 * (the version was withdrawn before taking effect).
 */
export const noticeSchema = {
  kind: 'collectionType',
  collectionName: 'privacy_centre_notices',
  info: {
    singularName: 'notice',
    pluralName: 'notices',
    displayName: 'Notice of a policy change',
    description: 'The advance notice of a material policy version.',
  },
  options: { draftAndPublish: false },
  pluginOptions: { ...hiddenEverywhere },
  attributes: {
    slug: { type: 'string', required: true, maxLength: 64 },
    version: { type: 'integer', required: true },
    // The documentId of the policy version.
    versionDocumentId: { type: 'string', required: true, maxLength: 24 },
    status: { type: 'enumeration', enum: ['pending', 'sending', 'paused', 'done', 'cancelled'], default: 'pending', required: true },
    // ISO 8601 UTC instants (see policy-version for why not datetime).
    opensAt: { type: 'string', required: true, maxLength: 24 },
    effectiveAt: { type: 'string', required: true, maxLength: 24 },
    enqueuedAt: { type: 'string', maxLength: 24 },
    doneAt: { type: 'string', maxLength: 24 },
    // How many recipients were enqueued when the window opened.
    recipients: { type: 'integer', default: 0 },
    // Why the version was published with less notice than `notice.days` (also in the audit trail).
    shortNoticeReason: { type: 'text' },
  },
  indexes: [
    { name: 'privacy_centre_notices_version', columns: ['slug', 'version'], type: 'unique' },
    { name: 'privacy_centre_notices_status', columns: ['status', 'opens_at'] },
  ],
} as const;

export default noticeSchema;
