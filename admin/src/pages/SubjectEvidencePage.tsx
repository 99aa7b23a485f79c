import * as React from 'react';
import { Badge, Box, Button, Flex, Link as DSLink, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { ArrowLeft, CheckCircle, Download, WarningCircle } from '@strapi/icons';
import { useFetchClient } from '@strapi/strapi/admin';
import { type MessageDescriptor, useIntl } from 'react-intl';
import { NavLink, useLocation } from 'react-router-dom';

import { SUBJECTS_API, type CheckedHash, type Evidence, type EvidenceRecord, type EvidenceResponse } from '../api';
import { AreaPage } from '../components/AreaPage';
import { ACTION_LABELS } from '../components/consents/ConsentFiltersForm';
import { ConsentStateBadges } from '../components/consents/ConsentStateBadges';
import { EmptyState } from '../components/EmptyState';
import { FactList } from '../components/FactList';
import { code, SubscriptionEventCard } from '../components/newsletter/SubscriptionEventCard';
import { SubscriptionStatusBadge } from '../components/newsletter/SubscriptionStatusBadge';
import { PendingPage, readProtected } from '../components/PageHelpers';
import { Panel } from '../components/Panel';
import { PolicyPreview } from '../components/policies/PolicyPreview';
import { ConsentRows, QUERY_KIND_LABELS } from '../components/subjects/SubjectFindings';
import { PrintFrame } from '../components/subjects/PrintFrame';
import { useApiData } from '../hooks/useApi';
import { useAllowedActions } from '../hooks/useAllowedActions';
import { usePostDownload } from '../hooks/usePostDownload';
import { today } from '../utils/download';
import { t } from '../utils/getTranslation';
import { evidenceQueryOf } from '../utils/subjectQuery';
import { SUBJECTS_PATH } from './routes';

const BackLink = () => {
  const { formatMessage } = useIntl();
  return (
    <DSLink tag={NavLink} to={SUBJECTS_PATH} startIcon={<ArrowLeft />} data-print="hide" data-testid="privacy-centre-evidence-back">
      {formatMessage(t('subjects.back', 'Data-subject requests'))}
    </DSLink>
  );
};

/**
 * The evidence file of one person: every consent record with the privacy policy text and the
 * cookie declaration it was given under, their hashes checked again now, the newsletter's
 * confirmation evidence (the message as sent, IP prefixes, times) and the withdrawals. Made to
 * be printed (or saved as PDF) for a supervisory authority or a court, and exported as a bundle
 * whose hash anyone can check.
 *
 * The person travels in the router's state (never in the URL); a page opened without it, e.g.
 * from a bookmark, says where to start.
 */
const EvidenceRoute = () => {
  const { formatMessage } = useIntl();
  const location = useLocation();
  const query = evidenceQueryOf(location.state);
  if (!query) {
    return (
      <AreaPage id="subject-evidence" title={t('subjects.evidence.title', 'Evidence file')} subtitle={t('subjects.evidence.subtitle', 'The proof of every consent of one person, checked now')} navigationAction={<BackLink />}>
        <EmptyState
          testId="privacy-centre-evidence-no-query"
          content={formatMessage(t('subjects.evidence.noQuery', 'Open the evidence file from a search on the data-subject requests page.'))}
        />
      </AreaPage>
    );
  }
  return <EvidenceView key={query} query={query} />;
};

/** Who the file is about, for its heading: their address or visitor id; a pasted receipt is named, not printed. */
const whoOf = (query: string, evidence: Evidence, format: (m: MessageDescriptor) => string) =>
  evidence.subject?.emails[0] ?? evidence.subject?.subjectIds[0] ?? (evidence.query.kind === 'receipt' ? format(QUERY_KIND_LABELS.receipt) : query);

const EvidenceView = ({ query }: { query: string }) => {
  const { formatMessage, formatDate } = useIntl();
  const { post } = useFetchClient();
  const { can, isLoading } = useAllowedActions();
  const { busy, download } = usePostDownload();
  const load = React.useCallback(async () => (await post<EvidenceResponse>(SUBJECTS_API.evidence, { query })).data.data, [post, query]);
  const { data: evidence, failed } = useApiData(load);

  if (failed || !evidence || isLoading) return <PendingPage failed={failed} />;

  const who = whoOf(query, evidence, formatMessage);
  const generatedAt = formatDate(evidence.generatedAt, { dateStyle: 'long', timeStyle: 'medium' });
  const allMatch = evidence.checks.allHashesMatch;

  return (
    <AreaPage
      id="subject-evidence"
      title={t('subjects.evidence.title', 'Evidence file')}
      subtitle={formatMessage(t('subjects.evidence.of', 'Of {who}, generated {date}'), { who, date: generatedAt })}
      navigationAction={<BackLink />}
      primaryAction={
        <Flex gap={2}>
          <Button variant="secondary" onClick={() => window.print()} data-testid="privacy-centre-evidence-print">
            {formatMessage(t('subjects.evidence.print', 'Print'))}
          </Button>
          {can('subjects', 'export') && (
            <Button
              startIcon={<Download />}
              loading={busy === 'bundle'}
              onClick={() => download('bundle', SUBJECTS_API.bundle, { query }, `evidence-${today()}.json`)}
              data-testid="privacy-centre-evidence-bundle"
            >
              {formatMessage(t('subjects.evidence.bundle', 'Export the bundle'))}
            </Button>
          )}
        </Flex>
      }
    >
      <PrintFrame testId="privacy-centre-evidence">
        <Flex direction="column" alignItems="stretch" gap={6}>
          {/* The page's heading is in the header, which does not print: the printed file has its own. */}
          <Box data-print="only">
            <Typography variant="alpha" tag="p">
              {formatMessage(t('subjects.evidence.title', 'Evidence file'))}
            </Typography>
            <Typography tag="p">{formatMessage(t('subjects.evidence.of', 'Of {who}, generated {date}'), { who, date: generatedAt })}</Typography>
          </Box>
          <Box
            background={allMatch ? 'success100' : 'danger100'}
            borderColor={allMatch ? 'success200' : 'danger200'}
            borderStyle="solid"
            borderWidth="1px"
            hasRadius
            padding={5}
            data-testid="privacy-centre-evidence-checks"
            data-all-match={allMatch}
          >
            <Flex gap={3} alignItems="flex-start">
              {allMatch ? <CheckCircle aria-hidden width="2rem" height="2rem" fill="success600" /> : <WarningCircle aria-hidden width="2rem" height="2rem" fill="danger600" />}
              <Flex direction="column" alignItems="flex-start" gap={1}>
                <Typography fontWeight="bold" textColor={allMatch ? 'success700' : 'danger700'} tag="p">
                  {formatMessage(
                    allMatch
                      ? t('subjects.evidence.allMatch', 'Every hash matches: the policy texts and cookie declarations below are exactly those sealed when the consents were given.')
                      : t('subjects.evidence.someMismatch', 'At least one hash does not match: a stored text was changed after it was sealed. The records concerned are marked below.')
                  )}
                </Typography>
                <Typography variant="pi" textColor="neutral600" tag="p">
                  {formatMessage(
                    t('subjects.evidence.counts', '{records, plural, one {# consent record} other {# consent records}}, {lists, plural, one {# newsletter subscription} other {# newsletter subscriptions}}, {withdrawals, plural, one {# withdrawal} other {# withdrawals}}. Searched by {kind}.'),
                    {
                      records: evidence.records.length,
                      lists: evidence.newsletter.length,
                      withdrawals: evidence.withdrawals.length,
                      kind: QUERY_KIND_LABELS[evidence.query.kind] ? formatMessage(QUERY_KIND_LABELS[evidence.query.kind]) : evidence.query.kind,
                    }
                  )}
                </Typography>
              </Flex>
            </Flex>
          </Box>

          {evidence.records.map((entry, index) => (
            <RecordEvidence key={entry.record.consentId} entry={entry} index={index} />
          ))}

          {evidence.newsletter.length > 0 && (
            <Panel tag="section" data-print-break="" data-testid="privacy-centre-evidence-newsletter">
              <Flex direction="column" alignItems="stretch" gap={4}>
                <Typography variant="beta" tag="h2">
                  {formatMessage(t('subjects.evidence.newsletter', 'Newsletter: confirmation evidence'))}
                </Typography>
                {evidence.newsletter.map((subscription) => (
                  <Flex key={subscription.documentId} direction="column" alignItems="stretch" gap={3} data-testid="privacy-centre-evidence-subscription" data-list={subscription.list}>
                    <Flex gap={2} alignItems="center">
                      <Typography variant="delta" tag="h3">
                        {formatMessage(t('subjects.subscription.title', 'List "{list}"'), { list: subscription.list })}
                      </Typography>
                      <SubscriptionStatusBadge status={subscription.status} />
                    </Flex>
                    <Flex tag="ol" direction="column" alignItems="stretch" gap={4}>
                      {subscription.events.map((event) => (
                        <SubscriptionEventCard key={event.consentId} event={event} source={null} expanded />
                      ))}
                    </Flex>
                  </Flex>
                ))}
              </Flex>
            </Panel>
          )}

          <Panel tag="section" data-print-break="" data-testid="privacy-centre-evidence-withdrawals">
            <Flex direction="column" alignItems="stretch" gap={4}>
              <Typography variant="beta" tag="h2">
                {formatMessage(t('subjects.evidence.withdrawals', 'Withdrawals'))}
              </Typography>
              {evidence.withdrawals.length === 0 ? (
                <Typography textColor="neutral600">{formatMessage(t('subjects.evidence.withdrawals.none', 'No consent was withdrawn.'))}</Typography>
              ) : (
                <ConsentRows consents={evidence.withdrawals} />
              )}
            </Flex>
          </Panel>

          {evidence.notices && evidence.notices.length > 0 && (
            <Panel tag="section" data-print-break="" data-testid="privacy-centre-evidence-notices">
              <Flex direction="column" alignItems="stretch" gap={4}>
                <Typography variant="beta" tag="h2">
                  {formatMessage(t('subjects.evidence.notices', 'Notices of policy changes'))}
                </Typography>
                <ul>
                  {evidence.notices.map((n) => (
                    <li key={`${n.slug}:${n.version}:${n.subjectRef}`}>
                      <Typography>
                        {`${n.slug} v${n.version}: ${n.status}${n.sentAt ? ` ${n.sentAt}` : ''}${n.messageId ? `, Message-ID ${n.messageId}` : ''}${n.sha256 ? `, SHA-256 ${n.sha256}` : ''}${n.lastError ? ` (${n.lastError})` : ''}`}
                      </Typography>
                    </li>
                  ))}
                </ul>
              </Flex>
            </Panel>
          )}
        </Flex>
      </PrintFrame>
    </AreaPage>
  );
};

/** A stored hash, the one recomputed now, and whether they are the same (in words and colour). */
const HashCheck = ({ check, testId }: { check: CheckedHash; testId: string }) => {
  const { formatMessage } = useIntl();
  return (
    <Flex direction="column" alignItems="stretch" gap={2} data-testid={testId} data-matches={check.matches} data-print-keep="">
      <Box>
        <Badge variant={check.matches ? 'success' : 'danger'} data-badge="" data-testid="privacy-centre-evidence-hash-badge">
          {formatMessage(check.matches ? t('subjects.evidence.hash.match', 'Hashes match') : t('subjects.evidence.hash.mismatch', 'Hash mismatch: changed after sealing'))}
        </Badge>
      </Box>
      <FactList
        facts={[
          [t('subjects.evidence.hash.stored', 'Hash sealed (SHA-256)'), <span data-testid="privacy-centre-evidence-hash-stored">{code(check.hash)}</span>],
          [t('subjects.evidence.hash.recomputed', 'Hash recomputed now'), <span data-testid="privacy-centre-evidence-hash-recomputed">{code(check.recomputedHash)}</span>],
        ]}
      />
    </Flex>
  );
};

const KIND_LABELS: Record<string, MessageDescriptor> = {
  cookie: t('subjects.evidence.kind.cookie', 'Cookie consent'),
  newsletter: t('subjects.evidence.kind.newsletter', 'Newsletter consent'),
};

/** One consent record, on its own printed page: what was recorded, and what the person was shown. */
const RecordEvidence = ({ entry, index }: { entry: EvidenceRecord; index: number }) => {
  const { formatMessage, formatDate } = useIntl();
  const { record, policy, declaration, receipt } = entry;
  const date = (value: string | null | undefined) => (value ? formatDate(value, { dateStyle: 'long', timeStyle: 'medium' }) : '–');
  const kind = record.kind && KIND_LABELS[record.kind] ? formatMessage(KIND_LABELS[record.kind]) : formatMessage(KIND_LABELS.cookie);
  const facts: Array<readonly [MessageDescriptor, React.ReactNode]> = [
    [t('consents.field.consentId', 'Consent id'), code(record.consentId)],
    [t('consents.column.action', 'Action'), ACTION_LABELS[record.action] ? formatMessage(ACTION_LABELS[record.action]) : record.action],
    [t('consents.field.givenAt', 'Given at'), date(record.givenAt)],
    [t('consents.field.expiresAt', 'Expires at'), date(record.expiresAt)],
    [t('consents.field.subjectId', 'Visitor id (pseudonymous)'), code(record.subjectId)],
    [t('consents.field.ipPrefix', 'IP address (truncated)'), code(record.ipPrefix)],
    [t('consents.field.language', 'Language'), record.language ?? '–'],
    [t('consents.field.source', 'Page (source)'), record.source ?? '–'],
  ];
  if (record.list) facts.push([t('newsletter.column.list', 'List'), record.list]);
  if (receipt)
    facts.push([
      t('subjects.evidence.receipt', 'Receipt signature'),
      <Badge variant={receipt.authentic ? 'success' : 'danger'} data-badge="" data-testid="privacy-centre-evidence-receipt" data-authentic={receipt.authentic}>
        {formatMessage(receipt.authentic ? t('subjects.evidence.receipt.authentic', 'Authentic (signed by this site)') : t('subjects.evidence.receipt.forged', 'Does not verify'))}
      </Badge>,
    ]);

  return (
    <Panel tag="section" {...(index > 0 ? { 'data-print-break': '' } : {})} data-testid="privacy-centre-evidence-record" data-consent-id={record.consentId}>
      <Flex direction="column" alignItems="stretch" gap={5}>
        <Typography variant="beta" tag="h2">
          {formatMessage(t('subjects.evidence.record', '{kind} {consentId}'), { kind, consentId: `${record.consentId.slice(0, 12)}…` })}
        </Typography>
        <FactList facts={facts} />
        <Flex direction="column" alignItems="flex-start" gap={1}>
          <Typography variant="sigma" textColor="neutral600">
            {formatMessage(t('consents.field.userAgent', 'User agent'))}
          </Typography>
          {code(record.userAgent)}
        </Flex>
        {record.state && Object.keys(record.state).length > 0 && (
          <Flex direction="column" alignItems="flex-start" gap={1}>
            <Typography variant="sigma" textColor="neutral600">
              {formatMessage(t('consents.record.categories', 'Consent per category'))}
            </Typography>
            <ConsentStateBadges state={record.state} />
          </Flex>
        )}

        <Flex direction="column" alignItems="stretch" gap={3} data-testid="privacy-centre-evidence-policy">
          <Typography variant="delta" tag="h3">
            {policy
              ? formatMessage(t('subjects.evidence.policy', 'Privacy policy shown: {slug}, version {version}'), { slug: policy.slug, version: policy.version })
              : formatMessage(t('subjects.evidence.policy.none', 'No privacy policy was recorded with this consent.'))}
          </Typography>
          {policy && <HashCheck check={policy} testId="privacy-centre-evidence-policy-hash" />}
          {policy && <SealedPolicy content={policy.content} language={record.language} />}
        </Flex>

        <Flex direction="column" alignItems="stretch" gap={3} data-testid="privacy-centre-evidence-declaration">
          <Typography variant="delta" tag="h3">
            {declaration
              ? formatMessage(t('subjects.evidence.declaration', 'Cookie declaration shown: revision {revision}'), { revision: declaration.revision })
              : formatMessage(t('subjects.evidence.declaration.none', 'No cookie declaration applies to this record.'))}
          </Typography>
          {declaration && <HashCheck check={declaration} testId="privacy-centre-evidence-declaration-hash" />}
          {declaration?.snapshot && <SnapshotSummary snapshot={declaration.snapshot} language={record.language} />}
        </Flex>
      </Flex>
    </Panel>
  );
};

/** The sealed policy text in the person's language (else the first sealed), and which others exist. */
const SealedPolicy = ({ content, language }: { content: NonNullable<EvidenceRecord['policy']>['content']; language: string | null }) => {
  const { formatMessage, formatDate } = useIntl();
  if (!content) {
    return <Typography textColor="danger700">{formatMessage(t('subjects.evidence.policy.missing', 'The sealed text of this version is not on record.'))}</Typography>;
  }
  const codes = Object.keys(content.locales);
  const base = language?.split('-')[0];
  const locale = codes.find((c) => c === language) ?? codes.find((c) => c === base) ?? codes[0];
  if (!locale) return null;
  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      <Typography variant="pi" textColor="neutral600" tag="p">
        {formatMessage(t('subjects.evidence.policy.facts', 'In force from {effectiveAt}. Shown in {locale}; sealed in: {locales}.'), {
          effectiveAt: content.effectiveAt ? formatDate(content.effectiveAt, { dateStyle: 'long', timeStyle: 'short' }) : '–',
          locale,
          locales: codes.join(', '),
        })}
      </Typography>
      <Box padding={4} hasRadius borderColor="neutral200" borderStyle="solid" borderWidth="1px" data-testid="privacy-centre-evidence-policy-text">
        <PolicyPreview content={content.locales[locale]} locale={locale} />
      </Box>
    </Flex>
  );
};

/** What the cookie declaration listed: each category, whether it could be refused, and its cookies. */
const SnapshotSummary = ({ snapshot, language }: { snapshot: NonNullable<NonNullable<EvidenceRecord['declaration']>['snapshot']>; language: string | null }) => {
  const { formatMessage } = useIntl();
  const base = language?.split('-')[0] ?? '';
  const textOf = (locales: Record<string, { name: string }>) => (locales[language ?? ''] ?? locales[base] ?? Object.values(locales)[0])?.name ?? '';
  const columns: MessageDescriptor[] = [
    t('subjects.evidence.snapshot.category', 'Category'),
    t('subjects.evidence.snapshot.required', 'Could be refused'),
    t('subjects.evidence.snapshot.cookies', 'Cookies and storage'),
  ];
  return (
    <Table colCount={columns.length} rowCount={snapshot.categories.length + 1} data-testid="privacy-centre-evidence-snapshot">
      <Thead>
        <Tr>
          {columns.map((column) => (
            <Th key={column.id}>
              <Typography variant="sigma">{formatMessage(column)}</Typography>
            </Th>
          ))}
        </Tr>
      </Thead>
      <Tbody>
        {snapshot.categories.map((category) => (
          <Tr key={category.key}>
            <Td style={{ whiteSpace: 'normal' }}>
              <Typography fontWeight="semiBold">{textOf(category.locales) || category.key}</Typography>{' '}
              <Typography variant="pi" textColor="neutral600" tag="code">
                ({category.key})
              </Typography>
            </Td>
            <Td>
              <Typography>{formatMessage(category.required ? t('common.no', 'No') : t('common.yes', 'Yes'))}</Typography>
            </Td>
            <Td style={{ whiteSpace: 'normal' }}>
              <Typography>{category.cookies.map((cookie) => cookie.name).join(', ') || '–'}</Typography>
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};

const SubjectEvidencePage = readProtected('subjects', EvidenceRoute);

export { SubjectEvidencePage };
