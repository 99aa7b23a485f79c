import * as React from 'react';
import {
  Box,
  Button,
  Checkbox,
  Dialog,
  Field,
  Flex,
  Grid,
  Link as DSLink,
  SingleSelect,
  SingleSelectOption,
  Tabs,
  Textarea,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { ArrowLeft, Check, Plus, Trash, Upload } from '@strapi/icons';
import { ConfirmDialog, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { NavLink, useNavigate, useParams, useSearchParams } from 'react-router-dom';

import {
  API,
  type PoliciesResponse,
  type PolicyDocument,
  type PolicyLocaleContent,
  type PolicyLocales,
  type PolicyVersion,
  type PolicyVersionResponse,
} from '../api';
import { AreaPage } from '../components/AreaPage';
import { FactList } from '../components/FactList';
import { PendingPage, readProtected } from '../components/PageHelpers';
import { Panel } from '../components/Panel';
import { PolicyDiff } from '../components/policies/PolicyDiff';
import { PolicyPreview } from '../components/policies/PolicyPreview';
import { PolicyStatusBadge, STATUS_LABELS } from '../components/policies/PolicyStatusBadge';
import { PublishDialog } from '../components/policies/PublishDialog';
import { SectionsEditor, sectionKey, type EditableSection } from '../components/policies/SectionsEditor';
import { WithdrawButton } from '../components/policies/WithdrawButton';
import { useApiAction, useApiData, useNotifyApiError } from '../hooks/useApi';
import { useAllowedActions } from '../hooks/useAllowedActions';
import { useUnsavedChangesGuard } from '../hooks/useUnsavedChangesGuard';
import { t } from '../utils/getTranslation';
import { POLICIES_PATH } from './routes';

interface EditableLocale {
  title: string;
  summary: string;
  sections: EditableSection[];
}

/**
 * The unsaved state of a draft. A locale set to null is a translation to remove on save
 * (`locales: {fi: null}` in the PUT body), as the server's API expresses it.
 */
interface EditState {
  materialChange: boolean;
  locales: Record<string, EditableLocale | null>;
}

interface Loaded {
  version: PolicyVersion;
  locales: PolicyLocales;
  /** The slug's entry in the list: its versions (for the next number) and the one in force. */
  doc: PolicyDocument | undefined;
  inForce: PolicyVersion | null;
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

/** Another version's URL starts afresh: nothing loaded or typed for one version shows on another's page. */
const PolicyVersionRoute = () => {
  const { documentId = '' } = useParams<{ documentId: string }>();
  return <PolicyVersionView key={documentId} documentId={documentId} />;
};

const PolicyVersionPage = readProtected('policies', PolicyVersionRoute);

/**
 * One policy version. A draft opens in the editor for users holding `policies.update`; anything
 * else (a published version, or a draft for a read-only user) opens read-only. A published
 * version is frozen, so no edit control is ever offered for it.
 */
const PolicyVersionView = ({ documentId }: { documentId: string }) => {
  const [searchParams, setSearchParams] = useSearchParams();
  const navigate = useNavigate();
  const { formatMessage, formatDate } = useIntl();
  const { get } = useFetchClient();
  const { can, isLoading: isLoadingPermissions } = useAllowedActions();

  const load = React.useCallback(async (): Promise<Loaded> => {
    const [{ data: one }, { data: list }] = await Promise.all([
      get<PolicyVersionResponse>(API.policyVersion(documentId)),
      get<PoliciesResponse>(API.policies),
    ]);
    const version = one.data;
    const doc = list.data.find((d) => d.slug === version.slug);
    const inForceId = doc?.inForceDocumentId ?? null;
    let inForce: PolicyVersion | null = null;
    if (inForceId === version.documentId) inForce = version;
    else if (inForceId) inForce = (await get<PolicyVersionResponse>(API.policyVersion(inForceId))).data.data;
    return { version, locales: list.meta, doc, inForce };
  }, [documentId, get]);
  const { data: loaded, setData: setLoaded, failed, reload } = useApiData(load);

  if (failed || !loaded || isLoadingPermissions) return <PendingPage failed={failed} />;

  const { version } = loaded;
  const wanted = searchParams.get('locale');
  const locale =
    wanted && loaded.locales.codes.includes(wanted)
      ? wanted
      : version.locales[loaded.locales.defaultLocale]
        ? loaded.locales.defaultLocale
        : Object.keys(version.locales)[0] ?? loaded.locales.defaultLocale;
  // The locale lives in the URL, so a link (or the import dialog) can open a given translation.
  const setLocale = (code: string) => setSearchParams({ locale: code }, { replace: true });

  const statusLine = formatMessage(STATUS_LABELS[version.status]);
  const title =
    version.version === null
      ? formatMessage(t('policies.editor.titleDraft', '{slug}: draft'), { slug: version.slug })
      : formatMessage(t('policies.editor.titleVersion', '{slug}: version {version}'), { slug: version.slug, version: version.version });
  const backLink = (
    <DSLink tag={NavLink} to={POLICIES_PATH} startIcon={<ArrowLeft />}>
      {formatMessage(t('policies.back', 'All policies'))}
    </DSLink>
  );

  if (version.status === 'draft' && can('policies', 'update')) {
    return (
      <DraftEditor
        key={version.documentId}
        loaded={loaded}
        locale={locale}
        setLocale={setLocale}
        title={title}
        navigationAction={backLink}
        canPublish={can('policies', 'publish')}
        onSaved={(saved) => setLoaded({ ...loaded, version: saved })}
        onPublished={reload}
        onDeleted={() => navigate(POLICIES_PATH)}
      />
    );
  }

  const date = (value: string | null) => (value ? formatDate(value, { dateStyle: 'long', timeStyle: 'short' }) : '–');
  const content = version.locales[locale];
  const showDiff = Boolean(loaded.inForce) && loaded.inForce!.documentId !== version.documentId && version.status !== 'superseded' && version.status !== 'withdrawn';
  // A draft has no publication facts yet; showing three dashes would only add noise.
  const published = version.version !== null;
  const facts: Array<[ReturnType<typeof t>, React.ReactNode]> = [
    [t('policies.column.status', 'Status'), <PolicyStatusBadge key="status" status={version.status} />],
    ...(published
      ? ([
          [t('policies.column.effectiveAt', 'Takes effect'), date(version.effectiveAt)],
          [t('policies.column.publishedAt', 'Published'), date(version.publishedAt)],
          [t('policies.publishedBy', 'Published by'), version.publishedBy ?? '–'],
        ] as Array<[ReturnType<typeof t>, React.ReactNode]>)
      : []),
    [
      t('policies.materialChange.short', 'Material change'),
      formatMessage(version.materialChange ? t('common.yes', 'Yes') : t('common.no', 'No')),
    ],
    [t('policies.column.locales', 'Languages'), Object.keys(version.locales).join(', ')],
  ];

  return (
    <AreaPage
      id="policy-version"
      title={title}
      subtitle={
        version.status === 'draft'
          ? formatMessage(t('policies.readOnly.draft', 'Draft: you may read it but not change it.'))
          : formatMessage(t('policies.readOnly.frozen', '{status}: published versions are frozen and can never be changed.'), {
              status: statusLine,
            })
      }
      navigationAction={backLink}
      primaryAction={
        version.status === 'scheduled' && can('policies', 'publish') ? (
          <WithdrawButton slug={version.slug} target={version} onWithdrawn={reload} />
        ) : undefined
      }
    >
      <Flex direction="column" alignItems="stretch" gap={6} data-testid="privacy-centre-policy-readonly">
        <Panel>
          <Flex direction="column" alignItems="stretch" gap={4}>
            <FactList facts={facts} />
            {version.hash && (
              <Flex direction="column" alignItems="flex-start" gap={1}>
                <Typography variant="sigma" textColor="neutral600">
                  {formatMessage(t('policies.hash', 'Hash (SHA-256 of the published content, all languages)'))}
                </Typography>
                <Typography tag="code" data-testid="privacy-centre-policy-hash" style={{ wordBreak: 'break-all', fontFamily: 'monospace' }}>
                  {version.hash}
                </Typography>
              </Flex>
            )}
            {version.version !== null && version.status !== 'withdrawn' && (
              <Typography variant="pi" textColor="neutral600">
                {formatMessage(t('policies.publicUrl', 'Served to frontends at {url}'), {
                  url: `/api/privacy-centre/policies/${version.slug}/versions/${version.version}`,
                })}
              </Typography>
            )}
          </Flex>
        </Panel>
        <Panel>
          <Flex direction="column" alignItems="stretch" gap={4}>
            <LocaleSelect locales={loaded.locales} present={Object.keys(version.locales)} value={locale} onChange={setLocale} />
            {content && !showDiff && <PolicyPreview content={content} locale={locale} />}
            {content && showDiff && (
              <VersionTabs first="content" content={content} locale={locale} inForce={loaded.inForce} />
            )}
            {!content && <NoTranslation locale={locale} />}
          </Flex>
        </Panel>
      </Flex>
    </AreaPage>
  );
};

interface VersionTabsProps {
  /** The first tab: a version's own text (`content`), or the live preview of a draft being edited. */
  first: 'content' | 'preview';
  content: PolicyLocaleContent;
  locale: string;
  inForce: PolicyVersion | null;
}

/** The text of one translation as visitors will see it, and its changes against the version in force. */
const VersionTabs = ({ first, content, locale, inForce }: VersionTabsProps) => {
  const { formatMessage } = useIntl();
  return (
    <Tabs.Root defaultValue={first}>
      <Tabs.List aria-label={formatMessage(t('policies.tabs', 'Views of this version'))}>
        <Tabs.Trigger value={first}>
          {formatMessage(first === 'content' ? t('policies.tab.content', 'Content') : t('policies.tab.preview', 'Preview'))}
        </Tabs.Trigger>
        <Tabs.Trigger value="diff">
          {inForce
            ? formatMessage(t('policies.tab.diff', 'Changes since version {version}'), { version: inForce.version })
            : formatMessage(t('policies.tab.diffNone', 'Changes'))}
        </Tabs.Trigger>
      </Tabs.List>
      <Tabs.Content value={first}>
        <Box paddingTop={4}>
          <PolicyPreview content={content} locale={locale} />
        </Box>
      </Tabs.Content>
      <Tabs.Content value="diff">
        <Box paddingTop={4}>
          <PolicyDiff inForce={inForce} content={content} locale={locale} />
        </Box>
      </Tabs.Content>
    </Tabs.Root>
  );
};

const NoTranslation = ({ locale }: { locale: string }) => {
  const { formatMessage } = useIntl();
  return (
    <Typography textColor="neutral600">
      {formatMessage(t('policies.locale.missing', 'This version has no {locale} translation.'), { locale })}
    </Typography>
  );
};

interface LocaleSelectProps {
  locales: PolicyLocales;
  present: string[];
  value: string;
  onChange: (code: string) => void;
}

/** Switches between the translations of this one version; untranslated locales are marked. */
const LocaleSelect = ({ locales, present, value, onChange }: LocaleSelectProps) => {
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

interface DraftEditorProps {
  loaded: Loaded;
  locale: string;
  setLocale: (code: string) => void;
  title: string;
  navigationAction: React.ReactNode;
  canPublish: boolean;
  onSaved: (version: PolicyVersion) => void;
  onPublished: () => void;
  onDeleted: () => void;
}

const DraftEditor = ({ loaded, locale, setLocale, title, navigationAction, canPublish, onSaved, onPublished, onDeleted }: DraftEditorProps) => {
  const { formatMessage } = useIntl();
  const { put, del } = useFetchClient();
  const { toggleNotification } = useNotification();
  const notifyError = useNotifyApiError();
  // The server names what is wrong, e.g. "title is required" or an unknown locale.
  const { isBusy: isSaving, run } = useApiAction();
  const saved = loaded.version;
  const { defaultLocale } = loaded.locales;

  const [edit, setEdit] = React.useState<EditState>(() => toEditState(saved));
  const [publishing, setPublishing] = React.useState(false);

  const changes = changedLocales(saved, edit);
  const isDirty = Object.keys(changes).length > 0 || edit.materialChange !== saved.materialChange;

  // Reloading, closing the tab or leaving the page would lose unsaved policy text: ask first.
  const leaveGuard = useUnsavedChangesGuard(isDirty);

  const current = edit.locales[locale] ?? null;
  // Stable between unrelated renders, so the preview and the diff recompute only on edits.
  const currentContent = React.useMemo(() => (current ? toContent(current) : null), [current]);
  const setCurrent = (patch: Partial<EditableLocale>) =>
    setEdit((state) => ({ ...state, locales: { ...state.locales, [locale]: { ...state.locales[locale]!, ...patch } } }));

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

  const nextVersion = Math.max(0, ...(loaded.doc?.versions ?? []).map((v) => v.version ?? 0)) + 1;
  const present = Object.keys(edit.locales).filter((code) => edit.locales[code] !== null);

  return (
    <AreaPage
      id="policy-version"
      title={title}
      subtitle={formatMessage(t('policies.editor.subtitle', 'Draft: visitors see nothing of it until it is published.'))}
      navigationAction={navigationAction}
      primaryAction={
        <Flex gap={2}>
          <Dialog.Root>
            <Dialog.Trigger>
              <Button variant="danger-light" startIcon={<Trash />}>
                {formatMessage(t('policies.delete', 'Delete draft'))}
              </Button>
            </Dialog.Trigger>
            <ConfirmDialog onConfirm={deleteDraft}>
              {formatMessage(
                t('policies.delete.body', 'Delete this draft of {slug}, in every language? It has never been published, so nothing else is affected.'),
                { slug: saved.slug }
              )}
            </ConfirmDialog>
          </Dialog.Root>
          <Button variant="secondary" startIcon={<Check />} onClick={save} loading={isSaving} disabled={!isDirty}>
            {formatMessage(t('policies.save', 'Save'))}
          </Button>
          {canPublish && (
            <Button startIcon={<Upload />} onClick={() => setPublishing(true)} disabled={isDirty} data-testid="privacy-centre-publish">
              {formatMessage(t('policies.publish', 'Publish…'))}
            </Button>
          )}
        </Flex>
      }
    >
      <Flex direction="column" alignItems="stretch" gap={4}>
        {isDirty && canPublish && (
          <Typography textColor="warning600" data-testid="privacy-centre-unsaved">
            {formatMessage(t('policies.unsaved', 'Unsaved changes: save them before publishing, so that what you publish is what you previewed.'))}
          </Typography>
        )}
        <Grid.Root gap={6}>
          <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
            <Panel data-testid="privacy-centre-policy-editor">
              <Flex direction="column" alignItems="stretch" gap={5}>
                <Checkbox
                  checked={edit.materialChange}
                  onCheckedChange={(checked: boolean | 'indeterminate') =>
                    setEdit((state) => ({ ...state, materialChange: checked === true }))
                  }
                >
                  {formatMessage(
                    t('policies.materialChange', 'Material change: visitors should be told and may be asked to read it again (all languages)')
                  )}
                </Checkbox>
                <Flex gap={4} alignItems="flex-end" wrap="wrap">
                  <LocaleSelect locales={loaded.locales} present={present} value={locale} onChange={setLocale} />
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
            </Panel>
          </Grid.Item>
          <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
            {/* Sticky, so the preview stays beside the section being typed in a long policy. */}
            <Panel
              width="100%"
              style={{ position: 'sticky', top: '1.6rem', maxHeight: 'calc(100vh - 3.2rem)', overflowY: 'auto' }}
            >
              {current ? (
                <VersionTabs first="preview" content={currentContent!} locale={locale} inForce={loaded.inForce} />
              ) : (
                <NoTranslation locale={locale} />
              )}
            </Panel>
          </Grid.Item>
        </Grid.Root>
      </Flex>
      {leaveGuard.dialog}
      {publishing && (
        <PublishDialog
          draft={saved}
          nextVersion={nextVersion}
          inForceVersion={loaded.inForce?.version ?? null}
          onClose={() => setPublishing(false)}
          onPublished={() => {
            setPublishing(false);
            onPublished();
          }}
        />
      )}
    </AreaPage>
  );
};

export { PolicyVersionPage };
