import { Link as DSLink } from '@strapi/design-system';
import { ArrowLeft } from '@strapi/icons';
import { useIntl } from 'react-intl';
import { NavLink, useNavigate, useParams, useSearchParams } from 'react-router-dom';

import { PendingPage, readProtected } from '../components/PageHelpers';
import { DraftEditor } from '../components/policies/DraftEditor';
import { ReadOnlyVersion } from '../components/policies/ReadOnlyVersion';
import { useAllowedActions } from '../hooks/useAllowedActions';
import { chooseLocale, usePolicyVersion } from '../hooks/usePolicyVersion';
import { t } from '../utils/getTranslation';
import { POLICIES_PATH } from './routes';

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
  const { formatMessage } = useIntl();
  const { can, isLoading: isLoadingPermissions } = useAllowedActions();
  const { data: loaded, setData: setLoaded, failed, reload } = usePolicyVersion(documentId);

  if (failed || !loaded || isLoadingPermissions) return <PendingPage failed={failed} />;

  const { version } = loaded;
  const locale = chooseLocale(loaded, searchParams.get('locale'));
  // The locale lives in the URL, so a link (or the import dialog) can open a given translation.
  const setLocale = (code: string) => setSearchParams({ locale: code }, { replace: true });

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

  return (
    <ReadOnlyVersion
      loaded={loaded}
      locale={locale}
      setLocale={setLocale}
      title={title}
      navigationAction={backLink}
      canPublish={can('policies', 'publish')}
      onWithdrawn={reload}
    />
  );
};

export { PolicyVersionPage };
