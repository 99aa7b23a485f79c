import * as React from 'react';
import { Field, TextInput } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import { isSlug } from '../../../../server/src/policy/patterns';
import type { PolicyDocument } from '../../api';
import { t } from '../../utils/getTranslation';

/** A slug typed but not acceptable (an empty one is incomplete, not wrong): the server's own rule. */
export const isInvalidSlug = (slug: string) => slug !== '' && !isSlug(slug);

interface SlugFieldProps {
  value: string;
  onChange: (slug: string) => void;
  /** The existing slugs, offered as suggestions. */
  documents: PolicyDocument[];
  /** Id of the suggestions' <datalist>, unique on the page. */
  listId: string;
  hint?: string;
  style?: React.CSSProperties;
}

/** The "Policy (slug)" field of the new-draft and import dialogs: free text with the existing slugs suggested. */
export const SlugField = ({ value, onChange, documents, listId, hint, style }: SlugFieldProps) => {
  const { formatMessage } = useIntl();
  return (
    <Field.Root
      name="slug"
      required
      style={style}
      error={isInvalidSlug(value) ? formatMessage(t('policies.slug.invalid', 'Use lowercase letters, digits and dashes only.')) : undefined}
      hint={hint}
    >
      <Field.Label>{formatMessage(t('policies.slug', 'Policy (slug)'))}</Field.Label>
      <TextInput value={value} list={listId} onChange={(e: React.ChangeEvent<HTMLInputElement>) => onChange(e.target.value.trim())} />
      <datalist id={listId}>
        {documents.map((d) => (
          <option key={d.slug} value={d.slug} />
        ))}
      </datalist>
      <Field.Error />
      {hint && <Field.Hint />}
    </Field.Root>
  );
};
