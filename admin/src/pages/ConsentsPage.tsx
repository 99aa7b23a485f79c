import * as React from 'react';
import { Badge, Button, Flex, Link as DSLink, Td, Tr, Typography } from '@strapi/design-system';
import { ChevronLeft, ChevronRight } from '@strapi/icons';
import { useFetchClient } from '@strapi/strapi/admin';
import { type MessageDescriptor, useIntl } from 'react-intl';
import { NavLink, useSearchParams } from 'react-router-dom';

import { CONSENTS_API, type ConsentFilters, type ConsentsResponse, type ConsentStatsResponse } from '../api';
import { AreaPage } from '../components/AreaPage';
import { DEFAULT_PAGE_SIZE, PagedTable } from '../components/PagedTable';
import { ACTION_LABELS, ConsentFiltersForm } from '../components/consents/ConsentFiltersForm';
import { ConsentStateBadges } from '../components/consents/ConsentStateBadges';
import { ExportButtons } from '../components/consents/ExportButtons';
import { VerifyReceipt } from '../components/consents/VerifyReceipt';
import { EmptyState } from '../components/EmptyState';
import { PendingPage, readProtected } from '../components/PageHelpers';
import { useApiData } from '../hooks/useApi';
import { useAllowedActions } from '../hooks/useAllowedActions';
import { consentQuery, FILTER_KEYS, readFilters } from '../utils/consentFilters';
import { t } from '../utils/getTranslation';
import { consentPath } from './routes';

const DAY = 24 * 3600 * 1000;

/** Category keys seen in the past year's rollups: suggestions for the category filter. */
const useKnownCategories = () => {
  const { get } = useFetchClient();
  const load = React.useCallback(async () => {
    const to = new Date();
    const query = new URLSearchParams({ from: new Date(to.getTime() - 365 * DAY).toISOString(), to: to.toISOString() });
    const { data } = await get<ConsentStatsResponse>(`${CONSENTS_API.stats}?${query}`);
    return [...new Set(data.data.days.flatMap((day) => Object.keys(day.categories)))].sort();
  }, [get]);
  return useApiData(load).data ?? [];
};

/**
 * The consent log: every recorded cookie-consent decision, newest first, filtered and paged by
 * the server (Newer / Older by cursor; a total past a limit is an estimate, shown "about N").
 * Filters, cursor and page size live in the URL, so a question can be linked to. Each
 * record opens on its own page; a receipt can be verified here; the filtered records can be
 * exported by whoever holds `consents.export`.
 */
const ConsentLog = () => {
  const { formatMessage, formatDate } = useIntl();
  const { get } = useFetchClient();
  const { can } = useAllowedActions();
  const [searchParams, setSearchParams] = useSearchParams();
  const filtersKey = FILTER_KEYS.map((key) => searchParams.get(key) ?? '').join('\u0000');
  // Rebuilt only when a filter changes, so the form is not reset by a page change.
  const filters = React.useMemo(() => readFilters(searchParams), [filtersKey]); // eslint-disable-line react-hooks/exhaustive-deps
  // A position in the log, from the server's previous answer: pages by cursor stay as fast deep
  // in millions of records as at the top.
  const cursor = searchParams.get('cursor');
  const pageSize = Number(searchParams.get('pageSize')) || DEFAULT_PAGE_SIZE;
  const categoryKeys = useKnownCategories();

  const load = React.useCallback(
    async () => (await get<ConsentsResponse>(`${CONSENTS_API.consents}?${consentQuery(filters, { pageSize, ...(cursor ? { cursor } : {}) })}`)).data,
    [get, filters, cursor, pageSize]
  );
  const { data: response, failed } = useApiData(load);

  const apply = (next: ConsentFilters) =>
    setSearchParams({ ...(next as Record<string, string>), pageSize: String(pageSize) });
  const goTo = (to: string) => {
    const params = new URLSearchParams(searchParams);
    params.set('cursor', to);
    params.delete('page');
    setSearchParams(params);
  };

  const columns: MessageDescriptor[] = [
    t('consents.column.givenAt', 'Time'),
    t('consents.column.action', 'Action'),
    t('consents.column.state', 'Consent'),
    t('consents.column.gpc', 'GPC'),
    t('consents.column.revision', 'Declaration'),
    t('consents.column.record', 'Record'),
  ];

  let content: React.ReactNode;
  if (failed || !response) content = <PendingPage failed={failed} />;
  else if (response.meta.pagination.total === 0) {
    content = (
      <EmptyState
        testId="privacy-centre-consents-empty"
        content={formatMessage(
          Object.keys(filters).length
            ? t('consents.empty.filtered', 'No consent record matches these filters.')
            : t('consents.empty', 'No consent has been recorded yet. Frontends record them with POST /api/privacy-centre/consents.')
        )}
      />
    );
  } else {
    const { total, totalIsEstimate, next, previous } = response.meta.pagination;
    content = (
      <PagedTable
        columns={columns}
        rowCount={response.data.length}
        total={total}
        totalLabel={
          totalIsEstimate
            ? formatMessage(t('consents.totalEstimate', 'about {total, number} records'), { total })
            : formatMessage(t('consents.total', '{total, plural, one {# record} other {# records}}'), { total })
        }
        pageSize={pageSize}
        testId="privacy-centre-consents"
        pager={
          <Flex gap={2}>
            <Button variant="tertiary" startIcon={<ChevronLeft />} disabled={!previous} onClick={() => previous && goTo(previous)} data-testid="privacy-centre-consents-previous">
              {formatMessage(t('consents.page.newer', 'Newer'))}
            </Button>
            <Button variant="tertiary" endIcon={<ChevronRight />} disabled={!next} onClick={() => next && goTo(next)} data-testid="privacy-centre-consents-next">
              {formatMessage(t('consents.page.older', 'Older'))}
            </Button>
          </Flex>
        }
      >
        {response.data.map((record) => (
          <Tr key={record.consentId} data-testid="privacy-centre-consent-row" data-consent-id={record.consentId}>
            <Td>
              <Typography textColor="neutral800">{formatDate(record.givenAt, { dateStyle: 'medium', timeStyle: 'medium' })}</Typography>
            </Td>
            <Td>
              <Typography textColor="neutral800">{ACTION_LABELS[record.action] ? formatMessage(ACTION_LABELS[record.action]) : record.action}</Typography>
            </Td>
            <Td style={{ whiteSpace: 'normal' }}>
              <ConsentStateBadges state={record.state} />
            </Td>
            <Td>
              {record.gpc.signal ? (
                <Badge variant="warning">{formatMessage(t('consents.gpc.sent', 'Sent'))}</Badge>
              ) : (
                <Typography textColor="neutral600">{formatMessage(t('consents.gpc.notSent', 'Not sent'))}</Typography>
              )}
            </Td>
            <Td>
              <Typography textColor="neutral800">
                {formatMessage(t('consents.revision', 'Revision {revision}'), { revision: record.declaration.revision })}
              </Typography>
            </Td>
            <Td>
              <DSLink tag={NavLink} to={consentPath(record.consentId)} data-testid="privacy-centre-consent-open">
                <Typography tag="code" style={{ fontFamily: 'monospace' }}>
                  {record.consentId.slice(0, 12)}…
                </Typography>
              </DSLink>
            </Td>
          </Tr>
        ))}
      </PagedTable>
    );
  }

  return (
    <AreaPage
      id="consents"
      title={t('page.consents.title', 'Consent log')}
      subtitle={t('page.consents.subtitle', 'Proof of every consent decision visitors have made')}
      primaryAction={can('consents', 'export') ? <ExportButtons filters={filters} /> : undefined}
    >
      <Flex direction="column" alignItems="stretch" gap={6}>
        <ConsentFiltersForm applied={filters} categoryKeys={categoryKeys} onApply={apply} />
        {content}
        <VerifyReceipt />
      </Flex>
    </AreaPage>
  );
};

const ConsentsPage = readProtected('consents', ConsentLog);

export { ConsentsPage };
