import * as React from 'react';
import { Button, Field, Flex, Toggle, Typography } from '@strapi/design-system';
import { Check } from '@strapi/icons';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { API, type SettingsResponse, type SubjectsSettings } from '../../api';
import { useApiAction } from '../../hooks/useApi';
import { t } from '../../utils/getTranslation';
import { Panel } from '../Panel';

type Saved = SettingsResponse['data'];

const FORM_ID = 'privacy-centre-subjects-settings-form';

/**
 * The data-subject part of the settings, with its own Save like the newsletter's: whether a
 * self-service request, once the person has confirmed it through the e-mailed link, is carried
 * out at once or waits for an administrator's approval on the data-subject requests page.
 */
export const SubjectsSettingsPanel = ({ saved, canUpdate, onSaved }: { saved: Saved; canUpdate: boolean; onSaved: (next: Saved) => void }) => {
  const { formatMessage } = useIntl();
  const { put } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { isBusy, run } = useApiAction();
  const current = saved.settings.subjects;
  const [edited, setEdited] = React.useState<SubjectsSettings | null>(null);
  if (!current) return null; // A server without data-subject requests.
  const values = edited ?? current;
  const isDirty = values.selfServiceApproval !== current.selfServiceApproval;

  const onSubmit = (event: React.FormEvent) => {
    event.preventDefault();
    if (!canUpdate) return;
    run(async () => {
      // The controller as saved: its own form saves its own edits.
      const { data } = await put<SettingsResponse>(API.settings, { controller: saved.settings.controller, subjects: values });
      setEdited(null);
      onSaved(data.data);
      toggleNotification({ type: 'success', message: formatMessage(t('settings.subjects.saved', 'Data-subject request settings saved')) });
    });
  };

  return (
    <Panel tag="section" aria-labelledby="privacy-centre-settings-subjects-title" data-testid="privacy-centre-settings-subjects">
      <form id={FORM_ID} onSubmit={onSubmit} noValidate>
        <Flex direction="column" alignItems="stretch" gap={5}>
          <Flex justifyContent="space-between" alignItems="center" gap={4} wrap="wrap">
            <Flex direction="column" alignItems="flex-start" gap={1}>
              <Typography variant="delta" tag="h2" id="privacy-centre-settings-subjects-title">
                {formatMessage(t('page.subjects.title', 'Data-subject requests'))}
              </Typography>
              <Typography variant="pi" textColor="neutral600">
                {formatMessage(t('settings.subjects.hint', 'How requests people make themselves, through the public routes, are handled.'))}
              </Typography>
            </Flex>
            {canUpdate && (
              <Button type="submit" startIcon={<Check />} loading={isBusy} disabled={!isDirty} data-testid="privacy-centre-settings-subjects-save">
                {formatMessage(t('settings.subjects.save', 'Save data-subject settings'))}
              </Button>
            )}
          </Flex>
          <Field.Root
            name="subjects.selfServiceApproval"
            hint={formatMessage(
              t(
                'settings.subjects.selfServiceApproval.hint',
                'On: once the person confirms a request through the e-mailed link, it waits on the data-subject requests page until an administrator carries it out. Off: an access request is answered and an erasure done at once.'
              )
            )}
          >
            <Field.Label>{formatMessage(t('settings.subjects.selfServiceApproval', "Self-service requests wait for an administrator's approval"))}</Field.Label>
            <Toggle
              onLabel={formatMessage(t('common.on', 'On'))}
              offLabel={formatMessage(t('common.off', 'Off'))}
              checked={values.selfServiceApproval}
              disabled={!canUpdate}
              onChange={(e: React.ChangeEvent<HTMLInputElement>) => setEdited({ ...values, selfServiceApproval: e.target.checked })}
            />
            <Field.Hint />
          </Field.Root>
        </Flex>
      </form>
    </Panel>
  );
};
