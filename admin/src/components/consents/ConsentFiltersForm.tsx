import * as React from 'react';
import { Box, Button, Field, Flex, Grid, SingleSelect, SingleSelectOption, TextInput } from '@strapi/design-system';
import { Filter } from '@strapi/icons';
import { type MessageDescriptor, useIntl } from 'react-intl';

import type { ConsentFilters } from '../../api';
import { t } from '../../utils/getTranslation';
import { Panel } from '../Panel';

/** A design-system select cannot hold an empty value: "any" stands for no filter. */
const ANY = 'any';

export const ACTION_LABELS: Record<string, MessageDescriptor> = {
  given: t('consents.action.given', 'Given'),
  updated: t('consents.action.updated', 'Updated'),
  withdrawn: t('consents.action.withdrawn', 'Withdrawn'),
};

interface ConsentFiltersFormProps {
  applied: ConsentFilters;
  /** Category keys seen in the records, offered as suggestions. */
  categoryKeys: string[];
  onApply: (filters: ConsentFilters) => void;
}

/**
 * The consent log's filters. They apply when sent (not at each keystroke): the server counts
 * every matching record for the pagination, which is worth doing once per question.
 */
export const ConsentFiltersForm = ({ applied, categoryKeys, onApply }: ConsentFiltersFormProps) => {
  const { formatMessage } = useIntl();
  const [filters, setFilters] = React.useState<ConsentFilters>(applied);
  React.useEffect(() => setFilters(applied), [applied]);
  const set = (patch: Partial<ConsentFilters>) => setFilters((all) => ({ ...all, ...patch }));
  const select = (key: 'action' | 'granted' | 'gpc') => ({
    value: filters[key] || ANY,
    onChange: (value: string | number) => set({ [key]: value === ANY ? '' : String(value) }),
  });
  const any = formatMessage(t('consents.filter.any', 'Any'));

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const cleaned = Object.fromEntries(Object.entries(filters).filter(([, value]) => value)) as ConsentFilters;
    if (!cleaned.category) delete cleaned.granted;
    onApply(cleaned);
  };

  return (
    <Panel tag="section" aria-label={formatMessage(t('consents.filters', 'Filters'))}>
      <form onSubmit={submit} noValidate data-testid="privacy-centre-consent-filters">
        <Grid.Root gap={4}>
          <Grid.Item col={3} s={6} xs={12} direction="column" alignItems="stretch">
            <Field.Root name="from">
              <Field.Label>{formatMessage(t('consents.filter.from', 'From (day)'))}</Field.Label>
              <TextInput type="date" value={filters.from ?? ''} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set({ from: e.target.value })} />
            </Field.Root>
          </Grid.Item>
          <Grid.Item col={3} s={6} xs={12} direction="column" alignItems="stretch">
            <Field.Root name="to">
              <Field.Label>{formatMessage(t('consents.filter.to', 'To (day, included)'))}</Field.Label>
              <TextInput type="date" value={filters.to ?? ''} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set({ to: e.target.value })} />
            </Field.Root>
          </Grid.Item>
          <Grid.Item col={3} s={6} xs={12} direction="column" alignItems="stretch">
            <Field.Root name="action">
              <Field.Label>{formatMessage(t('consents.filter.action', 'Action'))}</Field.Label>
              <SingleSelect {...select('action')}>
                <SingleSelectOption value={ANY}>{any}</SingleSelectOption>
                {Object.entries(ACTION_LABELS).map(([value, label]) => (
                  <SingleSelectOption key={value} value={value}>
                    {formatMessage(label)}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
            </Field.Root>
          </Grid.Item>
          <Grid.Item col={3} s={6} xs={12} direction="column" alignItems="stretch">
            <Field.Root name="revision" hint={formatMessage(t('consents.filter.revision.hint', 'The cookie declaration revision shown.'))}>
              <Field.Label>{formatMessage(t('consents.filter.revision', 'Declaration revision'))}</Field.Label>
              <TextInput
                type="number"
                min={1}
                value={filters.revision ?? ''}
                onChange={(e: React.ChangeEvent<HTMLInputElement>) => set({ revision: e.target.value })}
              />
              <Field.Hint />
            </Field.Root>
          </Grid.Item>
          <Grid.Item col={3} s={6} xs={12} direction="column" alignItems="stretch">
            <Field.Root name="category">
              <Field.Label>{formatMessage(t('consents.filter.category', 'Category'))}</Field.Label>
              <TextInput
                value={filters.category ?? ''}
                list="privacy-centre-consent-categories"
                placeholder={formatMessage(t('consents.filter.category.placeholder', 'e.g. statistics'))}
                onChange={(e: React.ChangeEvent<HTMLInputElement>) => set({ category: e.target.value.trim() })}
              />
              <datalist id="privacy-centre-consent-categories">
                {categoryKeys.map((key) => (
                  <option key={key} value={key} />
                ))}
              </datalist>
            </Field.Root>
          </Grid.Item>
          <Grid.Item col={3} s={6} xs={12} direction="column" alignItems="stretch">
            <Field.Root name="granted" hint={filters.category ? undefined : formatMessage(t('consents.filter.granted.hint', 'Choose a category first.'))}>
              <Field.Label>{formatMessage(t('consents.filter.granted', 'That category was'))}</Field.Label>
              <SingleSelect {...select('granted')} disabled={!filters.category}>
                <SingleSelectOption value={ANY}>{any}</SingleSelectOption>
                <SingleSelectOption value="true">{formatMessage(t('consents.granted', 'Granted'))}</SingleSelectOption>
                <SingleSelectOption value="false">{formatMessage(t('consents.refused', 'Refused'))}</SingleSelectOption>
              </SingleSelect>
              <Field.Hint />
            </Field.Root>
          </Grid.Item>
          <Grid.Item col={3} s={6} xs={12} direction="column" alignItems="stretch">
            <Field.Root name="gpc">
              <Field.Label>{formatMessage(t('consents.filter.gpc', 'Global Privacy Control signal'))}</Field.Label>
              <SingleSelect {...select('gpc')}>
                <SingleSelectOption value={ANY}>{any}</SingleSelectOption>
                <SingleSelectOption value="true">{formatMessage(t('consents.gpc.sent', 'Sent'))}</SingleSelectOption>
                <SingleSelectOption value="false">{formatMessage(t('consents.gpc.notSent', 'Not sent'))}</SingleSelectOption>
              </SingleSelect>
            </Field.Root>
          </Grid.Item>
          <Grid.Item col={3} s={6} xs={12} direction="column" alignItems="stretch">
            <Box paddingTop={6}>
              <Flex gap={2}>
                <Button type="submit" startIcon={<Filter />} data-testid="privacy-centre-consent-filters-apply">
                  {formatMessage(t('consents.filter.apply', 'Apply filters'))}
                </Button>
                <Button variant="tertiary" onClick={() => onApply({})} disabled={Object.keys(applied).length === 0}>
                  {formatMessage(t('consents.filter.reset', 'Reset'))}
                </Button>
              </Flex>
            </Box>
          </Grid.Item>
        </Grid.Root>
      </form>
    </Panel>
  );
};
