import * as React from 'react';
import { Checkbox, Field, Flex, SingleSelect, SingleSelectOption, Textarea } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { API, type PolicyDocument, type PolicyLocales, type PolicyVersion, type PolicyVersionResponse } from '../../api';
import { useApiAction } from '../../hooks/useApi';
import { t } from '../../utils/getTranslation';
import { FormModal } from '../FormModal';
import { SlugField, isInvalidSlug } from './SlugField';

interface ImportDialogProps {
  documents: PolicyDocument[];
  locales: PolicyLocales;
  onClose: () => void;
  onImported: (version: PolicyVersion, locale: string) => void;
}

/**
 * "Import from text": pasted Markdown or plain text becomes the slug's draft (or one language of
 * it). The server splits it into sections and keeps every line; the editor then shows the result.
 */
export const ImportDialog = ({ documents, locales, onClose, onImported }: ImportDialogProps) => {
  const { formatMessage } = useIntl();
  const { post } = useFetchClient();
  // On failure the server says why, e.g. "The privacy-policy draft already has en content: pass
  // replace: true to overwrite it".
  const { isBusy, run } = useApiAction({ holdOnSuccess: true });
  const [slug, setSlug] = React.useState(documents[0]?.slug ?? 'privacy-policy');
  const [locale, setLocale] = React.useState(locales.defaultLocale);
  const [text, setText] = React.useState('');
  const [replace, setReplace] = React.useState(false);

  const ready = Boolean(slug) && !isInvalidSlug(slug) && text.trim().length > 0;

  const onSubmit = () =>
    run(async () => {
      const { data } = await post<PolicyVersionResponse>(API.policyImport, { slug, locale, text, replace });
      onImported(data.data, locale);
    });

  return (
    <FormModal
      testId="privacy-centre-import-dialog"
      title={formatMessage(t('policies.import.title', 'Import from text'))}
      submitLabel={formatMessage(t('policies.import.submit', 'Import'))}
      canSubmit={ready}
      isSubmitting={isBusy}
      onSubmit={onSubmit}
      onClose={onClose}
    >
      <Flex gap={4} alignItems="flex-start">
        <SlugField value={slug} onChange={setSlug} documents={documents} listId="privacy-centre-import-slugs" style={{ flex: 2 }} />
        <Field.Root name="locale" required style={{ flex: 1 }}>
          <Field.Label>{formatMessage(t('policies.locale', 'Language'))}</Field.Label>
          <SingleSelect value={locale} onChange={(value: string | number) => setLocale(String(value))}>
            {locales.codes.map((code) => (
              <SingleSelectOption key={code} value={code}>
                {code}
              </SingleSelectOption>
            ))}
          </SingleSelect>
        </Field.Root>
      </Flex>
      <Field.Root
        name="text"
        required
        hint={formatMessage(
          t(
            'policies.import.text.hint',
            'Markdown, or plain text copied from a document or web page: it is split into sections at numbered headings ("3. Legal basis") and short title lines; tab-separated lines become tables. No line is dropped.'
          )
        )}
      >
        <Field.Label>{formatMessage(t('policies.import.text', 'Policy text'))}</Field.Label>
        <Textarea value={text} rows={14} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setText(e.target.value)} />
        <Field.Hint />
      </Field.Root>
      <Checkbox checked={replace} onCheckedChange={(checked: boolean | 'indeterminate') => setReplace(checked === true)}>
        {formatMessage(t('policies.import.replace', "Replace this language's text if the draft already has some"))}
      </Checkbox>
    </FormModal>
  );
};
