import * as React from 'react';
import { Button, Flex } from '@strapi/design-system';
import { Download } from '@strapi/icons';
import { useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { CONSENTS_API, type ConsentFilters } from '../../api';
import { useNotifyApiError } from '../../hooks/useApi';
import { consentQuery } from '../../utils/consentFilters';
import { fileNameFrom, saveFile, today } from '../../utils/download';
import { t } from '../../utils/getTranslation';

/**
 * Downloads the records matching the filters (every page), as NDJSON or CSV. The request carries
 * the admin's token in its Authorization header, which a plain link cannot, so the file is
 * fetched (the admin's fetch client, which also renews an expired token) and handed to the
 * browser as a download. The server audits every export.
 */
export const ExportButtons = ({ filters }: { filters: ConsentFilters }) => {
  const { formatMessage } = useIntl();
  const { get } = useFetchClient();
  const notifyError = useNotifyApiError();
  const [busy, setBusy] = React.useState<'ndjson' | 'csv' | null>(null);

  const download = async (format: 'ndjson' | 'csv') => {
    if (busy) return;
    setBusy(format);
    try {
      const { data, headers } = await get(`${CONSENTS_API.export}?${consentQuery(filters, { format })}`, { responseType: 'blob' });
      saveFile(data, fileNameFrom(headers, `consents-${today()}.${format}`));
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Flex gap={2}>
      <Button variant="secondary" startIcon={<Download />} loading={busy === 'ndjson'} onClick={() => download('ndjson')} data-testid="privacy-centre-consents-export-ndjson">
        {formatMessage(t('consents.export.ndjson', 'Export NDJSON'))}
      </Button>
      <Button variant="secondary" startIcon={<Download />} loading={busy === 'csv'} onClick={() => download('csv')} data-testid="privacy-centre-consents-export-csv">
        {formatMessage(t('consents.export.csv', 'Export CSV'))}
      </Button>
    </Flex>
  );
};
