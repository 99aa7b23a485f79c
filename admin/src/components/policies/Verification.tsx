import { Box, Button, Flex, IconButton, Link as DSLink, Typography } from '@strapi/design-system';
import { Cross, SealCheck, WarningCircle } from '@strapi/icons';
import { useIntl } from 'react-intl';
import { NavLink } from 'react-router-dom';

import type { PolicyVerification } from '../../api';
import { versionPath } from '../../pages/routes';
import { t } from '../../utils/getTranslation';

export const VerifyButton = ({ isVerifying, onClick }: { isVerifying: boolean; onClick: () => void }) => {
  const { formatMessage } = useIntl();
  return (
    <Button variant="secondary" startIcon={<SealCheck />} loading={isVerifying} onClick={onClick} data-testid="privacy-centre-verify">
      {formatMessage(t('policies.verify', 'Verify all versions'))}
    </Button>
  );
};

interface VerificationReportProps {
  /** A verification that found at least one broken version. */
  verification: PolicyVerification;
  onClose: () => void;
}

/**
 * The versions a verification found broken, each linked to its page (which explains what to
 * do). It stays until closed or the next verification, so the list can be worked through.
 */
export const VerificationReport = ({
  verification: { checked, broken, missing, missingRevisions, missingConsentRecords, verifiedAt },
  onClose,
}: VerificationReportProps) => {
  const { formatMessage, formatDate } = useIntl();
  return (
    <Box
      background="danger100"
      borderColor="danger200"
      borderStyle="solid"
      borderWidth="1px"
      hasRadius
      padding={5}
      role="alert"
      data-testid="privacy-centre-verify-report"
    >
      <Flex gap={3} alignItems="flex-start">
        <Box paddingTop={1}>
          <WarningCircle aria-hidden width="2rem" height="2rem" fill="danger600" />
        </Box>
        <Flex direction="column" alignItems="flex-start" gap={2} grow={1}>
          <Typography fontWeight="bold" textColor="danger700" tag="p">
            {broken.length > 0 && formatMessage(
              t('policies.verify.broken.title', 'Integrity broken in {count, plural, one {# version} other {# versions}} of {checked} checked'),
              { count: broken.length, checked }
            )}
            {broken.length === 0 && missing.length > 0 && formatMessage(t('policies.verify.missing.title', 'Versions are missing from a policy'))}
            {broken.length === 0 && missing.length === 0 && formatMessage(t('policies.verify.wiped.title', 'Published records are missing'))}
          </Typography>
          <Typography textColor="neutral800" tag="p">
            {formatMessage(
              t(
                'policies.verify.broken.body',
                'Their stored content no longer matches the seal (hash and signature) made at publication, so the public routes refuse to serve them. They were changed outside the plugin, for example from a SQL console: restore them from a backup.'
              )
            )}
          </Typography>
          <ul style={{ listStyle: 'disc', paddingLeft: '2rem' }}>
            {broken.map((v) => (
              <li key={v.documentId}>
                <DSLink tag={NavLink} to={versionPath(v.documentId)}>
                  {formatMessage(t('policies.verify.broken.item', '{slug}, version {version}'), { slug: v.slug, version: v.version ?? '–' })}
                </DSLink>
              </li>
            ))}
            {missing.map((v) => (
              <li key={`${v.slug}-${v.version}`} data-testid="privacy-centre-verify-missing">
                {formatMessage(t('policies.verify.missing.item', '{slug}, version {version}: missing (deleted below the plugin)'), v)}
              </li>
            ))}
            {missingRevisions.map((revision) => (
              <li key={`revision-${revision}`} data-testid="privacy-centre-verify-missing-revision">
                {formatMessage(t('policies.verify.missingRevision.item', 'Cookie declaration revision {revision}: missing (deleted below the plugin)'), { revision })}
              </li>
            ))}
            {missingConsentRecords && (
              <li data-testid="privacy-centre-verify-missing-consents">
                {formatMessage(
                  t('policies.verify.missingConsents.item', 'Consent records: the newest one seen (given on {date}) is gone; records were deleted below the plugin'),
                  { date: formatDate(missingConsentRecords.newestKnownGivenAt, { dateStyle: 'long', timeStyle: 'short' }) }
                )}
              </li>
            )}
          </ul>
          <Typography variant="pi" textColor="neutral600" tag="p">
            {formatMessage(t('policies.verify.verifiedAt', 'Verified on {date}.'), {
              date: formatDate(verifiedAt, { dateStyle: 'long', timeStyle: 'medium' }),
            })}
          </Typography>
        </Flex>
        <IconButton label={formatMessage(t('common.close', 'Close'))} variant="ghost" onClick={onClose}>
          <Cross />
        </IconButton>
      </Flex>
    </Box>
  );
};
