import * as React from 'react';
import { Box, Button, Flex, Tabs } from '@strapi/design-system';
import { Plus } from '@strapi/icons';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useSearchParams } from 'react-router-dom';

import { COOKIES_API, type CookieCategory, type CookieDefinition } from '../api';
import { AreaPage } from '../components/AreaPage';
import { CategoryCard } from '../components/cookies/CategoryCard';
import { CategoryDialog } from '../components/cookies/CategoryDialog';
import { ChangesPanel } from '../components/cookies/ChangesPanel';
import { CookieDialog } from '../components/cookies/CookieDialog';
import { DiscoveryTab } from '../components/cookies/DiscoveryTab';
import { PublishDeclarationButton } from '../components/cookies/PublishDeclarationButton';
import { RevisionsPanel } from '../components/cookies/RevisionsPanel';
import { EmptyState } from '../components/EmptyState';
import { PendingPage, readProtected } from '../components/PageHelpers';
import { LocaleSelect } from '../components/policies/LocaleSelect';
import { useApiAction } from '../hooks/useApi';
import { useAllowedActions } from '../hooks/useAllowedActions';
import { useCookies, useRevisions } from '../hooks/useCookies';
import { t } from '../utils/getTranslation';

/** The page's tabs; the first is the default and is not written in the URL. */
const TABS = ['declaration', 'discovery'] as const;
type Tab = (typeof TABS)[number];

type Dialog =
  | { kind: 'category'; category?: CookieCategory }
  | { kind: 'cookie'; category: string; definition?: CookieDefinition }
  | null;

/** `list` with the item at `index` swapped with its neighbour `by` away. */
const swapped = <T,>(list: T[], index: number, by: -1 | 1) => {
  const next = [...list];
  [next[index], next[index + by]] = [next[index + by], next[index]];
  return next;
};

/**
 * The cookie declaration as editors have it now: its categories in order, each with its cookies,
 * what changed since the latest published revision, and every published revision. Changing it
 * needs `cookies.manage`, publishing `cookies.publish`; without them the controls are not shown
 * (and the server refuses the routes anyway).
 */
const CookiesView = () => {
  const { formatMessage } = useIntl();
  const { del, put } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { can, isLoading: isLoadingPermissions } = useAllowedActions();
  const { data: response, failed, reload } = useCookies();
  const { data: revisions, failed: revisionsFailed, reload: reloadRevisions } = useRevisions();
  const [searchParams, setSearchParams] = useSearchParams();
  const [dialog, setDialog] = React.useState<Dialog>(null);
  const { run } = useApiAction();

  if (failed || !response || isLoadingPermissions) return <PendingPage failed={failed} />;

  const canManage = can('cookies', 'manage');
  const canPublish = can('cookies', 'publish');
  const { categories, definitions, latest, changes } = response.data;
  const locales = response.meta;
  const wanted = searchParams.get('locale');
  const locale = wanted && locales.codes.includes(wanted) ? wanted : locales.defaultLocale;
  const wantedTab = searchParams.get('tab');
  const tab: Tab = TABS.find((name) => name === wantedTab) ?? 'declaration';
  // One search param changes, the others (locale, tab) stay: a link or reload opens the same view.
  const setParam = (name: string, value: string | null) =>
    setSearchParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value === null) next.delete(name);
        else next.set(name, value);
        return next;
      },
      { replace: true }
    );
  const cookiesOf = (key: string) => definitions.filter((d) => d.category === key).sort((a, b) => a.position - b.position);
  const ordered = [...categories].sort((a, b) => a.position - b.position);

  const change = (action: () => Promise<unknown>, done?: string) =>
    run(async () => {
      await action();
      if (done) toggleNotification({ type: 'success', message: done });
      reload();
    });

  const moveCategory = (index: number, by: -1 | 1) =>
    change(() => put(COOKIES_API.categoriesOrder, { keys: swapped(ordered, index, by).map((c) => c.key) }));
  const moveCookie = (category: string, index: number, by: -1 | 1) =>
    change(() =>
      put(COOKIES_API.definitionsOrder, { category, documentIds: swapped(cookiesOf(category), index, by).map((d) => d.documentId) })
    );
  const deleteCategory = (category: CookieCategory) =>
    change(
      () => del(COOKIES_API.category(category.key)),
      formatMessage(t('cookies.category.deleted', 'Category {key} deleted'), { key: category.key })
    );
  const deleteCookie = (definition: CookieDefinition) =>
    change(
      () => del(COOKIES_API.definition(definition.documentId)),
      formatMessage(t('cookies.cookie.deleted', 'Cookie {name} deleted'), { name: definition.name })
    );

  const closeAndReload = () => {
    setDialog(null);
    reload();
  };

  return (
    <AreaPage
      id="cookies"
      title={t('page.cookies.title', 'Cookies')}
      subtitle={t('page.cookies.subtitle', 'Cookie categories, cookie definitions and the published cookie declaration')}
      primaryAction={
        canManage || canPublish ? (
          <Flex gap={2}>
            {canManage && tab === 'declaration' && (
              <Button
                variant="secondary"
                startIcon={<Plus />}
                onClick={() => setDialog({ kind: 'category' })}
                data-testid="privacy-centre-cookie-category-add"
              >
                {formatMessage(t('cookies.category.add', 'Add a category'))}
              </Button>
            )}
            {canPublish && (
              <PublishDeclarationButton
                latest={latest?.revision ?? null}
                changed={changes.changed}
                onPublished={() => {
                  reload();
                  reloadRevisions();
                }}
              />
            )}
          </Flex>
        ) : undefined
      }
    >
      <Tabs.Root variant="simple" value={tab} onValueChange={(value: string) => setParam('tab', value === 'declaration' ? null : value)}>
        <Tabs.List aria-label={formatMessage(t('cookies.tabs', 'Views of the cookies'))}>
          <Tabs.Trigger value="declaration" data-testid="privacy-centre-cookies-tab-declaration">
            {formatMessage(t('cookies.tab.declaration', 'Declaration'))}
          </Tabs.Trigger>
          <Tabs.Trigger value="discovery" data-testid="privacy-centre-cookies-tab-discovery">
            {formatMessage(t('cookies.tab.discovery', 'Discovery'))}
          </Tabs.Trigger>
        </Tabs.List>
        <Tabs.Content value="declaration">
          <Box paddingTop={6}>
            <Flex direction="column" alignItems="stretch" gap={6}>
              <ChangesPanel changes={changes} />
              {ordered.length === 0 ? (
                <EmptyState
                  testId="privacy-centre-cookies-empty"
                  content={formatMessage(
                    canManage
                      ? t('cookies.empty.manage', 'No cookie category yet. Add the categories visitors choose from (necessary, statistics, marketing…), then their cookies.')
                      : t('cookies.empty', 'No cookie category yet.')
                  )}
                />
              ) : (
                <>
                  <LocaleSelect
                    locales={locales}
                    present={locales.codes}
                    value={locale}
                    onChange={(code) => setParam('locale', code)}
                  />
                  {ordered.map((category, index) => {
                    const cookies = cookiesOf(category.key);
                    return (
                      <CategoryCard
                        key={category.key}
                        category={category}
                        cookies={cookies}
                        locale={locale}
                        defaultLocale={locales.defaultLocale}
                        actions={
                          canManage
                            ? {
                                isFirst: index === 0,
                                isLast: index === ordered.length - 1,
                                onMove: (by) => moveCategory(index, by),
                                onEdit: () => setDialog({ kind: 'category', category }),
                                onDelete: () => deleteCategory(category),
                                onAddCookie: () => setDialog({ kind: 'cookie', category: category.key }),
                                onMoveCookie: (i, by) => moveCookie(category.key, i, by),
                                onEditCookie: (i) => setDialog({ kind: 'cookie', category: category.key, definition: cookies[i] }),
                                onDeleteCookie: (i) => deleteCookie(cookies[i]),
                              }
                            : undefined
                        }
                      />
                    );
                  })}
                </>
              )}
              <RevisionsPanel revisions={revisions} failed={revisionsFailed} />
            </Flex>
          </Box>
        </Tabs.Content>
        <Tabs.Content value="discovery">
          <Box paddingTop={6}>
            {tab === 'discovery' && (
              <DiscoveryTab
                categories={ordered}
                locale={locale}
                defaultLocale={locales.defaultLocale}
                canManage={canManage}
                onDeclarationChanged={reload}
              />
            )}
          </Box>
        </Tabs.Content>
      </Tabs.Root>
      {dialog?.kind === 'category' && (
        <CategoryDialog
          category={dialog.category}
          locales={locales}
          locale={locale}
          existingKeys={categories.map((c) => c.key)}
          onClose={() => setDialog(null)}
          onSaved={closeAndReload}
        />
      )}
      {dialog?.kind === 'cookie' && (
        <CookieDialog
          definition={dialog.definition}
          category={dialog.category}
          categories={ordered}
          locales={locales}
          locale={locale}
          onClose={() => setDialog(null)}
          onSaved={closeAndReload}
        />
      )}
    </AreaPage>
  );
};

const CookiesPage = readProtected('cookies', CookiesView);

export { CookiesPage };
