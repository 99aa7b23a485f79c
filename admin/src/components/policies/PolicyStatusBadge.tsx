import { Badge } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { PolicyStatus } from '../../api';
import { t } from '../../utils/getTranslation';

/** Badge colour per status; the text always names the status, so colour is never the only cue. */
const VARIANT: Record<PolicyStatus, 'neutral' | 'warning' | 'success' | 'secondary' | 'danger'> = {
  draft: 'secondary',
  scheduled: 'warning',
  'in-force': 'success',
  superseded: 'neutral',
  withdrawn: 'danger',
};

export const STATUS_LABELS: Record<PolicyStatus, ReturnType<typeof t>> = {
  draft: t('policies.status.draft', 'Draft'),
  scheduled: t('policies.status.scheduled', 'Scheduled'),
  'in-force': t('policies.status.in-force', 'In force'),
  superseded: t('policies.status.superseded', 'Superseded'),
  withdrawn: t('policies.status.withdrawn', 'Withdrawn'),
};

export const PolicyStatusBadge = ({ status }: { status: PolicyStatus }) => {
  const { formatMessage } = useIntl();
  return (
    <Badge variant={VARIANT[status]} data-testid="privacy-centre-policy-status" data-status={status}>
      {formatMessage(STATUS_LABELS[status])}
    </Badge>
  );
};
