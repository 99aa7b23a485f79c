import { hiddenEverywhere } from '../shared';

/** Append-only trail of privacy-relevant admin actions. */
export const auditEventSchema = {
  kind: 'collectionType',
  collectionName: 'privacy_centre_audit_events',
  info: {
    singularName: 'audit-event',
    pluralName: 'audit-events',
    displayName: 'Audit event',
    description: 'A privacy-relevant admin action.',
  },
  options: { draftAndPublish: false },
  pluginOptions: { ...hiddenEverywhere },
  attributes: {
    // "Jane Doe <jane@example.com> (#3)": kept as text so the trail survives the user's deletion.
    actor: { type: 'string', maxLength: 255 },
    actorId: { type: 'integer' },
    action: { type: 'string', required: true, maxLength: 100 },
    target: { type: 'string', maxLength: 255 },
    details: { type: 'json' },
    occurredAt: { type: 'datetime', required: true },
  },
  indexes: [
    { name: 'privacy_centre_audit_events_occurred_at', columns: ['occurred_at'] },
    { name: 'privacy_centre_audit_events_action', columns: ['action'] },
  ],
} as const;

export default auditEventSchema;
