import * as React from 'react';
import { Badge, Box, Button, Flex, Link as DSLink, Loader, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Download, File } from '@strapi/icons';
import { type MessageDescriptor, useIntl } from 'react-intl';
import { NavLink, useNavigate } from 'react-router-dom';

import { SUBJECTS_API, type AuditEvent, type SubjectConsent, type SubjectFindings as Findings, type SubscriptionDetail } from '../../api';
import { useAllowedActions } from '../../hooks/useAllowedActions';
import { usePostDownload } from '../../hooks/usePostDownload';
import { consentPath, EVIDENCE_PATH, subscriptionPath } from '../../pages/routes';
import { formatDetails } from '../../utils/auditDetails';
import { today } from '../../utils/download';
import { t } from '../../utils/getTranslation';
import type { EvidenceState } from '../../utils/subjectQuery';
import { ConsentStateBadges } from '../consents/ConsentStateBadges';
import { ACTION_LABELS } from '../consents/ConsentFiltersForm';
import { EmptyState } from '../EmptyState';
import { FactList } from '../FactList';
import { code, SubscriptionEventCard } from '../newsletter/SubscriptionEventCard';
import { SubscriptionStatusBadge } from '../newsletter/SubscriptionStatusBadge';
import { Panel } from '../Panel';
import { EraseButton } from './EraseButton';
import { REQUEST_COLUMNS, RequestRows } from './RequestRows';

export const QUERY_KIND_LABELS: Record<string, MessageDescriptor> = {
  email: t('subjects.kind.email', 'an e-mail address'),
  subjectId: t('subjects.kind.subjectId', 'a visitor id'),
  consentId: t('subjects.kind.consentId', 'a consent id'),
  receipt: t('subjects.kind.receipt', 'a consent receipt'),
};

/** A panel with a heading, a count, and what it holds (or a sentence saying there is nothing). */
const Section = ({ testId, title, count, none, children }: { testId: string; title: MessageDescriptor; count: number; none: MessageDescriptor; children: React.ReactNode }) => {
  const { formatMessage } = useIntl();
  return (
    <Panel tag="section" data-testid={testId}>
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Flex gap={2} alignItems="center">
          <Typography variant="delta" tag="h2">
            {formatMessage(title)}
          </Typography>
          <Badge>{count}</Badge>
        </Flex>
        {count === 0 ? <Typography textColor="neutral600">{formatMessage(none)}</Typography> : children}
      </Flex>
    </Panel>
  );
};

const HeadedTable = ({ columns, rows, children, testId }: { columns: MessageDescriptor[]; rows: number; children: React.ReactNode; testId?: string }) => {
  const { formatMessage } = useIntl();
  return (
    <Table colCount={columns.length} rowCount={rows + 1} data-testid={testId}>
      <Thead>
        <Tr>
          {columns.map((column) => (
            <Th key={column.id}>
              <Typography variant="sigma">{formatMessage(column)}</Typography>
            </Th>
          ))}
        </Tr>
      </Thead>
      <Tbody>{children}</Tbody>
    </Table>
  );
};

interface SubjectFindingsProps {
  query: string;
  findings: Findings | null;
  failed: boolean;
  /** After an erasure or a change of a request: search again, reload the register. */
  onChanged: () => void;
}

/**
 * Everything held about one person: their newsletter subscriptions on every list with each
 * consent event and its evidence, their cookie consents, their data-subject requests and the
 * audit events that name them. From here: export it all (Art. 15/20), open the evidence file,
 * erase (Art. 17), each offered only to whoever holds the action.
 */
export const SubjectFindings = ({ query, findings, failed, onChanged }: SubjectFindingsProps) => {
  const { formatMessage } = useIntl();
  const { can } = useAllowedActions();
  const navigate = useNavigate();
  const { busy, download } = usePostDownload();

  if (failed) return null; // The notification has given the server's reason.
  if (!findings) {
    return (
      <Panel>
        <Loader small>{formatMessage(t('subjects.search.loading', 'Searching…'))}</Loader>
      </Panel>
    );
  }

  const { subject } = findings;
  // The addresses still held in a row: the one searched for is gone from every row once erased.
  const held = [...new Set([...findings.subscriptions, ...findings.requests].flatMap((row) => (row.email ? [row.email] : [])))];
  const who = held[0] ?? subject.emails[0] ?? subject.subjectIds[0] ?? formatMessage(t('subjects.thisPerson', 'this person'));
  const kind = QUERY_KIND_LABELS[findings.query.kind] ? formatMessage(QUERY_KIND_LABELS[findings.query.kind]) : findings.query.kind;

  return (
    <Flex direction="column" alignItems="stretch" gap={6} data-testid="privacy-centre-subject-findings" data-found={findings.found}>
      <Panel>
        <Flex direction="column" alignItems="stretch" gap={4}>
          <Flex justifyContent="space-between" alignItems="flex-start" gap={4} wrap="wrap">
            <Flex direction="column" alignItems="flex-start" gap={1}>
              <Typography variant="delta" tag="h2">
                {formatMessage(t('subjects.findings.title', 'What is held about this person'))}
              </Typography>
              <Typography variant="pi" textColor="neutral600">
                {formatMessage(t('subjects.findings.kind', 'Searched by {kind}.'), { kind })}
              </Typography>
            </Flex>
            <Flex gap={2} wrap="wrap">
              {can('subjects', 'export') && (
                <Button
                  variant="secondary"
                  startIcon={<Download />}
                  loading={busy === 'export'}
                  onClick={() => download('export', SUBJECTS_API.export, { query }, `personal-data-${today()}.json`)}
                  data-testid="privacy-centre-subject-export"
                >
                  {formatMessage(t('subjects.export', 'Export (JSON)'))}
                </Button>
              )}
              {findings.found && (
                <Button
                  variant="secondary"
                  startIcon={<File />}
                  onClick={() => navigate(EVIDENCE_PATH, { state: { query } satisfies EvidenceState })}
                  data-testid="privacy-centre-subject-evidence"
                >
                  {formatMessage(t('subjects.evidence', 'Evidence file'))}
                </Button>
              )}
              {findings.found && can('subjects', 'erase') && <EraseButton query={query} who={who} onErased={onChanged} />}
            </Flex>
          </Flex>
          {findings.found && (
            <FactList
              facts={[
                [
                  t('subjects.findings.emails', 'E-mail addresses held'),
                  <span data-testid="privacy-centre-subject-emails">{held.join(', ') || formatMessage(t('subjects.findings.emails.none', 'None (erased)'))}</span>,
                ],
                [
                  t('subjects.findings.subjectIds', 'Visitor ids (pseudonymous)'),
                  subject.subjectIds.length ? <Flex direction="column" alignItems="flex-start">{subject.subjectIds.map((id) => <span key={id}>{code(id)}</span>)}</Flex> : '–',
                ],
              ]}
            />
          )}
        </Flex>
      </Panel>
      {!findings.found ? (
        <EmptyState
          testId="privacy-centre-subject-nothing"
          content={formatMessage(
            t('subjects.findings.nothing', 'Nothing is held about this person: no subscription, consent, request or audit event names them.')
          )}
        />
      ) : (
        <>
          <Section
            testId="privacy-centre-subject-subscriptions"
            title={t('subjects.findings.subscriptions', 'Newsletter subscriptions')}
            count={findings.subscriptions.length}
            none={t('subjects.findings.subscriptions.none', 'No subscription on any list.')}
          >
            {findings.subscriptions.map((subscription) => (
              <SubscriptionBlock key={subscription.documentId} subscription={subscription} />
            ))}
          </Section>
          <Section
            testId="privacy-centre-subject-consents"
            title={t('subjects.findings.consents', 'Cookie consents')}
            count={findings.cookieConsents.length}
            none={t('subjects.findings.consents.none', 'No cookie consent is recorded.')}
          >
            <ConsentRows consents={findings.cookieConsents} />
          </Section>
          <Section
            testId="privacy-centre-subject-requests"
            title={t('subjects.findings.requests', 'Data-subject requests')}
            count={findings.requests.length}
            none={t('subjects.findings.requests.none', 'No data-subject request.')}
          >
            <HeadedTable columns={REQUEST_COLUMNS} rows={findings.requests.length}>
              <RequestRows requests={findings.requests} canManage={can('subjects', 'manage')} onChanged={onChanged} />
            </HeadedTable>
          </Section>
          <Section
            testId="privacy-centre-subject-audit"
            title={t('subjects.findings.audit', 'Audit events that name them')}
            count={findings.auditEvents.length}
            none={t('subjects.findings.audit.none', 'No audit event names them.')}
          >
            <AuditRows events={findings.auditEvents} />
          </Section>
        </>
      )}
    </Flex>
  );
};

/** One subscription, its facts and its consent events with their evidence. */
const SubscriptionBlock = ({ subscription }: { subscription: SubscriptionDetail }) => {
  const { formatMessage, formatDate } = useIntl();
  const { can } = useAllowedActions();
  const date = (value: string | null) => (value ? formatDate(value, { dateStyle: 'long', timeStyle: 'short' }) : '–');
  const who = subscription.email ?? formatMessage(t('newsletter.pseudonymised', 'Erased (pseudonymised)'));
  return (
    <Box
      padding={5}
      hasRadius
      borderColor="neutral200"
      borderStyle="solid"
      borderWidth="1px"
      data-testid="privacy-centre-subject-subscription"
      data-list={subscription.list}
      data-email={subscription.email ?? ''}
    >
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Flex justifyContent="space-between" alignItems="center" gap={2} wrap="wrap">
          <Flex gap={2} alignItems="center">
            <Typography variant="epsilon" fontWeight="bold" tag="h3">
              {formatMessage(t('subjects.subscription.title', 'List "{list}"'), { list: subscription.list })}
            </Typography>
            <SubscriptionStatusBadge status={subscription.status} />
          </Flex>
          {can('newsletter', 'read') && (
            <DSLink tag={NavLink} to={subscriptionPath(subscription.documentId)}>
              {formatMessage(t('subjects.subscription.open', 'Open the subscription'))}
            </DSLink>
          )}
        </Flex>
        <FactList
          facts={[
            [t('newsletter.column.email', 'E-mail address'), who],
            [t('newsletter.column.language', 'Language'), subscription.language ?? '–'],
            [t('newsletter.field.source', 'Signed up on (source)'), subscription.source ?? '–'],
            [t('newsletter.column.requestedAt', 'Requested'), date(subscription.requestedAt)],
            [t('newsletter.column.confirmedAt', 'Confirmed'), date(subscription.confirmedAt)],
            [t('newsletter.column.unsubscribedAt', 'Unsubscribed'), date(subscription.unsubscribedAt)],
          ]}
        />
        {subscription.events.length > 0 && (
          <Flex tag="ol" direction="column" alignItems="stretch" gap={4}>
            {subscription.events.map((event) => (
              <SubscriptionEventCard key={event.consentId} event={event} source={subscription.source} />
            ))}
          </Flex>
        )}
      </Flex>
    </Box>
  );
};

const CONSENT_COLUMNS: MessageDescriptor[] = [
  t('consents.column.givenAt', 'Time'),
  t('consents.column.action', 'Action'),
  t('consents.column.state', 'Consent'),
  t('consents.column.revision', 'Declaration'),
  t('consents.field.policy', 'Privacy policy shown'),
  t('consents.column.record', 'Record'),
];

/** Cookie consents, each linked to its page in the consent log (for whoever may read it). */
export const ConsentRows = ({ consents }: { consents: SubjectConsent[] }) => {
  const { formatMessage, formatDate } = useIntl();
  const { can } = useAllowedActions();
  return (
    <HeadedTable columns={CONSENT_COLUMNS} rows={consents.length}>
      {consents.map((record) => (
        <Tr key={record.consentId} data-testid="privacy-centre-subject-consent-row" data-consent-id={record.consentId}>
          <Td>
            <Typography textColor="neutral800">{formatDate(record.givenAt, { dateStyle: 'medium', timeStyle: 'medium' })}</Typography>
          </Td>
          <Td>
            <Typography textColor="neutral800">{ACTION_LABELS[record.action] ? formatMessage(ACTION_LABELS[record.action]) : record.action}</Typography>
          </Td>
          <Td style={{ whiteSpace: 'normal' }}>{record.state && <ConsentStateBadges state={record.state} />}</Td>
          <Td>
            <Typography textColor="neutral800">
              {record.declaration?.revision != null ? formatMessage(t('consents.revision', 'Revision {revision}'), { revision: record.declaration.revision }) : '–'}
            </Typography>
          </Td>
          <Td>
            <Typography textColor="neutral800">{record.policy ? formatMessage(t('policies.slugVersion', '{slug}, version {version}'), { slug: record.policy.slug, version: record.policy.version }) : '–'}</Typography>
          </Td>
          <Td>
            {/* Newsletter events are kept beside consents, but only cookie consents have a page in the consent log. */}
            {can('consents', 'read') && record.kind !== 'newsletter' ? (
              <DSLink tag={NavLink} to={consentPath(record.consentId)} data-testid="privacy-centre-subject-consent-open">
                <Typography tag="code" style={{ fontFamily: 'monospace' }}>
                  {record.consentId.slice(0, 12)}…
                </Typography>
              </DSLink>
            ) : (
              code(record.consentId)
            )}
          </Td>
        </Tr>
      ))}
    </HeadedTable>
  );
};

const AUDIT_COLUMNS: MessageDescriptor[] = [
  t('audit.column.occurredAt', 'Time'),
  t('audit.column.actor', 'Who'),
  t('audit.column.action', 'Action'),
  t('audit.column.target', 'Target'),
  t('audit.column.details', 'Details'),
];

const AuditRows = ({ events }: { events: AuditEvent[] }) => {
  const { formatMessage, formatDate } = useIntl();
  return (
    <HeadedTable columns={AUDIT_COLUMNS} rows={events.length}>
      {events.map((event) => {
        const details = formatDetails(event.details);
        return (
          <Tr key={event.id} data-testid="privacy-centre-subject-audit-row" data-action={event.action}>
            <Td>
              <Typography textColor="neutral800">{formatDate(event.occurredAt, { dateStyle: 'medium', timeStyle: 'medium' })}</Typography>
            </Td>
            <Td>
              <Typography textColor="neutral800">{event.actor}</Typography>
            </Td>
            <Td>
              <Typography textColor="neutral800" fontWeight="semiBold">
                <code>{event.action}</code>
              </Typography>
            </Td>
            <Td style={{ whiteSpace: 'normal' }}>
              <Typography textColor="neutral800">{event.target ?? ''}</Typography>
            </Td>
            <Td>
              {details && (
                <details>
                  <summary style={{ cursor: 'pointer' }}>
                    <Typography textColor="primary600">{formatMessage(t('audit.details.show', 'Show details'))}</Typography>
                  </summary>
                  <Box tag="pre" background="neutral100" padding={3} marginTop={2} hasRadius maxWidth="40rem" overflow="auto" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                    {details}
                  </Box>
                </details>
              )}
            </Td>
          </Tr>
        );
      })}
    </HeadedTable>
  );
};
