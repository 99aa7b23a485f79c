import * as React from 'react';
import { Box, Button, Field, Flex, SingleSelect, SingleSelectOption, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Download } from '@strapi/icons';
import { useFetchClient } from '@strapi/strapi/admin';
import { type MessageDescriptor, useIntl } from 'react-intl';

import { SUBJECTS_API, type RequestMetrics as Metrics } from '../../api';
import { JURISDICTIONS } from '../../../../server/src/regions';
import { useApiData, useNotifyApiError } from '../../hooks/useApi';
import { fileNameFrom, saveFile } from '../../utils/download';
import { t } from '../../utils/getTranslation';
import { PendingPage } from '../PageHelpers';
import { Panel } from '../Panel';
import { labelOf, TYPE_LABELS } from './RequestBadges';

const COLUMNS: MessageDescriptor[] = [
  t('subjects.metrics.column.type', 'Type of request'),
  t('subjects.metrics.column.received', 'Received'),
  t('subjects.metrics.column.compliedWith', 'Complied with (in whole or in part)'),
  t('subjects.metrics.column.denied', 'Denied'),
  t('subjects.metrics.column.deniedUnverified', 'of which not verifiable'),
  t('subjects.metrics.column.open', 'Still open'),
  t('subjects.metrics.column.medianDays', 'Median days to respond'),
  t('subjects.metrics.column.meanDays', 'Mean days to respond'),
];

/**
 * The yearly metrics CCPA Regulations § 7102 asks a business to disclose: per request type,
 * received, complied with, denied, and the median and mean days to respond; for every request,
 * or one jurisdiction's. Counts only (no person), also as CSV for the privacy policy or a report.
 */
export const RequestMetrics = ({ version }: { version: number }) => {
  const { formatMessage, formatNumber } = useIntl();
  const { get } = useFetchClient();
  const notifyError = useNotifyApiError();
  const [year, setYear] = React.useState(new Date().getFullYear());
  const [jurisdiction, setJurisdiction] = React.useState('');
  const [busy, setBusy] = React.useState(false);
  const query = new URLSearchParams({ year: String(year), ...(jurisdiction ? { jurisdiction } : {}) }).toString();

  const load = React.useCallback(
    async () => (await get<{ data: Metrics }>(`${SUBJECTS_API.metrics}?${query}`)).data.data,
    [get, query, version] // eslint-disable-line react-hooks/exhaustive-deps
  );
  const { data, failed } = useApiData(load);

  const download = async () => {
    if (busy) return;
    setBusy(true);
    try {
      const { data: file, headers } = await get(`${SUBJECTS_API.metricsExport}?${query}`, { responseType: 'blob' });
      saveFile(file, fileNameFrom(headers, `request-metrics-${year}.csv`));
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(false);
    }
  };

  const days = (value: number | null) => (value === null ? '–' : formatNumber(value, { maximumFractionDigits: 1 }));

  return (
    <Panel tag="section" aria-labelledby="privacy-centre-request-metrics-title" data-testid="privacy-centre-request-metrics">
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Flex justifyContent="space-between" alignItems="flex-end" gap={4} wrap="wrap">
          <Flex direction="column" alignItems="flex-start" gap={1}>
            <Typography variant="delta" tag="h2" id="privacy-centre-request-metrics-title">
              {formatMessage(t('subjects.metrics.title', 'Yearly metrics (CCPA § 7102)'))}
            </Typography>
            <Typography variant="pi" textColor="neutral600">
              {formatMessage(
                t('subjects.metrics.hint', 'Requests received in the calendar year, by type: how many were complied with, denied or are still open, and the days taken to respond.')
              )}
            </Typography>
          </Flex>
          <Flex gap={2} alignItems="flex-end" wrap="wrap">
            <Box minWidth="10rem">
              <Field.Root name="metrics-year">
                <Field.Label>{formatMessage(t('subjects.metrics.year', 'Year'))}</Field.Label>
                <SingleSelect value={String(year)} onChange={(value: string | number) => setYear(Number(value))} data-testid="privacy-centre-request-metrics-year">
                  {(data?.years ?? [year]).map((y) => (
                    <SingleSelectOption key={y} value={String(y)}>
                      {String(y)}
                    </SingleSelectOption>
                  ))}
                </SingleSelect>
              </Field.Root>
            </Box>
            <Box minWidth="16rem">
              <Field.Root name="metrics-jurisdiction">
                <Field.Label>{formatMessage(t('subjects.field.jurisdiction', 'Jurisdiction'))}</Field.Label>
                <SingleSelect value={jurisdiction} onChange={(value: string | number) => setJurisdiction(String(value))} data-testid="privacy-centre-request-metrics-jurisdiction">
                  <SingleSelectOption value="">{formatMessage(t('subjects.metrics.allJurisdictions', 'Every jurisdiction'))}</SingleSelectOption>
                  {JURISDICTIONS.map((j) => (
                    <SingleSelectOption key={j.code} value={j.code}>
                      {`${j.code}: ${j.name}`}
                    </SingleSelectOption>
                  ))}
                </SingleSelect>
              </Field.Root>
            </Box>
            <Button variant="secondary" startIcon={<Download />} loading={busy} onClick={download} data-testid="privacy-centre-request-metrics-csv">
              {formatMessage(t('subjects.metrics.csv', 'Export CSV'))}
            </Button>
          </Flex>
        </Flex>
        {failed || !data ? (
          <PendingPage failed={failed} />
        ) : (
          <Table colCount={COLUMNS.length} rowCount={data.types.length + 1} data-testid="privacy-centre-request-metrics-table">
            <Thead>
              <Tr>
                {COLUMNS.map((column) => (
                  <Th key={column.id}>
                    <Typography variant="sigma">{formatMessage(column)}</Typography>
                  </Th>
                ))}
              </Tr>
            </Thead>
            <Tbody>
              {data.types.map((row) => (
                <Tr key={row.type} data-testid="privacy-centre-request-metrics-row" data-type={row.type}>
                  <Td>
                    <Typography textColor="neutral800">{labelOf(TYPE_LABELS, row.type, formatMessage)}</Typography>
                  </Td>
                  {[row.received, row.compliedWith, row.denied, row.deniedUnverified, row.open].map((value, index) => (
                    <Td key={index}>
                      <Typography textColor="neutral800">{formatNumber(value)}</Typography>
                    </Td>
                  ))}
                  <Td>
                    <Typography textColor="neutral800">{days(row.medianDays)}</Typography>
                  </Td>
                  <Td>
                    <Typography textColor="neutral800">{days(row.meanDays)}</Typography>
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        )}
      </Flex>
    </Panel>
  );
};
