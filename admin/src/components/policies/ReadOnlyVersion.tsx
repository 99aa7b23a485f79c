import * as React from 'react';
import { Flex } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { LoadedVersion } from '../../hooks/usePolicyVersion';
import { t } from '../../utils/getTranslation';
import { AreaPage } from '../AreaPage';
import { Panel } from '../Panel';
import { AcceptancesPanel } from './AcceptancesPanel';
import { IntegrityNotice } from './Integrity';
import { LocaleSelect } from './LocaleSelect';
import { NoTranslation } from './NoTranslation';
import { NoticeProgressPanel } from './NoticeProgressPanel';
import { PolicyPreview } from './PolicyPreview';
import { STATUS_LABELS } from './PolicyStatusBadge';
import { VersionFacts } from './VersionFacts';
import { VersionTabs } from './VersionTabs';
import { WithdrawButton } from './WithdrawButton';

interface ReadOnlyVersionProps {
  loaded: LoadedVersion;
  locale: string;
  setLocale: (code: string) => void;
  title: string;
  navigationAction: React.ReactNode;
  /** Holds `policies.publish`: a scheduled version can then be withdrawn from here. */
  canPublish: boolean;
  onWithdrawn: () => void;
}

/**
 * A version that is not edited here: a frozen one (published, scheduled or withdrawn), or a draft
 * for a user without `policies.update`. Its facts, and its text per translation; a version not yet
 * (or still) in force also shows its changes against the version in force. A version whose
 * stored content no longer matches its hash says so first.
 */
export const ReadOnlyVersion = ({ loaded, locale, setLocale, title, navigationAction, canPublish, onWithdrawn }: ReadOnlyVersionProps) => {
  const { formatMessage } = useIntl();
  const { version, inForce } = loaded;
  const content = version.locales[locale];
  const showDiff = Boolean(inForce) && inForce!.documentId !== version.documentId && version.status !== 'superseded' && version.status !== 'withdrawn';

  return (
    <AreaPage
      id="policy-version"
      title={title}
      subtitle={
        version.status === 'draft'
          ? formatMessage(t('policies.readOnly.draft', 'Draft: you may read it but not change it.'))
          : formatMessage(t('policies.readOnly.frozen', '{status}: published versions are frozen and can never be changed.'), {
              status: formatMessage(STATUS_LABELS[version.status]),
            })
      }
      navigationAction={navigationAction}
      primaryAction={
        version.status === 'scheduled' && canPublish ? (
          <WithdrawButton slug={version.slug} target={version} onWithdrawn={onWithdrawn} />
        ) : undefined
      }
    >
      <Flex direction="column" alignItems="stretch" gap={6} data-testid="privacy-centre-policy-readonly">
        {version.integrity === 'broken' && <IntegrityNotice />}
        <VersionFacts version={version} />
        {version.materialChange && version.status !== 'draft' && <NoticeProgressPanel documentId={version.documentId} canPublish={canPublish} />}
        <Panel>
          <Flex direction="column" alignItems="stretch" gap={4}>
            <LocaleSelect locales={loaded.locales} present={Object.keys(version.locales)} value={locale} onChange={setLocale} />
            {content && !showDiff && <PolicyPreview content={content} locale={locale} />}
            {content && showDiff && <VersionTabs first="content" content={content} locale={locale} inForce={inForce} />}
            {!content && <NoTranslation locale={locale} />}
          </Flex>
        </Panel>
        {(version.status === 'in-force' || version.status === 'superseded') && <AcceptancesPanel documentId={version.documentId} />}
      </Flex>
    </AreaPage>
  );
};
