import * as React from 'react';
import { Button, Flex, Td, Tr, Typography } from '@strapi/design-system';
import { Download } from '@strapi/icons';
import { useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useSearchParams } from 'react-router-dom';

import { API, type AcceptancesResponse } from '../../api';
import { useApiData, useNotifyApiError } from '../../hooks/useApi';
import { fileNameFrom, saveFile } from '../../utils/download';
import { t } from '../../utils/getTranslation';
import { FactList } from '../FactList';
import { DEFAULT_PAGE_SIZE, PagedTable } from '../PagedTable';
import { Panel } from '../Panel';

const COLUMNS = [
  t('acceptances.column.acceptedAt', 'Accepted'),
  t('acceptances.column.user', 'User'),
  t('acceptances.column.consentId', 'Record'),
];

/**
 * Who among the site's signed-in users accepted this version (policy acceptance): how many
 * active users (confirmed, not blocked) accepted it, how many must still, and the acceptances
 * with their dates, a page at a time, or all as CSV. Shown for a published version.
 */
export const AcceptancesPanel = ({ documentId }: { documentId: string }) => {
  const { formatMessage, formatDate } = useIntl();
  const { get } = useFetchClient();
  const notifyError = useNotifyApiError();
  const [searchParams] = useSearchParams();
  const page = Number(searchParams.get('page')) || 1;
  const pageSize = Number(searchParams.get('pageSize')) || DEFAULT_PAGE_SIZE;
  const load = React.useCallback(
    async () => (await get<AcceptancesResponse>(`${API.policyAcceptances(documentId)}?page=${page}&pageSize=${pageSize}`)).data,
    [get, documentId, page, pageSize]
  );
  const { data } = useApiData(load);
  const [busy, setBusy] = React.useState(false);
  if (!data || (!data.summary.required && data.meta.pagination.total === 0)) return null;
  const { summary } = data;

  const download = async () => {
    if (busy) return;
    setBusy(true);
    try {
      const { data: file, headers } = await get(API.policyAcceptancesExport(documentId), { responseType: 'blob' });
      saveFile(file, fileNameFrom(headers, `acceptances-${summary.slug}-v${summary.version}.csv`));
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Panel tag="section" aria-labelledby="privacy-centre-acceptances-title" data-testid="privacy-centre-policy-acceptances">
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Flex justifyContent="space-between" alignItems="center" gap={4} wrap="wrap">
          <Typography variant="delta" tag="h2" id="privacy-centre-acceptances-title">
            {formatMessage(t('acceptances.title', 'Acceptance by signed-in users'))}
          </Typography>
          <Button variant="secondary" startIcon={<Download />} loading={busy} onClick={download} data-testid="privacy-centre-acceptances-export">
            {formatMessage(t('acceptances.export', 'Export CSV'))}
          </Button>
        </Flex>
        <FactList
          facts={[
            [t('acceptances.accepted', 'Active users who accepted this version'), `${summary.accepted} / ${summary.activeUsers}`],
            [
              t('acceptances.mustStill', 'Active users who must still accept'),
              summary.askedNow ? String(summary.mustStill) : formatMessage(t('acceptances.notAsked', 'None: this version is not the one asked for now')),
            ],
            [
              t('acceptances.deadline', 'Deadline'),
              summary.askedNow && summary.deadline ? formatDate(summary.deadline, { dateStyle: 'medium', timeStyle: 'short' }) : '–',
            ],
          ]}
        />
        <PagedTable
          columns={COLUMNS}
          rowCount={data.data.length}
          total={data.meta.pagination.total}
          totalLabel={formatMessage(t('acceptances.total', '{count, plural, one {# acceptance} other {# acceptances}}'), { count: data.meta.pagination.total })}
          pageSize={pageSize}
          testId="privacy-centre-acceptances"
        >
          {data.data.map((row) => (
            <Tr key={row.consentId}>
              <Td>
                <Typography>{formatDate(row.acceptedAt, { dateStyle: 'medium', timeStyle: 'short' })}</Typography>
              </Td>
              <Td>
                <Typography>{row.user ? row.user.username : formatMessage(t('acceptances.userDeleted', 'Deleted user'))}</Typography>
              </Td>
              <Td>
                <Typography variant="pi" textColor="neutral600">
                  {row.consentId}
                </Typography>
              </Td>
            </Tr>
          ))}
        </PagedTable>
      </Flex>
    </Panel>
  );
};
