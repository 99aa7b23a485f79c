import * as React from 'react';
import { Field, SingleSelect, SingleSelectOption, TextInput, Typography } from '@strapi/design-system';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { COOKIES_API, type CookieCategory, type DiscoveryFinding } from '../../api';
import { useApiAction } from '../../hooks/useApi';
import { t } from '../../utils/getTranslation';
import { localised } from '../../utils/localised';
import { FormModal } from '../FormModal';

interface CategoryNames {
  categories: CookieCategory[];
  locale: string;
  defaultLocale: string;
}

/** A site category as editors know it: its name in the page's language, and its key. */
export const categoryLabel = ({ categories, locale, defaultLocale }: CategoryNames, key: string | null) => {
  if (!key) return null;
  const category = categories.find((c) => c.key === key);
  const name = category ? localised(category.locales, locale, defaultLocale).text?.name : null;
  return name ? `${name} (${key})` : key;
};

interface AddToDeclarationDialogProps extends CategoryNames {
  finding: DiscoveryFinding;
  onClose: () => void;
  onSaved: () => void;
}

/**
 * Adds an undeclared name to the declaration being edited. The server fills provider, purpose and
 * duration from the Open Cookie Database; the editor only confirms the category (prefilled with
 * the database's, when it maps onto one of the site's). The name counts as declared once a
 * revision is published, which the notification says.
 */
export const AddToDeclarationDialog = ({ finding, categories, locale, defaultLocale, onClose, onSaved }: AddToDeclarationDialogProps) => {
  const { formatMessage } = useIntl();
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { isBusy, run } = useApiAction({ holdOnSuccess: true });
  const suggested = finding.suggestion?.category ?? finding.category;
  const [category, setCategory] = React.useState(suggested && categories.some((c) => c.key === suggested) ? suggested : '');

  const onSubmit = () =>
    run(async () => {
      await post(COOKIES_API.discoveryDefinitions, { name: finding.name, storage: finding.storage, category });
      toggleNotification({
        type: 'success',
        message: formatMessage(t('cookies.discovery.added', '{name} added to the declaration being edited: publish a revision for visitors to see it.'), {
          name: finding.name,
        }),
      });
      onSaved();
    });

  return (
    <FormModal
      testId="privacy-centre-discovery-add-dialog"
      title={formatMessage(t('cookies.discovery.addTitle', 'Add {name} to the declaration'), { name: finding.name })}
      submitLabel={formatMessage(t('cookies.discovery.addSubmit', 'Add to the declaration'))}
      canSubmit={Boolean(category)}
      isSubmitting={isBusy}
      onSubmit={onSubmit}
      onClose={onClose}
    >
      <Typography textColor="neutral700" tag="p">
        {finding.suggestion
          ? formatMessage(
              t(
                'cookies.discovery.addPrefilled',
                'Provider, purpose and duration are filled in from the Open Cookie Database ({platform}); check them on the declaration before publishing.',
              ),
              { platform: finding.suggestion.platform },
            )
          : formatMessage(
              t('cookies.discovery.addUnknown', 'The Open Cookie Database does not know this name: describe it on the declaration before publishing.'),
            )}
      </Typography>
      <Field.Root name="category" required>
        <Field.Label>{formatMessage(t('cookies.cookie.category', 'Category'))}</Field.Label>
        <SingleSelect
          value={category}
          placeholder={formatMessage(t('cookies.discovery.chooseCategory', 'Choose a category'))}
          onChange={(value: string | number) => setCategory(String(value))}
        >
          {categories.map((c) => (
            <SingleSelectOption key={c.key} value={c.key}>
              {categoryLabel({ categories, locale, defaultLocale }, c.key)}
            </SingleSelectOption>
          ))}
        </SingleSelect>
      </Field.Root>
    </FormModal>
  );
};

interface IgnoreDialogProps {
  finding: DiscoveryFinding;
  onClose: () => void;
  onSaved: () => void;
}

/** Leaves a name, or a pattern of names (`_hj*`), out of the undeclared list until the rule is removed. */
export const IgnoreDialog = ({ finding, onClose, onSaved }: IgnoreDialogProps) => {
  const { formatMessage } = useIntl();
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { isBusy, run } = useApiAction({ holdOnSuccess: true });
  const [pattern, setPattern] = React.useState(finding.name);
  const [note, setNote] = React.useState('');

  const onSubmit = () =>
    run(async () => {
      const trimmed = pattern.trim();
      await post(COOKIES_API.ignoreRules, { pattern: trimmed, note: note.trim() });
      toggleNotification({
        type: 'success',
        message: formatMessage(t('cookies.discovery.ignored', 'Names matching {pattern} are ignored'), { pattern: trimmed }),
      });
      onSaved();
    });

  return (
    <FormModal
      testId="privacy-centre-discovery-ignore-dialog"
      title={formatMessage(t('cookies.discovery.ignoreTitle', 'Ignore {name}'), { name: finding.name })}
      submitLabel={formatMessage(t('cookies.discovery.ignoreSubmit', 'Ignore'))}
      canSubmit={Boolean(pattern.trim())}
      isSubmitting={isBusy}
      onSubmit={onSubmit}
      onClose={onClose}
    >
      <Field.Root
        name="pattern"
        required
        hint={formatMessage(t('cookies.discovery.pattern.hint', 'A name, or a pattern where * stands for any characters, e.g. _hj*.'))}
      >
        <Field.Label>{formatMessage(t('cookies.discovery.pattern', 'Name or pattern'))}</Field.Label>
        <TextInput value={pattern} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setPattern(e.target.value)} />
        <Field.Hint />
      </Field.Root>
      <Field.Root name="note" hint={formatMessage(t('cookies.discovery.note.hint', 'Why it is ignored, for the next editor.'))}>
        <Field.Label>{formatMessage(t('cookies.discovery.note', 'Note'))}</Field.Label>
        <TextInput value={note} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setNote(e.target.value)} />
        <Field.Hint />
      </Field.Root>
    </FormModal>
  );
};
