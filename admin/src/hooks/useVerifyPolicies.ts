import * as React from 'react';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { API, type PolicyVerification, type PolicyVerificationResponse } from '../api';
import { t } from '../utils/getTranslation';
import { useApiAction } from './useApi';

/**
 * Re-hashes every frozen version on the server (`POST /policies/verify`, needs `policies.read`;
 * the server records it in the audit log). All intact: a success notification. Anything broken:
 * `report` holds the verification until dismissed or verified again. Either way `onVerified`
 * runs, so the list shows each version's integrity as just found.
 */
export const useVerifyPolicies = (onVerified: () => void) => {
  const { formatMessage } = useIntl();
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { isBusy, run } = useApiAction();
  const [report, setReport] = React.useState<PolicyVerification | null>(null);

  const verify = () =>
    run(async () => {
      const { data } = await post<PolicyVerificationResponse>(API.policyVerify);
      const verification = data.data;
      if (
        verification.broken.length > 0 ||
        verification.missing.length > 0 ||
        verification.missingRevisions.length > 0 ||
        verification.missingConsentRecords !== null
      ) {
        setReport(verification);
      } else {
        setReport(null);
        toggleNotification({
          type: 'success',
          message: formatMessage(
            t('policies.verify.ok', '{checked, plural, =0 {No published version to check} one {# version checked, intact} other {# versions checked, all intact}}'),
            { checked: verification.checked }
          ),
        });
      }
      onVerified();
    });

  return { verify, isVerifying: isBusy, report, dismiss: () => setReport(null) };
};
