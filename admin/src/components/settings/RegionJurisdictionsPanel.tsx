import * as React from 'react';
import { Badge, Box, Field, Flex, SingleSelect, SingleSelectOption, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { type MessageDescriptor, useIntl } from 'react-intl';

import type { RegionJurisdiction, RegionModel, RegionTable } from '../../api';
import { MODELS } from '../../../../server/src/regions';
import { t } from '../../utils/getTranslation';
import { Panel } from '../Panel';

/** The models by name, as editors read them. */
export const MODEL_LABELS: Record<RegionModel, MessageDescriptor> = {
  'opt-in': t('regions.model.opt-in', 'Opt-in'),
  'opt-out': t('regions.model.opt-out', 'Opt-out'),
  notice: t('regions.model.notice', 'Notice only'),
};

/** A jurisdiction as a select option names it: the law, then its code. */
export const jurisdictionLabel = (j: Pick<RegionJurisdiction, 'code' | 'name'>) => `${j.name} (${j.code})`;

interface RegionJurisdictionsPanelProps {
  table: RegionTable;
  jurisdictions: RegionJurisdiction[];
  /** The default jurisdiction config names (what a reset goes back to). */
  configuredDefault: string;
  canUpdate: boolean;
  onChange: (next: RegionTable) => void;
}

/**
 * The default jurisdiction, and each jurisdiction with its model (editable; marked where it is
 * not the plugin's default) and the provision the default comes from.
 */
export const RegionJurisdictionsPanel = ({ table, jurisdictions, configuredDefault, canUpdate, onChange }: RegionJurisdictionsPanelProps) => {
  const { formatMessage } = useIntl();
  const byCode = new Map(jurisdictions.map((j) => [j.code, j]));
  const modelOf = (j: RegionJurisdiction) => table.models[j.code] ?? j.defaultModel;
  const setModel = (j: RegionJurisdiction, model: RegionModel) => {
    const models = { ...table.models };
    if (model === j.defaultModel) delete models[j.code];
    else models[j.code] = model;
    onChange({ ...table, models });
  };
  const configured = byCode.get(configuredDefault);

  return (
    <Panel tag="section" aria-labelledby="privacy-centre-regions-jurisdictions-title" data-testid="privacy-centre-regions-jurisdictions">
      <Flex direction="column" alignItems="stretch" gap={5}>
        <Flex direction="column" alignItems="stretch" gap={1}>
          <Typography variant="delta" tag="h2" id="privacy-centre-regions-jurisdictions-title">
            {formatMessage(t('regions.jurisdictions.title', 'Jurisdictions'))}
          </Typography>
          <Typography variant="pi" textColor="neutral600">
            {formatMessage(
              t(
                'regions.jurisdictions.hint',
                'Opt-in: optional cookies stay off until the visitor chooses. Opt-out: they are on until the visitor opts out, and a Global Privacy Control signal opts out of sale and sharing. Notice only: the site informs, no choice is required.'
              )
            )}
          </Typography>
        </Flex>
        <Box maxWidth="48rem">
          <Field.Root
            name="regions.defaultJurisdiction"
            hint={formatMessage(
              t('regions.default.hint', 'For visitors whose area has no entry in the table, or whose location is unknown. Default from config: {name}.'),
              { name: configured ? jurisdictionLabel(configured) : configuredDefault }
            )}
          >
            <Field.Label>{formatMessage(t('regions.default', 'Default jurisdiction'))}</Field.Label>
            <SingleSelect
              value={table.defaultJurisdiction}
              disabled={!canUpdate}
              onChange={(value: string | number) => onChange({ ...table, defaultJurisdiction: String(value) })}
            >
              {jurisdictions.map((j) => (
                <SingleSelectOption key={j.code} value={j.code}>
                  {jurisdictionLabel(j)}
                </SingleSelectOption>
              ))}
            </SingleSelect>
            <Field.Hint />
          </Field.Root>
        </Box>
        <Table colCount={3} rowCount={jurisdictions.length + 1} data-testid="privacy-centre-regions-jurisdictions-table">
          <Thead>
            <Tr>
              <Th>
                <Typography variant="sigma">{formatMessage(t('regions.column.jurisdiction', 'Jurisdiction'))}</Typography>
              </Th>
              <Th>
                <Typography variant="sigma">{formatMessage(t('regions.column.model', 'Model'))}</Typography>
              </Th>
              <Th>
                <Typography variant="sigma">{formatMessage(t('regions.column.source', 'Source'))}</Typography>
              </Th>
            </Tr>
          </Thead>
          <Tbody>
            {jurisdictions.map((j) => {
              const model = modelOf(j);
              const changed = model !== j.defaultModel;
              return (
                <Tr key={j.code} data-testid={`privacy-centre-regions-jurisdiction-${j.code}`}>
                  <Td style={{ whiteSpace: 'normal' }}>
                    <Flex direction="column" alignItems="flex-start" gap={1}>
                      <Typography fontWeight="semiBold">{j.name}</Typography>
                      <Typography variant="pi" textColor="neutral600">
                        {j.code}
                      </Typography>
                    </Flex>
                  </Td>
                  <Td>
                    <Flex direction="column" alignItems="flex-start" gap={1} minWidth="14rem">
                      <SingleSelect
                        aria-label={formatMessage(t('regions.model.of', 'Model of {name}'), { name: j.name })}
                        value={model}
                        disabled={!canUpdate}
                        size="S"
                        onChange={(value: string | number) => setModel(j, value as RegionModel)}
                      >
                        {MODELS.map((m) => (
                          <SingleSelectOption key={m} value={m}>
                            {formatMessage(MODEL_LABELS[m])}
                          </SingleSelectOption>
                        ))}
                      </SingleSelect>
                      {changed && (
                        <Badge variant="warning" data-testid={`privacy-centre-regions-model-changed-${j.code}`}>
                          {formatMessage(t('regions.model.changed', 'Changed; default: {model}'), { model: formatMessage(MODEL_LABELS[j.defaultModel]) })}
                        </Badge>
                      )}
                    </Flex>
                  </Td>
                  <Td style={{ whiteSpace: 'normal' }}>
                    <Typography variant="pi">{j.source}</Typography>
                  </Td>
                </Tr>
              );
            })}
          </Tbody>
        </Table>
      </Flex>
    </Panel>
  );
};
