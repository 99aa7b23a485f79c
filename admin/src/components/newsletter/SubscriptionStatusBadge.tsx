import { Badge } from '@strapi/design-system';
import { type MessageDescriptor, useIntl } from 'react-intl';

import type { SubscriptionStatus } from '../../api';
import { t } from '../../utils/getTranslation';

export const STATUS_LABELS: Record<SubscriptionStatus, MessageDescriptor> = {
  pending: t('newsletter.status.pending', 'Pending'),
  subscribed: t('newsletter.status.subscribed', 'Subscribed'),
  unsubscribed: t('newsletter.status.unsubscribed', 'Unsubscribed'),
};

const VARIANTS: Record<SubscriptionStatus, 'warning' | 'success' | 'neutral'> = {
  pending: 'warning',
  subscribed: 'success',
  unsubscribed: 'neutral',
};

export const SubscriptionStatusBadge = ({ status }: { status: SubscriptionStatus }) => {
  const { formatMessage } = useIntl();
  return (
    <Badge variant={VARIANTS[status] ?? 'neutral'} data-testid="privacy-centre-subscription-status" data-status={status}>
      {STATUS_LABELS[status] ? formatMessage(STATUS_LABELS[status]) : status}
    </Badge>
  );
};
