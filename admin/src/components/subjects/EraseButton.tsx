import * as React from 'react';
import { Box, Button, Checkbox, Dialog, Flex, Loader, Typography } from '@strapi/design-system';
import { Trash, WarningCircle } from '@strapi/icons';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { SUBJECTS_API, type ErasurePlan, type ErasurePlanResponse, type ErasureResponse } from '../../api';
import { useApiAction, useNotifyApiError } from '../../hooks/useApi';
import { t } from '../../utils/getTranslation';

interface EraseButtonProps {
  query: string;
  /** Named in the dialog's title: the address or visitor id found. */
  who: string;
  onErased: () => void;
}

/** A list of the server's sentences under a heading. */
const PlanList = ({ title, items, testId }: { title: string; items: string[]; testId: string }) => (
  <Box width="100%" data-testid={testId}>
    <Typography variant="sigma" textColor="neutral600" tag="h3">
      {title}
    </Typography>
    <Box tag="ul" paddingTop={1} paddingLeft={5} style={{ listStyle: 'disc' }}>
      {items.map((item) => (
        <li key={item}>
          <Typography>{item}</Typography>
        </li>
      ))}
    </Box>
  </Box>
);

/**
 * Erases a person (Art. 17). The dialog first asks the server what exactly would be removed and
 * what is kept (and why), states that this cannot be undone, and erases only after an explicit
 * confirmation. The server audits the erasure.
 */
export const EraseButton = ({ query, who, onErased }: EraseButtonProps) => {
  const { formatMessage } = useIntl();
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const notifyError = useNotifyApiError();
  const { isBusy, run } = useApiAction();
  const [open, setOpen] = React.useState(false);
  const [plan, setPlan] = React.useState<ErasurePlan | null>(null);
  const [confirmed, setConfirmed] = React.useState(false);

  React.useEffect(() => {
    if (!open) return;
    let cancelled = false;
    setPlan(null);
    setConfirmed(false);
    post<ErasurePlanResponse>(SUBJECTS_API.erasurePlan, { query })
      .then(({ data }) => !cancelled && setPlan(data.data))
      .catch((error) => {
        if (cancelled) return;
        notifyError(error);
        setOpen(false);
      });
    return () => {
      cancelled = true;
    };
  }, [open, query, post, notifyError]);

  const erase = () =>
    run(async () => {
      const { data } = await post<ErasureResponse>(SUBJECTS_API.erase, { query, confirm: true });
      setOpen(false);
      toggleNotification({
        type: 'success',
        message: formatMessage(
          t('subjects.erase.done', 'Erased: {subscriptions, plural, one {# subscription} other {# subscriptions}}, {consentRecords, plural, one {# consent record} other {# consent records}}, {requests, plural, one {# request} other {# requests}}'),
          data.data.erased
        ),
      });
      onErased();
    });

  return (
    <Dialog.Root open={open} onOpenChange={(next: boolean) => !isBusy && setOpen(next)}>
      <Dialog.Trigger>
        <Button variant="danger" startIcon={<Trash />} data-testid="privacy-centre-subject-erase">
          {formatMessage(t('subjects.erase', 'Erase'))}
        </Button>
      </Dialog.Trigger>
      <Dialog.Content data-testid="privacy-centre-erase-dialog">
        <Dialog.Header>{formatMessage(t('subjects.erase.title', 'Erase {who}?'), { who })}</Dialog.Header>
        <Dialog.Body>
          {!plan ? (
            <Loader small>{formatMessage(t('subjects.erase.loading', 'Finding what would be erased…'))}</Loader>
          ) : (
            <Flex direction="column" alignItems="stretch" gap={4} width="100%" data-testid="privacy-centre-erase-plan">
              <Flex gap={2} alignItems="flex-start">
                <WarningCircle aria-hidden width="2rem" height="2rem" fill="danger600" />
                <Typography fontWeight="bold" textColor="danger700" tag="p">
                  {formatMessage(t('subjects.erase.irreversible', 'This cannot be undone: what is removed is gone for good, also from this admin.'))}
                </Typography>
              </Flex>
              <PlanList title={formatMessage(t('subjects.erase.removes', 'Will be removed'))} items={plan.removes} testId="privacy-centre-erase-removes" />
              <PlanList title={formatMessage(t('subjects.erase.keeps', 'Will be kept'))} items={plan.keeps} testId="privacy-centre-erase-keeps" />
              <Checkbox
                checked={confirmed}
                onCheckedChange={(value: boolean | 'indeterminate') => setConfirmed(value === true)}
                data-testid="privacy-centre-erase-understood"
              >
                {formatMessage(t('subjects.erase.understood', 'I have read what will be removed, and understand that it cannot be undone.'))}
              </Checkbox>
            </Flex>
          )}
        </Dialog.Body>
        <Dialog.Footer>
          <Dialog.Cancel>
            <Button fullWidth variant="tertiary" disabled={isBusy}>
              {formatMessage(t('common.cancel', 'Cancel'))}
            </Button>
          </Dialog.Cancel>
          <Button
            fullWidth
            variant="danger"
            startIcon={<Trash />}
            loading={isBusy}
            disabled={!plan || !confirmed}
            onClick={erase}
            data-testid="privacy-centre-erase-confirm"
          >
            {formatMessage(t('subjects.erase.confirm', 'Erase for good'))}
          </Button>
        </Dialog.Footer>
      </Dialog.Content>
    </Dialog.Root>
  );
};
