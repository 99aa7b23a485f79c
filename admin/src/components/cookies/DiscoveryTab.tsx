import * as React from 'react';
import {
  Box,
  Button,
  Field,
  Flex,
  IconButton,
  Loader,
  SingleSelect,
  SingleSelectOption,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { EyeStriked, Plus, Trash } from '@strapi/icons';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { type MessageDescriptor, useIntl } from 'react-intl';

import { COOKIES_API, type CookieCategory, type DiscoveryFinding, type IgnoreRule, type StorageType } from '../../api';
import { useApiAction } from '../../hooks/useApi';
import { useDiscovery } from '../../hooks/useCookies';
import { t } from '../../utils/getTranslation';
import { Panel } from '../Panel';
import { STORAGE_LABELS } from './CategoryCard';
import { AddToDeclarationDialog, categoryLabel, IgnoreDialog } from './DiscoveryDialogs';

/** The periods an editor can look back over, in days (the server keeps counters 90 days by default). */
export const DISCOVERY_PERIODS = [7, 30, 90] as const;

interface DiscoveryTabProps {
  categories: CookieCategory[];
  locale: string;
  defaultLocale: string;
  /** Whether the editor holds `cookies.manage`: without it no action is shown (the server refuses them anyway). */
  canManage: boolean;
  /** Called after a name was added to the declaration being edited, so the page shows the change. */
  onDeclarationChanged: () => void;
}

type Dialog = { kind: 'add' | 'ignore'; finding: DiscoveryFinding } | null;

type Column = 'name' | 'category' | 'count' | 'seen' | 'paths' | 'suggestion' | 'actions';

const COLUMN_LABELS: Record<Column, MessageDescriptor> = {
  name: t('cookies.discovery.column.name', 'Name'),
  category: t('cookies.cookie.category', 'Category'),
  count: t('cookies.discovery.column.count', 'Times seen'),
  seen: t('cookies.discovery.column.seen', 'First and last seen'),
  paths: t('cookies.discovery.column.paths', 'Pages'),
  suggestion: t('cookies.discovery.column.suggestion', 'Open Cookie Database suggestion'),
  actions: t('policies.column.actions', 'Actions'),
};

/**
 * What visitors' browsers really hold against the published declaration, over a period: first
 * the declared names set before any decision or despite a refusal (what a regulator fines), then
 * the names no definition matches, then the definitions nobody's browser reported. Everything a
 * browser sent (names, paths) and the database's texts are shown as plain text.
 */
export const DiscoveryTab = ({ categories, locale, defaultLocale, canManage, onDeclarationChanged }: DiscoveryTabProps) => {
  const { formatMessage, formatNumber, formatDate } = useIntl();
  const { del } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [days, setDays] = React.useState<number>(30);
  const { data, failed, reload } = useDiscovery(days);
  const [dialog, setDialog] = React.useState<Dialog>(null);
  const { run } = useApiAction();
  const names = { categories, locale, defaultLocale };

  const date = (iso: string | null) => (iso ? formatDate(iso, { dateStyle: 'medium', timeStyle: 'short' }) : '–');
  const storage = (value: string) => (value in STORAGE_LABELS ? formatMessage(STORAGE_LABELS[value as StorageType]) : value);

  const removeRule = (rule: IgnoreRule) =>
    run(async () => {
      await del(COOKIES_API.ignoreRule(rule.documentId));
      toggleNotification({
        type: 'success',
        message: formatMessage(t('cookies.discovery.unignored', 'Names matching {pattern} are listed again'), { pattern: rule.pattern }),
      });
      reload();
    });

  const cell = (finding: DiscoveryFinding, column: Column) => {
    switch (column) {
      case 'name':
        // Names are at most 128 characters of a set without spaces: kept on one line, the table scrolls.
        return (
          <Flex direction="column" alignItems="flex-start">
            <Typography fontWeight="semiBold" tag="code" style={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}>
              {finding.name}
            </Typography>
            <Typography variant="pi" textColor="neutral600">
              {storage(finding.storage)}
            </Typography>
          </Flex>
        );
      case 'category':
        return <Typography textColor="neutral800">{categoryLabel(names, finding.category) ?? '–'}</Typography>;
      case 'count':
        return <Typography textColor="neutral800">{formatNumber(finding.count)}</Typography>;
      case 'seen':
        return (
          <Flex direction="column" alignItems="flex-start">
            <Typography variant="pi" textColor="neutral800">
              {date(finding.firstSeen)}
            </Typography>
            <Typography variant="pi" textColor="neutral600">
              {date(finding.lastSeen)}
            </Typography>
          </Flex>
        );
      case 'paths':
        return (
          <Flex direction="column" alignItems="flex-start" data-testid="privacy-centre-discovery-paths" style={{ minWidth: '8rem', maxWidth: '20rem' }}>
            {finding.paths.map((path) => (
              <Typography key={path} variant="pi" textColor="neutral800" tag="code" style={{ fontFamily: 'monospace', overflowWrap: 'anywhere' }}>
                {path}
              </Typography>
            ))}
          </Flex>
        );
      case 'suggestion':
        return finding.suggestion ? (
          <Flex
            direction="column"
            alignItems="flex-start"
            gap={1}
            data-testid="privacy-centre-discovery-suggestion"
            style={{ minWidth: '16rem', maxWidth: '32rem' }}
          >
            <Typography fontWeight="semiBold" data-testid="privacy-centre-discovery-platform">
              {finding.suggestion.platform}
            </Typography>
            <Typography variant="pi" textColor="neutral800">
              {formatMessage(t('cookies.discovery.suggestedCategory', 'Suggested category: {category}'), {
                category: categoryLabel(names, finding.suggestion.category) ?? formatMessage(t('cookies.discovery.noCategory', 'none of this site')),
              })}
            </Typography>
            <Typography variant="pi" textColor="neutral600">
              {finding.suggestion.description}
            </Typography>
            {finding.suggestion.retention && (
              <Typography variant="pi" textColor="neutral600">
                {formatMessage(t('cookies.discovery.retention', 'Kept: {retention}'), { retention: finding.suggestion.retention })}
              </Typography>
            )}
          </Flex>
        ) : (
          <Typography variant="pi" textColor="neutral600">
            {formatMessage(t('cookies.discovery.unknown', 'Not in the database'))}
          </Typography>
        );
      case 'actions':
        return (
          <Flex direction="column" alignItems="stretch" gap={2}>
            <Button
              size="S"
              variant="secondary"
              startIcon={<Plus />}
              onClick={() => setDialog({ kind: 'add', finding })}
              data-testid="privacy-centre-discovery-add"
            >
              {formatMessage(t('cookies.discovery.add', 'Add to declaration'))}
            </Button>
            <Button
              size="S"
              variant="tertiary"
              startIcon={<EyeStriked />}
              onClick={() => setDialog({ kind: 'ignore', finding })}
              data-testid="privacy-centre-discovery-ignore"
            >
              {formatMessage(t('cookies.discovery.ignore', 'Ignore'))}
            </Button>
          </Flex>
        );
    }
  };

  const section = (
    list: string,
    title: MessageDescriptor,
    findings: DiscoveryFinding[],
    columns: Column[],
    empty: MessageDescriptor,
    intro?: React.ReactNode,
  ) => (
    <Panel tag="section" aria-labelledby={`privacy-centre-discovery-${list}-title`} data-testid={`privacy-centre-discovery-${list}`}>
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Typography variant="delta" tag="h2" id={`privacy-centre-discovery-${list}-title`}>
          {formatMessage(title, { count: findings.length })}
        </Typography>
        {intro}
        {findings.length === 0 ? (
          <Typography textColor="neutral600" tag="p" data-testid="privacy-centre-discovery-empty">
            {formatMessage(empty)}
          </Typography>
        ) : (
          <Box overflow="auto">
            <Table colCount={columns.length} rowCount={findings.length + 1}>
              <Thead>
                <Tr>
                  {columns.map((column) => (
                    <Th key={column}>
                      <Typography variant="sigma">{formatMessage(COLUMN_LABELS[column])}</Typography>
                    </Th>
                  ))}
                </Tr>
              </Thead>
              <Tbody>
                {findings.map((finding) => (
                  <Tr key={`${finding.storage}:${finding.name}`} data-testid="privacy-centre-discovery-row" data-name={finding.name}>
                    {columns.map((column) => (
                      <Td key={column} style={{ whiteSpace: 'normal' }}>
                        {cell(finding, column)}
                      </Td>
                    ))}
                  </Tr>
                ))}
              </Tbody>
            </Table>
          </Box>
        )}
      </Flex>
    </Panel>
  );

  let body: React.ReactNode;
  // The notification has given the server's reason.
  if (failed && !data)
    body = <Typography textColor="danger600">{formatMessage(t('cookies.discovery.failed', 'The findings could not be loaded.'))}</Typography>;
  else if (!data) body = <Loader small>{formatMessage(t('cookies.discovery.loading', 'Loading the findings…'))}</Loader>;
  else {
    const seenColumns: Column[] = ['name', 'category', 'count', 'seen', 'paths'];
    body = (
      <Flex direction="column" alignItems="stretch" gap={6} data-testid="privacy-centre-discovery-ready" data-days={data.days}>
        <Typography textColor="danger700" fontWeight="semiBold" tag="p" data-testid="privacy-centre-discovery-warning">
          {formatMessage(
            t('cookies.discovery.fines', 'Cookies set before consent or despite a refusal are what regulators fine: fix these first, on the pages listed.'),
          )}
        </Typography>
        {section(
          'before-consent',
          t('cookies.discovery.beforeConsent', 'Set before consent ({count})'),
          data.beforeConsent,
          seenColumns,
          t('cookies.discovery.beforeConsent.empty', 'No declared cookie that needs consent was seen before a decision.'),
        )}
        {section(
          'despite-refusal',
          t('cookies.discovery.despiteRefusal', 'Set despite refusal ({count})'),
          data.despiteRefusal,
          seenColumns,
          t('cookies.discovery.despiteRefusal.empty', 'No declared cookie was seen after its category was refused.'),
        )}
        {section(
          'undeclared',
          t('cookies.discovery.undeclared', 'Undeclared ({count})'),
          data.undeclared,
          ['name', 'count', 'seen', 'paths', 'suggestion', ...(canManage ? (['actions'] as Column[]) : [])],
          t('cookies.discovery.undeclared.empty', 'Every name seen is declared (or ignored).'),
        )}
        {section(
          'unseen',
          t('cookies.discovery.unseen', 'Declared but not seen ({count})'),
          data.unseen,
          ['name', 'category'],
          t('cookies.discovery.unseen.empty', 'Every declared cookie was seen in the period.'),
          <Typography textColor="neutral600" tag="p">
            {formatMessage(t('cookies.discovery.unseen.intro', 'Candidates for removal from the declaration, if the site no longer sets them.'))}
          </Typography>,
        )}
        <Panel tag="section" aria-labelledby="privacy-centre-discovery-rules-title" data-testid="privacy-centre-discovery-rules">
          <Flex direction="column" alignItems="stretch" gap={4}>
            <Typography variant="delta" tag="h2" id="privacy-centre-discovery-rules-title">
              {formatMessage(t('cookies.discovery.rules', 'Ignored names'))}
            </Typography>
            {data.ignoreRules.length === 0 ? (
              <Typography textColor="neutral600" tag="p" data-testid="privacy-centre-discovery-rules-empty">
                {formatMessage(t('cookies.discovery.rules.empty', 'No name is ignored.'))}
              </Typography>
            ) : (
              <Table colCount={canManage ? 4 : 3} rowCount={data.ignoreRules.length + 1}>
                <Thead>
                  <Tr>
                    <Th>
                      <Typography variant="sigma">{formatMessage(t('cookies.discovery.pattern', 'Name or pattern'))}</Typography>
                    </Th>
                    <Th>
                      <Typography variant="sigma">{formatMessage(t('cookies.discovery.note', 'Note'))}</Typography>
                    </Th>
                    <Th>
                      <Typography variant="sigma">{formatMessage(t('cookies.discovery.rules.created', 'Added'))}</Typography>
                    </Th>
                    {canManage && (
                      <Th>
                        <Typography variant="sigma">{formatMessage(t('policies.column.actions', 'Actions'))}</Typography>
                      </Th>
                    )}
                  </Tr>
                </Thead>
                <Tbody>
                  {data.ignoreRules.map((rule) => (
                    <Tr key={rule.documentId} data-testid="privacy-centre-discovery-rule" data-pattern={rule.pattern}>
                      <Td>
                        <Typography fontWeight="semiBold" tag="code" style={{ fontFamily: 'monospace' }}>
                          {rule.pattern}
                        </Typography>
                      </Td>
                      <Td style={{ whiteSpace: 'normal' }}>
                        <Typography textColor="neutral800">{rule.note || '–'}</Typography>
                      </Td>
                      <Td>
                        <Typography textColor="neutral800">{`${date(rule.createdAt)}${rule.createdBy ? ` · ${rule.createdBy}` : ''}`}</Typography>
                      </Td>
                      {canManage && (
                        <Td>
                          <IconButton
                            label={formatMessage(t('cookies.discovery.unignore', 'Stop ignoring {pattern}'), { pattern: rule.pattern })}
                            variant="ghost"
                            onClick={() => removeRule(rule)}
                            data-testid="privacy-centre-discovery-rule-remove"
                          >
                            <Trash />
                          </IconButton>
                        </Td>
                      )}
                    </Tr>
                  ))}
                </Tbody>
              </Table>
            )}
          </Flex>
        </Panel>
      </Flex>
    );
  }

  return (
    <Flex direction="column" alignItems="stretch" gap={6}>
      <Flex gap={6} alignItems="flex-end" wrap="wrap">
        <Box minWidth="16rem">
          <Field.Root name="days">
            <Field.Label>{formatMessage(t('cookies.discovery.period', 'Period'))}</Field.Label>
            <SingleSelect value={String(days)} onChange={(value: string | number) => setDays(Number(value))}>
              {DISCOVERY_PERIODS.map((period) => (
                <SingleSelectOption key={period} value={String(period)}>
                  {formatMessage(t('cookies.discovery.days', 'Last {days} days'), { days: period })}
                </SingleSelectOption>
              ))}
            </SingleSelect>
          </Field.Root>
        </Box>
        {data && data.flood.count > 0 && (
          <Typography textColor="warning700" tag="p" data-testid="privacy-centre-discovery-flood">
            {formatMessage(
              t(
                'cookies.discovery.flood',
                '{count, plural, one {# name} other {# names}} past the limit of {max} a day were counted, not kept (random names: a bug or an attack).',
              ),
              { count: data.flood.count, max: data.flood.maxNamesPerDay },
            )}
          </Typography>
        )}
      </Flex>
      {body}
      {dialog?.kind === 'add' && (
        <AddToDeclarationDialog
          finding={dialog.finding}
          {...names}
          onClose={() => setDialog(null)}
          onSaved={() => {
            setDialog(null);
            reload();
            onDeclarationChanged();
          }}
        />
      )}
      {dialog?.kind === 'ignore' && (
        <IgnoreDialog
          finding={dialog.finding}
          onClose={() => setDialog(null)}
          onSaved={() => {
            setDialog(null);
            reload();
          }}
        />
      )}
    </Flex>
  );
};
