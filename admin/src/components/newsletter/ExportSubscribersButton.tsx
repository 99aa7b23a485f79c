import * as React from 'react';
import { Button } from '@strapi/design-system';
import { Download } from '@strapi/icons';
import { useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { NEWSLETTER_API, type SubscriptionFilters } from '../../api';
import { useNotifyApiError } from '../../hooks/useApi';
import { fileNameFrom, saveFile, today } from '../../utils/download';
import { t } from '../../utils/getTranslation';
import { subscriptionQuery } from '../../utils/newsletterFilters';

/**
 * Downloads the subscriptions matching the filters (every page) as CSV. Fetched with the admin's
 * token (a plain link could not carry it) and handed to the browser as a file; the server audits it.
 */
export const ExportSubscribersButton = ({ filters }: { filters: SubscriptionFilters }) => {
  const { formatMessage } = useIntl();
  const { get } = useFetchClient();
  const notifyError = useNotifyApiError();
  const [busy, setBusy] = React.useState(false);

  const download = async () => {
    if (busy) return;
    setBusy(true);
    try {
      const { data, headers } = await get(`${NEWSLETTER_API.export}?${subscriptionQuery(filters, { format: 'csv' })}`, { responseType: 'blob' });
      saveFile(data, fileNameFrom(headers, `subscribers-${today()}.csv`));
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Button variant="secondary" startIcon={<Download />} loading={busy} onClick={download} data-testid="privacy-centre-newsletter-export-csv">
      {formatMessage(t('newsletter.export.csv', 'Export CSV'))}
    </Button>
  );
};
