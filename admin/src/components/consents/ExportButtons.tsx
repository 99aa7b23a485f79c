import * as React from 'react';
import { Button, Flex } from '@strapi/design-system';
import { Download } from '@strapi/icons';
import { useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { CONSENTS_API, type ConsentFilters } from '../../api';
import { useNotifyApiError } from '../../hooks/useApi';
import { consentQuery } from '../../utils/consentFilters';
import { t } from '../../utils/getTranslation';

/** The file name the server gives (`Content-Disposition`), else one of the same shape. */
const fileName = (headers: Headers | undefined, format: string) => {
  const match = /filename="?([^";]+)"?/i.exec(headers?.get('content-disposition') ?? '');
  return match ? match[1] : `consents-${new Date().toISOString().slice(0, 10)}.${format}`;
};

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
      const url = URL.createObjectURL(data);
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName(headers, format);
      document.body.appendChild(link);
      link.click();
      link.remove();
      // The browser has taken the file once the click is handled.
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
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
