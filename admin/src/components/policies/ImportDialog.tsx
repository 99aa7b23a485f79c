import * as React from 'react';
import {
  Button,
  Checkbox,
  Field,
  Flex,
  Modal,
  SingleSelect,
  SingleSelectOption,
  Textarea,
  TextInput,
} from '@strapi/design-system';
import { useAPIErrorHandler, useFetchClient, useNotification, type FetchError } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { API, type PolicyDocument, type PolicyLocales, type PolicyVersion, type PolicyVersionResponse } from '../../api';
import { t } from '../../utils/getTranslation';
import { SLUG_PATTERN } from './NewDraftDialog';

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
  const { toggleNotification } = useNotification();
  const { formatAPIError } = useAPIErrorHandler();
  const [slug, setSlug] = React.useState(documents[0]?.slug ?? 'privacy-policy');
  const [locale, setLocale] = React.useState(locales.defaultLocale);
  const [text, setText] = React.useState('');
  const [replace, setReplace] = React.useState(false);
  const [isSubmitting, setIsSubmitting] = React.useState(false);

  const slugError = slug && !SLUG_PATTERN.test(slug);
  const ready = Boolean(slug) && !slugError && text.trim().length > 0;

  const onSubmit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!ready || isSubmitting) return;
    setIsSubmitting(true);
    try {
      const { data } = await post<PolicyVersionResponse>(API.policyImport, { slug, locale, text, replace });
      onImported(data.data, locale);
    } catch (error) {
      // e.g. "The privacy-policy draft already has en content: pass replace: true to overwrite it"
      toggleNotification({ type: 'danger', message: formatAPIError(error as FetchError) });
      setIsSubmitting(false);
    }
  };

  return (
    <Modal.Root open onOpenChange={(open: boolean) => !open && onClose()}>
      <Modal.Content>
        <form onSubmit={onSubmit} noValidate data-testid="privacy-centre-import-dialog">
          <Modal.Header>
            <Modal.Title>{formatMessage(t('policies.import.title', 'Import from text'))}</Modal.Title>
          </Modal.Header>
          <Modal.Body>
            <Flex direction="column" alignItems="stretch" gap={5}>
              <Flex gap={4} alignItems="flex-start">
                <Field.Root
                  name="slug"
                  required
                  style={{ flex: 2 }}
                  error={slugError ? formatMessage(t('policies.slug.invalid', 'Use lowercase letters, digits and dashes only.')) : undefined}
                >
                  <Field.Label>{formatMessage(t('policies.slug', 'Policy (slug)'))}</Field.Label>
                  <TextInput
                    value={slug}
                    list="privacy-centre-import-slugs"
                    onChange={(e: React.ChangeEvent<HTMLInputElement>) => setSlug(e.target.value.trim())}
                  />
                  <datalist id="privacy-centre-import-slugs">
                    {documents.map((d) => (
                      <option key={d.slug} value={d.slug} />
                    ))}
                  </datalist>
                  <Field.Error />
                </Field.Root>
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
                <Textarea
                  value={text}
                  rows={14}
                  onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setText(e.target.value)}
                />
                <Field.Hint />
              </Field.Root>
              <Checkbox checked={replace} onCheckedChange={(checked: boolean | 'indeterminate') => setReplace(checked === true)}>
                {formatMessage(
                  t('policies.import.replace', "Replace this language's text if the draft already has some")
                )}
              </Checkbox>
            </Flex>
          </Modal.Body>
          <Modal.Footer>
            <Modal.Close>
              <Button variant="tertiary">{formatMessage(t('common.cancel', 'Cancel'))}</Button>
            </Modal.Close>
            <Button type="submit" loading={isSubmitting} disabled={!ready}>
              {formatMessage(t('policies.import.submit', 'Import'))}
            </Button>
          </Modal.Footer>
        </form>
      </Modal.Content>
    </Modal.Root>
  );
};
