import * as React from 'react';
import { Box, Button, Dialog, Flex, Loader, Typography } from '@strapi/design-system';
import { ArrowClockwise, Check } from '@strapi/icons';
import { ConfirmDialog, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { API, type RegionsResponse, type RegionTable } from '../../api';
import { useApiData, useNotifyApiError } from '../../hooks/useApi';
import { t } from '../../utils/getTranslation';
import { sameTable, tableToSave } from '../../utils/regions';
import { Panel } from '../Panel';
import { RegionAreasPanel } from './RegionAreasPanel';
import { RegionHeadersPanel } from './RegionHeadersPanel';
import { RegionJurisdictionsPanel } from './RegionJurisdictionsPanel';

type Saved = RegionsResponse['data'];

/** The server's message, split into its problems ("a; b" → [a, b]). */
const problemsOf = (error: unknown): string[] => {
  const message = (error as any)?.response?.data?.error?.message;
  return typeof message === 'string' && message ? message.split('; ') : [];
};

interface RegionsTabProps {
  canUpdate: boolean;
  /** The table as edited, kept by the settings page so that switching tabs keeps the edits; null: as saved. */
  edits: RegionTable | null;
  onEdit: (next: RegionTable | null) => void;
}

/**
 * Settings → Regions: which law applies to a visitor, read from the trusted headers config names.
 * The whole table is edited here and saved at once (PUT answers the server's problems with a 400,
 * listed above the table); "Reset to defaults" drops the editors' table. Both are audited by the
 * server. Without settings.update the page is read-only.
 */
export const RegionsTab = ({ canUpdate, edits, onEdit }: RegionsTabProps) => {
  const { formatMessage, formatDate } = useIntl();
  const { get, put, del } = useFetchClient();
  const { toggleNotification } = useNotification();
  const notifyError = useNotifyApiError();
  const load = React.useCallback(async () => (await get<RegionsResponse>(API.regions)).data.data, [get]);
  const { data: saved, setData: setSaved, failed } = useApiData(load);
  const [problems, setProblems] = React.useState<string[]>([]);
  const [isBusy, setIsBusy] = React.useState(false);

  if (!saved)
    return failed ? (
      <Typography textColor="danger600">{formatMessage(t('regions.failed', 'The regions could not be loaded.'))}</Typography>
    ) : (
      <Loader small>{formatMessage(t('regions.loading', 'Loading the regions…'))}</Loader>
    );

  const table = edits ?? saved.table;
  const isDirty = !sameTable(table, saved.table, saved.jurisdictions);
  const edit = (next: RegionTable) => onEdit(sameTable(next, saved.table, saved.jurisdictions) ? null : next);

  const send = async (action: () => Promise<{ data: RegionsResponse }>, done: string) => {
    if (!canUpdate || isBusy) return;
    setIsBusy(true);
    try {
      const { data } = await action();
      setSaved(data.data);
      setProblems([]);
      onEdit(null);
      toggleNotification({ type: 'success', message: done });
    } catch (error) {
      setProblems(problemsOf(error));
      notifyError(error);
    } finally {
      setIsBusy(false);
    }
  };
  const save = () =>
    send(
      () => put<RegionsResponse>(API.regions, tableToSave(table, saved.jurisdictions)),
      formatMessage(t('regions.saved', 'Regions saved'))
    );
  const reset = () => send(() => del<RegionsResponse>(API.regions), formatMessage(t('regions.reset.done', 'Regions reset to the defaults')));

  return (
    <Flex direction="column" alignItems="stretch" gap={6} data-testid="privacy-centre-regions">
      <Panel>
        <Flex justifyContent="space-between" alignItems="center" gap={4} wrap="wrap">
          <Flex direction="column" alignItems="flex-start" gap={1}>
            <Typography variant="delta" tag="h2">
              {formatMessage(t('regions.title', 'Regions'))}
            </Typography>
            <Typography variant="pi" textColor="neutral600">
              {formatMessage(
                t(
                  'regions.hint',
                  'Which privacy law applies to a visitor, by where the trusted headers say they are, and what that law asks of the cookie banner: opt-in, opt-out or a notice.'
                )
              )}
            </Typography>
            <Typography variant="pi" textColor="neutral600" data-testid="privacy-centre-regions-state">
              {saved.edited && saved.changedAt
                ? formatMessage(t('regions.state.edited', 'Edited table, saved {date}.'), {
                    date: formatDate(saved.changedAt, { dateStyle: 'medium', timeStyle: 'short' }),
                  })
                : formatMessage(t('regions.state.defaults', 'The plugin’s default table: nobody has edited it.'))}
            </Typography>
            {!canUpdate && (
              <Typography variant="pi" textColor="neutral600" data-testid="privacy-centre-regions-readonly">
                {formatMessage(t('settings.readOnly', 'You may view these settings but not change them.'))}
              </Typography>
            )}
          </Flex>
          {canUpdate && (
            <Flex gap={2} wrap="wrap">
              <Button variant="tertiary" disabled={!isDirty || isBusy} onClick={() => (onEdit(null), setProblems([]))}>
                {formatMessage(t('regions.discard', 'Discard changes'))}
              </Button>
              <Dialog.Root>
                <Dialog.Trigger>
                  <Button variant="danger-light" startIcon={<ArrowClockwise />} disabled={isBusy || (!saved.edited && !isDirty)} data-testid="privacy-centre-regions-reset">
                    {formatMessage(t('regions.reset', 'Reset to defaults'))}
                  </Button>
                </Dialog.Trigger>
                <ConfirmDialog title={formatMessage(t('regions.reset.title', 'Reset the regions to the defaults?'))} onConfirm={reset}>
                  {formatMessage(
                    t(
                      'regions.reset.body',
                      'Every area, model and the default jurisdiction go back to the plugin’s defaults; your edits, saved or not, are lost. The reset is written to the audit log.'
                    )
                  )}
                </ConfirmDialog>
              </Dialog.Root>
              <Button startIcon={<Check />} onClick={save} loading={isBusy} disabled={!isDirty} data-testid="privacy-centre-regions-save">
                {formatMessage(t('regions.save', 'Save regions'))}
              </Button>
            </Flex>
          )}
        </Flex>
        {problems.length > 0 && (
          <Box
            marginTop={4}
            padding={4}
            hasRadius
            background="danger100"
            borderColor="danger200"
            borderStyle="solid"
            borderWidth="1px"
            role="alert"
            data-testid="privacy-centre-regions-errors"
          >
            <Typography fontWeight="bold" tag="p">
              {formatMessage(t('regions.invalid', 'Not saved: the server refused this table'))}
            </Typography>
            <Box tag="ul" paddingLeft={4} style={{ listStyle: 'disc' }}>
              {problems.map((problem) => (
                <li key={problem}>
                  <Typography>{problem}</Typography>
                </li>
              ))}
            </Box>
          </Box>
        )}
      </Panel>
      <RegionHeadersPanel countryHeaders={saved.countryHeaders} regionHeaders={saved.regionHeaders} />
      <RegionJurisdictionsPanel
        table={table}
        jurisdictions={saved.jurisdictions}
        configuredDefault={saved.defaults.defaultJurisdiction}
        canUpdate={canUpdate}
        onChange={edit}
      />
      <RegionAreasPanel table={table} jurisdictions={saved.jurisdictions} defaults={saved.defaults.areas} canUpdate={canUpdate} onChange={edit} />
    </Flex>
  );
};
