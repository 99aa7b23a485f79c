import { hiddenEverywhere } from '../shared';

/** One address on one list. Every status change also writes a consent-record event. */
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
    // Normalised (trimmed, lower-cased domain).
    email: { type: 'email', required: true, maxLength: 254 },
    list: { type: 'string', required: true, default: 'default', maxLength: 64 },
    status: {
      type: 'enumeration',
      enum: ['pending', 'subscribed', 'unsubscribed'],
      default: 'pending',
      required: true,
    },
    language: { type: 'string', maxLength: 16 },
    source: { type: 'string', maxLength: 2048 },
    requestedAt: { type: 'datetime' },
    confirmedAt: { type: 'datetime' },
    unsubscribedAt: { type: 'datetime' },
    unsubscribeReason: { type: 'string', maxLength: 500 },
  },
  indexes: [
    {
      name: 'privacy_centre_newsletter_subscriptions_email_list',
      columns: ['email', 'list'],
      type: 'unique',
    },
    { name: 'privacy_centre_newsletter_subscriptions_status', columns: ['list', 'status'] },
  ],
} as const;

export default newsletterSubscriptionSchema;
