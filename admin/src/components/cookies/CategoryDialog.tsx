import * as React from 'react';
import { Checkbox, Field, Flex, SingleSelect, SingleSelectOption, Textarea, TextInput, Typography } from '@strapi/design-system';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { CONSENT_MODE_SIGNALS, COOKIES_API, type CategoryText, type ConsentModeSignal, type CookieCategory, type PolicyLocales } from '../../api';
import { useApiAction } from '../../hooks/useApi';
import { t } from '../../utils/getTranslation';
import { FormModal } from '../FormModal';
import { LocaleSelect } from '../policies/LocaleSelect';
import { useLocaleTexts } from './localeTexts';
import { C15T_CONSENT_TYPES, defaultC15tType, type C15tConsentType } from '../../../../server/src/c15t/consent-types';
import { saleShareOf } from '../../../../server/src/regions/categories';

/** The select's value for "no choice: the default for the key". */
const DEFAULT_TYPE = 'default';

/** The server's rule for a category key (content-types/cookie-category). */
const KEY_PATTERN = /^[a-z][a-z0-9_-]*$/;

const EMPTY: CategoryText = { name: '', description: '' };

interface CategoryDialogProps {
  /** Absent: a new category. */
  category?: CookieCategory;
  locales: PolicyLocales;
  /** The language the page shows: the dialog opens on it. */
  locale: string;
  existingKeys: string[];
  onClose: () => void;
  onSaved: () => void;
}

/**
 * Adds or edits a category: its key (fixed once created: consents and frontends refer to it),
 * name and description per language, whether it is required, the Google Consent Mode v2 signals
 * it grants, and whether a Global Privacy Control signal refuses it.
 */
export const CategoryDialog = ({ category, locales, locale, existingKeys, onClose, onSaved }: CategoryDialogProps) => {
  const { formatMessage } = useIntl();
  const { post, put } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { isBusy, run } = useApiAction({ holdOnSuccess: true });
  const [key, setKey] = React.useState(category?.key ?? '');
  const [required, setRequired] = React.useState(category?.required ?? false);
  const [refusedUnderGpc, setRefusedUnderGpc] = React.useState(category?.refusedUnderGpc ?? false);
  const [consentMode, setConsentMode] = React.useState<ConsentModeSignal[]>(category?.consentMode ?? []);
  // null: the default (marketing sells or shares); a tick makes the choice explicit.
  const [saleShare, setSaleShare] = React.useState<boolean | null>(category?.saleShare ?? null);
  const [c15tType, setC15tType] = React.useState<C15tConsentType | null>(category?.c15tType ?? null);
  const texts = useLocaleTexts<CategoryText>(category?.locales ?? {}, EMPTY, locale);
  const { defaultLocale } = locales;

  const keyError =
    !category && key !== ''
      ? !KEY_PATTERN.test(key)
        ? formatMessage(t('cookies.key.invalid', 'Start with a lowercase letter; then lowercase letters, digits, - and _.'))
        : existingKeys.includes(key)
          ? formatMessage(t('cookies.key.taken', 'A category with this key exists already.'))
          : undefined
      : undefined;
  const hasDefaultName = Boolean(texts.texts[defaultLocale]?.name.trim());
  const canSubmit = Boolean(key) && !keyError && hasDefaultName;

  const toggleSignal = (signal: ConsentModeSignal, on: boolean) =>
    setConsentMode((all) => CONSENT_MODE_SIGNALS.filter((s) => (s === signal ? on : all.includes(s))));

  const onSubmit = () =>
    run(async () => {
      // A required category is never refused, GPC or not.
      const settings = { required, consentMode, refusedUnderGpc: required ? false : refusedUnderGpc, c15tType, saleShare: required ? null : saleShare };
      if (category) {
        await put(COOKIES_API.category(category.key), { ...settings, locales: texts.payload(Object.keys(category.locales)) });
      } else {
        await post(COOKIES_API.categories, { key, ...settings, locales: texts.payload([]) });
      }
      toggleNotification({
        type: 'success',
        message: formatMessage(
          category ? t('cookies.category.saved', 'Category {key} saved') : t('cookies.category.added', 'Category {key} added'),
          { key }
        ),
      });
      onSaved();
    });

  return (
    <FormModal
      testId="privacy-centre-cookie-category-dialog"
      title={
        category
          ? formatMessage(t('cookies.category.editTitle', 'Edit the category {key}'), { key: category.key })
          : formatMessage(t('cookies.category.add', 'Add a category'))
      }
      submitLabel={formatMessage(category ? t('policies.save', 'Save') : t('cookies.category.addSubmit', 'Add the category'))}
      canSubmit={canSubmit}
      isSubmitting={isBusy}
      onSubmit={onSubmit}
      onClose={onClose}
    >
      <Field.Root
        name="key"
        required
        error={keyError}
        hint={formatMessage(
          category
            ? t('cookies.key.fixed', 'The key cannot change: recorded consents and frontends refer to it.')
            : t('cookies.key.hint', 'Names the category in the public API and in consent records, e.g. statistics. It cannot change later.')
        )}
      >
        <Field.Label>{formatMessage(t('cookies.key', 'Key'))}</Field.Label>
        <TextInput value={key} disabled={Boolean(category)} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setKey(e.target.value.trim())} />
        <Field.Error />
        <Field.Hint />
      </Field.Root>
      <Flex direction="column" alignItems="stretch" gap={3}>
        <LocaleSelect locales={locales} present={texts.present} value={texts.locale} onChange={texts.setLocale} />
        <Field.Root
          name="name"
          required={texts.locale === defaultLocale}
          hint={
            texts.locale === defaultLocale
              ? undefined
              : formatMessage(t('cookies.translation.hint', 'Leave empty to show the {locale} text in this language.'), { locale: defaultLocale })
          }
        >
          <Field.Label>{formatMessage(t('cookies.category.name', 'Name'))}</Field.Label>
          <TextInput value={texts.current.name} onChange={(e: React.ChangeEvent<HTMLInputElement>) => texts.setCurrent({ name: e.target.value })} />
          <Field.Hint />
        </Field.Root>
        <Field.Root name="description">
          <Field.Label>{formatMessage(t('cookies.category.description', 'Description'))}</Field.Label>
          <Textarea
            value={texts.current.description}
            rows={3}
            onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => texts.setCurrent({ description: e.target.value })}
          />
        </Field.Root>
        {!hasDefaultName && (
          <Typography variant="pi" textColor="neutral600" data-testid="privacy-centre-cookie-default-name">
            {formatMessage(t('cookies.category.defaultName', 'A name in {locale} (the default language) is required.'), { locale: defaultLocale })}
          </Typography>
        )}
      </Flex>
      <Checkbox checked={required} onCheckedChange={(checked: boolean | 'indeterminate') => setRequired(checked === true)} name="required">
        {formatMessage(t('cookies.category.required', 'Required (strictly necessary): always granted, visitors cannot refuse it'))}
      </Checkbox>
      <Checkbox
        checked={refusedUnderGpc && !required}
        onCheckedChange={(checked: boolean | 'indeterminate') => setRefusedUnderGpc(checked === true)}
        name="refusedUnderGpc"
        disabled={required}
      >
        {formatMessage(t('cookies.category.gpc', 'Refused when the browser sends a Global Privacy Control signal (Sec-GPC: 1)'))}
      </Checkbox>
      <Checkbox
        checked={!required && (saleShare ?? saleShareOf({ key, required, c15tType: c15tType ?? undefined }))}
        onCheckedChange={(checked: boolean | 'indeterminate') => setSaleShare(checked === true)}
        name="saleShare"
        disabled={required}
      >
        {formatMessage(
          t('cookies.category.saleShare', 'Sells or shares personal information (US opt-out laws): refused by a "Do Not Sell or Share" opt-out, and by GPC where an opt-out law applies')
        )}
      </Checkbox>
      <Flex direction="column" alignItems="stretch" gap={2} tag="fieldset" style={{ border: 0, padding: 0, margin: 0 }}>
        <Typography variant="pi" fontWeight="bold" tag="legend">
          {formatMessage(t('cookies.category.consentMode', 'Google Consent Mode v2 signals granted with this category'))}
        </Typography>
        <Flex wrap="wrap" gap={3}>
          {CONSENT_MODE_SIGNALS.map((signal) => (
            <Checkbox
              key={signal}
              name={`consentMode.${signal}`}
              checked={consentMode.includes(signal)}
              onCheckedChange={(checked: boolean | 'indeterminate') => toggleSignal(signal, checked === true)}
            >
              {signal}
            </Checkbox>
          ))}
        </Flex>
      </Flex>
      <Field.Root
        name="c15tType"
        hint={formatMessage(
          t('cookies.category.c15tType.hint', 'The switch of a c15t banner that grants this category (c15t backend, /api/privacy-centre/c15t).')
        )}
      >
        <Field.Label>{formatMessage(t('cookies.category.c15tType', 'c15t consent type'))}</Field.Label>
        <SingleSelect
          value={c15tType ?? DEFAULT_TYPE}
          onChange={(value: string | number) => setC15tType(value === DEFAULT_TYPE ? null : (String(value) as C15tConsentType))}
          data-testid="privacy-centre-category-c15t-type"
        >
          <SingleSelectOption value={DEFAULT_TYPE}>
            {formatMessage(t('cookies.category.c15tType.default', 'Default for the key ({type})'), { type: defaultC15tType({ key: key || '-', required }) })}
          </SingleSelectOption>
          {C15T_CONSENT_TYPES.map((type) => (
            <SingleSelectOption key={type} value={type}>
              {type}
            </SingleSelectOption>
          ))}
        </SingleSelect>
        <Field.Hint />
      </Field.Root>
    </FormModal>
  );
};
