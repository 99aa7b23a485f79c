import { Box, Flex, Typography } from '@strapi/design-system';
import { type MessageDescriptor, useIntl } from 'react-intl';

import type { DeclarationChanges } from '../../api';
import { t } from '../../utils/getTranslation';
import { Panel } from '../Panel';

const KINDS: ReadonlyArray<['added' | 'removed' | 'changed', MessageDescriptor, 'success600' | 'danger600' | 'warning600']> = [
  ['added', t('cookies.changes.added', 'Added'), 'success600'],
  ['removed', t('cookies.changes.removed', 'Removed'), 'danger600'],
  ['changed', t('cookies.changes.changed', 'Changed'), 'warning600'],
];

/**
 * What the next revision would change for visitors: the categories and cookies added, removed
 * or changed since the latest published revision (or everything, before the first one).
 */
export const ChangesPanel = ({ changes }: { changes: DeclarationChanges }) => {
  const { formatMessage } = useIntl();
  const groups: Array<[MessageDescriptor, DeclarationChanges['categories'], string]> = [
    [t('cookies.changes.categories', 'Categories'), changes.categories, 'categories'],
    [t('cookies.changes.cookies', 'Cookies'), changes.cookies, 'cookies'],
  ];
  return (
    <Panel tag="section" aria-labelledby="privacy-centre-cookies-changes-title" data-testid="privacy-centre-cookies-changes" data-changed={changes.changed}>
      <Flex direction="column" alignItems="stretch" gap={3}>
        <Typography variant="delta" tag="h2" id="privacy-centre-cookies-changes-title">
          {changes.since === null
            ? formatMessage(t('cookies.changes.titleFirst', 'Not published yet'))
            : formatMessage(t('cookies.changes.title', 'Changes since revision {revision}'), { revision: changes.since })}
        </Typography>
        {!changes.changed ? (
          <Typography textColor="neutral600" tag="p" data-testid="privacy-centre-cookies-unchanged">
            {changes.since === null
              ? formatMessage(t('cookies.changes.nothingFirst', 'There is nothing to publish yet: add a category first.'))
              : formatMessage(t('cookies.changes.none', 'Nothing has changed since revision {revision}: visitors see what you see here.'), {
                  revision: changes.since,
                })}
          </Typography>
        ) : (
          <Flex gap={8} alignItems="flex-start" wrap="wrap">
            {groups.map(([label, lists, id]) => (
              <Box key={id} data-testid={`privacy-centre-cookies-changes-${id}`}>
                <Typography variant="sigma" textColor="neutral600" tag="h3">
                  {formatMessage(label)}
                </Typography>
                {KINDS.every(([kind]) => lists[kind].length === 0) ? (
                  <Typography textColor="neutral600" tag="p">
                    {formatMessage(t('cookies.changes.groupNone', 'No change'))}
                  </Typography>
                ) : (
                  <dl>
                    {KINDS.filter(([kind]) => lists[kind].length > 0).map(([kind, kindLabel, colour]) => (
                      <Flex key={kind} gap={2} alignItems="baseline" paddingTop={1} data-testid={`privacy-centre-cookies-changes-${id}-${kind}`}>
                        <Typography tag="dt" fontWeight="semiBold" textColor={colour}>
                          {formatMessage(kindLabel)}:
                        </Typography>
                        <Typography tag="dd" textColor="neutral800">
                          {lists[kind].join(', ')}
                        </Typography>
                      </Flex>
                    ))}
                  </dl>
                )}
              </Box>
            ))}
          </Flex>
        )}
      </Flex>
    </Panel>
  );
};
