import * as React from 'react';
import { Badge, Box, Flex, Typography } from '@strapi/design-system';
import { type MessageDescriptor, useIntl } from 'react-intl';

import type { SubscriptionEvent, SubscriptionStatus } from '../../api';
import { t } from '../../utils/getTranslation';
import { FactList } from '../FactList';
import { STATUS_LABELS } from './SubscriptionStatusBadge';

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

/** A value shown as code (ids, hashes, user agents), or a dash. */
export const code = (value: string | null | undefined) =>
  value ? (
    <Typography tag="code" style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
      {value}
    </Typography>
  ) : (
    '–'
  );

/**
 * One consent event of a newsletter address with its evidence: when, from which IP prefix and
 * user agent, under which privacy policy, and for the request the confirmation message exactly as
 * sent. The message's text opens on demand, or is shown at once when `expanded` (the evidence
 * file, which must print it).
 */
export const SubscriptionEventCard = ({ event, source, expanded = false }: { event: SubscriptionEvent; source: string | null; expanded?: boolean }) => {
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
      event.policy
        ? formatMessage(t('policies.slugVersion', '{slug}, version {version}'), { slug: event.policy.slug, version: event.policy.version })
        : formatMessage(t('newsletter.event.policy.none', 'None recorded')),
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
  const previous = typeof evidence.previousStatus === 'string' ? (evidence.previousStatus as SubscriptionStatus) : null;
  if (previous) facts.push([t('newsletter.event.previousStatus', 'Status before'), STATUS_LABELS[previous] ? formatMessage(STATUS_LABELS[previous]) : previous]);

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
                <details open={expanded}>
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
