import * as React from 'react';
import {
  Badge,
  Box,
  Button,
  Field,
  Flex,
  IconButton,
  SingleSelect,
  SingleSelectOption,
  Table,
  Tbody,
  Td,
  TextInput,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { Plus, Search, Trash } from '@strapi/icons';
import { useIntl } from 'react-intl';

import type { RegionJurisdiction, RegionTable } from '../../api';
import { t } from '../../utils/getTranslation';
import { areaChange, filterAreas, newAreaProblem, normaliseArea, removedDefaults } from '../../utils/regions';
import { Panel } from '../Panel';
import { jurisdictionLabel } from './RegionJurisdictionsPanel';

/** Rows shown at once: a table may hold thousands of subdivisions, the filter narrows them. */
const SHOWN = 200;

interface RegionAreasPanelProps {
  table: RegionTable;
  jurisdictions: RegionJurisdiction[];
  /** The plugin's default table, to mark what editors added or changed. */
  defaults: Record<string, string>;
  canUpdate: boolean;
  onChange: (next: RegionTable) => void;
}

/**
 * The areas table: an ISO 3166 country (DE) or subdivision (US-CA) → its jurisdiction. A
 * subdivision's entry wins over its country's. Filterable; entries can be added, changed and removed.
 */
export const RegionAreasPanel = ({ table, jurisdictions, defaults, canUpdate, onChange }: RegionAreasPanelProps) => {
  const { formatMessage } = useIntl();
  const [query, setQuery] = React.useState('');
  const [newArea, setNewArea] = React.useState('');
  const [newCode, setNewCode] = React.useState(jurisdictions[0]?.code ?? '');
  const [tried, setTried] = React.useState(false);

  const names = Object.fromEntries(jurisdictions.map((j) => [j.code, j.name]));
  const rows = filterAreas(table.areas, query, names);
  const removed = removedDefaults(table.areas, defaults);
  const area = normaliseArea(newArea);
  const problem = newAreaProblem(area, table.areas);
  const problemText =
    problem === 'pattern'
      ? formatMessage(t('regions.areas.add.pattern', 'Use an ISO 3166 code: a country such as DE, or a subdivision such as US-CA.'))
      : problem === 'exists'
        ? formatMessage(t('regions.areas.add.exists', '{area} is in the table already: change its jurisdiction below.'), { area })
        : undefined;

  const setArea = (key: string, code: string) => onChange({ ...table, areas: { ...table.areas, [key]: code } });
  const removeArea = (key: string) => {
    const areas = { ...table.areas };
    delete areas[key];
    onChange({ ...table, areas });
  };
  const add = (event: React.FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (problem || !names[newCode]) return;
    setArea(area, newCode);
    setNewArea('');
    setTried(false);
  };

  const jurisdictionOptions = jurisdictions.map((j) => (
    <SingleSelectOption key={j.code} value={j.code}>
      {jurisdictionLabel(j)}
    </SingleSelectOption>
  ));

  return (
    <Panel tag="section" aria-labelledby="privacy-centre-regions-areas-title" data-testid="privacy-centre-regions-areas">
      <Flex direction="column" alignItems="stretch" gap={5}>
        <Flex direction="column" alignItems="stretch" gap={1}>
          <Typography variant="delta" tag="h2" id="privacy-centre-regions-areas-title">
            {formatMessage(t('regions.areas.title', 'Areas'))}
          </Typography>
          <Typography variant="pi" textColor="neutral600">
            {formatMessage(
              t(
                'regions.areas.hint',
                'Each area is an ISO 3166 country (DE) or subdivision (US-CA); a subdivision’s entry wins over its country’s. A visitor from an area without an entry gets the default jurisdiction.'
              )
            )}
          </Typography>
        </Flex>

        {canUpdate && (
          <form onSubmit={add} noValidate data-testid="privacy-centre-regions-add">
            <Flex gap={4} alignItems="flex-start" wrap="wrap">
              <Box minWidth="12rem">
                <Field.Root name="regions.newArea" error={tried || problem === 'exists' ? problemText : undefined}>
                  <Field.Label>{formatMessage(t('regions.areas.add.area', 'Area code'))}</Field.Label>
                  <TextInput
                    value={newArea}
                    placeholder="US-CA"
                    maxLength={6}
                    onChange={(event: React.ChangeEvent<HTMLInputElement>) => setNewArea(event.target.value)}
                    data-testid="privacy-centre-regions-add-area"
                  />
                  <Field.Error />
                </Field.Root>
              </Box>
              <Box minWidth="24rem">
                <Field.Root name="regions.newJurisdiction">
                  <Field.Label>{formatMessage(t('regions.column.jurisdiction', 'Jurisdiction'))}</Field.Label>
                  <SingleSelect value={newCode} onChange={(value: string | number) => setNewCode(String(value))}>
                    {jurisdictionOptions}
                  </SingleSelect>
                </Field.Root>
              </Box>
              <Box paddingTop={6}>
                <Button type="submit" variant="secondary" startIcon={<Plus />} disabled={!area} data-testid="privacy-centre-regions-add-submit">
                  {formatMessage(t('regions.areas.add', 'Add area'))}
                </Button>
              </Box>
            </Flex>
          </form>
        )}

        <Flex gap={4} alignItems="flex-end" wrap="wrap" justifyContent="space-between">
          <Box minWidth="20rem">
            <Field.Root name="regions.filter">
              <Field.Label>{formatMessage(t('regions.areas.filter', 'Filter by area or jurisdiction'))}</Field.Label>
              <TextInput
                startAction={<Search />}
                value={query}
                placeholder="US, GDPR, California…"
                onChange={(event: React.ChangeEvent<HTMLInputElement>) => setQuery(event.target.value)}
                data-testid="privacy-centre-regions-filter"
              />
            </Field.Root>
          </Box>
          <Typography variant="pi" textColor="neutral600" data-testid="privacy-centre-regions-count">
            {formatMessage(
              t('regions.areas.count', '{shown, plural, one {# area} other {# areas}} of {total} shown'),
              { shown: Math.min(rows.length, SHOWN), total: Object.keys(table.areas).length }
            )}
          </Typography>
        </Flex>

        {rows.length === 0 ? (
          <Typography textColor="neutral600" data-testid="privacy-centre-regions-areas-empty">
            {formatMessage(t('regions.areas.none', 'No area matches.'))}
          </Typography>
        ) : (
          <Table colCount={canUpdate ? 4 : 3} rowCount={Math.min(rows.length, SHOWN) + 1} data-testid="privacy-centre-regions-areas-table">
            <Thead>
              <Tr>
                <Th>
                  <Typography variant="sigma">{formatMessage(t('regions.column.area', 'Area'))}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{formatMessage(t('regions.column.jurisdiction', 'Jurisdiction'))}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{formatMessage(t('regions.column.change', 'Compared with the defaults'))}</Typography>
                </Th>
                {canUpdate && (
                  <Th>
                    <Typography variant="sigma">{formatMessage(t('regions.column.actions', 'Actions'))}</Typography>
                  </Th>
                )}
              </Tr>
            </Thead>
            <Tbody>
              {rows.slice(0, SHOWN).map(([key, code]) => {
                const change = areaChange(key, code, defaults);
                return (
                  <Tr key={key} data-testid={`privacy-centre-regions-area-${key}`}>
                    <Td>
                      <Typography fontWeight="semiBold">{key}</Typography>
                    </Td>
                    <Td>
                      {canUpdate ? (
                        <Box minWidth="24rem">
                          <SingleSelect
                            aria-label={formatMessage(t('regions.areas.jurisdictionOf', 'Jurisdiction of {area}'), { area: key })}
                            size="S"
                            value={code}
                            onChange={(value: string | number) => setArea(key, String(value))}
                          >
                            {jurisdictionOptions}
                          </SingleSelect>
                        </Box>
                      ) : (
                        <Typography>{names[code] ? jurisdictionLabel({ code, name: names[code] }) : code}</Typography>
                      )}
                    </Td>
                    <Td>
                      {change === 'added' && <Badge variant="success">{formatMessage(t('regions.areas.added', 'Added'))}</Badge>}
                      {change === 'changed' && (
                        <Badge variant="warning">
                          {formatMessage(t('regions.areas.changed', 'Changed; default: {code}'), { code: defaults[key] })}
                        </Badge>
                      )}
                    </Td>
                    {canUpdate && (
                      <Td>
                        <IconButton
                          label={formatMessage(t('regions.areas.remove', 'Remove {area}'), { area: key })}
                          withTooltip={false}
                          variant="ghost"
                          onClick={() => removeArea(key)}
                          data-testid={`privacy-centre-regions-area-remove-${key}`}
                        >
                          <Trash />
                        </IconButton>
                      </Td>
                    )}
                  </Tr>
                );
              })}
            </Tbody>
          </Table>
        )}
        {rows.length > SHOWN && (
          <Typography variant="pi" textColor="neutral600">
            {formatMessage(t('regions.areas.more', 'Only the first {shown} are listed: filter to find the others.'), { shown: SHOWN })}
          </Typography>
        )}
        {removed.length > 0 && (
          <Typography variant="pi" textColor="neutral600" data-testid="privacy-centre-regions-removed">
            {formatMessage(t('regions.areas.removed', 'Default entries removed from the table: {areas}'), { areas: removed.join(', ') })}
          </Typography>
        )}
      </Flex>
    </Panel>
  );
};
