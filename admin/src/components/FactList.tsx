import * as React from 'react';
import { Grid, Typography } from '@strapi/design-system';
import { type MessageDescriptor, useIntl } from 'react-intl';

/** Labelled values in a responsive grid, as a description list (<dl>): a record's facts, a configuration. */
export const FactList = ({ facts }: { facts: ReadonlyArray<readonly [MessageDescriptor, React.ReactNode]> }) => {
  const { formatMessage } = useIntl();
  return (
    <Grid.Root gap={4} tag="dl">
      {facts.map(([label, value]) => (
        <Grid.Item key={label.id} col={4} s={6} xs={12} direction="column" alignItems="flex-start" gap={1}>
          <Typography variant="sigma" textColor="neutral600" tag="dt">
            {formatMessage(label)}
          </Typography>
          <Typography tag="dd">{value}</Typography>
        </Grid.Item>
      ))}
    </Grid.Root>
  );
};
