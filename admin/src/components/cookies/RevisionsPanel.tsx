import { Badge, Button, Flex, Loader, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Eye } from '@strapi/icons';
import { useIntl } from 'react-intl';
import { Link } from 'react-router-dom';

import type { DeclarationRevisionSummary } from '../../api';
import { revisionPath } from '../../pages/routes';
import { t } from '../../utils/getTranslation';
import { INTEGRITY_BROKEN } from '../policies/Integrity';
import { Panel } from '../Panel';

/** Whether a frozen revision still matches the hash sealed at publication; the text says it, not only the colour. */
export const RevisionIntegrityBadge = ({ integrity }: { integrity: DeclarationRevisionSummary['integrity'] }) => {
  const { formatMessage } = useIntl();
  return integrity === 'broken' ? (
    <Badge variant="danger" data-testid="privacy-centre-revision-integrity" data-integrity="broken">
      {formatMessage(INTEGRITY_BROKEN)}
    </Badge>
  ) : (
    <Badge variant="success" data-testid="privacy-centre-revision-integrity" data-integrity="ok">
      {formatMessage(t('cookies.integrity.ok', 'Intact'))}
    </Badge>
  );
};

/** Every published revision of the declaration, newest first, each opening read-only. */
export const RevisionsPanel = ({ revisions, failed }: { revisions: DeclarationRevisionSummary[] | null; failed: boolean }) => {
  const { formatMessage, formatDate } = useIntl();
  const columns = [
    t('cookies.revision.column.revision', 'Revision'),
    t('policies.column.publishedAt', 'Published'),
    t('policies.publishedBy', 'Published by'),
    t('cookies.revision.column.hash', 'Hash'),
    t('cookies.revision.column.integrity', 'Integrity'),
    t('policies.column.actions', 'Actions'),
  ];

  let body: React.ReactNode;
  // The notification has given the server's reason.
  if (failed && !revisions) body = <Typography textColor="danger600">{formatMessage(t('cookies.revisions.failed', 'The revisions could not be loaded.'))}</Typography>;
  else if (!revisions) body = <Loader small>{formatMessage(t('cookies.revisions.loading', 'Loading the revisions…'))}</Loader>;
  else if (revisions.length === 0) {
    body = (
      <Typography textColor="neutral600" tag="p" data-testid="privacy-centre-cookie-revisions-empty">
        {formatMessage(t('cookies.revisions.empty', 'No revision has been published yet: frontends have no cookie declaration to show.'))}
      </Typography>
    );
  } else {
    body = (
      <Table colCount={columns.length} rowCount={revisions.length + 1}>
        <Thead>
          <Tr>
            {columns.map((column) => (
              <Th key={column.id}>
                <Typography variant="sigma">{formatMessage(column)}</Typography>
              </Th>
            ))}
          </Tr>
        </Thead>
        <Tbody>
          {revisions.map((r) => (
            <Tr key={r.revision} data-testid="privacy-centre-cookie-revision-row" data-revision={r.revision}>
              <Td>
                <Typography fontWeight="semiBold">{r.revision}</Typography>
              </Td>
              <Td>
                <Typography textColor="neutral800">{formatDate(r.publishedAt, { dateStyle: 'medium', timeStyle: 'short' })}</Typography>
              </Td>
              <Td>
                <Typography textColor="neutral800">{r.publishedBy ?? '–'}</Typography>
              </Td>
              <Td>
                <Typography textColor="neutral800" tag="code" title={r.hash} style={{ fontFamily: 'monospace' }}>
                  {`${r.hash.slice(0, 12)}…`}
                </Typography>
              </Td>
              <Td>
                <RevisionIntegrityBadge integrity={r.integrity} />
              </Td>
              <Td>
                <Button tag={Link} to={revisionPath(r.revision)} variant="tertiary" size="S" startIcon={<Eye />} data-testid="privacy-centre-cookie-revision-open">
                  {formatMessage(t('policies.open', 'View'))}
                </Button>
              </Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
    );
  }

  return (
    <Panel tag="section" aria-labelledby="privacy-centre-cookie-revisions-title" data-testid="privacy-centre-cookie-revisions">
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Typography variant="delta" tag="h2" id="privacy-centre-cookie-revisions-title">
          {formatMessage(t('cookies.revisions.title', 'Published revisions'))}
        </Typography>
        {body}
      </Flex>
    </Panel>
  );
};
