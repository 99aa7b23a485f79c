import type { FrozenRowsRule } from '../db/frozen-rows';
import type { FrozenRecordRule } from './frozen-records';

export const DECLARATION_UID = 'plugin::privacy-centre.cookie-declaration';

const FIELDS = ['revision', 'snapshot', 'hash', 'signature', 'releasedAt', 'releasedBy'] as const;

/**
 * A published revision of the cookie declaration is frozen from the moment it exists: only the
 * publication (the sealing path) creates one, and nothing changes or deletes it.
 */
export const cookieDeclarationRule: FrozenRecordRule = {
  uid: DECLARATION_UID,
  sealedFields: FIELDS,
  isEmptySealedValue: (_field, value) => value === null || value === undefined,
  isFrozen: () => true,
  editable: { id: { $null: true } },
  fields: ['revision'],
  frozenMessage: (row) =>
    `Cookie declaration revision ${row.revision ?? '?'} is published and frozen: it is the record of what visitors ` +
    'were asked to consent to. Publish a new revision instead.',
  sealedFieldsMessage: () => 'A cookie declaration revision is created only by publishing the declaration',
};

export const cookieDeclarationRows: FrozenRowsRule = {
  table: 'privacy_centre_cookie_declarations',
  name: 'privacy_centre_cookie_declarations_frozen',
  frozen: () => '1 = 1',
  complete: (row) => `${row('revision')} IS NOT NULL AND ${row('hash')} IS NOT NULL AND ${row('released_at')} IS NOT NULL`,
  // The signature is re-made when the secret is rotated; a wrong one only fails the integrity check.
  columns: ['document_id', 'revision', 'snapshot', 'hash', 'released_at', 'released_by'],
  message: 'privacy-centre: this cookie declaration revision is published and frozen',
};
