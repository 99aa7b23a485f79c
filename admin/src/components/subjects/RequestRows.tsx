import * as React from 'react';
import { Box, Button, Flex, Td, Tr, Typography } from '@strapi/design-system';
import { Search } from '@strapi/icons';
import { type MessageDescriptor, useIntl } from 'react-intl';

import type { DataSubjectRequest } from '../../api';
import { jurisdictionByCode } from '../../../../server/src/regions';
import { useAllowedActions } from '../../hooks/useAllowedActions';
import { t } from '../../utils/getTranslation';
import { code } from '../newsletter/SubscriptionEventCard';
import { DueDate, isOpen, labelOf, ORIGIN_LABELS, RequestStatusBadge, TYPE_LABELS } from './RequestBadges';
import { AcknowledgeButton, CarryOutButton, ExtendRequestButton, extensionsLeft, UpdateRequestButton } from './RequestDialogs';

export const REQUEST_COLUMNS: MessageDescriptor[] = [
  t('subjects.column.receivedAt', 'Received'),
  t('subjects.column.type', 'Type'),
  t('subjects.column.person', 'Person'),
  t('subjects.column.dueAt', 'Due'),
  t('subjects.column.status', 'Status'),
  t('subjects.column.actions', 'Actions'),
];

interface RequestRowsProps {
  requests: DataSubjectRequest[];
  /** Holds `subjects.manage`: status, extension and carrying out are offered. */
  canManage: boolean;
  /** Searches everything held about the request's person (absent where that is the page already). */
  onFind?: (request: DataSubjectRequest) => void;
  onChanged: (request: DataSubjectRequest) => void;
}

/**
 * Rows of the register of data-subject requests, for a table headed with REQUEST_COLUMNS. Each
 * row keeps its history (who did what, when) behind a disclosure, and offers what may be done now.
 */
export const RequestRows = ({ requests, canManage, onFind, onChanged }: RequestRowsProps) => {
  const { formatMessage, formatDate } = useIntl();
  // Carrying out also needs what it does (the server checks the same): export, or erase.
  const { can } = useAllowedActions();
  const mayCarryOut = (request: DataSubjectRequest) =>
    canManage &&
    request.status === 'verified' &&
    ((request.type === 'access' && can('subjects', 'export')) || (request.type === 'erasure' && can('subjects', 'erase')));
  const erased = formatMessage(t('subjects.erased', 'Erased'));
  return (
    <>
      {requests.map((request) => {
        const open = isOpen(request);
        const facts: Array<[MessageDescriptor, React.ReactNode]> = [
          [t('subjects.field.origin', 'Origin'), labelOf(ORIGIN_LABELS, request.origin, formatMessage)],
          [t('subjects.field.jurisdiction', 'Jurisdiction'), `${request.jurisdiction}: ${jurisdictionByCode(request.jurisdiction)?.name ?? '–'}`],
          [t('subjects.field.verification', 'How identity was verified'), request.verification ?? '–'],
          [t('subjects.field.handledBy', 'Handled by'), request.handledBy ?? '–'],
        ];
        if (request.extendedAt)
          facts.push([
            t('subjects.field.extension', 'Extended'),
            formatMessage(t('subjects.field.extension.value', 'on {date}: {reason}'), {
              date: formatDate(request.extendedAt, { dateStyle: 'medium' }),
              reason: request.extensionReason ?? '–',
            }),
          ]);
        if (request.refusalReason) facts.push([t('subjects.field.refusalReason', 'Reason for refusing'), request.refusalReason]);
        if (request.completedAt) facts.push([t('subjects.field.completedAt', 'Closed at'), formatDate(request.completedAt, { dateStyle: 'medium', timeStyle: 'short' })]);
        return (
          <Tr
            key={request.documentId}
            data-testid="privacy-centre-request-row"
            data-document-id={request.documentId}
            data-status={request.status}
            data-overdue={request.overdue}
            data-acknowledgement-overdue={request.acknowledgementOverdue}
            data-type={request.type}
            data-jurisdiction={request.jurisdiction}
          >
            <Td>
              <Typography textColor="neutral800">{formatDate(request.receivedAt, { dateStyle: 'medium' })}</Typography>
            </Td>
            <Td>
              {/* The jurisdiction under the type (its clock sets the dates): a column of its own would push the actions out of view. */}
              <Flex direction="column" alignItems="flex-start" gap={1}>
                <Typography textColor="neutral800">{labelOf(TYPE_LABELS, request.type, formatMessage)}</Typography>
                <Typography variant="pi" textColor="neutral600" title={jurisdictionByCode(request.jurisdiction)?.name} data-testid="privacy-centre-request-jurisdiction">
                  {request.jurisdiction}
                </Typography>
              </Flex>
            </Td>
            <Td style={{ whiteSpace: 'normal', maxWidth: '32rem' }}>
              <Flex direction="column" alignItems="flex-start" gap={1}>
                {request.email ? (
                  <Typography textColor="neutral800" data-testid="privacy-centre-request-email">
                    {request.email}
                  </Typography>
                ) : !request.subjectId ? (
                  <Typography textColor="neutral600">{erased}</Typography>
                ) : null}
                {request.subjectId && code(request.subjectId)}
                <details data-testid="privacy-centre-request-history">
                  <summary style={{ cursor: 'pointer' }}>
                    <Typography variant="pi" textColor="primary600">
                      {formatMessage(t('subjects.history.show', 'Details and history'))}
                    </Typography>
                  </summary>
                  <Box paddingTop={2}>
                    <Box tag="dl">
                      {facts.map(([label, value]) => (
                        <Box key={label.id} paddingBottom={1}>
                          <Typography variant="pi" fontWeight="bold" tag="dt">
                            {formatMessage(label)}
                          </Typography>
                          <Typography variant="pi" tag="dd">
                            {value}
                          </Typography>
                        </Box>
                      ))}
                    </Box>
                    {request.actions.length > 0 && (
                      <Box tag="ol" paddingTop={1} style={{ listStyle: 'decimal', paddingLeft: '2rem' }}>
                        {request.actions.map((action, index) => (
                          <li key={`${action.at}-${index}`}>
                            <Typography variant="pi">
                              {formatMessage(t('subjects.history.entry', '{at}, {by}: {what}'), {
                                at: formatDate(action.at, { dateStyle: 'medium', timeStyle: 'short' }),
                                by: action.by,
                                what: action.what,
                              })}
                            </Typography>
                          </li>
                        ))}
                      </Box>
                    )}
                  </Box>
                </details>
              </Flex>
            </Td>
            <Td>
              <DueDate request={request} />
            </Td>
            <Td style={{ whiteSpace: 'normal' }}>
              <RequestStatusBadge request={request} />
            </Td>
            <Td>
              <Flex gap={2} wrap="wrap">
                {onFind && (request.email || request.subjectId) && (
                  <Button variant="tertiary" size="S" startIcon={<Search />} onClick={() => onFind(request)} data-testid="privacy-centre-request-find">
                    {formatMessage(t('subjects.find', 'Find their data'))}
                  </Button>
                )}
                {mayCarryOut(request) && <CarryOutButton request={request} onChanged={onChanged} />}
                {canManage && open && <UpdateRequestButton request={request} onChanged={onChanged} />}
                {canManage && open && request.acknowledgeBy && !request.acknowledgedAt && <AcknowledgeButton request={request} onChanged={onChanged} />}
                {canManage && open && extensionsLeft(request) > 0 && <ExtendRequestButton request={request} onChanged={onChanged} />}
              </Flex>
            </Td>
          </Tr>
        );
      })}
    </>
  );
};
