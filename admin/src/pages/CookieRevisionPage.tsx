import * as React from 'react';
import { Box, Flex, Link as DSLink, Typography } from '@strapi/design-system';
import { ArrowLeft, WarningCircle } from '@strapi/icons';
import { useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { NavLink, useParams, useSearchParams } from 'react-router-dom';

import { COOKIES_API, type CookiesResponse, type RevisionResponse } from '../api';
import { AreaPage } from '../components/AreaPage';
import { CategoryCard } from '../components/cookies/CategoryCard';
import { RevisionIntegrityBadge } from '../components/cookies/RevisionsPanel';
import { FactList } from '../components/FactList';
import { PendingPage, readProtected } from '../components/PageHelpers';
import { Panel } from '../components/Panel';
import { LocaleSelect } from '../components/policies/LocaleSelect';
import { useApiData } from '../hooks/useApi';
import { t } from '../utils/getTranslation';
import { COOKIES_PATH } from './routes';

const RevisionRoute = () => {
  const { revision = '' } = useParams<{ revision: string }>();
  return <RevisionView key={revision} revision={Number(revision)} />;
};

/**
 * One published revision of the declaration, exactly as frozen: its facts (publication, hash,
 * integrity) and its categories and cookies in each language it was published in. Nothing here
 * can be edited: a revision is the record of what visitors were told.
 */
const RevisionView = ({ revision }: { revision: number }) => {
  const { formatMessage, formatDate } = useIntl();
  const { get } = useFetchClient();
  const [searchParams, setSearchParams] = useSearchParams();
  const load = React.useCallback(async () => {
    // The current declaration's answer names the site's default locale, the language to open on.
    const [one, current] = await Promise.all([
      get<RevisionResponse>(COOKIES_API.revision(revision)),
      get<CookiesResponse>(COOKIES_API.cookies),
    ]);
    return { revision: one.data.data, defaultLocale: current.data.meta.defaultLocale };
  }, [get, revision]);
  const { data, failed } = useApiData(load);

  if (failed || !data) return <PendingPage failed={failed} />;

  const { snapshot } = data.revision;
  const codes = snapshot.locales.length ? snapshot.locales : [data.defaultLocale];
  const defaultLocale = codes.includes(data.defaultLocale) ? data.defaultLocale : codes[0];
  const wanted = searchParams.get('locale');
  const locale = wanted && codes.includes(wanted) ? wanted : defaultLocale;

  return (
    <AreaPage
      id="cookie-revision"
      title={formatMessage(t('cookies.revision.title', 'Cookie declaration: revision {revision}'), { revision: data.revision.revision })}
      subtitle={t('cookies.revision.subtitle', 'Published revisions are frozen and can never be changed.')}
      navigationAction={
        <DSLink tag={NavLink} to={COOKIES_PATH} startIcon={<ArrowLeft />}>
          {formatMessage(t('cookies.back', 'Cookies'))}
        </DSLink>
      }
    >
      <Flex direction="column" alignItems="stretch" gap={6} data-testid="privacy-centre-cookie-revision">
        {data.revision.integrity === 'broken' && (
          <Box background="danger100" borderColor="danger200" borderStyle="solid" borderWidth="1px" hasRadius padding={5}>
            <Flex gap={3} alignItems="flex-start">
              <WarningCircle aria-hidden width="2rem" height="2rem" fill="danger600" />
              <Typography textColor="neutral800" tag="p">
                {formatMessage(
                  t(
                    'cookies.revision.broken',
                    'Its stored content no longer matches the hash sealed at publication: it was changed outside the plugin. Restore it from a backup.'
                  )
                )}
              </Typography>
            </Flex>
          </Box>
        )}
        <Panel>
          <Flex direction="column" alignItems="stretch" gap={4}>
            <FactList
              facts={[
                [t('cookies.revision.column.integrity', 'Integrity'), <RevisionIntegrityBadge key="integrity" integrity={data.revision.integrity} />],
                [t('policies.column.publishedAt', 'Published'), formatDate(data.revision.publishedAt, { dateStyle: 'long', timeStyle: 'short' })],
                [t('policies.publishedBy', 'Published by'), data.revision.publishedBy ?? '–'],
                [t('policies.column.locales', 'Languages'), codes.join(', ')],
              ]}
            />
            <Flex direction="column" alignItems="flex-start" gap={1}>
              <Typography variant="sigma" textColor="neutral600">
                {formatMessage(t('cookies.revision.hash', 'Hash (SHA-256 of the frozen declaration, all languages)'))}
              </Typography>
              <Typography tag="code" data-testid="privacy-centre-revision-hash" style={{ wordBreak: 'break-all', fontFamily: 'monospace' }}>
                {data.revision.hash}
              </Typography>
            </Flex>
          </Flex>
        </Panel>
        <LocaleSelect
          locales={{ codes, defaultLocale }}
          present={codes}
          value={locale}
          onChange={(code) => setSearchParams({ locale: code }, { replace: true })}
        />
        {snapshot.categories.map((category) => (
          <CategoryCard key={category.key} category={category} cookies={category.cookies} locale={locale} defaultLocale={defaultLocale} />
        ))}
      </Flex>
    </AreaPage>
  );
};

const CookieRevisionPage = readProtected('cookies', RevisionRoute);

export { CookieRevisionPage };
