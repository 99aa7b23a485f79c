import * as React from 'react';
import { Field, Flex, Grid, Radio, SingleSelect, SingleSelectOption, Textarea, TextInput, Typography } from '@strapi/design-system';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import {
  COOKIES_API,
  STORAGE_TYPES,
  type CookieCategory,
  type CookieDefinition,
  type DefinitionText,
  type PolicyLocales,
  type StorageType,
} from '../../api';
import { useApiAction } from '../../hooks/useApi';
import { t } from '../../utils/getTranslation';
import { localised } from '../../utils/localised';
import { FormModal } from '../FormModal';
import { LocaleSelect } from '../policies/LocaleSelect';
import { STORAGE_LABELS } from './CategoryCard';
import { useLocaleTexts } from './localeTexts';

const EMPTY: DefinitionText = { purpose: '', duration: '' };

interface CookieDialogProps {
  /** Absent: a new cookie in `category`. */
  definition?: CookieDefinition;
  category: string;
  categories: CookieCategory[];
  locales: PolicyLocales;
  locale: string;
  onClose: () => void;
  onSaved: () => void;
}

type Fields = Pick<CookieDefinition, 'name' | 'category' | 'provider' | 'domain' | 'storageType' | 'thirdParty' | 'service'>;

/**
 * Adds or edits a cookie (or any other storage a site uses: local storage, a pixel…): its name
 * or pattern, category, who sets it and where, and per language what it is for and how long it
 * lasts.
 */
export const CookieDialog = ({ definition, category, categories, locales, locale, onClose, onSaved }: CookieDialogProps) => {
  const { formatMessage } = useIntl();
  const { post, put } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { isBusy, run } = useApiAction({ holdOnSuccess: true });
  const [fields, setFields] = React.useState<Fields>(() => ({
    name: definition?.name ?? '',
    category: definition?.category ?? category,
    provider: definition?.provider ?? '',
    domain: definition?.domain ?? '',
    storageType: definition?.storageType ?? 'cookie',
    thirdParty: definition?.thirdParty ?? false,
    service: definition?.service ?? '',
  }));
  const texts = useLocaleTexts<DefinitionText>(definition?.locales ?? {}, EMPTY, locale);
  const { defaultLocale } = locales;
  const set = (patch: Partial<Fields>) => setFields((all) => ({ ...all, ...patch }));
  const text = (name: 'provider' | 'domain' | 'service') => ({
    value: fields[name],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => set({ [name]: e.target.value }),
  });

  const hasDefaultPurpose = Boolean(texts.texts[defaultLocale]?.purpose.trim());
  const canSubmit = Boolean(fields.name.trim()) && Boolean(fields.category) && hasDefaultPurpose;

  const onSubmit = () =>
    run(async () => {
      const body = {
        ...fields,
        name: fields.name.trim(),
        provider: fields.provider.trim(),
        domain: fields.domain.trim(),
        service: fields.service.trim(),
      };
      if (definition) {
        await put(COOKIES_API.definition(definition.documentId), { ...body, locales: texts.payload(Object.keys(definition.locales)) });
      } else {
        await post(COOKIES_API.definitions, { ...body, locales: texts.payload([]) });
      }
      toggleNotification({
        type: 'success',
        message: formatMessage(definition ? t('cookies.cookie.saved', 'Cookie {name} saved') : t('cookies.cookie.added', 'Cookie {name} added'), {
          name: body.name,
        }),
      });
      onSaved();
    });

  return (
    <FormModal
      testId="privacy-centre-cookie-dialog"
      title={
        definition
          ? formatMessage(t('cookies.cookie.editTitle', 'Edit the cookie {name}'), { name: definition.name })
          : formatMessage(t('cookies.cookie.add', 'Add a cookie'))
      }
      submitLabel={formatMessage(definition ? t('policies.save', 'Save') : t('cookies.cookie.addSubmit', 'Add the cookie'))}
      canSubmit={canSubmit}
      isSubmitting={isBusy}
      onSubmit={onSubmit}
      onClose={onClose}
    >
      <Grid.Root gap={4}>
        <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
          <Field.Root
            name="name"
            required
            hint={formatMessage(t('cookies.cookie.name.hint', 'As stored in the browser; * stands for any characters, e.g. _ga_*.'))}
          >
            <Field.Label>{formatMessage(t('cookies.cookie.name', 'Name or pattern'))}</Field.Label>
            <TextInput value={fields.name} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set({ name: e.target.value })} />
            <Field.Hint />
          </Field.Root>
        </Grid.Item>
        <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
          <Field.Root name="category" required>
            <Field.Label>{formatMessage(t('cookies.cookie.category', 'Category'))}</Field.Label>
            <SingleSelect value={fields.category} onChange={(value: string | number) => set({ category: String(value) })}>
              {categories.map((c) => (
                <SingleSelectOption key={c.key} value={c.key}>
                  {`${localised(c.locales, locale, defaultLocale).text?.name || c.key} (${c.key})`}
                </SingleSelectOption>
              ))}
            </SingleSelect>
          </Field.Root>
        </Grid.Item>
        <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
          <Field.Root name="provider" hint={formatMessage(t('cookies.cookie.provider.hint', 'Who sets it, e.g. Google Ireland Ltd.'))}>
            <Field.Label>{formatMessage(t('cookies.cookie.provider', 'Provider'))}</Field.Label>
            <TextInput {...text('provider')} />
            <Field.Hint />
          </Field.Root>
        </Grid.Item>
        <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
          <Field.Root name="service" hint={formatMessage(t('cookies.cookie.service.hint', 'The product it belongs to, e.g. Google Analytics.'))}>
            <Field.Label>{formatMessage(t('cookies.cookie.service', 'Service'))}</Field.Label>
            <TextInput {...text('service')} />
            <Field.Hint />
          </Field.Root>
        </Grid.Item>
        <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
          <Field.Root name="domain">
            <Field.Label>{formatMessage(t('cookies.cookie.domain', 'Domain'))}</Field.Label>
            <TextInput {...text('domain')} />
          </Field.Root>
        </Grid.Item>
        <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
          <Field.Root name="storageType">
            <Field.Label>{formatMessage(t('cookies.cookie.storage', 'Storage type'))}</Field.Label>
            <SingleSelect value={fields.storageType} onChange={(value: string | number) => set({ storageType: String(value) as StorageType })}>
              {STORAGE_TYPES.map((type) => (
                <SingleSelectOption key={type} value={type}>
                  {formatMessage(STORAGE_LABELS[type])}
                </SingleSelectOption>
              ))}
            </SingleSelect>
          </Field.Root>
        </Grid.Item>
      </Grid.Root>
      <Flex direction="column" alignItems="stretch" gap={2}>
        <Typography variant="pi" fontWeight="bold" id="privacy-centre-cookie-party">
          {formatMessage(t('cookies.cookie.party', 'Set by'))}
        </Typography>
        <Radio.Group
          aria-labelledby="privacy-centre-cookie-party"
          value={fields.thirdParty ? 'third' : 'first'}
          onValueChange={(value: string) => set({ thirdParty: value === 'third' })}
        >
          <Radio.Item value="first">{formatMessage(t('cookies.party.first.long', 'First party: this site'))}</Radio.Item>
          <Radio.Item value="third">{formatMessage(t('cookies.party.third.long', 'Third party: another company'))}</Radio.Item>
        </Radio.Group>
      </Flex>
      <Flex direction="column" alignItems="stretch" gap={3}>
        <LocaleSelect locales={locales} present={texts.present} value={texts.locale} onChange={texts.setLocale} />
        <Field.Root
          name="purpose"
          required={texts.locale === defaultLocale}
          hint={
            texts.locale === defaultLocale
              ? undefined
              : formatMessage(t('cookies.translation.hint', 'Leave empty to show the {locale} text in this language.'), { locale: defaultLocale })
          }
        >
          <Field.Label>{formatMessage(t('cookies.cookie.purpose', 'Purpose'))}</Field.Label>
          <Textarea
            value={texts.current.purpose}
            rows={3}
            onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => texts.setCurrent({ purpose: e.target.value })}
          />
          <Field.Hint />
        </Field.Root>
        <Field.Root name="duration" hint={formatMessage(t('cookies.cookie.duration.hint', 'How long it is kept, e.g. 2 years, or the session.'))}>
          <Field.Label>{formatMessage(t('cookies.cookie.duration', 'Duration'))}</Field.Label>
          <TextInput value={texts.current.duration} onChange={(e: React.ChangeEvent<HTMLInputElement>) => texts.setCurrent({ duration: e.target.value })} />
          <Field.Hint />
        </Field.Root>
        {!hasDefaultPurpose && (
          <Typography variant="pi" textColor="neutral600">
            {formatMessage(t('cookies.cookie.defaultPurpose', 'A purpose in {locale} (the default language) is required.'), { locale: defaultLocale })}
          </Typography>
        )}
      </Flex>
    </FormModal>
  );
};
