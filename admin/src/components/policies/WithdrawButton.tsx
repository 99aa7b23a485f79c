import { Button, Dialog } from '@strapi/design-system';
import { Cross } from '@strapi/icons';
import { ConfirmDialog, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { API, type PolicyVersionSummary } from '../../api';
import { useNotifyApiError } from '../../hooks/useApi';
import { t } from '../../utils/getTranslation';

interface WithdrawButtonProps {
  slug: string;
  /** The scheduled version: from the list or the version's own page. */
  target: Pick<PolicyVersionSummary, 'documentId' | 'version' | 'effectiveAt'>;
  onWithdrawn: () => void;
}

/**
 * Withdraws a scheduled version before it takes effect. Only offered for scheduled versions:
 * the server refuses it for any other, since a version that has taken effect is the record.
 */
export const WithdrawButton = ({ slug, target: { documentId, version, effectiveAt }, onWithdrawn }: WithdrawButtonProps) => {
  const { formatMessage, formatDate } = useIntl();
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const notifyError = useNotifyApiError();

  const onConfirm = async () => {
    try {
      await post(API.policyWithdraw(documentId), {});
      toggleNotification({
        type: 'success',
        message: formatMessage(t('policies.withdraw.done', 'Version {version} of {slug} withdrawn'), { version, slug }),
      });
      onWithdrawn();
    } catch (error) {
      notifyError(error);
    }
  };

  return (
    <Dialog.Root>
      <Dialog.Trigger>
        <Button variant="danger-light" size="S" startIcon={<Cross />} data-testid="privacy-centre-policy-withdraw">
          {formatMessage(t('policies.withdraw', 'Withdraw'))}
        </Button>
      </Dialog.Trigger>
      <ConfirmDialog
        title={formatMessage(t('policies.withdraw.title', 'Withdraw version {version}?'), { version })}
        onConfirm={onConfirm}
      >
        {formatMessage(
          t(
            'policies.withdraw.body',
            'Version {version} of {slug} will not take effect on {date}. It stays on record as withdrawn and can never be published again; the version in force stays in force.'
          ),
          { version, slug, date: effectiveAt ? formatDate(effectiveAt, { dateStyle: 'long', timeStyle: 'short' }) : '' }
        )}
      </ConfirmDialog>
    </Dialog.Root>
  );
};
