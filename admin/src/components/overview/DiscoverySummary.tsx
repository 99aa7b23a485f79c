import { Flex, Grid, Link as DSLink, Loader, Typography } from '@strapi/design-system';
import { type MessageDescriptor, useIntl } from 'react-intl';
import { NavLink } from 'react-router-dom';

import type { DiscoveryCounts } from '../../api';
import { useCookies } from '../../hooks/useCookies';
import { COOKIES_PATH } from '../../pages/routes';
import { t } from '../../utils/getTranslation';
import { Panel } from '../Panel';

const FIGURES: Array<{ key: keyof DiscoveryCounts; label: MessageDescriptor; fined?: boolean }> = [
  { key: 'beforeConsent', label: t('overview.discovery.beforeConsent', 'set before consent'), fined: true },
  { key: 'despiteRefusal', label: t('overview.discovery.despiteRefusal', 'set despite refusal'), fined: true },
  { key: 'undeclared', label: t('overview.discovery.undeclared', 'undeclared') },
  { key: 'unseen', label: t('overview.discovery.unseen', 'declared but not seen') },
];

/**
 * Cookie discovery at a glance (the last 30 days): how many names are in each list of the
 * Discovery tab, and how many of them were first seen after the latest revision was published.
 * Mounted only for users holding `cookies.read`.
 */
export const DiscoverySummary = () => {
  const { formatMessage, formatNumber } = useIntl();
  const { data, failed } = useCookies();

  let body: React.ReactNode;
  if (failed) {
    body = <Typography textColor="danger600">{formatMessage(t('overview.discovery.failed', 'Cookie discovery could not be loaded.'))}</Typography>;
  } else if (!data) {
    body = <Loader small>{formatMessage(t('overview.discovery.loading', 'Loading cookie discovery…'))}</Loader>;
  } else {
    const { counts, sinceRevision, days } = data.data.discovery;
    body = (
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Grid.Root gap={4}>
          {FIGURES.map(({ key, label, fined }) => {
            const alarming = fined && counts[key] > 0;
            const fresh = key === 'unseen' ? 0 : sinceRevision[key];
            return (
              <Grid.Item key={key} col={3} s={6} xs={12} direction="column" alignItems="flex-start" gap={1}>
                <Typography variant="alpha" tag="p" textColor={alarming ? 'danger700' : undefined} data-testid={`privacy-centre-overview-discovery-${key}`}>
                  {formatNumber(counts[key])}
                </Typography>
                <Typography variant="pi" textColor={alarming ? 'danger700' : 'neutral600'} fontWeight={alarming ? 'bold' : undefined}>
                  {formatMessage(label)}
                </Typography>
                {key !== 'unseen' && (
                  <Typography variant="pi" textColor="neutral600" data-testid={`privacy-centre-overview-discovery-${key}-new`}>
                    {formatMessage(t('overview.discovery.new', '{count, plural, =0 {none new} one {# new} other {# new}} since the latest revision'), {
                      count: fresh,
                    })}
                  </Typography>
                )}
              </Grid.Item>
            );
          })}
        </Grid.Root>
        <Typography variant="pi" textColor="neutral600">
          {formatMessage(t('overview.discovery.period', 'What browsers reported over the last {days} days.'), { days })}
        </Typography>
      </Flex>
    );
  }

  return (
    <Panel tag="section" aria-labelledby="privacy-centre-overview-discovery-title" data-testid="privacy-centre-overview-discovery">
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Flex justifyContent="space-between" alignItems="center" gap={4} wrap="wrap">
          <Typography variant="delta" tag="h2" id="privacy-centre-overview-discovery-title">
            {formatMessage(t('overview.discovery.title', 'Cookie discovery'))}
          </Typography>
          <DSLink tag={NavLink} to={`${COOKIES_PATH}?tab=discovery`}>
            {formatMessage(t('overview.discovery.link', 'Open the Discovery tab'))}
          </DSLink>
        </Flex>
        {body}
      </Flex>
    </Panel>
  );
};
