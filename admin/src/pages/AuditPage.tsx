import * as React from 'react';
import { Box, Flex, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Pagination, useFetchClient, useQueryParams } from '@strapi/strapi/admin';
import { type MessageDescriptor, useIntl } from 'react-intl';

import { API, type AuditEventsResponse } from '../api';
import { AreaPage } from '../components/AreaPage';
import { EmptyState } from '../components/EmptyState';
import { PendingPage, readProtected } from '../components/PageHelpers';
import { useApiData } from '../hooks/useApi';
import { formatDetails } from '../utils/auditDetails';
import { t } from '../utils/getTranslation';

const DEFAULT_PAGE_SIZE = 20;

/**
 * The audit trail, newest first, as the server stores it: actions are shown by their code
 * (e.g. `settings.update`) because that code is the record, the same in exports and the API.
 * Page and page size live in the URL (Strapi's Pagination), so a page can be linked to.
 */
const AuditLog = () => {
  const { formatMessage, formatDate } = useIntl();
  const { get } = useFetchClient();
  const [{ query }] = useQueryParams<{ page?: string; pageSize?: string }>();
  const page = Number(query.page) || 1;
  const pageSize = Number(query.pageSize) || DEFAULT_PAGE_SIZE;

  // A new page or page size loads again; the rows shown stay until the new ones are there.
  const load = React.useCallback(
    async () => (await get<AuditEventsResponse>(API.auditEvents, { params: { page, pageSize } })).data,
    [get, page, pageSize]
  );
  const { data: response, failed } = useApiData(load);

  const columns: Array<[string, MessageDescriptor]> = [
    ['occurredAt', t('audit.column.occurredAt', 'Time')],
    ['actor', t('audit.column.actor', 'Who')],
    ['action', t('audit.column.action', 'Action')],
    ['target', t('audit.column.target', 'Target')],
    ['details', t('audit.column.details', 'Details')],
  ];

  let content: React.ReactNode;
  if (failed || !response) {
    content = <PendingPage failed={failed} />;
  } else if (response.pagination.total === 0) {
    content = (
      <EmptyState
        testId="privacy-centre-audit-empty"
        content={formatMessage(t('audit.empty', 'No privacy-relevant admin action has been recorded yet.'))}
      />
    );
  } else {
    const { total } = response.pagination;
    content = (
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Table colCount={columns.length} rowCount={response.results.length + 1} data-testid="privacy-centre-audit-table">
          <Thead>
            <Tr>
              {columns.map(([key, label]) => (
                <Th key={key}>
                  <Typography variant="sigma">{formatMessage(label)}</Typography>
                </Th>
              ))}
            </Tr>
          </Thead>
          <Tbody>
            {response.results.map((event) => {
              const details = formatDetails(event.details);
              return (
                <Tr key={event.id} data-testid="privacy-centre-audit-row">
                  <Td>
                    <Typography textColor="neutral800">
                      {formatDate(event.occurredAt, { dateStyle: 'medium', timeStyle: 'medium' })}
                    </Typography>
                  </Td>
                  <Td>
                    <Typography textColor="neutral800">{event.actor}</Typography>
                  </Td>
                  <Td>
                    <Typography textColor="neutral800" fontWeight="semiBold">
                      <code>{event.action}</code>
                    </Typography>
                  </Td>
                  <Td>
                    <Typography textColor="neutral800">{event.target ?? ''}</Typography>
                  </Td>
                  <Td>
                    {/* Details can be long (a settings change carries before and after), so they
                        open on demand: a native <details> needs no state and works with a keyboard. */}
                    {details && (
                      <details data-testid="privacy-centre-audit-details">
                        <summary style={{ cursor: 'pointer' }}>
                          <Typography textColor="primary600">
                            {formatMessage(t('audit.details.show', 'Show details'))}
                          </Typography>
                        </summary>
                        <Box
                          tag="pre"
                          background="neutral100"
                          padding={3}
                          marginTop={2}
                          hasRadius
                          maxWidth="40rem"
                          overflow="auto"
                          fontSize={1}
                          style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}
                        >
                          {details}
                        </Box>
                      </details>
                    )}
                  </Td>
                </Tr>
              );
            })}
          </Tbody>
        </Table>
        <Pagination.Root pageCount={Math.ceil(total / pageSize)} total={total} defaultPageSize={DEFAULT_PAGE_SIZE}>
          <Pagination.PageSize options={['10', '20', '50', '100']} />
          <Pagination.Links />
        </Pagination.Root>
      </Flex>
    );
  }

  return (
    <AreaPage
      id="audit"
      title={t('page.audit.title', 'Audit log')}
      subtitle={t('page.audit.subtitle', 'Every privacy-relevant action taken in the admin, newest first')}
    >
      {content}
    </AreaPage>
  );
};

const AuditPage = readProtected('audit', AuditLog);

export { AuditPage };
