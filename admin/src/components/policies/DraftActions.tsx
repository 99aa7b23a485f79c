import { Button, Dialog, Flex } from '@strapi/design-system';
import { Check, Trash, Upload } from '@strapi/icons';
import { ConfirmDialog } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { t } from '../../utils/getTranslation';

interface DraftActionsProps {
  slug: string;
  isDirty: boolean;
  isSaving: boolean;
  /** Holds `policies.publish`: without it there is no Publish button at all. */
  canPublish: boolean;
  onDelete: () => void;
  onSave: () => void;
  onPublish: () => void;
}

/**
 * The header of a draft: delete (after a confirmation), save, publish. Publishing waits for the
 * edits to be saved, so that what is published is what was previewed.
 */
export const DraftActions = ({ slug, isDirty, isSaving, canPublish, onDelete, onSave, onPublish }: DraftActionsProps) => {
  const { formatMessage } = useIntl();
  return (
    <Flex gap={2}>
      <Dialog.Root>
        <Dialog.Trigger>
          <Button variant="danger-light" startIcon={<Trash />}>
            {formatMessage(t('policies.delete', 'Delete draft'))}
          </Button>
        </Dialog.Trigger>
        <ConfirmDialog onConfirm={onDelete}>
          {formatMessage(
            t('policies.delete.body', 'Delete this draft of {slug}, in every language? It has never been published, so nothing else is affected.'),
            { slug }
          )}
        </ConfirmDialog>
      </Dialog.Root>
      <Button variant="secondary" startIcon={<Check />} onClick={onSave} loading={isSaving} disabled={!isDirty}>
        {formatMessage(t('policies.save', 'Save'))}
      </Button>
      {canPublish && (
        <Button startIcon={<Upload />} onClick={onPublish} disabled={isDirty} data-testid="privacy-centre-publish">
          {formatMessage(t('policies.publish', 'Publish…'))}
        </Button>
      )}
    </Flex>
  );
};
