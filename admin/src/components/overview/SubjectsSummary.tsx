import * as React from 'react';
import { Flex, Grid, Link as DSLink, Loader, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { NavLink } from 'react-router-dom';

import { SUBJECTS_API, type DataSubjectRequestSummary } from '../../api';
import { useApiData } from '../../hooks/useApi';
import { SUBJECTS_PATH } from '../../pages/routes';
import { calendarDaysUntil } from '../../utils/dates';
import { t } from '../../utils/getTranslation';
import { Panel } from '../Panel';

/**
 * Data-subject requests at a glance: how many are open, how many overdue, and when the next one
 * is due. Mounted only for users holding `subjects.read`.
 */
export const SubjectsSummary = () => {
  const { formatMessage, formatNumber, formatDate } = useIntl();
  const { get } = useFetchClient();
  const load = React.useCallback(async () => (await get<{ data: DataSubjectRequestSummary }>(SUBJECTS_API.summary)).data.data, [get]);
  const { data, failed } = useApiData(load);

  let body: React.ReactNode;
  if (failed) {
    body = <Typography textColor="danger600">{formatMessage(t('overview.subjects.failed', 'The data-subject requests could not be loaded.'))}</Typography>;
  } else if (!data) {
    body = <Loader small>{formatMessage(t('overview.subjects.loading', 'Loading the data-subject requests…'))}</Loader>;
  } else {
    const overdue = data.overdue > 0;
    body = (
      <Grid.Root gap={4}>
        <Grid.Item col={4} s={12} direction="column" alignItems="flex-start" gap={1}>
          <Typography variant="alpha" tag="p" data-testid="privacy-centre-overview-subjects-open">
            {formatNumber(data.open)}
          </Typography>
          <Typography variant="pi" textColor="neutral600">
            {formatMessage(t('overview.subjects.open', '{count, plural, one {request open} other {requests open}}'), { count: data.open })}
          </Typography>
        </Grid.Item>
        <Grid.Item col={4} s={12} direction="column" alignItems="flex-start" gap={1}>
          <Typography variant="alpha" tag="p" textColor={overdue ? 'danger700' : undefined} data-testid="privacy-centre-overview-subjects-overdue">
            {formatNumber(data.overdue)}
          </Typography>
          <Typography variant="pi" textColor={overdue ? 'danger700' : 'neutral600'} fontWeight={overdue ? 'bold' : undefined}>
            {formatMessage(t('overview.subjects.overdue', 'overdue'))}
          </Typography>
          {data.acknowledgementOverdue > 0 && (
            <Typography variant="pi" textColor="danger700" data-testid="privacy-centre-overview-subjects-unacknowledged">
              {formatMessage(t('overview.subjects.unacknowledged', '{count, plural, one {# not acknowledged in time} other {# not acknowledged in time}}'), {
                count: data.acknowledgementOverdue,
              })}
            </Typography>
          )}
        </Grid.Item>
        <Grid.Item col={4} s={12} direction="column" alignItems="flex-start" gap={1}>
          <Typography variant="epsilon" fontWeight="bold" tag="p" data-testid="privacy-centre-overview-subjects-next">
            {data.nextDueAt ? formatDate(data.nextDueAt, { dateStyle: 'long' }) : '–'}
          </Typography>
          <Typography variant="pi" textColor="neutral600">
            {data.nextDueAt
              ? formatMessage(
                  t('overview.subjects.next', 'Next due date ({days, plural, =0 {today} =1 {tomorrow} other {in # days}})'),
                  { days: calendarDaysUntil(new Date(data.nextDueAt)) }
                )
              : formatMessage(t('overview.subjects.noneDue', 'Nothing is due.'))}
          </Typography>
        </Grid.Item>
      </Grid.Root>
    );
  }

  return (
    <Panel tag="section" aria-labelledby="privacy-centre-overview-subjects-title" data-testid="privacy-centre-overview-subjects">
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Flex justifyContent="space-between" alignItems="center" gap={4} wrap="wrap">
          <Typography variant="delta" tag="h2" id="privacy-centre-overview-subjects-title">
            {formatMessage(t('page.subjects.title', 'Data-subject requests'))}
          </Typography>
          <DSLink tag={NavLink} to={SUBJECTS_PATH}>
            {formatMessage(t('overview.subjects.link', 'All data-subject requests'))}
          </DSLink>
        </Flex>
        {body}
      </Flex>
    </Panel>
  );
};
