import * as React from 'react';
import { Button, Checkbox, Dialog, Field, Flex, Textarea, TextInput, Typography } from '@strapi/design-system';
import { Plus, Trash } from '@strapi/icons';
import { ConfirmDialog } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import type { PolicyLocales } from '../../api';
import type { DraftEdit } from '../../hooks/useDraftEdit';
import { t } from '../../utils/getTranslation';
import { LocaleSelect } from './LocaleSelect';
import { SectionsEditor } from './SectionsEditor';

interface DraftFormProps {
  draft: DraftEdit;
  locales: PolicyLocales;
  locale: string;
  setLocale: (code: string) => void;
}

/**
 * The fields of a draft: the material-change flag (one for all languages), the locale switcher,
 * and for the chosen translation its title, summary of changes and sections, or a way to start it.
 */
export const DraftForm = ({ draft, locales, locale, setLocale }: DraftFormProps) => {
  const { formatMessage } = useIntl();
  const { edit, current, present, setCurrent, setMaterialChange, addTranslation, removeTranslation } = draft;
  const { defaultLocale } = locales;

  return (
    <Flex direction="column" alignItems="stretch" gap={5}>
      <Checkbox
        checked={edit.materialChange}
        onCheckedChange={(checked: boolean | 'indeterminate') => setMaterialChange(checked === true)}
      >
        {formatMessage(
          t('policies.materialChange', 'Material change: visitors should be told and may be asked to read it again (all languages)')
        )}
      </Checkbox>
      <Flex gap={4} alignItems="flex-end" wrap="wrap">
        <LocaleSelect locales={locales} present={present} value={locale} onChange={setLocale} />
        {current && locale !== defaultLocale && (
          <Dialog.Root>
            <Dialog.Trigger>
              <Button variant="danger-light" size="S" startIcon={<Trash />}>
                {formatMessage(t('policies.locale.remove', 'Remove this translation'))}
              </Button>
            </Dialog.Trigger>
            <ConfirmDialog onConfirm={removeTranslation}>
              {formatMessage(
                t('policies.locale.remove.body', 'Remove the {locale} translation from this draft? It is deleted when you save.'),
                { locale }
              )}
            </ConfirmDialog>
          </Dialog.Root>
        )}
      </Flex>
      {current ? (
        <>
          <Field.Root name="title" required>
            <Field.Label>{formatMessage(t('policies.title', 'Title'))}</Field.Label>
            <TextInput
              value={current.title}
              onChange={(e: React.ChangeEvent<HTMLInputElement>) => setCurrent({ title: e.target.value })}
            />
          </Field.Root>
          <Field.Root
            name="summary"
            hint={formatMessage(t('policies.summary.hint', 'What changed since the previous version, in a few plain sentences.'))}
          >
            <Field.Label>{formatMessage(t('policies.summary', 'Summary of changes'))}</Field.Label>
            <Textarea
              value={current.summary}
              rows={3}
              onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setCurrent({ summary: e.target.value })}
            />
            <Field.Hint />
          </Field.Root>
          <SectionsEditor sections={current.sections} onChange={(sections) => setCurrent({ sections })} />
        </>
      ) : (
        <Flex direction="column" alignItems="flex-start" gap={3} data-testid="privacy-centre-locale-missing">
          <Typography textColor="neutral800">
            {formatMessage(t('policies.locale.missing', 'This version has no {locale} translation.'), { locale })}
          </Typography>
          <Flex gap={2}>
            {edit.locales[defaultLocale] && (
              <Button startIcon={<Plus />} onClick={() => addTranslation(defaultLocale)}>
                {formatMessage(t('policies.locale.addCopy', 'Translate from {source}'), { source: defaultLocale })}
              </Button>
            )}
            <Button variant="secondary" startIcon={<Plus />} onClick={() => addTranslation(null)}>
              {formatMessage(t('policies.locale.addEmpty', 'Start empty'))}
            </Button>
          </Flex>
        </Flex>
      )}
    </Flex>
  );
};
