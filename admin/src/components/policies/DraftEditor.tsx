import * as React from 'react';
import { Flex, Grid, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { PolicyVersion } from '../../api';
import { useDraftEdit } from '../../hooks/useDraftEdit';
import type { LoadedVersion } from '../../hooks/usePolicyVersion';
import { t } from '../../utils/getTranslation';
import { AreaPage } from '../AreaPage';
import { Panel } from '../Panel';
import { DraftActions } from './DraftActions';
import { DraftForm } from './DraftForm';
import { NoTranslation } from './NoTranslation';
import { PublishDialog } from './PublishDialog';
import { VersionTabs } from './VersionTabs';

interface DraftEditorProps {
  loaded: LoadedVersion;
  locale: string;
  setLocale: (code: string) => void;
  title: string;
  navigationAction: React.ReactNode;
  canPublish: boolean;
  onSaved: (version: PolicyVersion) => void;
  onPublished: () => void;
  onDeleted: () => void;
}

/** A draft for a user holding `policies.update`: the form beside a live preview and diff, and its actions. */
export const DraftEditor = ({ loaded, locale, setLocale, title, navigationAction, canPublish, onSaved, onPublished, onDeleted }: DraftEditorProps) => {
  const { formatMessage } = useIntl();
  const saved = loaded.version;
  const draft = useDraftEdit({ saved, locale, onSaved, onDeleted });
  const [publishing, setPublishing] = React.useState(false);

  const nextVersion = Math.max(0, ...(loaded.doc?.versions ?? []).map((v) => v.version ?? 0)) + 1;

  return (
    <AreaPage
      id="policy-version"
      title={title}
      subtitle={formatMessage(t('policies.editor.subtitle', 'Draft: visitors see nothing of it until it is published.'))}
      navigationAction={navigationAction}
      primaryAction={
        <DraftActions
          slug={saved.slug}
          isDirty={draft.isDirty}
          isSaving={draft.isSaving}
          canPublish={canPublish}
          onDelete={draft.deleteDraft}
          onSave={draft.save}
          onPublish={() => setPublishing(true)}
        />
      }
    >
      <Flex direction="column" alignItems="stretch" gap={4}>
        {draft.isDirty && canPublish && (
          <Typography textColor="warning600" data-testid="privacy-centre-unsaved">
            {formatMessage(t('policies.unsaved', 'Unsaved changes: save them before publishing, so that what you publish is what you previewed.'))}
          </Typography>
        )}
        <Grid.Root gap={6}>
          <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
            <Panel data-testid="privacy-centre-policy-editor">
              <DraftForm draft={draft} locales={loaded.locales} locale={locale} setLocale={setLocale} />
            </Panel>
          </Grid.Item>
          <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
            {/* Sticky, so the preview stays beside the section being typed in a long policy. */}
            <Panel
              width="100%"
              style={{ position: 'sticky', top: '1.6rem', maxHeight: 'calc(100vh - 3.2rem)', overflowY: 'auto' }}
            >
              {draft.currentContent ? (
                <VersionTabs first="preview" content={draft.currentContent} locale={locale} inForce={loaded.inForce} />
              ) : (
                <NoTranslation locale={locale} />
              )}
            </Panel>
          </Grid.Item>
        </Grid.Root>
      </Flex>
      {draft.leaveGuard.dialog}
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
