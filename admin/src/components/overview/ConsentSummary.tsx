import * as React from 'react';
import { Box, Button, Flex, Grid, Link as DSLink, Loader, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import { type MessageDescriptor, useIntl } from 'react-intl';
import { NavLink } from 'react-router-dom';

import { CONSENTS_API, type ConsentStats, type ConsentStatsResponse } from '../../api';
import { useApiData } from '../../hooks/useApi';
import { CONSENTS_PATH } from '../../pages/routes';
import { t } from '../../utils/getTranslation';
import { Panel } from '../Panel';
import { ConsentRateChart, type RateSeries } from './ConsentRateChart';

const RANGES = [7, 30, 90] as const;
type Range = (typeof RANGES)[number];
const DAY = 24 * 3600 * 1000;

const SHARES: ReadonlyArray<['acceptedAll' | 'refusedAll' | 'chose', MessageDescriptor, MessageDescriptor]> = [
  ['acceptedAll', t('overview.consents.acceptedAll', 'Accepted all'), t('overview.consents.acceptedAll.hint', 'granted every category')],
  ['refusedAll', t('overview.consents.refusedAll', 'Refused all'), t('overview.consents.refusedAll.hint', 'only the required categories')],
  ['chose', t('overview.consents.chose', 'Chose'), t('overview.consents.chose.hint', 'granted some optional categories')],
];

/** The UTC days of the last `range` days, today included, as `YYYY-MM-DD`. */
const lastDays = (range: Range, now = Date.now()) => {
  const today = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate());
  return Array.from({ length: range }, (_, i) => new Date(today - (range - 1 - i) * DAY).toISOString().slice(0, 10));
};

/**
 * Every day of the range (the server lists only days with decisions), each category's share
 * granted per day, and the shares of decisions over the whole range.
 */
export const summarise = (stats: ConsentStats, days: string[]) => {
  const byDay = new Map(stats.days.map((day) => [day.day, day]));
  const keys = [...new Set(stats.days.flatMap((day) => Object.keys(day.categories)))].sort();
  const series: RateSeries[] = keys.map((key) => ({
    label: key,
    values: days.map((day) => {
      const counts = byDay.get(day)?.categories[key];
      const total = counts ? counts.granted + counts.refused : 0;
      return total ? (100 * counts!.granted) / total : null;
    }),
  }));
  const sum = (field: 'total' | 'acceptedAll' | 'refusedAll' | 'chose') => stats.days.reduce((n, day) => n + (day[field] ?? 0), 0);
  const busyDays = days.flatMap((day, index) => {
    const total = byDay.get(day)?.total ?? 0;
    return total ? [{ day, index, total }] : [];
  });
  return {
    series,
    busyDays,
    total: sum('total'),
    shares: { acceptedAll: sum('acceptedAll'), refusedAll: sum('refusedAll'), chose: sum('chose') },
  };
};

/**
 * Consent at a glance, from the server's daily rollups: per category, the share of decisions that
 * granted it each day, and how many visitors accepted everything, refused everything or chose.
 * Mounted only for users holding `consents.read`.
 */
export const ConsentSummary = () => {
  const { formatMessage, formatNumber } = useIntl();
  const { get } = useFetchClient();
  const [range, setRange] = React.useState<Range>(30);
  const days = React.useMemo(() => lastDays(range), [range]);

  const load = React.useCallback(async () => {
    const query = new URLSearchParams({ from: `${days[0]}T00:00:00.000Z`, to: new Date().toISOString() });
    return (await get<ConsentStatsResponse>(`${CONSENTS_API.stats}?${query}`)).data.data;
  }, [get, days]);
  const { data: stats, failed } = useApiData(load);
  const summary = React.useMemo(() => (stats ? summarise(stats, days) : null), [stats, days]);
  const x = React.useMemo(() => days.map((day) => Date.parse(`${day}T00:00:00Z`) / 1000), [days]);
  const percent = (count: number, total: number) => formatNumber(total ? count / total : 0, { style: 'percent', maximumFractionDigits: 1 });

  let body: React.ReactNode;
  if (failed) {
    body = <Typography textColor="danger600">{formatMessage(t('overview.consents.failed', 'The consent statistics could not be loaded.'))}</Typography>;
  } else if (!summary) {
    body = <Loader small>{formatMessage(t('overview.consents.loading', 'Loading the consent statistics…'))}</Loader>;
  } else if (summary.total === 0) {
    body = (
      <Typography textColor="neutral600" tag="p" data-testid="privacy-centre-overview-consents-empty">
        {formatMessage(
          t('overview.consents.empty', 'No consent decision was recorded in the last {days} days, so there is no rate to show.'),
          { days: range }
        )}
      </Typography>
    );
  } else {
    body = (
      <Flex direction="column" alignItems="stretch" gap={5}>
        <Grid.Root gap={4} tag="dl">
          {SHARES.map(([key, label, hint]) => (
            <Grid.Item key={key} col={4} s={12} direction="column" alignItems="flex-start" gap={1} data-testid={`privacy-centre-overview-share-${key}`}>
              <Typography variant="sigma" textColor="neutral600" tag="dt">
                {formatMessage(label)}
              </Typography>
              <Typography tag="dd" variant="alpha" data-testid="privacy-centre-overview-share-value">
                {percent(summary.shares[key], summary.total)}
              </Typography>
              <Typography tag="dd" variant="pi" textColor="neutral600">
                {formatMessage(t('overview.consents.shareOf', '{count} of {total} decisions: {hint}'), {
                  count: formatNumber(summary.shares[key]),
                  total: formatNumber(summary.total),
                  hint: formatMessage(hint),
                })}
              </Typography>
            </Grid.Item>
          ))}
        </Grid.Root>
        <Flex direction="column" alignItems="stretch" gap={2}>
          <Typography variant="epsilon" fontWeight="bold" tag="h3">
            {formatMessage(t('overview.consents.chartTitle', 'Share of decisions granting each category, per day (UTC)'))}
          </Typography>
          <ConsentRateChart
            days={x}
            series={summary.series}
            label={formatMessage(t('overview.consents.chartTitle', 'Share of decisions granting each category, per day (UTC)'))}
            dayLabel={formatMessage(t('overview.consents.day', 'Day'))}
          />
          <details data-testid="privacy-centre-overview-consent-figures">
            <summary style={{ cursor: 'pointer' }}>
              <Typography textColor="primary600">{formatMessage(t('overview.consents.figures', 'Show the figures'))}</Typography>
            </summary>
            <Box paddingTop={2} overflow="auto">
              {/* Only the days with decisions: a quarter of empty rows would hide the few that count. */}
              <Table colCount={summary.series.length + 2} rowCount={summary.busyDays.length + 1}>
                <Thead>
                  <Tr>
                    <Th>
                      <Typography variant="sigma">{formatMessage(t('overview.consents.day', 'Day'))}</Typography>
                    </Th>
                    <Th>
                      <Typography variant="sigma">{formatMessage(t('overview.consents.decisions', 'Decisions'))}</Typography>
                    </Th>
                    {summary.series.map((s) => (
                      <Th key={s.label}>
                        <Typography variant="sigma">{s.label}</Typography>
                      </Th>
                    ))}
                  </Tr>
                </Thead>
                <Tbody>
                  {summary.busyDays.map(({ day, index: i, total }) => (
                    <Tr key={day}>
                      <Td>
                        <Typography>{day}</Typography>
                      </Td>
                      <Td>
                        <Typography>{total}</Typography>
                      </Td>
                      {summary.series.map((s) => (
                        <Td key={s.label}>
                          <Typography>{s.values[i] === null ? '–' : `${Math.round(s.values[i]!)} %`}</Typography>
                        </Td>
                      ))}
                    </Tr>
                  ))}
                </Tbody>
              </Table>
            </Box>
          </details>
        </Flex>
      </Flex>
    );
  }

  return (
    <Panel tag="section" aria-labelledby="privacy-centre-overview-consents-title" data-testid="privacy-centre-overview-consents">
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Flex justifyContent="space-between" alignItems="center" gap={4} wrap="wrap">
          <Typography variant="delta" tag="h2" id="privacy-centre-overview-consents-title">
            {formatMessage(t('overview.consents.title', 'Consent'))}
          </Typography>
          <Flex gap={4} alignItems="center" wrap="wrap">
            <Flex gap={1} role="group" aria-label={formatMessage(t('overview.consents.range', 'Period'))}>
              {RANGES.map((days) => (
                <Button
                  key={days}
                  size="S"
                  variant={range === days ? 'secondary' : 'tertiary'}
                  aria-pressed={range === days}
                  onClick={() => setRange(days)}
                >
                  {formatMessage(t('overview.consents.lastDays', 'Last {days} days'), { days })}
                </Button>
              ))}
            </Flex>
            <DSLink tag={NavLink} to={CONSENTS_PATH}>
              {formatMessage(t('page.consents.title', 'Consent log'))}
            </DSLink>
          </Flex>
        </Flex>
        {body}
      </Flex>
    </Panel>
  );
};
