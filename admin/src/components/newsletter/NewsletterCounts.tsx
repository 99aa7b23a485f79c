import { Flex, Grid, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import { SUBSCRIPTION_STATUSES, type SubscriptionsResponse } from '../../api';
import { t } from '../../utils/getTranslation';
import { Panel } from '../Panel';
import { STATUS_LABELS } from './SubscriptionStatusBadge';

/**
 * Per list, how many addresses are pending, subscribed and unsubscribed now (all of them, not
 * only those the filters show): the server counts them with every page of the list.
 */
export const NewsletterCounts = ({ counts, lists }: Pick<SubscriptionsResponse['meta'], 'counts' | 'lists'>) => {
  const { formatMessage, formatNumber } = useIntl();
  return (
    <Grid.Root gap={4} data-testid="privacy-centre-newsletter-counts">
      {lists.map((list) => (
        <Grid.Item key={list} col={lists.length > 1 ? 6 : 12} s={12} direction="column" alignItems="stretch">
          <Panel width="100%" padding={5} data-testid="privacy-centre-newsletter-counts-list" data-list={list}>
            <Flex direction="column" alignItems="stretch" gap={3}>
              <Typography variant="sigma" textColor="neutral600" tag="h2">
                {formatMessage(t('newsletter.counts.list', 'List "{list}"'), { list })}
              </Typography>
              <Flex gap={6} wrap="wrap">
                {SUBSCRIPTION_STATUSES.map((status) => (
                  <Flex key={status} direction="column" alignItems="flex-start" gap={1}>
                    <Typography variant="alpha" tag="p" data-testid={`privacy-centre-newsletter-count-${status}`}>
                      {formatNumber(counts[list]?.[status] ?? 0)}
                    </Typography>
                    <Typography variant="pi" textColor="neutral600">
                      {formatMessage(STATUS_LABELS[status])}
                    </Typography>
                  </Flex>
                ))}
              </Flex>
            </Flex>
          </Panel>
        </Grid.Item>
      ))}
    </Grid.Root>
  );
};
