import { Badge, Box, Flex, Typography } from '@strapi/design-system';
import { WarningCircle } from '@strapi/icons';
import { useIntl } from 'react-intl';

import type { PolicyIntegrity } from '../../api';
import { t } from '../../utils/getTranslation';

export const INTEGRITY_BROKEN = t('policies.integrity.broken', 'Integrity broken');

/**
 * Shown beside the status of a version whose stored content no longer matches its hash; nothing
 * for an intact version or a draft.
 */
export const IntegrityBadge = ({ integrity }: { integrity: PolicyIntegrity | undefined }) => {
  const { formatMessage } = useIntl();
  if (integrity !== 'broken') return null;
  return (
    <Badge variant="danger" data-testid="privacy-centre-policy-integrity-broken">
      {formatMessage(INTEGRITY_BROKEN)}
    </Badge>
  );
};

/** What a broken integrity means for one version, and what to do about it. */
export const IntegrityNotice = () => {
  const { formatMessage } = useIntl();
  return (
    <Box
      background="danger100"
      borderColor="danger200"
      borderStyle="solid"
      borderWidth="1px"
      hasRadius
      padding={5}
      data-testid="privacy-centre-policy-integrity-notice"
    >
      <Flex gap={3} alignItems="flex-start">
        <Box paddingTop={1}>
          <WarningCircle aria-hidden width="2rem" height="2rem" fill="danger600" />
        </Box>
        <Flex direction="column" alignItems="flex-start" gap={1}>
          <Typography fontWeight="bold" textColor="danger700" tag="p">
            {formatMessage(INTEGRITY_BROKEN)}
          </Typography>
          <Typography textColor="neutral800" tag="p">
            {formatMessage(
              t(
                'policies.integrity.notice',
                'Its stored content no longer matches the seal (hash and signature) made at publication, so the public routes refuse to serve it. It was changed outside the plugin, for example from a SQL console: restore it from a backup.'
              )
            )}
          </Typography>
        </Flex>
      </Flex>
    </Box>
  );
};
