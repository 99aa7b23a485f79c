import * as React from 'react';
import { Button, Field, Textarea, Typography } from '@strapi/design-system';
import { Cross } from '@strapi/icons';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { NEWSLETTER_API, type Subscription, type SubscriptionDetail, type SubscriptionResponse } from '../../api';
import { useApiAction } from '../../hooks/useApi';
import { t } from '../../utils/getTranslation';
import { FormModal } from '../FormModal';

/** The server keeps at most this much of a reason (services/newsletter REASON_MAX). */
const REASON_MAX = 500;

/**
 * Unsubscribes an address from the admin (e.g. after a request by phone), with an optional
 * reason, after a confirmation. The server records a `withdrawn` event (method "admin") and
 * audits it; the detail it answers with replaces the page's.
 */
export const UnsubscribeButton = ({ subscription, onDone }: { subscription: Subscription; onDone: (detail: SubscriptionDetail) => void }) => {
  const { formatMessage } = useIntl();
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [open, setOpen] = React.useState(false);
  const [reason, setReason] = React.useState('');
  const { isBusy, run } = useApiAction();
  const who = subscription.email ?? formatMessage(t('newsletter.pseudonymised', 'Erased (pseudonymised)'));

  const submit = () =>
    run(async () => {
      const { data } = await post<SubscriptionResponse>(NEWSLETTER_API.unsubscribe(subscription.documentId), reason.trim() ? { reason: reason.trim() } : {});
      setOpen(false);
      setReason('');
      toggleNotification({
        type: 'success',
        message: formatMessage(t('newsletter.unsubscribe.done', '{email} is unsubscribed from "{list}"'), { email: who, list: subscription.list }),
      });
      onDone(data.data);
    });

  return (
    <>
      <Button variant="danger-light" startIcon={<Cross />} onClick={() => setOpen(true)} data-testid="privacy-centre-subscription-unsubscribe">
        {formatMessage(t('newsletter.unsubscribe', 'Unsubscribe'))}
      </Button>
      {open && (
        <FormModal
          testId="privacy-centre-unsubscribe-dialog"
          title={formatMessage(t('newsletter.unsubscribe.title', 'Unsubscribe {email}?'), { email: who })}
          submitLabel={formatMessage(t('newsletter.unsubscribe.confirm', 'Unsubscribe'))}
          submitTestId="privacy-centre-unsubscribe-confirm"
          canSubmit={reason.length <= REASON_MAX}
          isSubmitting={isBusy}
          onSubmit={submit}
          onClose={() => setOpen(false)}
        >
          <Typography tag="p">
            {formatMessage(
              t(
                'newsletter.unsubscribe.body',
                '{email} will no longer receive the "{list}" newsletter. The withdrawal is recorded as a consent event, and in the audit log under your name. The address may subscribe again later.'
              ),
              { email: who, list: subscription.list }
            )}
          </Typography>
          <Field.Root
            name="reason"
            hint={formatMessage(t('newsletter.unsubscribe.reason.hint', 'Optional, kept with the withdrawal (at most {max} characters).'), { max: REASON_MAX })}
            error={reason.length > REASON_MAX ? formatMessage(t('newsletter.unsubscribe.reason.tooLong', 'The reason is too long.')) : undefined}
          >
            <Field.Label>{formatMessage(t('newsletter.unsubscribe.reason', 'Reason'))}</Field.Label>
            <Textarea value={reason} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setReason(e.target.value)} />
            <Field.Hint />
            <Field.Error />
          </Field.Root>
        </FormModal>
      )}
    </>
  );
};
