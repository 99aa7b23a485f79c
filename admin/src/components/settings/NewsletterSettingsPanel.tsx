import * as React from 'react';
import {
  Alert,
  Box,
  Button,
  Field,
  Flex,
  Grid,
  SingleSelect,
  SingleSelectOption,
  Textarea,
  TextInput,
  Toggle,
  Typography,
} from '@strapi/design-system';
import { Check } from '@strapi/icons';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { API, type EmailTemplate, type NewsletterSettings, type SettingsResponse } from '../../api';
import { useNotifyApiError } from '../../hooks/useApi';
import { t } from '../../utils/getTranslation';
import { defaultTemplate, missingLinks, PLACEHOLDERS, renderTemplate, sampleValues, TEXT_LOCALES, unknownPlaceholders } from '../../utils/templatePreview';
import { Panel } from '../Panel';

type Saved = SettingsResponse['data'];

const FORM_ID = 'privacy-centre-newsletter-settings-form';

const TEXT_FIELDS: ReadonlyArray<{ name: 'from' | 'mailto' | 'confirmRedirectUrl' | 'unsubscribeRedirectUrl'; label: string; hint: string; type: string }> = [
  { name: 'from', label: 'Sender', hint: "An address, or Name '<address>'. Empty: the email plugin’s default sender.", type: 'text' },
  { name: 'mailto', label: 'Unsubscribe by e-mail', hint: 'Added to List-Unsubscribe as a mailto: target. Empty: the link only.', type: 'email' },
  { name: 'confirmRedirectUrl', label: 'Confirmation page on your site', hint: 'A frontend page that shows the Confirm button itself. Empty: the plugin’s page.', type: 'url' },
  { name: 'unsubscribeRedirectUrl', label: 'Unsubscribe page on your site', hint: 'A frontend page that shows the Unsubscribe button itself. Empty: the plugin’s page.', type: 'url' },
];

/** The server's message, split into its problems ("a; b" → [a, b]). */
const problemsOf = (error: unknown): string[] => {
  const message = (error as any)?.response?.data?.error?.message;
  return typeof message === 'string' && message ? message.split('; ') : [];
};

/**
 * The newsletter part of the settings, with its own Save: double opt-in, sender, List-Unsubscribe
 * mailto, frontend pages for the links, and the confirmation e-mail per language with a preview
 * filled the way the server fills it. The server validates; its problems are listed here.
 */
export const NewsletterSettingsPanel = ({ saved, canUpdate, onSaved }: { saved: Saved; canUpdate: boolean; onSaved: (next: Saved) => void }) => {
  const { formatMessage } = useIntl();
  const { put } = useFetchClient();
  const { toggleNotification } = useNotification();
  const notifyError = useNotifyApiError();
  const [edited, setEdited] = React.useState<NewsletterSettings | null>(null);
  const [problems, setProblems] = React.useState<string[]>([]);
  const [isSaving, setIsSaving] = React.useState(false);
  const values = edited ?? saved.settings.newsletter;
  const isDirty = JSON.stringify(values) !== JSON.stringify(saved.settings.newsletter);
  const set = (patch: Partial<NewsletterSettings>) => setEdited({ ...values, ...patch });

  const locales = [...new Set([...TEXT_LOCALES, ...Object.keys(values.templates)])];
  const [locale, setLocale] = React.useState<string>(locales[0]);
  const override = values.templates[locale];
  const template = override ?? defaultTemplate(locale);
  const setTemplate = (next: EmailTemplate | null) => {
    const templates = { ...values.templates };
    if (next) templates[locale] = next;
    else delete templates[locale];
    set({ templates });
  };
  const samples = React.useMemo(
    () => sampleValues(saved.config, saved.settings.controller, window.location.origin),
    [saved.config, saved.settings.controller]
  );
  const preview = renderTemplate(template, samples);
  const unknown = unknownPlaceholders(template);
  const missing = missingLinks(template);

  const onSubmit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!canUpdate || isSaving) return;
    setIsSaving(true);
    try {
      // The controller as saved: its own form saves its own edits.
      const { data } = await put<SettingsResponse>(API.settings, { controller: saved.settings.controller, newsletter: values });
      setProblems([]);
      setEdited(null);
      onSaved(data.data);
      toggleNotification({ type: 'success', message: formatMessage(t('settings.newsletter.saved', 'Newsletter settings saved')) });
    } catch (error) {
      setProblems(problemsOf(error));
      notifyError(error);
    } finally {
      setIsSaving(false);
    }
  };

  return (
    <Panel tag="section" aria-labelledby="privacy-centre-settings-newsletter-title" data-testid="privacy-centre-settings-newsletter">
      <form id={FORM_ID} onSubmit={onSubmit} noValidate>
        <Flex direction="column" alignItems="stretch" gap={5}>
          <Flex justifyContent="space-between" alignItems="center" gap={4} wrap="wrap">
            <Flex direction="column" alignItems="flex-start" gap={1}>
              <Typography variant="delta" tag="h2" id="privacy-centre-settings-newsletter-title">
                {formatMessage(t('settings.newsletter.title', 'Newsletter'))}
              </Typography>
              <Typography variant="pi" textColor="neutral600">
                {formatMessage(t('settings.newsletter.hint', 'How people subscribe, and the confirmation e-mail they receive.'))}
              </Typography>
            </Flex>
            {canUpdate && (
              <Flex gap={2}>
                <Button variant="tertiary" disabled={!isDirty || isSaving} onClick={() => (setEdited(null), setProblems([]))}>
                  {formatMessage(t('settings.newsletter.discard', 'Discard changes'))}
                </Button>
                <Button type="submit" startIcon={<Check />} loading={isSaving} disabled={!isDirty} data-testid="privacy-centre-settings-newsletter-save">
                  {formatMessage(t('settings.newsletter.save', 'Save newsletter settings'))}
                </Button>
              </Flex>
            )}
          </Flex>
          {problems.length > 0 && (
            <Alert
              variant="danger"
              closeLabel={formatMessage(t('common.close', 'Close'))}
              title={formatMessage(t('settings.newsletter.invalid', 'Not saved: the server refused these values'))}
              onClose={() => setProblems([])}
              data-testid="privacy-centre-settings-newsletter-errors"
            >
              <Box tag="ul" paddingLeft={4} style={{ listStyle: 'disc' }}>
                {problems.map((problem) => (
                  <li key={problem}>{problem}</li>
                ))}
              </Box>
            </Alert>
          )}
          <Grid.Root gap={4}>
            <Grid.Item col={12} direction="column" alignItems="stretch">
              <Field.Root
                name="newsletter.doubleOptIn"
                hint={formatMessage(
                  t('settings.newsletter.doubleOptIn.hint', 'On: a new address is subscribed only after it confirms through the link in an e-mail (recommended; it proves the consent). Off: subscribed at once.')
                )}
              >
                <Field.Label>{formatMessage(t('config.newsletter.doubleOptIn', 'Double opt-in'))}</Field.Label>
                <Toggle
                  onLabel={formatMessage(t('common.on', 'On'))}
                  offLabel={formatMessage(t('common.off', 'Off'))}
                  checked={values.doubleOptIn}
                  disabled={!canUpdate}
                  onChange={(e: React.ChangeEvent<HTMLInputElement>) => set({ doubleOptIn: e.target.checked })}
                />
                <Field.Hint />
              </Field.Root>
            </Grid.Item>
            {TEXT_FIELDS.map((field) => (
              <Grid.Item key={field.name} col={6} s={12} direction="column" alignItems="stretch">
                <Field.Root name={`newsletter.${field.name}`} hint={formatMessage(t(`settings.newsletter.${field.name}.hint`, field.hint))}>
                  <Field.Label>{formatMessage(t(`settings.newsletter.${field.name}`, field.label))}</Field.Label>
                  <TextInput
                    type={field.type}
                    value={values[field.name]}
                    disabled={!canUpdate}
                    onChange={(e: React.ChangeEvent<HTMLInputElement>) => set({ [field.name]: e.target.value })}
                  />
                  <Field.Hint />
                </Field.Root>
              </Grid.Item>
            ))}
          </Grid.Root>

          <Flex direction="column" alignItems="stretch" gap={1}>
            <Typography variant="epsilon" fontWeight="bold" tag="h3">
              {formatMessage(t('settings.newsletter.template.title', 'Confirmation e-mail'))}
            </Typography>
            <Typography variant="pi" textColor="neutral600">
              {formatMessage(t('settings.newsletter.template.placeholders', 'Placeholders: {placeholders}. The text must contain {links}.'), {
                placeholders: PLACEHOLDERS.map((p) => `{{${p}}}`).join(', '),
                links: '{{confirmUrl}}, {{unsubscribeUrl}}',
              })}
            </Typography>
          </Flex>
          <Grid.Root gap={6}>
            <Grid.Item col={6} s={12} direction="column" alignItems="stretch" gap={4}>
              <Flex gap={4} alignItems="flex-end" wrap="wrap">
                <Box minWidth="16rem">
                  <Field.Root name="templateLocale">
                    <Field.Label>{formatMessage(t('settings.newsletter.template.locale', 'Language of the e-mail'))}</Field.Label>
                    <SingleSelect value={locale} onChange={(value: string | number) => setLocale(String(value))}>
                      {locales.map((code) => (
                        <SingleSelectOption key={code} value={code}>
                          {values.templates[code]
                            ? formatMessage(t('settings.newsletter.template.localeCustom', '{code} (customised)'), { code })
                            : code}
                        </SingleSelectOption>
                      ))}
                    </SingleSelect>
                  </Field.Root>
                </Box>
                {canUpdate &&
                  (override ? (
                    <Button variant="tertiary" onClick={() => setTemplate(null)} data-testid="privacy-centre-template-reset">
                      {formatMessage(t('settings.newsletter.template.useDefault', 'Use the plugin’s text'))}
                    </Button>
                  ) : (
                    <Button variant="secondary" onClick={() => setTemplate({ ...defaultTemplate(locale) })} data-testid="privacy-centre-template-customise">
                      {formatMessage(t('settings.newsletter.template.customise', 'Customise this text'))}
                    </Button>
                  ))}
              </Flex>
              {!override && (
                <Typography variant="pi" textColor="neutral600" data-testid="privacy-centre-template-default">
                  {formatMessage(t('settings.newsletter.template.isDefault', 'This language uses the plugin’s own text, shown in the preview.'))}
                </Typography>
              )}
              {override && (
                <>
                  <Field.Root name={`newsletter.templates.${locale}.subject`}>
                    <Field.Label>{formatMessage(t('settings.newsletter.template.subject', 'Subject'))}</Field.Label>
                    <TextInput
                      value={override.subject}
                      disabled={!canUpdate}
                      onChange={(e: React.ChangeEvent<HTMLInputElement>) => setTemplate({ ...override, subject: e.target.value })}
                    />
                  </Field.Root>
                  <Field.Root
                    name={`newsletter.templates.${locale}.text`}
                    error={
                      missing.length
                        ? formatMessage(t('settings.newsletter.template.missing', 'The text must contain {missing}.'), {
                            missing: missing.map((m) => `{{${m}}}`).join(', '),
                          })
                        : undefined
                    }
                    hint={
                      unknown.length
                        ? formatMessage(t('settings.newsletter.template.unknown', 'Unknown placeholders are sent as typed: {unknown}'), {
                            unknown: unknown.map((u) => `{{${u}}}`).join(', '),
                          })
                        : undefined
                    }
                  >
                    <Field.Label>{formatMessage(t('settings.newsletter.template.text', 'Text'))}</Field.Label>
                    <Textarea
                      value={override.text}
                      disabled={!canUpdate}
                      rows={14}
                      onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setTemplate({ ...override, text: e.target.value })}
                    />
                    <Field.Hint />
                    <Field.Error />
                  </Field.Root>
                </>
              )}
            </Grid.Item>
            <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
              <Box
                width="100%"
                padding={4}
                hasRadius
                background="neutral100"
                borderColor="neutral200"
                borderStyle="solid"
                borderWidth="1px"
                data-testid="privacy-centre-template-preview"
                aria-live="polite"
              >
                <Flex direction="column" alignItems="stretch" gap={3}>
                  <Typography variant="sigma" textColor="neutral600">
                    {formatMessage(t('settings.newsletter.preview', 'Preview, with sample values'))}
                  </Typography>
                  <Typography fontWeight="bold" tag="p" data-testid="privacy-centre-template-preview-subject">
                    {preview.subject}
                  </Typography>
                  <Box
                    tag="pre"
                    data-testid="privacy-centre-template-preview-text"
                    style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', fontFamily: 'inherit', fontSize: '1.3rem', margin: 0 }}
                  >
                    {preview.text}
                  </Box>
                </Flex>
              </Box>
            </Grid.Item>
          </Grid.Root>
        </Flex>
      </form>
    </Panel>
  );
};
