import { type MessageDescriptor, useIntl } from 'react-intl';

import { t } from '../utils/getTranslation';
import { EmptyState } from './EmptyState';

/**
 * What an area shows until its feature is built: a plain statement of what will appear here.
 * Never sample rows or made-up numbers: a data-protection officer must be able to trust that
 * whatever this plugin displays was actually recorded.
 */
export const NotBuiltYet = ({ id, planned }: { id: string; planned: MessageDescriptor }) => {
  const { formatMessage } = useIntl();
  return (
    <EmptyState
      testId={`privacy-centre-not-built-${id}`}
      content={formatMessage(t('notBuilt.content', 'Not available yet. {planned}'), { planned: formatMessage(planned) })}
    />
  );
};
