import * as React from 'react';
import { Box } from '@strapi/design-system';

type PanelProps = React.ComponentProps<typeof Box>;

/** A white card on the page's grey background: the plugin's unit of content. */
export const Panel = (props: PanelProps) => <Box background="neutral0" hasRadius shadow="filterShadow" padding={6} {...props} />;
