import * as React from 'react';
import {
  Box,
  Button,
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
import { useIntl } from 'react-intl';
import { Link, useNavigate } from 'react-router-dom';

import type { PolicyDocument } from '../api';
import { AreaPage } from '../components/AreaPage';
import { EmptyState } from '../components/EmptyState';
import { PendingPage, readProtected } from '../components/PageHelpers';
import { Panel } from '../components/Panel';
import { ImportDialog } from '../components/policies/ImportDialog';
import { IntegrityBadge } from '../components/policies/Integrity';
import { NewDraftDialog } from '../components/policies/NewDraftDialog';
import { PolicyStatusBadge } from '../components/policies/PolicyStatusBadge';
import { VerificationReport, VerifyButton } from '../components/policies/Verification';
import { WithdrawButton } from '../components/policies/WithdrawButton';
import { useAllowedActions } from '../hooks/useAllowedActions';
import { usePolicies } from '../hooks/usePolicies';
import { useVerifyPolicies } from '../hooks/useVerifyPolicies';
import { t } from '../utils/getTranslation';
import { versionPath } from './routes';

/**
 * Every policy document (slug) with its versions, newest first. Creating (new draft, import)
 * needs `policies.create`, withdrawing `policies.publish`: without them the buttons are not
 * shown at all, and the server refuses the routes anyway. Verifying every version's integrity
 * needs only `policies.read`.
 */
const PoliciesList = () => {
  const { formatMessage, formatDate } = useIntl();
  const navigate = useNavigate();
  const { can, isLoading: isLoadingPermissions } = useAllowedActions();
  const { data: response, failed, reload } = usePolicies();
  const [dialog, setDialog] = React.useState<'new' | 'import' | null>(null);
  const verification = useVerifyPolicies(reload);

  const canCreate = can('policies', 'create');
  const canVerify = can('policies', 'read');
  const date = (value: string | null) => (value ? formatDate(value, { dateStyle: 'medium', timeStyle: 'short' }) : '–');

  let content: React.ReactNode;
  if (failed || !response || isLoadingPermissions) content = <PendingPage failed={failed} />;
  else if (response.data.length === 0) {
    content = (
      <EmptyState
        testId="privacy-centre-policies-empty"
        content={formatMessage(
          canCreate
            ? t('policies.empty.create', 'No policy yet. Start a new draft, or import the text of the policy you publish today.')
            : t('policies.empty', 'No policy yet.')
        )}
      />
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
            onChanged={reload}
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
        (canCreate || canVerify) && response ? (
          <Flex gap={2}>
            {canVerify && <VerifyButton isVerifying={verification.isVerifying} onClick={verification.verify} />}
            {canCreate && (
              <>
                <Button variant="secondary" startIcon={<Upload />} onClick={() => setDialog('import')}>
                  {formatMessage(t('policies.import.title', 'Import from text'))}
                </Button>
                <Button startIcon={<Plus />} onClick={() => setDialog('new')}>
                  {formatMessage(t('policies.newDraft.title', 'New draft'))}
                </Button>
              </>
            )}
          </Flex>
        ) : undefined
      }
    >
      {verification.report && (
        <Box paddingBottom={6}>
          <VerificationReport verification={verification.report} onClose={verification.dismiss} />
        </Box>
      )}
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
    <Panel
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
                <Tr
                  key={v.documentId}
                  data-testid="privacy-centre-policy-version-row"
                  data-status={v.status}
                  data-integrity={v.integrity ?? undefined}
                >
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
                    <Flex gap={2} wrap="wrap">
                      <PolicyStatusBadge status={v.status} />
                      <IntegrityBadge integrity={v.integrity} />
                    </Flex>
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
                        <WithdrawButton slug={doc.slug} target={v} onWithdrawn={onChanged} />
                      )}
                    </Flex>
                  </Td>
                </Tr>
              );
            })}
          </Tbody>
        </Table>
      </Flex>
    </Panel>
  );
};

const PoliciesPage = readProtected('policies', PoliciesList);

export { PoliciesPage };
