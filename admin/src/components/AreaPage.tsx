import * as React from 'react';
import { Box } from '@strapi/design-system';
import { Layouts, Page } from '@strapi/strapi/admin';
import { type MessageDescriptor, useIntl } from 'react-intl';

interface AreaPageProps {
  /** Names the page for tests: the frame carries `data-testid="privacy-centre-page-<id>"`. */
  id: string;
  title: MessageDescriptor;
  subtitle: MessageDescriptor;
  primaryAction?: React.ReactNode;
  children: React.ReactNode;
}

/**
 * The frame every plugin page shares: document title, header with the page's heading (h1) and
 * subtitle, content. Keeping it in one place gives the e2e test one stable hook per page.
 */
export const AreaPage = ({ id, title, subtitle, primaryAction, children }: AreaPageProps) => {
  const { formatMessage } = useIntl();
  const heading = formatMessage(title);
  return (
    <Page.Main>
      <Page.Title>{heading}</Page.Title>
      <Box data-testid={`privacy-centre-page-${id}`}>
        <Layouts.Header title={heading} subtitle={formatMessage(subtitle)} primaryAction={primaryAction} />
        <Layouts.Content>{children}</Layouts.Content>
      </Box>
    </Page.Main>
  );
};
