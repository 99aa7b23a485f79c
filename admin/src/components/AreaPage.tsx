import * as React from 'react';
import { Box } from '@strapi/design-system';
import { Layouts, Page } from '@strapi/strapi/admin';
import { type MessageDescriptor, useIntl } from 'react-intl';

interface AreaPageProps {
  /** Names the page for tests: the frame carries `data-testid="privacy-centre-page-<id>"`. */
  id: string;
  /** A message, or text already formatted (a page about one record names the record). */
  title: MessageDescriptor | string;
  subtitle: MessageDescriptor | string;
  primaryAction?: React.ReactNode;
  secondaryAction?: React.ReactNode;
  navigationAction?: React.ReactNode;
  children: React.ReactNode;
}

/**
 * The frame every plugin page shares: document title, header with the page's heading (h1) and
 * subtitle, content. Keeping it in one place gives the e2e test one stable hook per page.
 */
export const AreaPage = ({ id, title, subtitle, primaryAction, secondaryAction, navigationAction, children }: AreaPageProps) => {
  const { formatMessage } = useIntl();
  const format = (text: MessageDescriptor | string) => (typeof text === 'string' ? text : formatMessage(text));
  const heading = format(title);
  return (
    <Page.Main>
      <Page.Title>{heading}</Page.Title>
      <Box data-testid={`privacy-centre-page-${id}`}>
        <Layouts.Header
          title={heading}
          subtitle={format(subtitle)}
          primaryAction={primaryAction}
          secondaryAction={secondaryAction}
          navigationAction={navigationAction}
        />
        <Layouts.Content>{children}</Layouts.Content>
      </Box>
    </Page.Main>
  );
};
