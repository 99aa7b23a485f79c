import * as React from 'react';
import { Box, Button, Field, Flex, SingleSelect, SingleSelectOption, Textarea, Typography } from '@strapi/design-system';
import { Cross, Search } from '@strapi/icons';
import { useFetchClient } from '@strapi/strapi/admin';
import { type MessageDescriptor, useIntl } from 'react-intl';
import { useSearchParams } from 'react-router-dom';

import { SUBJECTS_API, type DataSubjectRequest, type DataSubjectRequestsResponse, type RequestStatusFilter, type SubjectFindingsResponse } from '../api';
import { AreaPage } from '../components/AreaPage';
import { EmptyState } from '../components/EmptyState';
import { PendingPage, readProtected } from '../components/PageHelpers';
import { DEFAULT_PAGE_SIZE, PagedTable } from '../components/PagedTable';
import { Panel } from '../components/Panel';
import { RegisterRequestButton } from '../components/subjects/RequestDialogs';
import { RequestMetrics } from '../components/subjects/RequestMetrics';
import { REQUEST_COLUMNS, RequestRows } from '../components/subjects/RequestRows';
import { SubjectFindings } from '../components/subjects/SubjectFindings';
import { useApiData } from '../hooks/useApi';
import { useAllowedActions } from '../hooks/useAllowedActions';
import { t } from '../utils/getTranslation';
import { readStoredSearch, storeSearch, type SubjectSearch } from '../utils/subjectQuery';

const STATUS_FILTERS: ReadonlyArray<[RequestStatusFilter, MessageDescriptor]> = [
  ['open', t('subjects.filter.open', 'Open (due first)')],
  ['closed', t('subjects.filter.closed', 'Closed')],
  ['all', t('subjects.filter.all', 'All')],
];

/**
 * Data-subject requests: the register (open ones first, by due date, so the overdue lead), and
 * the search for everything held about one person, with its export, evidence file and erasure.
 * The person searched for is kept in this tab only (utils/subjectQuery.ts), never in the URL.
 */
const Subjects = () => {
  const { can, isLoading } = useAllowedActions();
  const [search, setSearch] = React.useState<(SubjectSearch & { at: number }) | null>(() => {
    const stored = readStoredSearch();
    return stored ? { ...stored, at: Date.now() } : null;
  });
  // Bumped after any change, so the register and the findings show it.
  const [version, setVersion] = React.useState(0);
  const changed = React.useCallback(() => setVersion((v) => v + 1), []);
  const searchRef = React.useRef<HTMLDivElement>(null);

  const find = (next: SubjectSearch | null) => {
    storeSearch(next);
    setSearch(next ? { ...next, at: Date.now() } : null);
  };

  if (isLoading) return <PendingPage failed={false} />;

  return (
    <AreaPage
      id="subjects"
      title={t('page.subjects.title', 'Data-subject requests')}
      subtitle={t('page.subjects.subtitle', 'Access, portability, erasure, opt-out and other requests')}
      primaryAction={can('subjects', 'manage') ? <RegisterRequestButton onRegistered={changed} /> : undefined}
    >
      <Flex direction="column" alignItems="stretch" gap={6}>
        <RequestRegister
          version={version}
          canManage={can('subjects', 'manage')}
          onChanged={changed}
          onFind={(request) => {
            find({ query: (request.email ?? request.subjectId)! });
            searchRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
          }}
        />
        <RequestMetrics version={version} />
        <Box ref={searchRef}>
          <SearchForm key={search?.at ?? 0} initial={search?.query ?? ''} onSearch={(query) => find({ query })} onClear={() => find(null)} />
        </Box>
        {search && <Findings key={search.at} search={search} version={version} onChanged={changed} />}
      </Flex>
    </AreaPage>
  );
};

/** Loads what is held about the person searched for, again after each change. */
const Findings = ({ search, version, onChanged }: { search: SubjectSearch; version: number; onChanged: () => void }) => {
  const { post } = useFetchClient();
  const load = React.useCallback(
    async () => (await post<SubjectFindingsResponse>(SUBJECTS_API.search, { query: search.query })).data.data,
    // `version`: search again after an erasure or a change of one of their requests.
    [post, search.query, version] // eslint-disable-line react-hooks/exhaustive-deps
  );
  const { data, failed } = useApiData(load);
  return <SubjectFindings query={search.query} findings={data} failed={failed} onChanged={onChanged} />;
};

/**
 * Who to look for. One field takes an e-mail address, a visitor id, a consent id, or a receipt
 * pasted as JSON (the server tells them apart); Ctrl+Enter sends it as the button does.
 */
const SearchForm = ({ initial, onSearch, onClear }: { initial: string; onSearch: (query: string) => void; onClear: () => void }) => {
  const { formatMessage } = useIntl();
  const [text, setText] = React.useState(initial);
  const submit = (event?: React.FormEvent) => {
    event?.preventDefault();
    if (text.trim()) onSearch(text.trim());
  };
  return (
    <Panel tag="section" aria-labelledby="privacy-centre-subject-search-title">
      <form onSubmit={submit} noValidate data-testid="privacy-centre-subject-search">
        <Flex direction="column" alignItems="stretch" gap={4}>
          <Flex direction="column" alignItems="stretch" gap={1}>
            <Typography variant="delta" tag="h2" id="privacy-centre-subject-search-title">
              {formatMessage(t('subjects.search.title', 'Find everything held about a person'))}
            </Typography>
            <Typography variant="pi" textColor="neutral600">
              {formatMessage(
                t('subjects.search.hint', 'Searches every newsletter list, the consent log, the data-subject requests and the audit log. Each search is recorded in the audit log.')
              )}
            </Typography>
          </Flex>
          <Field.Root
            name="query"
            hint={formatMessage(t('subjects.search.field.hint', 'An e-mail address, a visitor id, a consent id, or a consent receipt pasted as JSON.'))}
          >
            <Field.Label>{formatMessage(t('subjects.search.field', 'Who'))}</Field.Label>
            <Textarea
              value={text}
              rows={2}
              style={{ fontFamily: text.trim().startsWith('{') ? 'monospace' : undefined }}
              onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setText(e.target.value)}
              onKeyDown={(e: React.KeyboardEvent<HTMLTextAreaElement>) => {
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit(e);
              }}
            />
            <Field.Hint />
          </Field.Root>
          <Flex gap={2}>
            <Button type="submit" startIcon={<Search />} disabled={!text.trim()} data-testid="privacy-centre-subject-search-submit">
              {formatMessage(t('subjects.search.submit', 'Search'))}
            </Button>
            {initial && (
              <Button variant="tertiary" startIcon={<Cross />} onClick={() => (setText(''), onClear())} data-testid="privacy-centre-subject-search-clear">
                {formatMessage(t('subjects.search.clear', 'Clear'))}
              </Button>
            )}
          </Flex>
        </Flex>
      </form>
    </Panel>
  );
};

interface RequestRegisterProps {
  version: number;
  canManage: boolean;
  onChanged: () => void;
  onFind: (request: DataSubjectRequest) => void;
}

/** The register of requests, filtered by open/closed and paged by the server (both in the URL). */
const RequestRegister = ({ version, canManage, onChanged, onFind }: RequestRegisterProps) => {
  const { formatMessage } = useIntl();
  const { get } = useFetchClient();
  const [searchParams, setSearchParams] = useSearchParams();
  const status = (STATUS_FILTERS.some(([value]) => value === searchParams.get('status')) ? searchParams.get('status') : 'open') as RequestStatusFilter;
  const page = Number(searchParams.get('page')) || 1;
  const pageSize = Number(searchParams.get('pageSize')) || DEFAULT_PAGE_SIZE;

  const load = React.useCallback(
    async () =>
      (await get<DataSubjectRequestsResponse>(`${SUBJECTS_API.requests}?${new URLSearchParams({ status, page: String(page), pageSize: String(pageSize) })}`)).data,
    [get, status, page, pageSize, version] // eslint-disable-line react-hooks/exhaustive-deps
  );
  const { data: response, failed } = useApiData(load);

  let content: React.ReactNode;
  if (failed || !response) content = <PendingPage failed={failed} />;
  else if (response.meta.pagination.total === 0) {
    content = (
      <EmptyState
        testId="privacy-centre-requests-empty"
        content={formatMessage(
          status === 'open'
            ? t('subjects.requests.noneOpen', 'No data-subject request is open.')
            : t('subjects.requests.none', 'No data-subject request here.')
        )}
      />
    );
  } else {
    const { total } = response.meta.pagination;
    // Past the due date, or past the acknowledgement deadline without an acknowledgement.
    const overdue = response.data.filter((r) => r.overdue || r.acknowledgementOverdue).length;
    content = (
      <Flex direction="column" alignItems="stretch" gap={2}>
        {overdue > 0 && (
          <Typography textColor="danger700" fontWeight="bold" data-testid="privacy-centre-requests-overdue">
            {formatMessage(t('subjects.requests.overdueCount', '{count, plural, one {# request is overdue} other {# requests are overdue}}'), { count: overdue })}
          </Typography>
        )}
        <PagedTable
          columns={REQUEST_COLUMNS}
          rowCount={response.data.length}
          total={total}
          totalLabel={formatMessage(t('subjects.requests.total', '{total, plural, one {# data-subject request} other {# data-subject requests}}'), { total })}
          pageSize={pageSize}
          testId="privacy-centre-requests"
        >
          <RequestRows requests={response.data} canManage={canManage} onFind={onFind} onChanged={onChanged} />
        </PagedTable>
      </Flex>
    );
  }

  return (
    <Panel tag="section" aria-labelledby="privacy-centre-requests-title" data-testid="privacy-centre-requests">
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Flex justifyContent="space-between" alignItems="flex-end" gap={4} wrap="wrap">
          <Flex direction="column" alignItems="flex-start" gap={1}>
            <Typography variant="delta" tag="h2" id="privacy-centre-requests-title">
              {formatMessage(t('subjects.requests.title', 'Register of data-subject requests'))}
            </Typography>
            <Typography variant="pi" textColor="neutral600">
              {formatMessage(t('subjects.requests.hint', 'Each request runs on the clock of its jurisdiction (GDPR: one month from receipt, Art. 12(3); CCPA: acknowledge within 10 business days, answer within 45 days); every change is recorded in the audit log.'))}
            </Typography>
          </Flex>
          <Box minWidth="20rem">
            <Field.Root name="status">
              <Field.Label>{formatMessage(t('subjects.filter.label', 'Show'))}</Field.Label>
              <SingleSelect
                value={status}
                onChange={(value: string | number) => setSearchParams({ status: String(value), page: '1', pageSize: String(pageSize) })}
              >
                {STATUS_FILTERS.map(([value, label]) => (
                  <SingleSelectOption key={value} value={value}>
                    {formatMessage(label)}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
            </Field.Root>
          </Box>
        </Flex>
        {content}
      </Flex>
    </Panel>
  );
};

const SubjectsPage = readProtected('subjects', Subjects);

export { SubjectsPage };
