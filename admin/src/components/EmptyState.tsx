import { EmptyStateLayout } from '@strapi/design-system';
import { EmptyDocuments } from '@strapi/icons/symbols';

/** A plain sentence where a list or chart would be, with a hook for tests. */
export const EmptyState = ({ testId, content }: { testId: string; content: string }) => (
  <div data-testid={testId}>
    <EmptyStateLayout icon={<EmptyDocuments width="16rem" />} content={content} />
  </div>
);
