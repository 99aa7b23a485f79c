import { Box, Divider, Flex } from '@strapi/design-system';
import { SubNav } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { useAllowedActions } from '../hooks/useAllowedActions';
import { AREA_PAGES, BASE_PATH } from '../pages/routes';
import { getTranslation } from '../utils/getTranslation';

/**
 * The plugin's side navigation. It lists only the areas the admin may read, so nobody is led
 * to a page that would answer "no permission"; the pages are still guarded by Page.Protect,
 * because a URL can be typed by hand.
 */
export const PrivacyNav = () => {
  const { formatMessage } = useIntl();
  const { can, isLoading } = useAllowedActions();
  const title = formatMessage({ id: getTranslation('plugin.name'), defaultMessage: 'Privacy Centre' });
  const links = [
    {
      key: 'overview',
      to: BASE_PATH,
      label: formatMessage({ id: getTranslation('page.overview.title'), defaultMessage: 'Overview' }),
    },
    ...(isLoading ? [] : AREA_PAGES.filter(({ area }) => can(area, 'read'))).map(({ area, path, label }) => ({
      key: area,
      to: `${BASE_PATH}/${path}`,
      label: formatMessage(label),
    })),
  ];

  return (
    <SubNav.Main aria-label={title} data-testid="privacy-centre-nav">
      <SubNav.Header label={title} />
      <Divider />
      <SubNav.Content>
        {/* One flat list: the plugin has few pages, so SubNav.Section headings would add noise. */}
        <Box paddingTop={4} paddingBottom={4}>
          <Flex tag="ul" direction="column" alignItems="stretch" gap={1}>
            {links.map(({ key, to, label }) => (
              <li key={key}>
                {/* `end` keeps the overview link from staying active on every sub-page. */}
                <SubNav.Link to={to} end={key === 'overview'} label={label} data-testid={`privacy-centre-nav-${key}`} />
              </li>
            ))}
          </Flex>
        </Box>
      </SubNav.Content>
    </SubNav.Main>
  );
};
