import * as React from 'react';
import { Box, Button, Field, Flex, Grid, SingleSelect, SingleSelectOption, TextInput } from '@strapi/design-system';
import { Search } from '@strapi/icons';
import { useIntl } from 'react-intl';

import { SUBSCRIPTION_STATUSES, type SubscriptionFilters } from '../../api';
import { t } from '../../utils/getTranslation';
import { Panel } from '../Panel';
import { STATUS_LABELS } from './SubscriptionStatusBadge';

/** A design-system select cannot hold an empty value: "any" stands for no filter. */
const ANY = 'any';

/** Status, list and a part of the address; applied when sent, like the consent log's filters. */
export const SubscriptionFiltersForm = ({
  applied,
  lists,
  onApply,
}: {
  applied: SubscriptionFilters;
  lists: string[];
  onApply: (filters: SubscriptionFilters) => void;
}) => {
  const { formatMessage } = useIntl();
  const [filters, setFilters] = React.useState<SubscriptionFilters>(applied);
  React.useEffect(() => setFilters(applied), [applied]);
  const set = (patch: Partial<SubscriptionFilters>) => setFilters((all) => ({ ...all, ...patch }));
  const any = formatMessage(t('newsletter.filter.any', 'Any'));

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    onApply(Object.fromEntries(Object.entries(filters).map(([k, v]) => [k, (v ?? '').trim()]).filter(([, v]) => v)) as SubscriptionFilters);
  };

  return (
    <Panel tag="section" aria-label={formatMessage(t('newsletter.filters', 'Filters'))}>
      <form onSubmit={submit} noValidate data-testid="privacy-centre-subscription-filters">
        <Grid.Root gap={4}>
          <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
            <Field.Root name="q">
              <Field.Label>{formatMessage(t('newsletter.filter.q', 'E-mail address contains'))}</Field.Label>
              <TextInput
                type="search"
                value={filters.q ?? ''}
                maxLength={254}
                placeholder={formatMessage(t('newsletter.filter.q.placeholder', 'e.g. example.com'))}
                onChange={(e: React.ChangeEvent<HTMLInputElement>) => set({ q: e.target.value })}
              />
            </Field.Root>
          </Grid.Item>
          <Grid.Item col={3} s={6} xs={12} direction="column" alignItems="stretch">
            <Field.Root name="status">
              <Field.Label>{formatMessage(t('newsletter.filter.status', 'Status'))}</Field.Label>
              <SingleSelect value={filters.status || ANY} onChange={(value: string | number) => set({ status: value === ANY ? '' : String(value) })}>
                <SingleSelectOption value={ANY}>{any}</SingleSelectOption>
                {SUBSCRIPTION_STATUSES.map((status) => (
                  <SingleSelectOption key={status} value={status}>
                    {formatMessage(STATUS_LABELS[status])}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
            </Field.Root>
          </Grid.Item>
          <Grid.Item col={2} s={6} xs={12} direction="column" alignItems="stretch">
            <Field.Root name="list">
              <Field.Label>{formatMessage(t('newsletter.filter.list', 'List'))}</Field.Label>
              <SingleSelect value={filters.list || ANY} onChange={(value: string | number) => set({ list: value === ANY ? '' : String(value) })}>
                <SingleSelectOption value={ANY}>{any}</SingleSelectOption>
                {lists.map((list) => (
                  <SingleSelectOption key={list} value={list}>
                    {list}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
            </Field.Root>
          </Grid.Item>
          <Grid.Item col={3} s={12} direction="column" alignItems="stretch">
            <Box paddingTop={6}>
              <Flex gap={2}>
                <Button type="submit" startIcon={<Search />} data-testid="privacy-centre-subscription-filters-apply">
                  {formatMessage(t('newsletter.filter.apply', 'Search'))}
                </Button>
                <Button variant="tertiary" onClick={() => onApply({})} disabled={Object.keys(applied).length === 0}>
                  {formatMessage(t('newsletter.filter.reset', 'Reset'))}
                </Button>
              </Flex>
            </Box>
          </Grid.Item>
        </Grid.Root>
      </form>
    </Panel>
  );
};
