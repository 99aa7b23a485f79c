import { hiddenEverywhere } from '../shared';

/**
 * One address on one list, with double opt-in. Every change of status also writes a
 * consent-record event (requested, confirmed, given, withdrawn) with its evidence, so the
 * history is never lost; this row is only the current state.
 */
export const newsletterSubscriptionSchema = {
  kind: 'collectionType',
  collectionName: 'privacy_centre_newsletter_subscriptions',
  info: {
    singularName: 'newsletter-subscription',
    pluralName: 'newsletter-subscriptions',
    displayName: 'Newsletter subscription',
    description: 'A newsletter subscription with double opt-in.',
  },
  options: { draftAndPublish: false },
  pluginOptions: { ...hiddenEverywhere },
  attributes: {
    // HMAC of the normalised address with the plugin's secret: how an address is found, also
    // after it was pseudonymised (then `email` is empty, and a new subscription is recognised).
    emailHash: { type: 'string', required: true, maxLength: 64 },
    // The keyed hash of the address folded to lower case: one mailbox however its case is typed
    // (`Victim@`, `VICTIM@`), which the resend throttle and the daily cap count by.
    mailboxHash: { type: 'string', maxLength: 64 },
    // Normalised (trimmed, domain lower-cased); null once pseudonymised.
    email: { type: 'string', maxLength: 254 },
    list: { type: 'string', required: true, default: 'default', maxLength: 64 },
    status: {
      type: 'enumeration',
      enum: ['pending', 'subscribed', 'unsubscribed'],
      default: 'pending',
      required: true,
    },
    language: { type: 'string', maxLength: 35 },
    source: { type: 'text' },
    // The visitor's cookie-consent subjectId, when the site links them.
    subjectId: { type: 'string', maxLength: 64 },
    // ISO 8601 UTC instants (see policy-version for why not datetime).
    requestedAt: { type: 'string', maxLength: 24 },
    confirmedAt: { type: 'string', maxLength: 24 },
    unsubscribedAt: { type: 'string', maxLength: 24 },
    lastConfirmationSentAt: { type: 'string', maxLength: 24 },
    pseudonymisedAt: { type: 'string', maxLength: 24 },
    unsubscribeReason: { type: 'text' },
  },
  indexes: [
    { name: 'privacy_centre_newsletter_subscriptions_address', columns: ['email_hash', 'list'], type: 'unique' },
    { name: 'privacy_centre_newsletter_subscriptions_status', columns: ['list', 'status'] },
    { name: 'privacy_centre_newsletter_subscriptions_mailbox', columns: ['mailbox_hash'] },
  ],
} as const;

export default newsletterSubscriptionSchema;
