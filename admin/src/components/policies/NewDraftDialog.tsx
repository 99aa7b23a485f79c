import * as React from 'react';
import { Button, Field, Flex, Modal, Radio, TextInput, Typography } from '@strapi/design-system';
import { useAPIErrorHandler, useFetchClient, useNotification, type FetchError } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { Link } from 'react-router-dom';

import { API, type PolicyDocument, type PolicyVersion, type PolicyVersionResponse } from '../../api';
import { BASE_PATH } from '../../pages/routes';
import { t } from '../../utils/getTranslation';

/** The server's rule (services/policies.ts SLUG_PATTERN), checked here only to answer before a round trip. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Whether a slug has a version the server can copy with `from: "latest"` (published, not withdrawn). */
export const hasPublishedVersion = (doc: PolicyDocument | undefined) =>
  Boolean(doc?.versions.some((v) => v.status === 'in-force' || v.status === 'superseded' || v.status === 'scheduled'));

export const draftOf = (doc: PolicyDocument | undefined) => doc?.versions.find((v) => v.status === 'draft');

interface NewDraftDialogProps {
  documents: PolicyDocument[];
  onClose: () => void;
  onCreated: (version: PolicyVersion) => void;
}

/** "New draft": a slug, and whether to start empty or from a copy of the newest published version. */
export const NewDraftDialog = ({ documents, onClose, onCreated }: NewDraftDialogProps) => {
  const { formatMessage } = useIntl();
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { formatAPIError } = useAPIErrorHandler();
  // A site's first policy is nearly always its privacy policy.
  const [slug, setSlug] = React.useState(documents.length ? '' : 'privacy-policy');
  const [from, setFrom] = React.useState<'empty' | 'latest'>('latest');
  const [isSubmitting, setIsSubmitting] = React.useState(false);

  const doc = documents.find((d) => d.slug === slug);
  const canCopy = hasPublishedVersion(doc);
  const start = canCopy ? from : 'empty';
  const existingDraft = draftOf(doc);
  const slugError = slug && !SLUG_PATTERN.test(slug);

  const onSubmit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!slug || slugError || existingDraft || isSubmitting) return;
    setIsSubmitting(true);
    try {
      const { data } = await post<PolicyVersionResponse>(API.policyDrafts, { slug, from: start });
      onCreated(data.data);
    } catch (error) {
      toggleNotification({ type: 'danger', message: formatAPIError(error as FetchError) });
      setIsSubmitting(false);
    }
  };

  return (
    <Modal.Root open onOpenChange={(open: boolean) => !open && onClose()}>
      <Modal.Content>
        <form onSubmit={onSubmit} noValidate data-testid="privacy-centre-new-draft-dialog">
          <Modal.Header>
            <Modal.Title>{formatMessage(t('policies.newDraft.title', 'New draft'))}</Modal.Title>
          </Modal.Header>
          <Modal.Body>
            <Flex direction="column" alignItems="stretch" gap={5}>
              <Field.Root
                name="slug"
                required
                error={slugError ? formatMessage(t('policies.slug.invalid', 'Use lowercase letters, digits and dashes only.')) : undefined}
                hint={formatMessage(
                  t('policies.slug.hint', 'Names the policy in the public API, e.g. privacy-policy, cookie-policy, terms.')
                )}
              >
                <Field.Label>{formatMessage(t('policies.slug', 'Policy (slug)'))}</Field.Label>
                <TextInput
                  value={slug}
                  list="privacy-centre-slugs"
                  onChange={(e: React.ChangeEvent<HTMLInputElement>) => setSlug(e.target.value.trim())}
                />
                <datalist id="privacy-centre-slugs">
                  {documents.map((d) => (
                    <option key={d.slug} value={d.slug} />
                  ))}
                </datalist>
                <Field.Error />
                <Field.Hint />
              </Field.Root>
              <Flex direction="column" alignItems="stretch" gap={2}>
                <Typography variant="pi" fontWeight="bold" id="privacy-centre-new-draft-from">
                  {formatMessage(t('policies.newDraft.from', 'Start from'))}
                </Typography>
                <Radio.Group
                  aria-labelledby="privacy-centre-new-draft-from"
                  value={start}
                  onValueChange={(value: string) => setFrom(value as 'empty' | 'latest')}
                >
                  <Radio.Item value="latest" disabled={!canCopy}>
                    {formatMessage(t('policies.newDraft.fromLatest', 'A copy of the newest published version'))}
                  </Radio.Item>
                  <Radio.Item value="empty">{formatMessage(t('policies.newDraft.fromEmpty', 'An empty page'))}</Radio.Item>
                </Radio.Group>
              </Flex>
              {existingDraft && (
                <Typography textColor="danger600" data-testid="privacy-centre-new-draft-exists">
                  {formatMessage(
                    t('policies.newDraft.exists', '{slug} already has a draft; there is one draft per policy at a time.'),
                    { slug }
                  )}{' '}
                  <Link to={`${BASE_PATH}/policies/${existingDraft.documentId}`}>
                    {formatMessage(t('policies.newDraft.openExisting', 'Open the draft'))}
                  </Link>
                </Typography>
              )}
            </Flex>
          </Modal.Body>
          <Modal.Footer>
            <Modal.Close>
              <Button variant="tertiary">{formatMessage(t('common.cancel', 'Cancel'))}</Button>
            </Modal.Close>
            <Button type="submit" loading={isSubmitting} disabled={!slug || Boolean(slugError) || Boolean(existingDraft)}>
              {formatMessage(t('policies.newDraft.submit', 'Create draft'))}
            </Button>
          </Modal.Footer>
        </form>
      </Modal.Content>
    </Modal.Root>
  );
};
