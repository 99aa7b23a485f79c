import * as React from 'react';
import { Box, Flex, Grid, Link as DSLink, Loader, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import { type MessageDescriptor, useIntl } from 'react-intl';
import { NavLink } from 'react-router-dom';
import { useTheme } from 'styled-components';
import uPlot from 'uplot';

import { NEWSLETTER_API, SUBSCRIPTION_STATUSES, type NewsletterStats, type NewsletterStatsResponse, type SubscriptionsResponse } from '../../api';
import { useApiData } from '../../hooks/useApi';
import { NEWSLETTER_PATH } from '../../pages/routes';
import { t } from '../../utils/getTranslation';
import { STATUS_LABELS } from '../newsletter/SubscriptionStatusBadge';
import { Panel } from '../Panel';
import { ChartFrame } from './ConsentRateChart';

const RANGE_DAYS = 30;
const DAY = 24 * 3600 * 1000;
const KINDS = ['requested', 'subscribed', 'unsubscribed'] as const;
type Kind = (typeof KINDS)[number];

const KIND_LABELS: Record<Kind, MessageDescriptor> = {
  requested: t('overview.newsletter.requested', 'Sign-ups requested'),
  subscribed: t('overview.newsletter.subscribed', 'Subscriptions confirmed'),
  unsubscribed: t('overview.newsletter.unsubscribed', 'Unsubscriptions'),
};

/** The last `range` UTC days, today included, as `YYYY-MM-DD`. */
const lastDays = (range: number, now = Date.now()) => {
  const today = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate());
  return Array.from({ length: range }, (_, i) => new Date(today - (range - 1 - i) * DAY).toISOString().slice(0, 10));
};

/** Per day of the range (the server lists only days with events), each kind summed over the lists. */
export const perDay = (stats: NewsletterStats, days: string[]) => {
  const byDay = new Map(stats.days.map((day) => [day.day, day]));
  const series = Object.fromEntries(
    KINDS.map((kind) => [kind, days.map((day) => Object.values(byDay.get(day)?.lists ?? {}).reduce((n, counts) => n + (counts[kind] ?? 0), 0))])
  ) as Record<Kind, number[]>;
  const totals = Object.fromEntries(KINDS.map((kind) => [kind, series[kind].reduce((a, b) => a + b, 0)])) as Record<Kind, number>;
  return { series, totals };
};

/**
 * Subscribers at a glance: how many addresses are subscribed, pending and unsubscribed now, and
 * per day of the last 30 the sign-ups, confirmations and unsubscriptions (the server's daily
 * rollups). Mounted only for users holding `newsletter.read`.
 */
export const SubscriberSummary = () => {
  const { formatMessage, formatNumber, formatDate } = useIntl();
  const { get } = useFetchClient();
  const days = React.useMemo(() => lastDays(RANGE_DAYS), []);
  const load = React.useCallback(async () => {
    const query = new URLSearchParams({ from: `${days[0]}T00:00:00.000Z`, to: new Date().toISOString() });
    const [stats, list] = await Promise.all([
      get<NewsletterStatsResponse>(`${NEWSLETTER_API.stats}?${query}`),
      get<SubscriptionsResponse>(`${NEWSLETTER_API.subscriptions}?pageSize=1`),
    ]);
    return { stats: stats.data.data, counts: list.data.meta.counts };
  }, [get, days]);
  const { data, failed } = useApiData(load);
  const summary = React.useMemo(() => (data ? perDay(data.stats, days) : null), [data, days]);

  let body: React.ReactNode;
  if (failed) {
    body = <Typography textColor="danger600">{formatMessage(t('overview.newsletter.failed', 'The newsletter statistics could not be loaded.'))}</Typography>;
  } else if (!data || !summary) {
    body = <Loader small>{formatMessage(t('overview.newsletter.loading', 'Loading the newsletter statistics…'))}</Loader>;
  } else {
    const now = Object.fromEntries(
      SUBSCRIPTION_STATUSES.map((status) => [status, Object.values(data.counts).reduce((n, counts) => n + (counts[status] ?? 0), 0)])
    );
    const busy = days.flatMap((day, index) => (KINDS.some((kind) => summary.series[kind][index]) ? [{ day, index }] : []));
    body = (
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Grid.Root gap={4}>
          {SUBSCRIPTION_STATUSES.map((status) => (
            <Grid.Item key={status} col={4} s={12} direction="column" alignItems="flex-start" gap={1}>
              <Typography variant="alpha" tag="p" data-testid={`privacy-centre-overview-subscribers-${status}`}>
                {formatNumber(now[status])}
              </Typography>
              <Typography variant="pi" textColor="neutral600">
                {formatMessage(t('overview.newsletter.now', '{status} now'), { status: formatMessage(STATUS_LABELS[status]) })}
              </Typography>
            </Grid.Item>
          ))}
        </Grid.Root>
        <Typography variant="pi" textColor="neutral600" tag="p" data-testid="privacy-centre-overview-newsletter-totals">
          {formatMessage(
            t('overview.newsletter.totals', 'Last {days} days: {requested} sign-ups, {subscribed} confirmed, {unsubscribed} unsubscribed.'),
            { days: RANGE_DAYS, ...summary.totals }
          )}
        </Typography>
        {busy.length === 0 ? (
          <Typography textColor="neutral600">{formatMessage(t('overview.newsletter.quiet', 'No sign-up or unsubscription in the last 30 days.'))}</Typography>
        ) : (
          <>
            <TrendChart
              days={days}
              series={KINDS.map((kind) => ({ label: formatMessage(KIND_LABELS[kind]), values: summary.series[kind] }))}
              label={formatMessage(t('overview.newsletter.chart', 'Newsletter sign-ups, confirmations and unsubscriptions per day'))}
              dayLabel={formatMessage(t('overview.consents.day', 'Day'))}
            />
            <details data-testid="privacy-centre-overview-newsletter-figures">
              <summary style={{ cursor: 'pointer' }}>
                <Typography variant="pi" fontWeight="semiBold">
                  {formatMessage(t('overview.newsletter.figures', 'The figures per day'))}
                </Typography>
              </summary>
              <Box paddingTop={2}>
                <Table colCount={KINDS.length + 1} rowCount={busy.length + 1}>
                  <Thead>
                    <Tr>
                      <Th>
                        <Typography variant="sigma">{formatMessage(t('overview.consents.day', 'Day'))}</Typography>
                      </Th>
                      {KINDS.map((kind) => (
                        <Th key={kind}>
                          <Typography variant="sigma">{formatMessage(KIND_LABELS[kind])}</Typography>
                        </Th>
                      ))}
                    </Tr>
                  </Thead>
                  <Tbody>
                    {busy.map(({ day, index }) => (
                      <Tr key={day} data-day={day}>
                        <Td>
                          <Typography>{formatDate(`${day}T00:00:00Z`, { dateStyle: 'medium', timeZone: 'UTC' })}</Typography>
                        </Td>
                        {KINDS.map((kind) => (
                          <Td key={kind} data-kind={kind}>
                            <Typography>{formatNumber(summary.series[kind][index])}</Typography>
                          </Td>
                        ))}
                      </Tr>
                    ))}
                  </Tbody>
                </Table>
              </Box>
            </details>
          </>
        )}
      </Flex>
    );
  }

  return (
    <Panel tag="section" aria-labelledby="privacy-centre-overview-newsletter-title" data-testid="privacy-centre-overview-newsletter">
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Flex justifyContent="space-between" alignItems="center" gap={4} wrap="wrap">
          <Typography variant="delta" tag="h2" id="privacy-centre-overview-newsletter-title">
            {formatMessage(t('overview.newsletter.title', 'Newsletter subscribers'))}
          </Typography>
          <DSLink tag={NavLink} to={NEWSLETTER_PATH}>
            {formatMessage(t('overview.newsletter.link', 'All subscribers'))}
          </DSLink>
        </Flex>
        {body}
      </Flex>
    </Panel>
  );
};

/** Counts per day as lines, drawn by uPlot (days are UTC days, as the server counts them). */
const TrendChart = ({ days, series, label, dayLabel, height = 240 }: { days: string[]; series: Array<{ label: string; values: number[] }>; label: string; dayLabel: string; height?: number }) => {
  const theme = useTheme();
  const container = React.useRef<HTMLDivElement>(null);
  React.useEffect(() => {
    const element = container.current;
    if (!element) return undefined;
    const { colors } = theme;
    const palette = [colors.primary600, colors.success600, colors.danger600];
    const axis: uPlot.Axis = { stroke: colors.neutral600, grid: { stroke: colors.neutral200, width: 1 }, ticks: { stroke: colors.neutral200, width: 1 } };
    const x = days.map((day) => Date.parse(`${day}T00:00:00Z`) / 1000);
    const plot = new uPlot(
      {
        width: Math.max(320, element.clientWidth),
        height,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
        axes: [{ ...axis }, { ...axis, size: 48, values: (_u, ticks) => ticks.map((v) => (Number.isInteger(v) ? String(v) : '')) }],
        series: [
          { label: dayLabel },
          ...series.map((s, index) => ({ label: s.label, stroke: palette[index % palette.length], width: 2, points: { show: true, size: 5 } })),
        ],
        legend: { live: true },
      },
      [x, ...series.map((s) => s.values)],
      element
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(320, element.clientWidth), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [days, series, dayLabel, height, theme]);
  return <ChartFrame ref={container} tag="figure" aria-label={label} margin={0} data-testid="privacy-centre-overview-newsletter-chart" />;
};
