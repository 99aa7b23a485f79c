import { hiddenEverywhere } from '../shared';

/**
 * One recipient of one notice: the outbox row while it waits, the evidence once sent. It holds
 * no address: the address is read from the subscription or the user when the message is
 * composed, so it is gone from here after sending, and a recipient who unsubscribed or was
 * blocked in between is skipped.
 *
 * Several instances send at once: a row is taken by a conditional update of `claimedBy` /
 * `claimedUntil` (exactly one instance wins it); a claim that expires (its instance died) is
 * taken over. Unique (notice, subjectRef): one message per person per notice.
 */
export const noticeDeliverySchema = {
  kind: 'collectionType',
  collectionName: 'privacy_centre_notice_deliveries',
  info: {
    singularName: 'notice-delivery',
    pluralName: 'notice-deliveries',
    displayName: 'Notice delivery',
    description: 'One recipient of an advance notice of a policy change, and the evidence of its sending.',
  },
  options: { draftAndPublish: false },
  pluginOptions: { ...hiddenEverywhere },
  attributes: {
    // The id of the notice row (a plain integer: the outbox is written and read with SQL).
    noticeId: { type: 'integer', required: true },
    recipientKind: { type: 'enumeration', enum: ['subscriber', 'user'], required: true },
    // The documentId of the newsletter subscription or of the users-permissions user.
    recipientId: { type: 'string', required: true, maxLength: 64 },
    // The keyed pseudonym of the recipient: the subscription's emailHash, or
    // keys.pseudonyms('site-user', user.documentId)[0]. How the evidence file finds it.
    subjectRef: { type: 'string', required: true, maxLength: 64 },
    language: { type: 'string', maxLength: 35 },
    status: { type: 'enumeration', enum: ['pending', 'sent', 'failed', 'skipped'], default: 'pending', required: true },
    attempts: { type: 'integer', default: 0 },
    // ISO 8601 UTC instants.
    nextAttemptAt: { type: 'string', maxLength: 24 },
    claimedBy: { type: 'string', maxLength: 100 },
    claimedUntil: { type: 'string', maxLength: 24 },
    sentAt: { type: 'string', maxLength: 24 },
    messageId: { type: 'string', maxLength: 255 },
    // SHA-256 (hex) of the message as sent.
    messageHash: { type: 'string', maxLength: 64 },
    // Why the last attempt failed, or why the row was given up or skipped (never an address).
    lastError: { type: 'text' },
  },
  indexes: [
    { name: 'privacy_centre_notice_deliveries_recipient', columns: ['notice_id', 'subject_ref'], type: 'unique' },
    { name: 'privacy_centre_notice_deliveries_queue', columns: ['notice_id', 'status', 'next_attempt_at'] },
    { name: 'privacy_centre_notice_deliveries_subject', columns: ['subject_ref'] },
  ],
} as const;

export default noticeDeliverySchema;
