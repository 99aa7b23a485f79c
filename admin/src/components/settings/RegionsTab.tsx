import * as React from 'react';
import { Box, Button, Dialog, Flex, Loader, Typography } from '@strapi/design-system';
import { ArrowClockwise, Check } from '@strapi/icons';
import { ConfirmDialog } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import type { RegionsEditor } from '../../hooks/useRegionsEditor';
import { t } from '../../utils/getTranslation';
import { Panel } from '../Panel';
import { RegionAreasPanel } from './RegionAreasPanel';
import { RegionHeadersPanel } from './RegionHeadersPanel';
import { RegionJurisdictionsPanel } from './RegionJurisdictionsPanel';

interface RegionsTabProps {
  editor: RegionsEditor;
  canUpdate: boolean;
}

/**
 * Save, Reset to defaults (confirmed first) and Discard, for the settings page's header, which
 * stays in view while the table scrolls.
 */
export const RegionsActions = ({ editor }: { editor: RegionsEditor }) => {
  const { formatMessage } = useIntl();
  const { saved, isDirty, isBusy } = editor;
  if (!saved) return null;
  return (
    <Flex gap={2} wrap="wrap">
      <Button variant="tertiary" disabled={!isDirty || isBusy} onClick={editor.discard}>
        {formatMessage(t('regions.discard', 'Discard changes'))}
      </Button>
      <Dialog.Root>
        <Dialog.Trigger>
          <Button variant="danger-light" startIcon={<ArrowClockwise />} disabled={isBusy || (!saved.edited && !isDirty)} data-testid="privacy-centre-regions-reset">
            {formatMessage(t('regions.reset', 'Reset to defaults'))}
          </Button>
        </Dialog.Trigger>
        <ConfirmDialog title={formatMessage(t('regions.reset.title', 'Reset the regions to the defaults?'))} onConfirm={editor.reset}>
          {formatMessage(
            t(
              'regions.reset.body',
              'Every area, model and the default jurisdiction go back to the plugin’s defaults; your edits, saved or not, are lost. The reset is written to the audit log.'
            )
          )}
        </ConfirmDialog>
      </Dialog.Root>
      <Button startIcon={<Check />} onClick={editor.save} loading={isBusy} disabled={!isDirty} data-testid="privacy-centre-regions-save">
        {formatMessage(t('regions.save', 'Save regions'))}
      </Button>
    </Flex>
  );
};

/**
 * Settings → Regions: which law applies to a visitor, read from the trusted headers config names.
 * The whole table is edited here and saved at once from the page's header (PUT answers the
 * server's problems with a 400, listed here); "Reset to defaults" drops the editors' table. Both
 * are audited by the server. Without settings.update the tab is read-only.
 */
export const RegionsTab = ({ editor, canUpdate }: RegionsTabProps) => {
  const { formatMessage, formatDate } = useIntl();
  const { saved, table, problems } = editor;
  // The reasons of a refusal are shown at the top of the tab: bring them into view (Save is in
  // the header, wherever the editor has scrolled to).
  const problemsRef = React.useRef<HTMLDivElement>(null);
  React.useEffect(() => {
    if (problems.length) problemsRef.current?.scrollIntoView({ block: 'center' });
  }, [problems]);

  if (!saved || !table)
    return editor.failed ? (
      <Typography textColor="danger600">{formatMessage(t('regions.failed', 'The regions could not be loaded.'))}</Typography>
    ) : (
      <Loader small>{formatMessage(t('regions.loading', 'Loading the regions…'))}</Loader>
    );

  return (
    <Flex direction="column" alignItems="stretch" gap={6} data-testid="privacy-centre-regions">
      <Panel>
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
        {problems.length > 0 && (
          <Box
            ref={problemsRef}
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
        onChange={editor.edit}
      />
      <RegionAreasPanel table={table} jurisdictions={saved.jurisdictions} defaults={saved.defaults.areas} canUpdate={canUpdate} onChange={editor.edit} />
    </Flex>
  );
};
