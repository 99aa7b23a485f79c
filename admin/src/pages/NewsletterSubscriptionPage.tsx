import * as React from 'react';
import { Badge, Box, Flex, Link as DSLink, Typography } from '@strapi/design-system';
import { ArrowLeft } from '@strapi/icons';
import { useFetchClient } from '@strapi/strapi/admin';
import { type MessageDescriptor, useIntl } from 'react-intl';
import { NavLink, useParams } from 'react-router-dom';

import { NEWSLETTER_API, type SubscriptionDetail, type SubscriptionEvent, type SubscriptionResponse } from '../api';
import { AreaPage } from '../components/AreaPage';
import { FactList } from '../components/FactList';
import { SubscriptionStatusBadge } from '../components/newsletter/SubscriptionStatusBadge';
import { UnsubscribeButton } from '../components/newsletter/UnsubscribeButton';
import { PendingPage, readProtected } from '../components/PageHelpers';
import { Panel } from '../components/Panel';
import { useApiData } from '../hooks/useApi';
import { useAllowedActions } from '../hooks/useAllowedActions';
import { t } from '../utils/getTranslation';
import { NEWSLETTER_PATH } from './routes';

export const EVENT_LABELS: Record<string, MessageDescriptor> = {
  requested: t('newsletter.event.requested', 'Subscription requested'),
  confirmed: t('newsletter.event.confirmed', 'Confirmed (double opt-in)'),
  given: t('newsletter.event.given', 'Subscribed (single opt-in)'),
  withdrawn: t('newsletter.event.withdrawn', 'Withdrawn'),
};

const EVENT_VARIANTS: Record<string, 'secondary' | 'success' | 'danger' | 'neutral'> = {
  requested: 'secondary',
  confirmed: 'success',
  given: 'success',
  withdrawn: 'danger',
};

const METHOD_LABELS: Record<string, MessageDescriptor> = {
  'single-opt-in': t('newsletter.method.singleOptIn', 'single opt-in'),
  'double-opt-in': t('newsletter.method.doubleOptIn', 'confirmation link (double opt-in)'),
  admin: t('newsletter.method.admin', 'by an administrator'),
  'one-click': t('newsletter.method.oneClick', 'one-click (RFC 8058, from the mail client)'),
  page: t('newsletter.method.page', "the unsubscribe page's button"),
  json: t('newsletter.method.json', 'the JSON API'),
};

const code = (value: string | null | undefined) =>
  value ? (
    <Typography tag="code" style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
      {value}
    </Typography>
  ) : (
    '–'
  );

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
                  <EventCard key={event.consentId} event={event} source={subscription.source} />
                ))}
              </Flex>
            )}
          </Flex>
        </Panel>
      </Flex>
    </AreaPage>
  );
};

/** One event with its evidence. */
const EventCard = ({ event, source }: { event: SubscriptionEvent; source: string | null }) => {
  const { formatMessage, formatDate } = useIntl();
  const { evidence } = event;
  const message = evidence.message;
  const method = typeof evidence.method === 'string' ? evidence.method : null;
  const facts: Array<readonly [MessageDescriptor, React.ReactNode]> = [
    [t('newsletter.event.time', 'Time'), formatDate(event.givenAt, { dateStyle: 'long', timeStyle: 'medium' })],
    [t('newsletter.column.list', 'List'), event.list ?? evidence.list ?? '–'],
    [t('newsletter.event.ipPrefix', 'IP address (truncated)'), code(event.ipPrefix)],
    [t('newsletter.field.source', 'Signed up on (source)'), source ?? '–'],
    [
      t('newsletter.event.policy', 'Privacy policy in force'),
      event.policy ? `${event.policy.slug}, v${event.policy.version}` : formatMessage(t('newsletter.event.policy.none', 'None recorded')),
    ],
    [t('newsletter.event.policyHash', 'Policy hash (SHA-256)'), code(event.policy?.hash)],
    [t('newsletter.event.method', 'How'), method ? (METHOD_LABELS[method] ? formatMessage(METHOD_LABELS[method]) : method) : '–'],
    [
      t('newsletter.event.via', 'Recorded by'),
      event.via === 'admin' ? formatMessage(t('newsletter.event.via.admin', 'an administrator')) : formatMessage(t('newsletter.event.via.public', 'the public newsletter routes')),
    ],
    [t('newsletter.event.consentId', 'Event id'), code(event.consentId)],
  ];
  if (typeof evidence.reason === 'string') facts.push([t('newsletter.field.reason', 'Reason for unsubscribing'), evidence.reason]);
  if (typeof evidence.previousStatus === 'string') facts.push([t('newsletter.event.previousStatus', 'Status before'), evidence.previousStatus]);

  return (
    <Box
      tag="li"
      padding={5}
      hasRadius
      borderColor="neutral200"
      borderStyle="solid"
      borderWidth="1px"
      data-testid="privacy-centre-subscription-event"
      data-action={event.action}
      data-consent-id={event.consentId}
    >
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Flex gap={2} alignItems="center">
          <Badge variant={EVENT_VARIANTS[event.action] ?? 'neutral'}>
            {EVENT_LABELS[event.action] ? formatMessage(EVENT_LABELS[event.action]) : event.action}
          </Badge>
        </Flex>
        <FactList facts={facts} />
        <Flex direction="column" alignItems="flex-start" gap={1}>
          <Typography variant="sigma" textColor="neutral600">
            {formatMessage(t('newsletter.event.userAgent', 'User agent'))}
          </Typography>
          {code(event.userAgent)}
        </Flex>
        {message && (
          <Box background="neutral100" padding={4} hasRadius data-testid="privacy-centre-subscription-message">
            <Flex direction="column" alignItems="stretch" gap={3}>
              <Typography variant="delta" tag="h3">
                {formatMessage(t('newsletter.message.title', 'Confirmation message as sent'))}
              </Typography>
              <FactList
                facts={[
                  [t('newsletter.message.subject', 'Subject'), <span data-testid="privacy-centre-message-subject">{message.subject ?? '–'}</span>],
                  [t('newsletter.message.messageId', 'Message-ID'), <span data-testid="privacy-centre-message-id">{code(message.messageId)}</span>],
                  [t('newsletter.message.sha256', 'SHA-256 of the message'), <span data-testid="privacy-centre-message-sha256">{code(message.sha256)}</span>],
                ]}
              />
              {message.text && (
                <details>
                  <summary style={{ cursor: 'pointer' }}>
                    <Typography variant="pi" fontWeight="semiBold">
                      {formatMessage(t('newsletter.message.text', 'Text of the message'))}
                    </Typography>
                  </summary>
                  <Box
                    tag="pre"
                    background="neutral0"
                    padding={3}
                    marginTop={2}
                    hasRadius
                    overflow="auto"
                    data-testid="privacy-centre-message-text"
                    style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontFamily: 'monospace', fontSize: '1.2rem' }}
                  >
                    {message.text}
                  </Box>
                </details>
              )}
            </Flex>
          </Box>
        )}
      </Flex>
    </Box>
  );
};

const NewsletterSubscriptionPage = readProtected('newsletter', SubscriptionRoute);

export { NewsletterSubscriptionPage };
