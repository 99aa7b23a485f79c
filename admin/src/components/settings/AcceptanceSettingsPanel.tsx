import * as React from 'react';
import { Button, Field, Flex, NumberInput, TextInput, Typography } from '@strapi/design-system';
import { Check } from '@strapi/icons';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { API, type AcceptanceSettings, type SettingsResponse } from '../../api';
import { useApiAction } from '../../hooks/useApi';
import { t } from '../../utils/getTranslation';
import { Panel } from '../Panel';

type Saved = SettingsResponse['data'];

const FORM_ID = 'privacy-centre-acceptance-settings-form';

/** `terms, privacy-policy` → the slugs, in order, each once; the server checks their form. */
const slugsOf = (text: string) => [...new Set(text.split(/[\s,]+/).filter(Boolean))];

/**
 * Which policies signed-in users (users-permissions) must accept, and how many days after a
 * material version takes effect they may go on without accepting it. Its own Save, like the
 * newsletter's; the server audits the change.
 */
export const AcceptanceSettingsPanel = ({ saved, canUpdate, onSaved }: { saved: Saved; canUpdate: boolean; onSaved: (next: Saved) => void }) => {
  const { formatMessage } = useIntl();
  const { put } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { isBusy, run } = useApiAction();
  const current = saved.settings.acceptance;
  const [edited, setEdited] = React.useState<{ required: string; graceDays: number } | null>(null);
  if (!current) return null; // A server from before acceptances.
  const values = edited ?? { required: current.required.join(', '), graceDays: current.graceDays };
  const next: AcceptanceSettings = { required: slugsOf(values.required), graceDays: values.graceDays };
  const isDirty = next.required.join(',') !== current.required.join(',') || next.graceDays !== current.graceDays;

  const onSubmit = (event: React.FormEvent) => {
    event.preventDefault();
    if (!canUpdate) return;
    run(async () => {
      const { data } = await put<SettingsResponse>(API.settings, { controller: saved.settings.controller, acceptance: next });
      setEdited(null);
      onSaved(data.data);
      toggleNotification({ type: 'success', message: formatMessage(t('settings.acceptance.saved', 'Policy acceptance settings saved')) });
    });
  };

  return (
    <Panel tag="section" aria-labelledby="privacy-centre-settings-acceptance-title" data-testid="privacy-centre-settings-acceptance">
      <form id={FORM_ID} onSubmit={onSubmit} noValidate>
        <Flex direction="column" alignItems="stretch" gap={5}>
          <Flex justifyContent="space-between" alignItems="center" gap={4} wrap="wrap">
            <Flex direction="column" alignItems="flex-start" gap={1}>
              <Typography variant="delta" tag="h2" id="privacy-centre-settings-acceptance-title">
                {formatMessage(t('settings.acceptance.title', 'Policy acceptance by signed-in users'))}
              </Typography>
              <Typography variant="pi" textColor="neutral600">
                {formatMessage(
                  t(
                    'settings.acceptance.hint',
                    'Signed-in users of the site must accept these policies: the latest version whose change is material (or the first one). Routes with the policy plugin::privacy-centre.policies-accepted refuse them once the grace period ends.'
                  )
                )}
              </Typography>
            </Flex>
            {canUpdate && (
              <Button type="submit" startIcon={<Check />} loading={isBusy} disabled={!isDirty} data-testid="privacy-centre-settings-acceptance-save">
                {formatMessage(t('settings.acceptance.save', 'Save acceptance settings'))}
              </Button>
            )}
          </Flex>
          <Field.Root name="acceptance.required" hint={formatMessage(t('settings.acceptance.required.hint', 'Policy slugs, separated by commas (e.g. terms, privacy-policy). Empty: none.'))}>
            <Field.Label>{formatMessage(t('settings.acceptance.required', 'Policies to accept'))}</Field.Label>
            <TextInput
              value={values.required}
              disabled={!canUpdate}
              onChange={(e: React.ChangeEvent<HTMLInputElement>) => setEdited({ ...values, required: e.target.value })}
            />
            <Field.Hint />
          </Field.Root>
          <Field.Root name="acceptance.graceDays" hint={formatMessage(t('settings.acceptance.graceDays.hint', 'Days after a material version takes effect during which users may go on without accepting it.'))}>
            <Field.Label>{formatMessage(t('settings.acceptance.graceDays', 'Grace period (days)'))}</Field.Label>
            <NumberInput
              value={values.graceDays}
              disabled={!canUpdate}
              onValueChange={(value: number | undefined) => setEdited({ ...values, graceDays: value ?? 0 })}
            />
            <Field.Hint />
          </Field.Root>
        </Flex>
      </form>
    </Panel>
  );
};
