import * as React from 'react';
import { Flex, Link as DSLink, Td, Tr, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import { type MessageDescriptor, useIntl } from 'react-intl';
import { NavLink, useSearchParams } from 'react-router-dom';

import { NEWSLETTER_API, type SubscriptionFilters, type SubscriptionsResponse } from '../api';
import { AreaPage } from '../components/AreaPage';
import { DEFAULT_PAGE_SIZE, PagedTable } from '../components/PagedTable';
import { EmptyState } from '../components/EmptyState';
import { ExportSubscribersButton } from '../components/newsletter/ExportSubscribersButton';
import { NewsletterCounts } from '../components/newsletter/NewsletterCounts';
import { SubscriptionFiltersForm } from '../components/newsletter/SubscriptionFiltersForm';
import { SubscriptionStatusBadge } from '../components/newsletter/SubscriptionStatusBadge';
import { PendingPage, readProtected } from '../components/PageHelpers';
import { useApiData } from '../hooks/useApi';
import { useAllowedActions } from '../hooks/useAllowedActions';
import { t } from '../utils/getTranslation';
import { readSubscriptionFilters, SUBSCRIPTION_FILTER_KEYS, subscriptionQuery } from '../utils/newsletterFilters';
import { subscriptionPath } from './routes';


/**
 * The newsletter's subscribers: counts per list and status, then every subscription, newest
 * first, filtered and paged by the server. Filters and page live in the URL. A subscription opens
 * on its own page with its consent history; `newsletter.export` adds the CSV export.
 */
const Subscribers = () => {
  const { formatMessage, formatDate } = useIntl();
  const { get } = useFetchClient();
  const { can } = useAllowedActions();
  const [searchParams, setSearchParams] = useSearchParams();
  const filtersKey = SUBSCRIPTION_FILTER_KEYS.map((key) => searchParams.get(key) ?? '').join('\u0000');
  const filters = React.useMemo(() => readSubscriptionFilters(searchParams), [filtersKey]); // eslint-disable-line react-hooks/exhaustive-deps
  const page = Number(searchParams.get('page')) || 1;
  const pageSize = Number(searchParams.get('pageSize')) || DEFAULT_PAGE_SIZE;

  const load = React.useCallback(
    async () => (await get<SubscriptionsResponse>(`${NEWSLETTER_API.subscriptions}?${subscriptionQuery(filters, { page, pageSize })}`)).data,
    [get, filters, page, pageSize]
  );
  const { data: response, failed } = useApiData(load);

  const apply = (next: SubscriptionFilters) =>
    setSearchParams({ ...(next as Record<string, string>), page: '1', pageSize: String(pageSize) });

  const date = (value: string | null) => (value ? formatDate(value, { dateStyle: 'medium', timeStyle: 'short' }) : '–');
  const columns: MessageDescriptor[] = [
    t('newsletter.column.email', 'E-mail address'),
    t('newsletter.column.status', 'Status'),
    t('newsletter.column.list', 'List'),
    t('newsletter.column.language', 'Language'),
    t('newsletter.column.requestedAt', 'Requested'),
    t('newsletter.column.confirmedAt', 'Confirmed'),
    t('newsletter.column.unsubscribedAt', 'Unsubscribed'),
  ];

  let content: React.ReactNode;
  if (failed || !response) content = <PendingPage failed={failed} />;
  else if (response.meta.pagination.total === 0) {
    content = (
      <EmptyState
        testId="privacy-centre-newsletter-empty"
        content={formatMessage(
          Object.keys(filters).length
            ? t('newsletter.empty.filtered', 'No subscription matches these filters.')
            : t('newsletter.empty', 'Nobody has subscribed yet. Frontends sign people up with POST /api/privacy-centre/newsletter/subscribe.')
        )}
      />
    );
  } else {
    const { total } = response.meta.pagination;
    content = (
      <PagedTable
        columns={columns}
        rowCount={response.data.length}
        total={total}
        totalLabel={formatMessage(t('newsletter.total', '{total, plural, one {# subscription} other {# subscriptions}}'), { total })}
        pageSize={pageSize}
        testId="privacy-centre-newsletter"
      >
        {response.data.map((row) => (
          <Tr key={row.documentId} data-testid="privacy-centre-subscription-row" data-document-id={row.documentId} data-email={row.email ?? ''}>
            <Td>
              <DSLink tag={NavLink} to={subscriptionPath(row.documentId)} data-testid="privacy-centre-subscription-open">
                {row.email ?? formatMessage(t('newsletter.pseudonymised', 'Erased (pseudonymised)'))}
              </DSLink>
            </Td>
            <Td>
              <SubscriptionStatusBadge status={row.status} />
            </Td>
            <Td>
              <Typography textColor="neutral800">{row.list}</Typography>
            </Td>
            <Td>
              <Typography textColor="neutral800">{row.language ?? '–'}</Typography>
            </Td>
            <Td>
              <Typography textColor="neutral800">{date(row.requestedAt)}</Typography>
            </Td>
            <Td>
              <Typography textColor="neutral800">{date(row.confirmedAt)}</Typography>
            </Td>
            <Td>
              <Typography textColor="neutral800">{date(row.unsubscribedAt)}</Typography>
            </Td>
          </Tr>
        ))}
      </PagedTable>
    );
  }

  return (
    <AreaPage
      id="newsletter"
      title={t('page.newsletter.title', 'Newsletter')}
      subtitle={t('page.newsletter.subtitle', 'Newsletter subscribers and their consent history')}
      primaryAction={can('newsletter', 'export') ? <ExportSubscribersButton filters={filters} /> : undefined}
    >
      <Flex direction="column" alignItems="stretch" gap={6}>
        {response && <NewsletterCounts counts={response.meta.counts} lists={response.meta.lists} />}
        <SubscriptionFiltersForm applied={filters} lists={response?.meta.lists ?? []} onApply={apply} />
        {content}
      </Flex>
    </AreaPage>
  );
};

const NewsletterPage = readProtected('newsletter', Subscribers);

export { NewsletterPage };
