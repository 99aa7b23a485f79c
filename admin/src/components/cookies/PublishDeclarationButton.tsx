import * as React from 'react';
import { Button, Dialog, Flex, Typography } from '@strapi/design-system';
import { Upload } from '@strapi/icons';
import { ConfirmDialog, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { COOKIES_API, type RevisionResponse } from '../../api';
import { useNotifyApiError } from '../../hooks/useApi';
import { t } from '../../utils/getTranslation';

interface PublishDeclarationButtonProps {
  /** The latest published revision; null before the first. */
  latest: number | null;
  /** Whether anything changed since it: publishing nothing new is refused by the server. */
  changed: boolean;
  onPublished: () => void;
}

/**
 * Publishes what editors have now as the next revision of the cookie declaration, after a
 * confirmation that says what cannot be undone: the revision is frozen, and visitors who
 * consented to an older one are asked again.
 */
export const PublishDeclarationButton = ({ latest, changed, onPublished }: PublishDeclarationButtonProps) => {
  const { formatMessage } = useIntl();
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const notifyError = useNotifyApiError();
  const [open, setOpen] = React.useState(false);
  const [isBusy, setIsBusy] = React.useState(false);
  const next = (latest ?? 0) + 1;

  const onConfirm = async () => {
    if (isBusy) return;
    setIsBusy(true);
    try {
      const { data } = await post<RevisionResponse>(COOKIES_API.publish);
      toggleNotification({
        type: 'success',
        message: formatMessage(t('cookies.publish.done', 'Revision {revision} of the cookie declaration published'), {
          revision: data.data.revision,
        }),
      });
      setOpen(false);
      onPublished();
    } catch (error) {
      notifyError(error);
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger>
        <Button startIcon={<Upload />} disabled={!changed} data-testid="privacy-centre-cookies-publish">
          {formatMessage(t('cookies.publish', 'Publish declaration'))}
        </Button>
      </Dialog.Trigger>
      <ConfirmDialog
        title={formatMessage(t('cookies.publish.title', 'Publish revision {revision} of the cookie declaration?'), { revision: next })}
        endAction={
          <Button fullWidth loading={isBusy} onClick={onConfirm} data-testid="privacy-centre-cookies-publish-confirm">
            {formatMessage(t('cookies.publish.confirm', 'Publish revision {revision}'), { revision: next })}
          </Button>
        }
      >
        <Flex direction="column" alignItems="stretch" gap={2} data-testid="privacy-centre-cookies-publish-consequence">
          <Typography tag="p" fontWeight="semiBold">
            {formatMessage(
              t(
                'cookies.publish.frozen',
                'Revision {revision} will be frozen for good: it becomes the record of the categories and cookies visitors are told about, and nobody can change or delete it afterwards.'
              ),
              { revision: next }
            )}
          </Typography>
          <Typography tag="p">
            {latest === null
              ? formatMessage(
                  t('cookies.publish.first', 'Frontends will show it from now on, and every consent will refer to it.')
                )
              : formatMessage(
                  t(
                    'cookies.publish.askAgain',
                    'Frontends will show it from now on. Visitors who consented to revision {latest} or an earlier one will be asked for their consent again.'
                  ),
                  { latest }
                )}
          </Typography>
        </Flex>
      </ConfirmDialog>
    </Dialog.Root>
  );
};
