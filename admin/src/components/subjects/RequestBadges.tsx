import { Badge, Flex, Typography } from '@strapi/design-system';
import { type MessageDescriptor, useIntl } from 'react-intl';

import type { DataSubjectRequest, DataSubjectRequestStatus, DataSubjectRequestType } from '../../api';
import { calendarDaysUntil } from '../../utils/dates';
import { t } from '../../utils/getTranslation';

export const TYPE_LABELS: Record<DataSubjectRequestType, MessageDescriptor> = {
  access: t('subjects.type.access', 'Access (Art. 15)'),
  portability: t('subjects.type.portability', 'Portability (Art. 20)'),
  erasure: t('subjects.type.erasure', 'Erasure (Art. 17)'),
  rectification: t('subjects.type.rectification', 'Rectification (Art. 16)'),
  objection: t('subjects.type.objection', 'Objection (Art. 21)'),
  'opt-out-sale-share': t('subjects.type.optOutSaleShare', 'Opt-out of sale or sharing (CCPA § 1798.120)'),
  'limit-sensitive': t('subjects.type.limitSensitive', 'Limit use of sensitive information (CCPA § 1798.121)'),
};

export const REQUEST_STATUS_LABELS: Record<DataSubjectRequestStatus, MessageDescriptor> = {
  received: t('subjects.status.received', 'Received'),
  verified: t('subjects.status.verified', 'Identity verified'),
  'in-progress': t('subjects.status.inProgress', 'In progress'),
  completed: t('subjects.status.completed', 'Completed'),
  refused: t('subjects.status.refused', 'Refused'),
};

const STATUS_VARIANTS: Record<DataSubjectRequestStatus, 'secondary' | 'warning' | 'success' | 'neutral' | 'danger'> = {
  received: 'secondary',
  verified: 'secondary',
  'in-progress': 'warning',
  completed: 'success',
  refused: 'neutral',
};

export const ORIGIN_LABELS: Record<DataSubjectRequest['origin'], MessageDescriptor> = {
  admin: t('subjects.origin.admin', 'Registered by an administrator'),
  'self-service': t('subjects.origin.selfService', 'Self-service (confirmed by e-mail link)'),
  'do-not-sell': t('subjects.origin.doNotSell', 'The "Do Not Sell or Share" page (an opt-out needs no verification)'),
};

export const isOpen = (request: Pick<DataSubjectRequest, 'status'>) => request.status !== 'completed' && request.status !== 'refused';

/** The label of a known code, or the code itself (a newer server may know more). */
export const labelOf = (labels: Record<string, MessageDescriptor>, key: string, format: (m: MessageDescriptor) => string) =>
  labels[key] ? format(labels[key]) : key;

/** The request's status in words; a self-service request waiting for an administrator says so too. */
export const RequestStatusBadge = ({ request }: { request: DataSubjectRequest }) => {
  const { formatMessage } = useIntl();
  return (
    <Flex gap={1} wrap="wrap" tag="span">
      <Badge variant={STATUS_VARIANTS[request.status] ?? 'neutral'} data-testid="privacy-centre-request-status" data-status={request.status}>
        {labelOf(REQUEST_STATUS_LABELS, request.status, formatMessage)}
      </Badge>
      {request.awaitingApproval && (
        <Badge variant="warning" data-testid="privacy-centre-request-awaiting-approval">
          {formatMessage(t('subjects.awaitingApproval', 'Awaiting approval'))}
        </Badge>
      )}
    </Flex>
  );
};

/**
 * The due date, and how far it is: an overdue request is marked in words and in colour (the
 * colour only repeats the words); a closed one shows its due date plainly.
 */
export const DueDate = ({ request }: { request: DataSubjectRequest }) => {
  const { formatMessage, formatDate } = useIntl();
  const date = formatDate(request.dueAt, { dateStyle: 'medium' });
  if (!isOpen(request)) return <Typography textColor="neutral600">{date}</Typography>;
  return (
    <Flex direction="column" alignItems="flex-start" gap={1} tag="span">
      <Typography textColor={request.overdue ? 'danger700' : 'neutral800'} fontWeight={request.overdue ? 'bold' : undefined}>
        {date}
      </Typography>
      {request.overdue ? (
        <Badge variant="danger" data-testid="privacy-centre-request-overdue">
          {formatMessage(t('subjects.overdue', 'Overdue'))}
        </Badge>
      ) : (
        <Typography variant="pi" textColor="neutral600">
          {formatMessage(t('subjects.dueIn', '{days, plural, =0 {due today} =1 {due tomorrow} other {due in # days}}'), {
            days: calendarDaysUntil(new Date(request.dueAt)),
          })}
        </Typography>
      )}
      {request.extendedAt && (
        <Typography variant="pi" textColor="neutral600">
          {formatMessage(t('subjects.extended', 'extended'))}
        </Typography>
      )}
      <AcknowledgeBy request={request} />
    </Flex>
  );
};

/**
 * The acknowledgement deadline, where the jurisdiction sets one (CCPA: 10 business days): when
 * it was acknowledged, or by when it must be; past that unacknowledged, marked as overdue.
 */
export const AcknowledgeBy = ({ request }: { request: DataSubjectRequest }) => {
  const { formatMessage, formatDate } = useIntl();
  if (!request.acknowledgeBy) return null;
  if (request.acknowledgedAt) {
    return (
      <Typography variant="pi" textColor="neutral600" data-testid="privacy-centre-request-acknowledged">
        {formatMessage(t('subjects.acknowledgedAt', 'acknowledged on {date}'), { date: formatDate(request.acknowledgedAt, { dateStyle: 'medium' }) })}
      </Typography>
    );
  }
  if (!isOpen(request)) return null;
  return (
    <Flex direction="column" alignItems="flex-start" gap={1} tag="span" data-testid="privacy-centre-request-acknowledge-by">
      <Typography variant="pi" textColor={request.acknowledgementOverdue ? 'danger700' : 'neutral600'}>
        {formatMessage(t('subjects.acknowledgeBy', 'acknowledge by {date}'), { date: formatDate(request.acknowledgeBy, { dateStyle: 'medium' }) })}
      </Typography>
      {request.acknowledgementOverdue && (
        <Badge variant="danger" data-testid="privacy-centre-request-acknowledgement-overdue">
          {formatMessage(t('subjects.acknowledgementOverdue', 'Acknowledgement overdue'))}
        </Badge>
      )}
    </Flex>
  );
};
