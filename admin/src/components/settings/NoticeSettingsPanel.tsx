import * as React from 'react';
import { Button, Field, Flex, NumberInput, SingleSelect, SingleSelectOption, Typography } from '@strapi/design-system';
import { Check } from '@strapi/icons';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { API, type NoticeSettings, type SettingsResponse } from '../../api';
import { useApiAction } from '../../hooks/useApi';
import { t } from '../../utils/getTranslation';
import { Panel } from '../Panel';

type Saved = SettingsResponse['data'];

/**
 * The advance notice of material changes, with its own Save like the other panels: how many days
 * before a material version takes effect people are told, and which newsletter list is told.
 */
export const NoticeSettingsPanel = ({ saved, canUpdate, onSaved }: { saved: Saved; canUpdate: boolean; onSaved: (next: Saved) => void }) => {
  const { formatMessage } = useIntl();
  const { put } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { isBusy, run } = useApiAction();
  const current = saved.settings.notice;
  const [edited, setEdited] = React.useState<NoticeSettings | null>(null);
  if (!current) return null;
  const values = edited ?? current;
  const lists: string[] = (saved.config as any)?.newsletter?.lists ?? [values.list];
  const isDirty = values.days !== current.days || values.list !== current.list;

  const onSubmit = (event: React.FormEvent) => {
    event.preventDefault();
    if (!canUpdate) return;
    run(async () => {
      const { data } = await put<SettingsResponse>(API.settings, { controller: saved.settings.controller, notice: values });
      setEdited(null);
      onSaved(data.data);
      toggleNotification({ type: 'success', message: formatMessage(t('settings.notice.saved', 'Notice settings saved')) });
    });
  };

  return (
    <Panel tag="section" aria-labelledby="privacy-centre-settings-notice-title" data-testid="privacy-centre-settings-notice">
      <form onSubmit={onSubmit} noValidate>
        <Flex direction="column" alignItems="stretch" gap={5}>
          <Flex justifyContent="space-between" alignItems="center" gap={4} wrap="wrap">
            <Flex direction="column" alignItems="flex-start" gap={1}>
              <Typography variant="delta" tag="h2" id="privacy-centre-settings-notice-title">
                {formatMessage(t('settings.notice.title', 'Notice of material changes'))}
              </Typography>
              <Typography variant="pi" textColor="neutral600">
                {formatMessage(t('settings.notice.hint', 'People are e-mailed this many days before a material policy change takes effect.'))}
              </Typography>
            </Flex>
            {canUpdate && (
              <Button type="submit" startIcon={<Check />} loading={isBusy} disabled={!isDirty} data-testid="privacy-centre-settings-notice-save">
                {formatMessage(t('settings.notice.save', 'Save notice settings'))}
              </Button>
            )}
          </Flex>
          <Field.Root name="notice.days">
            <Field.Label>{formatMessage(t('settings.notice.days', 'Days of notice'))}</Field.Label>
            <NumberInput
              value={values.days}
              disabled={!canUpdate}
              onValueChange={(value: number | undefined) => setEdited({ ...values, days: Math.max(0, Math.min(365, Math.round(value ?? 0))) })}
            />
          </Field.Root>
          <Field.Root name="notice.list">
            <Field.Label>{formatMessage(t('settings.notice.list', 'Newsletter list told'))}</Field.Label>
            <SingleSelect value={values.list} disabled={!canUpdate} onChange={(value: string | number) => setEdited({ ...values, list: String(value) })}>
              {lists.map((list) => (
                <SingleSelectOption key={list} value={list}>
                  {list}
                </SingleSelectOption>
              ))}
            </SingleSelect>
          </Field.Root>
        </Flex>
      </form>
    </Panel>
  );
};
