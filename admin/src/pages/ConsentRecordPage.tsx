import * as React from 'react';
import { Badge, Box, Flex, Grid, Link as DSLink, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { ArrowLeft } from '@strapi/icons';
import { useFetchClient } from '@strapi/strapi/admin';
import { type MessageDescriptor, useIntl } from 'react-intl';
import { NavLink, useParams } from 'react-router-dom';

import { CONSENTS_API, type ConsentRecordResponse, type Receipt } from '../api';
import { AreaPage } from '../components/AreaPage';
import { ACTION_LABELS } from '../components/consents/ConsentFiltersForm';
import { VerifyReceipt } from '../components/consents/VerifyReceipt';
import { FactList } from '../components/FactList';
import { PendingPage, readProtected } from '../components/PageHelpers';
import { Panel } from '../components/Panel';
import { useApiData } from '../hooks/useApi';
import { useAllowedActions } from '../hooks/useAllowedActions';
import { usePolicies } from '../hooks/usePolicies';
import { t } from '../utils/getTranslation';
import { CONSENTS_PATH, consentPath, revisionPath, versionPath } from './routes';

type Record_ = ConsentRecordResponse['data'];

const STATUS: Record<Record_['status'], [MessageDescriptor, 'success' | 'warning' | 'neutral' | 'danger']> = {
  valid: [t('consents.status.valid', 'Valid'), 'success'],
  expired: [t('consents.status.expired', 'Expired'), 'warning'],
  superseded: [t('consents.status.superseded', 'Superseded by a later decision'), 'neutral'],
  withdrawn: [t('consents.status.withdrawn', 'Withdrawn'), 'danger'],
};

const REASONS: Record<Record_['reasons'][number], MessageDescriptor> = {
  expired: t('consents.reason.expired', 'it has expired'),
  superseded: t('consents.reason.superseded', 'a later decision replaced it'),
  withdrawn: t('consents.reason.withdrawn', 'it was withdrawn'),
  'declaration-changed': t('consents.reason.declarationChanged', 'a newer cookie declaration was published'),
  'policy-changed': t('consents.reason.policyChanged', 'a newer privacy policy is in force'),
};

/** The receipt the visitor's browser was given: the record's receipt fields, in the receipt's order. */
const receiptOf = (record: Record_): Receipt => ({
  consentId: record.consentId,
  subjectId: record.subjectId,
  action: record.action,
  state: record.state,
  consentMode: record.consentMode,
  gpc: record.gpc,
  givenAt: record.givenAt,
  expiresAt: record.expiresAt,
  previousConsentId: record.previousConsentId,
  policy: record.policy,
  declaration: record.declaration,
  // Signed since regions; absent from older receipts, which must stay as they were signed.
  ...(record.jurisdiction ? { jurisdiction: record.jurisdiction } : {}),
  signature: record.signature,
});

const RecordRoute = () => {
  const { consentId = '' } = useParams<{ consentId: string }>();
  return <RecordView key={consentId} consentId={consentId} />;
};

/**
 * One consent record: what the receipt says (who, when, what was chosen, under which declaration
 * and policy, with which signals), what the server kept besides (IP prefix, user agent, source,
 * language), and whether the visitor would be asked again now, and why.
 */
const RecordView = ({ consentId }: { consentId: string }) => {
  const { formatMessage, formatDate } = useIntl();
  const { get } = useFetchClient();
  const { can, isLoading } = useAllowedActions();
  const load = React.useCallback(async () => (await get<ConsentRecordResponse>(CONSENTS_API.record(consentId))).data.data, [get, consentId]);
  const { data: record, failed } = useApiData(load);

  if (failed || !record || isLoading) return <PendingPage failed={failed} />;

  const date = (value: string | null) => (value ? formatDate(value, { dateStyle: 'long', timeStyle: 'medium' }) : '–');
  const code = (value: string | null | undefined) =>
    value ? (
      <Typography tag="code" style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
        {value}
      </Typography>
    ) : (
      '–'
    );
  const [statusLabel, statusVariant] = STATUS[record.status] ?? [t('consents.status.unknown', 'Unknown'), 'neutral'];
  const receipt = JSON.stringify(receiptOf(record), null, 2);

  return (
    <AreaPage
      id="consent-record"
      title={formatMessage(t('consents.record.title', 'Consent record {consentId}'), { consentId: `${consentId.slice(0, 12)}…` })}
      subtitle={t('consents.record.subtitle', 'Records are append-only: this is what was recorded, never changed since.')}
      navigationAction={
        <DSLink tag={NavLink} to={CONSENTS_PATH} startIcon={<ArrowLeft />}>
          {formatMessage(t('consents.back', 'Consent log'))}
        </DSLink>
      }
    >
      <Flex direction="column" alignItems="stretch" gap={6} data-testid="privacy-centre-consent-record">
        <Panel>
          <Flex direction="column" alignItems="stretch" gap={4}>
            <Flex gap={2} wrap="wrap" alignItems="center">
              <Badge variant={statusVariant} data-testid="privacy-centre-consent-status" data-status={record.status}>
                {formatMessage(statusLabel)}
              </Badge>
              <Typography textColor="neutral800" data-testid="privacy-centre-consent-ask-again">
                {record.askAgain
                  ? formatMessage(t('consents.askAgain', 'The visitor will be asked again: {reasons}.'), {
                      reasons: record.reasons.map((r) => (REASONS[r] ? formatMessage(REASONS[r]) : r)).join(', '),
                    })
                  : formatMessage(t('consents.noAskAgain', 'The visitor will not be asked again yet.'))}
              </Typography>
            </Flex>
            <FactList
              facts={[
                [t('consents.field.consentId', 'Consent id'), code(record.consentId)],
                [t('consents.field.subjectId', 'Visitor id (pseudonymous)'), code(record.subjectId)],
                [t('consents.column.action', 'Action'), ACTION_LABELS[record.action] ? formatMessage(ACTION_LABELS[record.action]) : record.action],
                [t('consents.field.givenAt', 'Given at'), date(record.givenAt)],
                [t('consents.field.expiresAt', 'Expires at'), date(record.expiresAt)],
                [
                  t('consents.field.previous', 'Replaces'),
                  record.previousConsentId ? (
                    <DSLink tag={NavLink} to={consentPath(record.previousConsentId)}>
                      {`${record.previousConsentId.slice(0, 12)}…`}
                    </DSLink>
                  ) : (
                    '–'
                  ),
                ],
                [
                  t('consents.field.declaration', 'Cookie declaration shown'),
                  can('cookies', 'read') ? (
                    <DSLink tag={NavLink} to={revisionPath(record.declaration.revision)} data-testid="privacy-centre-consent-revision-link">
                      {formatMessage(t('consents.revision', 'Revision {revision}'), { revision: record.declaration.revision })}
                    </DSLink>
                  ) : (
                    formatMessage(t('consents.revision', 'Revision {revision}'), { revision: record.declaration.revision })
                  ),
                ],
                [
                  t('consents.field.policy', 'Privacy policy shown'),
                  record.policy ? (
                    can('policies', 'read') ? (
                      <PolicyLink slug={record.policy.slug} version={record.policy.version} />
                    ) : (
                      formatMessage(t('policies.slugVersion', '{slug}, version {version}'), { slug: record.policy.slug, version: record.policy.version })
                    )
                  ) : (
                    formatMessage(t('consents.field.policy.none', 'None recorded'))
                  ),
                ],
                [
                  t('consents.filter.gpc', 'Global Privacy Control signal'),
                  record.gpc.signal
                    ? formatMessage(t('consents.gpc.refusedList', 'Sent; it refused: {categories}'), {
                        categories: record.gpc.refused.join(', ') || '–',
                      })
                    : formatMessage(t('consents.gpc.notSent', 'Not sent')),
                ],
                [
                  t('consents.field.jurisdiction', 'Jurisdiction'),
                  record.jurisdiction
                    ? formatMessage(t('consents.jurisdiction.value', '{code} ({model}){honoured, select, true {; the GPC signal was honoured as an opt-out} other {}}'), {
                        code: record.jurisdiction.code,
                        model: record.jurisdiction.model,
                        honoured: String(record.gpc.honoured === true),
                      })
                    : formatMessage(t('consents.jurisdiction.none', 'Not recorded (before regions)')),
                ],
                [t('consents.field.ipPrefix', 'IP address (truncated)'), code(record.ipPrefix)],
                [t('consents.field.language', 'Language'), record.language ?? '–'],
                [t('consents.field.source', 'Page (source)'), record.source ?? '–'],
                [t('consents.field.via', 'Sent as'), record.via === 'cookieconsent' ? 'cookieconsent v3' : record.via === 'c15t' ? 'c15t (POST /c15t/subjects)' : record.via === 'do-not-sell' ? formatMessage(t('consents.via.doNotSell', 'the "Do Not Sell or Share" page')) : formatMessage(t('consents.via.plugin', "the plugin's format"))],
              ]}
            />
            <Flex direction="column" alignItems="flex-start" gap={1}>
              <Typography variant="sigma" textColor="neutral600">
                {formatMessage(t('consents.field.userAgent', 'User agent'))}
              </Typography>
              {code(record.userAgent)}
            </Flex>
          </Flex>
        </Panel>
        <Grid.Root gap={6}>
          <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
            <Panel width="100%">
              <ChoiceTable
                testId="privacy-centre-consent-categories"
                title={t('consents.record.categories', 'Consent per category')}
                rows={Object.entries(record.state).map(([key, granted]) => [
                  key,
                  granted,
                  formatMessage(granted ? t('consents.granted', 'Granted') : t('consents.refused', 'Refused')),
                ])}
              />
            </Panel>
          </Grid.Item>
          <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
            <Panel width="100%">
              <ChoiceTable
                testId="privacy-centre-consent-mode"
                title={t('consents.record.consentMode', 'Google Consent Mode v2')}
                rows={Object.entries(record.consentMode).map(([signal, value]) => [signal, value === 'granted', value])}
              />
            </Panel>
          </Grid.Item>
        </Grid.Root>
        <Panel>
          <Flex direction="column" alignItems="stretch" gap={2}>
            <Typography variant="delta" tag="h2">
              {formatMessage(t('consents.record.receipt', 'Receipt'))}
            </Typography>
            <Typography variant="pi" textColor="neutral600" tag="p">
              {formatMessage(t('consents.record.receipt.hint', "What the visitor's browser was given, signed with the site's secret."))}
            </Typography>
            <Box
              tag="pre"
              background="neutral100"
              padding={3}
              hasRadius
              overflow="auto"
              data-testid="privacy-centre-consent-receipt"
              style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontFamily: 'monospace', fontSize: '1.2rem' }}
            >
              {receipt}
            </Box>
          </Flex>
        </Panel>
        <VerifyReceipt />
      </Flex>
    </AreaPage>
  );
};

/** Rows of a name and a granted/denied answer, in words. */
const ChoiceTable = ({ testId, title, rows }: { testId: string; title: MessageDescriptor; rows: Array<[string, boolean, string]> }) => {
  const { formatMessage } = useIntl();
  return (
    <Flex direction="column" alignItems="stretch" gap={3} data-testid={testId}>
      <Typography variant="delta" tag="h2">
        {formatMessage(title)}
      </Typography>
      <Table colCount={2} rowCount={rows.length}>
        <Thead>
          <Tr>
            <Th>
              <Typography variant="sigma">{formatMessage(t('consents.column.name', 'Name'))}</Typography>
            </Th>
            <Th>
              <Typography variant="sigma">{formatMessage(t('consents.column.answer', 'Answer'))}</Typography>
            </Th>
          </Tr>
        </Thead>
        <Tbody>
          {rows.map(([name, granted, label]) => (
            <Tr key={name} data-name={name} data-granted={granted}>
              <Td>
                <Typography tag="code" style={{ fontFamily: 'monospace' }}>
                  {name}
                </Typography>
              </Td>
              <Td>
                <Badge variant={granted ? 'success' : 'neutral'}>{label}</Badge>
              </Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
    </Flex>
  );
};

/** The policy version a consent was given under, linked to its page when it is found. */
const PolicyLink = ({ slug, version }: { slug: string; version: number }) => {
  const { data } = usePolicies();
  const found = data?.data.find((doc) => doc.slug === slug)?.versions.find((v) => v.version === version);
  const { formatMessage } = useIntl();
  const label = formatMessage(t('policies.slugVersion', '{slug}, version {version}'), { slug, version });
  return found ? (
    <DSLink tag={NavLink} to={versionPath(found.documentId)} data-testid="privacy-centre-consent-policy-link">
      {label}
    </DSLink>
  ) : (
    <>{label}</>
  );
};

const ConsentRecordPage = readProtected('consents', RecordRoute);

export { ConsentRecordPage };
