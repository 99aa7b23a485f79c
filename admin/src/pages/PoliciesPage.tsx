import * as React from 'react';
import {
  Box,
  Button,
  EmptyStateLayout,
  Flex,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { Pencil, Eye, Plus, Upload } from '@strapi/icons';
import { EmptyDocuments } from '@strapi/icons/symbols';
import { Page, useAPIErrorHandler, useFetchClient, useNotification, type FetchError } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { Link, useNavigate } from 'react-router-dom';

import { API, type PoliciesResponse, type PolicyDocument } from '../api';
import { AreaPage } from '../components/AreaPage';
import { ImportDialog } from '../components/policies/ImportDialog';
import { NewDraftDialog } from '../components/policies/NewDraftDialog';
import { PolicyStatusBadge } from '../components/policies/PolicyStatusBadge';
import { WithdrawButton } from '../components/policies/WithdrawButton';
import { useAllowedActions } from '../hooks/useAllowedActions';
import { readPermission } from '../permissions';
import { t } from '../utils/getTranslation';
import { BASE_PATH } from './routes';

export const versionPath = (documentId: string, locale?: string) =>
  `${BASE_PATH}/policies/${documentId}${locale ? `?locale=${encodeURIComponent(locale)}` : ''}`;

/**
 * Every policy document (slug) with its versions, newest first. Creating (new draft, import)
 * needs `policies.create`, withdrawing `policies.publish`: without them the buttons are not
 * shown at all, and the server refuses the routes anyway.
 */
const PoliciesList = () => {
  const { formatMessage, formatDate } = useIntl();
  const { get } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { formatAPIError } = useAPIErrorHandler();
  const navigate = useNavigate();
  const { can, isLoading: isLoadingPermissions } = useAllowedActions();

  const [response, setResponse] = React.useState<PoliciesResponse | null>(null);
  const [loadError, setLoadError] = React.useState(false);
  const [dialog, setDialog] = React.useState<'new' | 'import' | null>(null);

  const load = React.useCallback(() => {
    get<PoliciesResponse>(API.policies)
      .then(({ data }) => setResponse(data))
      .catch((error: FetchError) => {
        setLoadError(true);
        toggleNotification({ type: 'danger', message: formatAPIError(error) });
      });
  }, [get, toggleNotification, formatAPIError]);

  React.useEffect(load, [load]);

  const canCreate = can('policies', 'create');
  const date = (value: string | null) => (value ? formatDate(value, { dateStyle: 'medium', timeStyle: 'short' }) : '–');

  let content: React.ReactNode;
  if (loadError) content = <Page.Error />;
  else if (!response || isLoadingPermissions) content = <Page.Loading />;
  else if (response.data.length === 0) {
    content = (
      <div data-testid="privacy-centre-policies-empty">
        <EmptyStateLayout
          icon={<EmptyDocuments width="16rem" />}
          content={formatMessage(
            canCreate
              ? t('policies.empty.create', 'No policy yet. Start a new draft, or import the text of the policy you publish today.')
              : t('policies.empty', 'No policy yet.')
          )}
        />
      </div>
    );
  } else {
    content = (
      <Flex direction="column" alignItems="stretch" gap={6}>
        {response.data.map((doc) => (
          <PolicyDocumentCard
            key={doc.slug}
            doc={doc}
            date={date}
            canEdit={can('policies', 'update')}
            canPublish={can('policies', 'publish')}
            onChanged={load}
          />
        ))}
      </Flex>
    );
  }

  return (
    <AreaPage
      id="policies"
      title={t('page.policies.title', 'Policies')}
      subtitle={t('page.policies.subtitle', 'Versions of your privacy policy, cookie policy and terms')}
      primaryAction={
        canCreate && response ? (
          <Flex gap={2}>
            <Button variant="secondary" startIcon={<Upload />} onClick={() => setDialog('import')}>
              {formatMessage(t('policies.import.title', 'Import from text'))}
            </Button>
            <Button startIcon={<Plus />} onClick={() => setDialog('new')}>
              {formatMessage(t('policies.newDraft.title', 'New draft'))}
            </Button>
          </Flex>
        ) : undefined
      }
    >
      {content}
      {dialog === 'new' && response && (
        <NewDraftDialog
          documents={response.data}
          onClose={() => setDialog(null)}
          onCreated={(version) => navigate(versionPath(version.documentId))}
        />
      )}
      {dialog === 'import' && response && (
        <ImportDialog
          documents={response.data}
          locales={response.meta}
          onClose={() => setDialog(null)}
          onImported={(version, locale) => navigate(versionPath(version.documentId, locale))}
        />
      )}
    </AreaPage>
  );
};

interface PolicyDocumentCardProps {
  doc: PolicyDocument;
  date: (value: string | null) => string;
  canEdit: boolean;
  canPublish: boolean;
  onChanged: () => void;
}

const PolicyDocumentCard = ({ doc, date, canEdit, canPublish, onChanged }: PolicyDocumentCardProps) => {
  const { formatMessage } = useIntl();
  const inForce = doc.versions.find((v) => v.documentId === doc.inForceDocumentId);
  const columns = [
    t('policies.column.version', 'Version'),
    t('policies.column.title', 'Title'),
    t('policies.column.status', 'Status'),
    t('policies.column.effectiveAt', 'Takes effect'),
    t('policies.column.publishedAt', 'Published'),
    t('policies.column.locales', 'Languages'),
    t('policies.column.actions', 'Actions'),
  ];

  return (
    <Box
      background="neutral0"
      hasRadius
      shadow="filterShadow"
      padding={6}
      tag="section"
      aria-labelledby={`privacy-centre-policy-${doc.slug}`}
      data-testid={`privacy-centre-policy-${doc.slug}`}
    >
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Flex direction="column" alignItems="flex-start" gap={1}>
          <Typography variant="delta" tag="h2" id={`privacy-centre-policy-${doc.slug}`}>
            {doc.slug}
          </Typography>
          <Typography variant="pi" textColor="neutral600">
            {inForce
              ? formatMessage(t('policies.inForce', 'Version {version} has been in force since {date}.'), {
                  version: inForce.version,
                  date: date(inForce.effectiveAt),
                })
              : formatMessage(t('policies.noneInForce', 'No version is in force yet.'))}
          </Typography>
        </Flex>
        <Table colCount={columns.length} rowCount={doc.versions.length + 1}>
          <Thead>
            <Tr>
              {columns.map((label) => (
                <Th key={label.id}>
                  <Typography variant="sigma">{formatMessage(label)}</Typography>
                </Th>
              ))}
            </Tr>
          </Thead>
          <Tbody>
            {doc.versions.map((v) => {
              const editable = v.status === 'draft' && canEdit;
              return (
                <Tr key={v.documentId} data-testid="privacy-centre-policy-version-row" data-status={v.status}>
                  <Td>
                    <Typography fontWeight="semiBold">{v.version === null ? '–' : `v${v.version}`}</Typography>
                  </Td>
                  <Td>
                    <Typography textColor="neutral800">{v.title}</Typography>
                    {v.materialChange && (
                      <Typography variant="pi" textColor="neutral600" tag="div">
                        {formatMessage(t('policies.materialChange.short', 'Material change'))}
                      </Typography>
                    )}
                  </Td>
                  <Td>
                    <PolicyStatusBadge status={v.status} />
                  </Td>
                  <Td>
                    <Typography textColor="neutral800">{date(v.effectiveAt)}</Typography>
                  </Td>
                  <Td>
                    <Typography textColor="neutral800">{date(v.publishedAt)}</Typography>
                  </Td>
                  <Td>
                    <Typography textColor="neutral800">{v.locales.join(', ')}</Typography>
                  </Td>
                  <Td>
                    <Flex gap={2}>
                      <Button
                        tag={Link}
                        to={versionPath(v.documentId)}
                        variant="tertiary"
                        size="S"
                        startIcon={editable ? <Pencil /> : <Eye />}
                        data-testid="privacy-centre-policy-open"
                      >
                        {formatMessage(editable ? t('policies.edit', 'Edit') : t('policies.open', 'View'))}
                      </Button>
                      {v.status === 'scheduled' && canPublish && (
                        <WithdrawButton
                          documentId={v.documentId}
                          slug={doc.slug}
                          version={v.version}
                          effectiveAt={v.effectiveAt}
                          onWithdrawn={onChanged}
                        />
                      )}
                    </Flex>
                  </Td>
                </Tr>
              );
            })}
          </Tbody>
        </Table>
      </Flex>
    </Box>
  );
};

const PoliciesPage = () => (
  <Page.Protect permissions={[readPermission('policies')]}>
    <PoliciesList />
  </Page.Protect>
);

export { PoliciesPage };
