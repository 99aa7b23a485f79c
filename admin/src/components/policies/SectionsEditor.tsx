import * as React from 'react';
import { Box, Button, Field, Flex, Grid, IconButton, Textarea, TextInput, Typography } from '@strapi/design-system';
import { ArrowDown, ArrowUp, Plus, Trash } from '@strapi/icons';
import { useIntl } from 'react-intl';

import type { PolicySection } from '../../api';
import { t } from '../../utils/getTranslation';
import { normaliseSections } from '../../utils/policySections';

/** A section being edited; `key` is a React key that survives reordering, never sent to the server. */
export interface EditableSection extends PolicySection {
  key: string;
}

let lastKey = 0;
export const sectionKey = () => `section-${(lastKey += 1)}`;

interface SectionsEditorProps {
  sections: EditableSection[];
  onChange: (sections: EditableSection[]) => void;
}

/**
 * Ordered sections: heading, optional anchor, markdown body. Reordering uses plain up/down
 * buttons: they work with a keyboard and a screen reader, which drag and drop does not by itself.
 */
export const SectionsEditor = ({ sections, onChange }: SectionsEditorProps) => {
  const { formatMessage } = useIntl();
  // The anchors the server will assign, shown as placeholders of empty anchor fields.
  const derived = React.useMemo(() => normaliseSections(sections), [sections]);

  const update = (index: number, patch: Partial<PolicySection>) =>
    onChange(sections.map((section, i) => (i === index ? { ...section, ...patch } : section)));
  const move = (index: number, by: -1 | 1) => {
    const next = [...sections];
    [next[index], next[index + by]] = [next[index + by], next[index]];
    onChange(next);
  };
  const remove = (index: number) => onChange(sections.filter((_, i) => i !== index));
  const add = () => onChange([...sections, { key: sectionKey(), anchor: '', heading: '', markdown: '' }]);

  return (
    <Flex direction="column" alignItems="stretch" gap={4} data-testid="privacy-centre-sections-editor">
      {sections.map((section, index) => {
        const label = formatMessage(t('policies.section.label', 'Section {number}'), { number: index + 1 });
        return (
          <Box
            key={section.key}
            role="group"
            aria-label={label}
            padding={4}
            hasRadius
            background="neutral100"
            borderColor="neutral200"
            borderStyle="solid"
            borderWidth="1px"
            data-testid="privacy-centre-section"
          >
            <Flex direction="column" alignItems="stretch" gap={3}>
              <Flex justifyContent="space-between" alignItems="center">
                <Typography variant="sigma" textColor="neutral600" tag="span" aria-hidden>
                  {label}
                </Typography>
                <Flex gap={1}>
                  <IconButton
                    label={formatMessage(t('policies.section.moveUp', 'Move {section} up'), { section: label })}
                    withTooltip={false}
                    variant="ghost"
                    disabled={index === 0}
                    onClick={() => move(index, -1)}
                  >
                    <ArrowUp />
                  </IconButton>
                  <IconButton
                    label={formatMessage(t('policies.section.moveDown', 'Move {section} down'), { section: label })}
                    withTooltip={false}
                    variant="ghost"
                    disabled={index === sections.length - 1}
                    onClick={() => move(index, 1)}
                  >
                    <ArrowDown />
                  </IconButton>
                  <IconButton
                    label={formatMessage(t('policies.section.remove', 'Remove {section}'), { section: label })}
                    withTooltip={false}
                    variant="ghost"
                    onClick={() => remove(index)}
                  >
                    <Trash />
                  </IconButton>
                </Flex>
              </Flex>
              <Grid.Root gap={3}>
                <Grid.Item col={8} s={12} direction="column" alignItems="stretch">
                  <Field.Root name={`sections.${index}.heading`}>
                    <Field.Label>{formatMessage(t('policies.section.heading', 'Heading'))}</Field.Label>
                    <TextInput
                      value={section.heading}
                      onChange={(e: React.ChangeEvent<HTMLInputElement>) => update(index, { heading: e.target.value })}
                    />
                  </Field.Root>
                </Grid.Item>
                <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
                  <Field.Root
                    name={`sections.${index}.anchor`}
                    hint={formatMessage(t('policies.section.anchor.hint', 'Empty: made from the heading.'))}
                  >
                    <Field.Label>{formatMessage(t('policies.section.anchor', 'Anchor'))}</Field.Label>
                    <TextInput
                      value={section.anchor}
                      placeholder={derived[index]?.anchor}
                      onChange={(e: React.ChangeEvent<HTMLInputElement>) => update(index, { anchor: e.target.value })}
                    />
                    <Field.Hint />
                  </Field.Root>
                </Grid.Item>
              </Grid.Root>
              <Field.Root
                name={`sections.${index}.markdown`}
                hint={formatMessage(
                  t('policies.section.markdown.hint', 'Markdown: lists, links, tables (| a | b |), definition lists. Raw HTML is shown as text.')
                )}
              >
                <Field.Label>{formatMessage(t('policies.section.markdown', 'Text (Markdown)'))}</Field.Label>
                <Textarea
                  value={section.markdown}
                  rows={8}
                  onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => update(index, { markdown: e.target.value })}
                />
                <Field.Hint />
              </Field.Root>
            </Flex>
          </Box>
        );
      })}
      <Box>
        <Button variant="secondary" startIcon={<Plus />} onClick={add} data-testid="privacy-centre-section-add">
          {formatMessage(t('policies.section.add', 'Add a section'))}
        </Button>
      </Box>
    </Flex>
  );
};
