import * as React from 'react';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { API, type PolicyLocaleContent, type PolicyVersion, type PolicyVersionResponse } from '../api';
import { sectionKey, type EditableSection } from '../components/policies/SectionsEditor';
import { t } from '../utils/getTranslation';
import { useApiAction, useNotifyApiError } from './useApi';
import { useUnsavedChangesGuard } from './useUnsavedChangesGuard';

export interface EditableLocale {
  title: string;
  summary: string;
  sections: EditableSection[];
}

/**
 * The unsaved state of a draft. A locale set to null is a translation to remove on save
 * (`locales: {fi: null}` in the PUT body), as the server's API expresses it.
 */
export interface EditState {
  materialChange: boolean;
  locales: Record<string, EditableLocale | null>;
}

const toEditableLocale = (content: PolicyLocaleContent): EditableLocale => ({
  title: content.title,
  summary: content.summary ?? '',
  sections: content.sections.map((s) => ({ ...s, key: sectionKey() })),
});

const toEditState = (version: PolicyVersion): EditState => ({
  materialChange: version.materialChange,
  locales: Object.fromEntries(Object.entries(version.locales).map(([code, content]) => [code, toEditableLocale(content)])),
});

/** What the server stores for a locale: the sections without their React keys. */
const toContent = (locale: EditableLocale): PolicyLocaleContent => ({
  title: locale.title,
  summary: locale.summary,
  sections: locale.sections.map(({ anchor, heading, markdown }) => ({ anchor, heading, markdown })),
});

const sameContent = (a: PolicyLocaleContent, b: PolicyLocaleContent) =>
  JSON.stringify([a.title, a.summary ?? '', a.sections]) === JSON.stringify([b.title, b.summary ?? '', b.sections]);

/** The locales whose content differs from what is saved: exactly what a PUT must carry. */
function changedLocales(saved: PolicyVersion, edit: EditState): Record<string, PolicyLocaleContent | null> {
  const changes: Record<string, PolicyLocaleContent | null> = {};
  for (const [code, value] of Object.entries(edit.locales)) {
    const stored = saved.locales[code];
    if (value === null) {
      if (stored) changes[code] = null;
    } else if (!stored || !sameContent(stored, toContent(value))) {
      changes[code] = toContent(value);
    }
  }
  return changes;
}

interface DraftEditOptions {
  /** The draft as last saved. */
  saved: PolicyVersion;
  /** The translation being edited. */
  locale: string;
  onSaved: (version: PolicyVersion) => void;
  onDeleted: () => void;
}

/**
 * The edits of one draft and what can be done with them: change the material-change flag or the
 * current translation, add or remove a translation, save (a PUT carrying only what changed),
 * delete the draft. Unsaved edits are guarded against leaving the page.
 */
export const useDraftEdit = ({ saved, locale, onSaved, onDeleted }: DraftEditOptions) => {
  const { formatMessage } = useIntl();
  const { put, del } = useFetchClient();
  const { toggleNotification } = useNotification();
  const notifyError = useNotifyApiError();
  // The server names what is wrong, e.g. "title is required" or an unknown locale.
  const { isBusy: isSaving, run } = useApiAction();

  const [edit, setEdit] = React.useState<EditState>(() => toEditState(saved));

  const changes = changedLocales(saved, edit);
  const isDirty = Object.keys(changes).length > 0 || edit.materialChange !== saved.materialChange;

  // Reloading, closing the tab or leaving the page would lose unsaved policy text: ask first.
  const leaveGuard = useUnsavedChangesGuard(isDirty);

  const current = edit.locales[locale] ?? null;
  // Stable between unrelated renders, so the preview and the diff recompute only on edits.
  const currentContent = React.useMemo(() => (current ? toContent(current) : null), [current]);
  const setCurrent = (patch: Partial<EditableLocale>) =>
    setEdit((state) => ({ ...state, locales: { ...state.locales, [locale]: { ...state.locales[locale]!, ...patch } } }));

  const setMaterialChange = (materialChange: boolean) => setEdit((state) => ({ ...state, materialChange }));

  const addTranslation = (copyFrom: string | null) => {
    const source = copyFrom ? edit.locales[copyFrom] : null;
    const content: EditableLocale = source
      ? { ...source, sections: source.sections.map((s) => ({ ...s, key: sectionKey() })) }
      : { title: '', summary: '', sections: [] };
    setEdit((state) => ({ ...state, locales: { ...state.locales, [locale]: content } }));
  };

  const removeTranslation = () =>
    setEdit((state) => {
      const locales = { ...state.locales };
      // A locale the server has is removed with null on save; one only added here just goes.
      if (saved.locales[locale]) locales[locale] = null;
      else delete locales[locale];
      return { ...state, locales };
    });

  const save = () => {
    if (!isDirty) return;
    run(async () => {
      const { data } = await put<PolicyVersionResponse>(API.policyDraft(saved.documentId), {
        materialChange: edit.materialChange,
        locales: changes,
      });
      setEdit(toEditState(data.data));
      onSaved(data.data);
      toggleNotification({ type: 'success', message: formatMessage(t('policies.saved', 'Draft saved')) });
    });
  };

  const deleteDraft = async () => {
    try {
      await del(API.policyDraft(saved.documentId));
      toggleNotification({ type: 'success', message: formatMessage(t('policies.deleted', 'Draft deleted')) });
      // Nothing is left to save: unsaved edits of a deleted draft are not worth a question.
      leaveGuard.allowLeaving();
      onDeleted();
    } catch (error) {
      notifyError(error);
    }
  };

  /** The translations the draft will have once saved. */
  const present = Object.keys(edit.locales).filter((code) => edit.locales[code] !== null);

  return {
    edit,
    current,
    currentContent,
    present,
    isDirty,
    isSaving,
    setCurrent,
    setMaterialChange,
    addTranslation,
    removeTranslation,
    save,
    deleteDraft,
    leaveGuard,
  };
};

export type DraftEdit = ReturnType<typeof useDraftEdit>;
