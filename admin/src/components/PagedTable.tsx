import * as React from 'react';
import { Flex, Table, Tbody, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Pagination } from '@strapi/strapi/admin';
import { type MessageDescriptor, useIntl } from 'react-intl';

/** Rows per page when the URL does not say. */
export const DEFAULT_PAGE_SIZE = 25;

/**
 * One page of a list the server filters and pages (the consent log, the subscribers): the total,
 * the table with its column headings, and Strapi's pagination, which keeps page and pageSize in
 * the URL (or, with `pager`, links by cursor). `testId` prefixes the total's and the table's test ids (`<testId>-total`, `<testId>-table`).
 */
export const PagedTable = ({
  columns,
  rowCount,
  total,
  totalLabel,
  pageSize,
  testId,
  pager,
  children,
}: {
  columns: MessageDescriptor[];
  rowCount: number;
  total: number;
  totalLabel: string;
  pageSize: number;
  testId: string;
  /** Links to the neighbouring pages instead of page numbers (a list paged by cursor). */
  pager?: React.ReactNode;
  children: React.ReactNode;
}) => {
  const { formatMessage } = useIntl();
  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Typography variant="pi" textColor="neutral600" data-testid={`${testId}-total`}>
        {totalLabel}
      </Typography>
      <Table colCount={columns.length} rowCount={rowCount + 1} data-testid={`${testId}-table`}>
        <Thead>
          <Tr>
            {columns.map((column) => (
              <Th key={column.id}>
                <Typography variant="sigma">{formatMessage(column)}</Typography>
              </Th>
            ))}
          </Tr>
        </Thead>
        <Tbody>{children}</Tbody>
      </Table>
      {pager ? (
        <Flex justifyContent="space-between">
          <Pagination.Root pageCount={1} total={total} defaultPageSize={DEFAULT_PAGE_SIZE}>
            <Pagination.PageSize options={['10', '25', '50', '100']} />
          </Pagination.Root>
          {pager}
        </Flex>
      ) : (
        <Pagination.Root pageCount={Math.ceil(total / pageSize)} total={total} defaultPageSize={DEFAULT_PAGE_SIZE}>
          <Pagination.PageSize options={['10', '25', '50', '100']} />
          <Pagination.Links />
        </Pagination.Root>
      )}
    </Flex>
  );
};
