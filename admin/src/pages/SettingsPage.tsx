import * as React from 'react';
import { Box, Button, Field, Flex, Grid, Tabs, TextInput, Typography } from '@strapi/design-system';
import { Check } from '@strapi/icons';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { type MessageDescriptor, useIntl } from 'react-intl';
import { useSearchParams } from 'react-router-dom';

import { API, type Controller, type DescribedConfig, type SettingsResponse } from '../api';
import { AreaPage } from '../components/AreaPage';
import { FactList } from '../components/FactList';
import { PendingPage, readProtected } from '../components/PageHelpers';
import { Panel } from '../components/Panel';
import { AcceptanceSettingsPanel } from '../components/settings/AcceptanceSettingsPanel';
import { NewsletterSettingsPanel } from '../components/settings/NewsletterSettingsPanel';
import { RegionsActions, RegionsTab } from '../components/settings/RegionsTab';
import { SubjectsSettingsPanel } from '../components/settings/SubjectsSettingsPanel';
import { NoticeSettingsPanel } from '../components/settings/NoticeSettingsPanel';
import { useApiAction, useApiData } from '../hooks/useApi';
import { useAllowedActions } from '../hooks/useAllowedActions';
import { useRegionsEditor } from '../hooks/useRegionsEditor';
import { t } from '../utils/getTranslation';

const FORM_ID = 'privacy-centre-settings-form';

/** The page's tabs; the first is the default and is not written in the URL (`?tab=regions` opens Regions). */
const TABS = ['general', 'regions'] as const;
type Tab = (typeof TABS)[number];
const FIELDS: ReadonlyArray<{ name: keyof Controller; label: string; hint: string; type: string; required?: boolean }> = [
  { name: 'name', label: 'Name', hint: 'The organisation responsible for the personal data.', type: 'text', required: true },
  { name: 'address', label: 'Postal address', hint: 'Shown in policies and in every email the plugin sends.', type: 'text' },
  { name: 'email', label: 'Privacy contact email', hint: 'Where visitors send privacy requests.', type: 'email' },
  { name: 'url', label: 'Website', hint: 'The main site of the controller.', type: 'url' },
];

/**
 * The controller identity (editable, kept in Strapi's store) and the configuration from
 * config/plugins.ts (read-only: it changes only with a redeploy, so the page says so instead
 * of offering fields that could not be saved), and in a second tab the regions table (which law
 * applies to a visitor), which has its own Save.
 */
const SettingsForm = () => {
  const { formatMessage } = useIntl();
  const { get, put } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { can, isLoading: isLoadingPermissions } = useAllowedActions();
  const canUpdate = can('settings', 'update');

  const load = React.useCallback(async () => (await get<SettingsResponse>(API.settings)).data.data, [get]);
  const { data: saved, setData: setSaved, failed } = useApiData(load);
  // The fields as typed; null while they show what is saved.
  const [edited, setEdited] = React.useState<Controller | null>(null);
  const [searchParams, setSearchParams] = useSearchParams();
  const wantedTab = searchParams.get('tab');
  const tab: Tab = TABS.find((name) => name === wantedTab) ?? 'general';
  // Kept here: the header holds its Save and Reset, and switching tabs keeps its edits.
  const regions = useRegionsEditor(tab === 'regions', canUpdate);
  const setTab = (value: string) =>
    setSearchParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value === 'general') next.delete('tab');
        else next.set('tab', value);
        return next;
      },
      { replace: true }
    );
  // The server's validation message names the field (e.g. "controller.email must be a valid email").
  const { isBusy: isSaving, run } = useApiAction();

  // Waiting for the permissions too, so the form does not flash from read-only to editable.
  if (failed || !saved || isLoadingPermissions) return <PendingPage failed={failed} />;

  const values = edited ?? saved.settings.controller;
  const isDirty = (Object.keys(values) as (keyof Controller)[]).some(
    (key) => values[key] !== saved.settings.controller[key]
  );

  const onSubmit = (event: React.FormEvent) => {
    event.preventDefault();
    if (!canUpdate) return;
    run(async () => {
      const { data } = await put<SettingsResponse>(API.settings, { controller: values });
      setSaved(data.data);
      setEdited(null);
      toggleNotification({ type: 'success', message: formatMessage(t('settings.notification.saved', 'Settings saved')) });
    });
  };

  return (
    <AreaPage
      id="settings"
      title={t('page.settings.title', 'Settings')}
      subtitle={t('page.settings.subtitle', 'Who is responsible for the data, and how the plugin is configured')}
      primaryAction={
        !canUpdate ? undefined : tab === 'regions' ? (
          <RegionsActions editor={regions} />
        ) : (
          <Button type="submit" form={FORM_ID} startIcon={<Check />} loading={isSaving} disabled={!isDirty}>
            {formatMessage(t('settings.save', 'Save'))}
          </Button>
        )
      }
    >
      <Tabs.Root variant="simple" value={tab} onValueChange={setTab}>
        <Tabs.List aria-label={formatMessage(t('settings.tabs', 'Parts of the settings'))}>
          <Tabs.Trigger value="general" data-testid="privacy-centre-settings-tab-general">
            {formatMessage(t('settings.tab.general', 'General'))}
          </Tabs.Trigger>
          <Tabs.Trigger value="regions" data-testid="privacy-centre-settings-tab-regions">
            {formatMessage(t('regions.title', 'Regions'))}
          </Tabs.Trigger>
        </Tabs.List>
        <Tabs.Content value="general">
          <Box paddingTop={6}>
            <Flex direction="column" alignItems="stretch" gap={6}>
              <Panel>
                <form id={FORM_ID} onSubmit={onSubmit} noValidate>
                  <Flex direction="column" alignItems="stretch" gap={4}>
                    <Typography variant="delta" tag="h2">
                      {formatMessage(t('settings.controller.title', 'Data controller'))}
                    </Typography>
                    {!canUpdate && (
                      <Typography variant="pi" textColor="neutral600" data-testid="privacy-centre-settings-readonly">
                        {formatMessage(t('settings.readOnly', 'You may view these settings but not change them.'))}
                      </Typography>
                    )}
                    <Grid.Root gap={4}>
                      {FIELDS.map((field) => (
                        <Grid.Item key={field.name} col={6} s={12} direction="column" alignItems="stretch">
                          <Field.Root
                            name={`controller.${field.name}`}
                            required={field.required}
                            hint={formatMessage(t(`settings.controller.${field.name}.hint`, field.hint))}
                          >
                            <Field.Label>{formatMessage(t(`settings.controller.${field.name}`, field.label))}</Field.Label>
                            <TextInput
                              type={field.type}
                              value={values[field.name]}
                              disabled={!canUpdate}
                              onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
                                setEdited({ ...values, [field.name]: event.target.value })
                              }
                            />
                            <Field.Hint />
                          </Field.Root>
                        </Grid.Item>
                      ))}
                    </Grid.Root>
                  </Flex>
                </form>
              </Panel>
              <NewsletterSettingsPanel saved={saved} canUpdate={canUpdate} onSaved={setSaved} />
              <SubjectsSettingsPanel saved={saved} canUpdate={canUpdate} onSaved={setSaved} />
              <AcceptanceSettingsPanel saved={saved} canUpdate={canUpdate} onSaved={setSaved} />
              <NoticeSettingsPanel saved={saved} canUpdate={canUpdate} onSaved={setSaved} />
              <ConfigSummary config={saved.config} />
            </Flex>
          </Box>
        </Tabs.Content>
        <Tabs.Content value="regions">
          <Box paddingTop={6}>
            {tab === 'regions' && <RegionsTab editor={regions} canUpdate={canUpdate} />}
          </Box>
        </Tabs.Content>
      </Tabs.Root>
    </AreaPage>
  );
};

const ConfigSummary = ({ config }: { config: DescribedConfig }) => {
  const { formatMessage } = useIntl();
  const yesNo = (value: boolean | undefined) =>
    value === undefined ? '–' : formatMessage(value ? t('common.on', 'On') : t('common.off', 'Off'));
  const count = (id: string, defaultMessage: string, value: number | undefined) =>
    value === undefined ? '–' : formatMessage(t(id, defaultMessage), { count: value });
  const days = (value: number | undefined) => count('unit.days', '{count, plural, one {# day} other {# days}}', value);

  const rows: Array<[MessageDescriptor, string]> = [
    [
      t('config.secret', 'Signing secret'),
      formatMessage(
        config.secretConfigured ? t('config.secret.configured', 'Configured') : t('config.secret.missing', 'Not configured')
      ),
    ],
    [t('config.previousSecrets', 'Earlier secrets still accepted'), config.previousSecrets === undefined ? '–' : String(config.previousSecrets)],
    [t('config.publicUrl', 'Public URL used in emails'), config.publicUrl || formatMessage(t('common.notSet', 'Not set'))],
    [t('config.consentValidity', 'Consent valid for'), days(config.consentValidityDays)],
    [
      t('config.ipTruncation', 'IP addresses kept as'),
      config.ipTruncation ? `IPv4 /${config.ipTruncation.ipv4PrefixLength}, IPv6 /${config.ipTruncation.ipv6PrefixLength}` : '–',
    ],
    [t('config.retention.consentRecord', 'Consent records kept for'), days(config.retention?.consentRecordDays)],
    [t('config.retention.auditEvent', 'Audit events kept for'), days(config.retention?.auditEventDays)],
    [t('config.retention.pendingSubscription', 'Unconfirmed subscriptions kept for'), days(config.retention?.pendingSubscriptionDays)],
    [t('config.newsletter.doubleOptIn', 'Double opt-in'), yesNo(config.newsletter?.doubleOptIn)],
    [
      t('config.newsletter.confirmationToken', 'Confirmation link valid for'),
      count('unit.hours', '{count, plural, one {# hour} other {# hours}}', config.newsletter?.confirmationTokenHours),
    ],
    [t('config.newsletter.lists', 'Newsletter lists'), config.newsletter?.lists?.join(', ') || '–'],
    [
      t('config.newsletter.from', 'Newsletter sender'),
      config.newsletter?.from || formatMessage(t('config.newsletter.from.default', "The email plugin's default sender")),
    ],
    [
      t('config.rateLimit', 'Rate limit of public routes'),
      !config.rateLimit
        ? '–'
        : config.rateLimit.enabled
          ? formatMessage(t('config.rateLimit.value', '{max} requests per {window} s per IP address'), {
              max: config.rateLimit.max,
              window: config.rateLimit.windowSeconds,
            })
          : formatMessage(t('common.off', 'Off')),
    ],
    [t('config.cacheTtl', 'Current policy cached for'), count('unit.seconds', '{count, plural, one {# second} other {# seconds}}', config.cacheTtlSeconds)],
    [t('config.cron', 'Scheduled jobs'), yesNo(config.cron?.enabled)],
  ];

  return (
    <Panel data-testid="privacy-centre-settings-config">
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Flex direction="column" alignItems="stretch" gap={1}>
          <Typography variant="delta" tag="h2">
            {formatMessage(t('config.title', 'Configuration'))}
          </Typography>
          <Typography variant="pi" textColor="neutral600">
            {formatMessage(t('config.hint', 'These values come from config/plugins.ts and change only when the server is redeployed.'))}
          </Typography>
        </Flex>
        <FactList facts={rows} />
      </Flex>
    </Panel>
  );
};

const SettingsPage = readProtected('settings', SettingsForm);

export { SettingsPage };
