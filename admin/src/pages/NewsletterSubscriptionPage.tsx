import * as React from 'react';
import { Flex, Link as DSLink, Typography } from '@strapi/design-system';
import { ArrowLeft } from '@strapi/icons';
import { useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { NavLink, useParams } from 'react-router-dom';

import { NEWSLETTER_API, type SubscriptionDetail, type SubscriptionResponse } from '../api';
import { AreaPage } from '../components/AreaPage';
import { FactList } from '../components/FactList';
import { code, SubscriptionEventCard } from '../components/newsletter/SubscriptionEventCard';
import { SubscriptionStatusBadge } from '../components/newsletter/SubscriptionStatusBadge';
import { UnsubscribeButton } from '../components/newsletter/UnsubscribeButton';
import { PendingPage, readProtected } from '../components/PageHelpers';
import { Panel } from '../components/Panel';
import { useApiData } from '../hooks/useApi';
import { useAllowedActions } from '../hooks/useAllowedActions';
import { t } from '../utils/getTranslation';
import { NEWSLETTER_PATH } from './routes';

const SubscriptionRoute = () => {
  const { documentId = '' } = useParams<{ documentId: string }>();
  return <SubscriptionView key={documentId} documentId={documentId} />;
};

/**
 * One subscription and every consent event of its address, oldest first, each with its evidence:
 * when, from which IP prefix and user agent, under which privacy policy, and for the request the
 * confirmation message exactly as sent (subject, Message-ID, SHA-256 of its bytes, its text).
 */
const SubscriptionView = ({ documentId }: { documentId: string }) => {
  const { formatMessage, formatDate } = useIntl();
  const { get } = useFetchClient();
  const { can, isLoading } = useAllowedActions();
  const load = React.useCallback(async () => (await get<SubscriptionResponse>(NEWSLETTER_API.subscription(documentId))).data.data, [get, documentId]);
  const { data: subscription, setData, failed } = useApiData(load);

  if (failed || !subscription || isLoading) return <PendingPage failed={failed} />;

  const date = (value: string | null) => (value ? formatDate(value, { dateStyle: 'long', timeStyle: 'medium' }) : '–');
  const who = subscription.email ?? formatMessage(t('newsletter.pseudonymised', 'Erased (pseudonymised)'));

  return (
    <AreaPage
      id="newsletter-subscription"
      title={who}
      subtitle={formatMessage(t('newsletter.detail.subtitle', 'Subscription to "{list}" and its consent history'), { list: subscription.list })}
      navigationAction={
        <DSLink tag={NavLink} to={NEWSLETTER_PATH} startIcon={<ArrowLeft />}>
          {formatMessage(t('newsletter.back', 'Subscribers'))}
        </DSLink>
      }
      primaryAction={
        can('newsletter', 'manage') && subscription.status !== 'unsubscribed' ? (
          <UnsubscribeButton subscription={subscription} onDone={(detail: SubscriptionDetail) => setData(detail)} />
        ) : undefined
      }
    >
      <Flex direction="column" alignItems="stretch" gap={6} data-testid="privacy-centre-subscription">
        <Panel>
          <Flex direction="column" alignItems="stretch" gap={4}>
            <Flex gap={2} alignItems="center">
              <SubscriptionStatusBadge status={subscription.status} />
            </Flex>
            <FactList
              facts={[
                [t('newsletter.column.email', 'E-mail address'), who],
                [t('newsletter.column.list', 'List'), subscription.list],
                [t('newsletter.column.language', 'Language'), subscription.language ?? '–'],
                [t('newsletter.field.source', 'Signed up on (source)'), subscription.source ?? '–'],
                [t('newsletter.column.requestedAt', 'Requested'), date(subscription.requestedAt)],
                [t('newsletter.column.confirmedAt', 'Confirmed'), date(subscription.confirmedAt)],
                [t('newsletter.column.unsubscribedAt', 'Unsubscribed'), date(subscription.unsubscribedAt)],
                [t('newsletter.field.reason', 'Reason for unsubscribing'), subscription.unsubscribeReason ?? '–'],
                [t('newsletter.field.subjectId', 'Visitor id (pseudonymous)'), code(subscription.subjectId)],
                [t('newsletter.field.documentId', 'Subscription id'), code(subscription.documentId)],
                ...(subscription.pseudonymisedAt
                  ? ([[t('newsletter.field.pseudonymisedAt', 'Pseudonymised at'), date(subscription.pseudonymisedAt)]] as const)
                  : []),
              ]}
            />
          </Flex>
        </Panel>
        <Panel>
          <Flex direction="column" alignItems="stretch" gap={4}>
            <Flex direction="column" alignItems="stretch" gap={1}>
              <Typography variant="delta" tag="h2">
                {formatMessage(t('newsletter.events.title', 'Consent history'))}
              </Typography>
              <Typography variant="pi" textColor="neutral600" tag="p">
                {formatMessage(
                  t('newsletter.events.hint', 'Every change of this address’s subscriptions, oldest first. Events are append-only: this is what was recorded at the time.')
                )}
              </Typography>
            </Flex>
            {subscription.events.length === 0 ? (
              <Typography textColor="neutral600">{formatMessage(t('newsletter.events.none', 'No event is recorded for this address.'))}</Typography>
            ) : (
              <Flex tag="ol" direction="column" alignItems="stretch" gap={4} data-testid="privacy-centre-subscription-events">
                {subscription.events.map((event) => (
                  <SubscriptionEventCard key={event.consentId} event={event} source={subscription.source} />
                ))}
              </Flex>
            )}
          </Flex>
        </Panel>
      </Flex>
    </AreaPage>
  );
};

const NewsletterSubscriptionPage = readProtected('newsletter', SubscriptionRoute);

export { NewsletterSubscriptionPage };
