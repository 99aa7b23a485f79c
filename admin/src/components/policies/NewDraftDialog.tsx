import * as React from 'react';
import { Flex, Radio, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { Link } from 'react-router-dom';

import { API, type PolicyDocument, type PolicyVersion, type PolicyVersionResponse } from '../../api';
import { useApiAction } from '../../hooks/useApi';
import { versionPath } from '../../pages/routes';
import { t } from '../../utils/getTranslation';
import { FormModal } from '../FormModal';
import { SlugField, isInvalidSlug } from './SlugField';

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
  const { isBusy, run } = useApiAction({ holdOnSuccess: true });
  // A site's first policy is nearly always its privacy policy.
  const [slug, setSlug] = React.useState(documents.length ? '' : 'privacy-policy');
  const [from, setFrom] = React.useState<'empty' | 'latest'>('latest');

  const doc = documents.find((d) => d.slug === slug);
  const canCopy = hasPublishedVersion(doc);
  const start = canCopy ? from : 'empty';
  const existingDraft = draftOf(doc);

  const onSubmit = () =>
    run(async () => {
      const { data } = await post<PolicyVersionResponse>(API.policyDrafts, { slug, from: start });
      onCreated(data.data);
    });

  return (
    <FormModal
      testId="privacy-centre-new-draft-dialog"
      title={formatMessage(t('policies.newDraft.title', 'New draft'))}
      submitLabel={formatMessage(t('policies.newDraft.submit', 'Create draft'))}
      canSubmit={Boolean(slug) && !isInvalidSlug(slug) && !existingDraft}
      isSubmitting={isBusy}
      onSubmit={onSubmit}
      onClose={onClose}
    >
      <SlugField
        value={slug}
        onChange={setSlug}
        documents={documents}
        listId="privacy-centre-slugs"
        hint={formatMessage(t('policies.slug.hint', 'Names the policy in the public API, e.g. privacy-policy, cookie-policy, terms.'))}
      />
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
          {formatMessage(t('policies.newDraft.exists', '{slug} already has a draft; there is one draft per policy at a time.'), { slug })}{' '}
          <Link to={versionPath(existingDraft.documentId)}>{formatMessage(t('policies.newDraft.openExisting', 'Open the draft'))}</Link>
        </Typography>
      )}
    </FormModal>
  );
};
