import * as React from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';
import { WarningCircle } from '@strapi/icons';
import { useIntl } from 'react-intl';

import { t } from '../../utils/getTranslation';
import { FactList } from '../FactList';
import { Panel } from '../Panel';

/** A warning that stays on screen while its cause does (Alert would offer a close button that could not close it). */
const Warning = ({ testId, children }: { testId: string; children: React.ReactNode }) => (
  <Box padding={4} hasRadius background="warning100" borderColor="warning200" borderStyle="solid" borderWidth="1px" role="status" data-testid={testId}>
    <Flex gap={3} alignItems="flex-start">
      <Box color="warning600" aria-hidden>
        <WarningCircle />
      </Box>
      <Typography>{children}</Typography>
    </Flex>
  </Box>
);

/**
 * The headers a visitor's location is read from (config/plugins.ts, read-only here: a browser can
 * send any header, so only the ones the site's proxy sets may be trusted, and that is a deploy
 * decision). Without a country header the table is never consulted.
 */
export const RegionHeadersPanel = ({ countryHeaders, regionHeaders }: { countryHeaders: string[]; regionHeaders: string[] }) => {
  const { formatMessage } = useIntl();
  const none = formatMessage(t('regions.headers.none', 'None'));
  return (
    <Panel tag="section" aria-labelledby="privacy-centre-regions-headers-title" data-testid="privacy-centre-regions-headers">
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Flex direction="column" alignItems="stretch" gap={1}>
          <Typography variant="delta" tag="h2" id="privacy-centre-regions-headers-title">
            {formatMessage(t('regions.headers.title', 'Trusted location headers'))}
          </Typography>
          <Typography variant="pi" textColor="neutral600">
            {formatMessage(
              t(
                'regions.headers.hint',
                'From config/plugins.ts (regions.countryHeaders and regions.regionHeaders); they change only when the server is redeployed. Only these headers are read: name only headers your proxy or CDN sets and overwrites, since a browser can send any header.'
              )
            )}
          </Typography>
        </Flex>
        <FactList
          facts={[
            [t('regions.headers.country', 'Country headers'), <span data-testid="privacy-centre-regions-country-headers">{countryHeaders.join(', ') || none}</span>],
            [t('regions.headers.region', 'Subdivision headers'), <span data-testid="privacy-centre-regions-region-headers">{regionHeaders.join(', ') || none}</span>],
          ]}
        />
        {countryHeaders.length === 0 && (
          <Warning testId="privacy-centre-regions-no-headers">
            {formatMessage(
              t(
                'regions.headers.missing',
                'No trusted country header is configured: every visitor gets the default jurisdiction, whatever the table says. Name the header your proxy sets (for example CF-IPCountry) in regions.countryHeaders.'
              )
            )}
          </Warning>
        )}
        {countryHeaders.length > 0 && regionHeaders.length === 0 && (
          <Warning testId="privacy-centre-regions-no-region-headers">
            {formatMessage(
              t(
                'regions.headers.regionMissing',
                'No subdivision header is configured: entries such as US-CA never match, and visitors get their country’s entry or the default jurisdiction.'
              )
            )}
          </Warning>
        )}
      </Flex>
    </Panel>
  );
};
