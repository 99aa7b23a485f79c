import { Box, Tabs } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { PolicyLocaleContent, PolicyVersion } from '../../api';
import { t } from '../../utils/getTranslation';
import { PolicyDiff } from './PolicyDiff';
import { PolicyPreview } from './PolicyPreview';

interface VersionTabsProps {
  /** The first tab: a version's own text (`content`), or the live preview of a draft being edited. */
  first: 'content' | 'preview';
  content: PolicyLocaleContent;
  locale: string;
  inForce: PolicyVersion | null;
}

/** The text of one translation as visitors will see it, and its changes against the version in force. */
export const VersionTabs = ({ first, content, locale, inForce }: VersionTabsProps) => {
  const { formatMessage } = useIntl();
  return (
    <Tabs.Root defaultValue={first}>
      <Tabs.List aria-label={formatMessage(t('policies.tabs', 'Views of this version'))}>
        <Tabs.Trigger value={first}>
          {formatMessage(first === 'content' ? t('policies.tab.content', 'Content') : t('policies.tab.preview', 'Preview'))}
        </Tabs.Trigger>
        <Tabs.Trigger value="diff">
          {inForce
            ? formatMessage(t('policies.tab.diff', 'Changes since version {version}'), { version: inForce.version })
            : formatMessage(t('policies.tab.diffNone', 'Changes'))}
        </Tabs.Trigger>
      </Tabs.List>
      <Tabs.Content value={first}>
        <Box paddingTop={4}>
          <PolicyPreview content={content} locale={locale} />
        </Box>
      </Tabs.Content>
      <Tabs.Content value="diff">
        <Box paddingTop={4}>
          <PolicyDiff inForce={inForce} content={content} locale={locale} />
        </Box>
      </Tabs.Content>
    </Tabs.Root>
  );
};
