import { Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import { t } from '../../utils/getTranslation';

/** Where a translation's text would be, for a locale the version does not have. */
export const NoTranslation = ({ locale }: { locale: string }) => {
  const { formatMessage } = useIntl();
  return (
    <Typography textColor="neutral600">
      {formatMessage(t('policies.locale.missing', 'This version has no {locale} translation.'), { locale })}
    </Typography>
  );
};
