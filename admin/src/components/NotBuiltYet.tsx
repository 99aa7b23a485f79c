import { EmptyStateLayout } from '@strapi/design-system';
import { EmptyDocuments } from '@strapi/icons/symbols';
import { type MessageDescriptor, useIntl } from 'react-intl';

import { getTranslation } from '../utils/getTranslation';

/**
 * What an area shows until its feature is built: a plain statement of what will appear here.
 * Never sample rows or made-up numbers: a data-protection officer must be able to trust that
 * whatever this plugin displays was actually recorded.
 */
export const NotBuiltYet = ({ id, planned }: { id: string; planned: MessageDescriptor }) => {
  const { formatMessage } = useIntl();
  return (
    <div data-testid={`privacy-centre-not-built-${id}`}>
      <EmptyStateLayout
        icon={<EmptyDocuments width="16rem" />}
        content={formatMessage(
          { id: getTranslation('notBuilt.content'), defaultMessage: 'Not available yet. {planned}' },
          { planned: formatMessage(planned) }
        )}
      />
    </div>
  );
};
