import { Box, Field, SingleSelect, SingleSelectOption } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { PolicyLocales } from '../../api';
import { t } from '../../utils/getTranslation';

interface LocaleSelectProps {
  locales: PolicyLocales;
  /** The locales this version has (or will have once saved). */
  present: string[];
  value: string;
  onChange: (code: string) => void;
}

/** Switches between the translations of this one version; untranslated locales are marked. */
export const LocaleSelect = ({ locales, present, value, onChange }: LocaleSelectProps) => {
  const { formatMessage } = useIntl();
  return (
    <Box maxWidth="32rem">
      <Field.Root name="locale">
        <Field.Label>{formatMessage(t('policies.locale', 'Language'))}</Field.Label>
        <SingleSelect value={value} onChange={(code: string | number) => onChange(String(code))} data-testid="privacy-centre-locale-select">
          {locales.codes.map((code) => {
            const notes = [
              code === locales.defaultLocale ? formatMessage(t('policies.locale.default', 'default')) : null,
              present.includes(code) ? null : formatMessage(t('policies.locale.absent', 'not translated')),
            ].filter(Boolean);
            return (
              <SingleSelectOption key={code} value={code}>
                {notes.length ? `${code} (${notes.join(', ')})` : code}
              </SingleSelectOption>
            );
          })}
        </SingleSelect>
      </Field.Root>
    </Box>
  );
};
