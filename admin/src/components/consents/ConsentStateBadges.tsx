import { Badge, Flex } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import { t } from '../../utils/getTranslation';

/** Each category of a decision, granted or refused: said in words, the colour only repeats it. */
export const ConsentStateBadges = ({ state }: { state: Record<string, boolean> }) => {
  const { formatMessage } = useIntl();
  return (
    <Flex gap={1} wrap="wrap" tag="span">
      {Object.entries(state).map(([key, granted]) => (
        <Badge key={key} variant={granted ? 'success' : 'neutral'} data-testid="privacy-centre-consent-state" data-category={key} data-granted={granted}>
          {formatMessage(granted ? t('consents.state.granted', '{category}: granted') : t('consents.state.refused', '{category}: refused'), {
            category: key,
          })}
        </Badge>
      ))}
    </Flex>
  );
};
