import * as React from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { styled } from 'styled-components';

import type { PolicyLocaleContent } from '../../api';
import { t } from '../../utils/getTranslation';
import { renderPreview } from '../../utils/policySections';

/**
 * Rendered policy text. The HTML comes from the shared renderer, which sanitises it (raw HTML
 * off, allow-listed tags), so setting it as inner HTML is what the public API's consumers do too.
 */
export const PolicyBody = styled.div`
  color: ${({ theme }) => theme.colors.neutral800};
  font-size: 1.4rem;
  line-height: 1.6;

  h1, h2, h3, h4, h5, h6 {
    font-weight: 600;
    margin: 1.6rem 0 0.8rem;
  }
  h2 { font-size: 1.8rem; }
  h3 { font-size: 1.6rem; }
  p, ul, ol, dl, table, pre, blockquote { margin: 0 0 1.2rem; }
  ul, ol { padding-left: 2.4rem; }
  ul { list-style: disc; }
  ol { list-style: decimal; }
  dt { font-weight: 600; }
  dd { margin: 0 0 0.8rem 2.4rem; }
  a { color: ${({ theme }) => theme.colors.primary600}; text-decoration: underline; }
  code { font-family: monospace; background: ${({ theme }) => theme.colors.neutral100}; padding: 0 0.3rem; }
  blockquote { border-left: 4px solid ${({ theme }) => theme.colors.neutral200}; padding-left: 1.2rem; }
  table { border-collapse: collapse; width: 100%; }
  th, td {
    border: 1px solid ${({ theme }) => theme.colors.neutral200};
    padding: 0.6rem 0.8rem;
    text-align: left;
    vertical-align: top;
  }
  th { background: ${({ theme }) => theme.colors.neutral100}; font-weight: 600; }
`;

interface PolicyPreviewProps {
  content: PolicyLocaleContent;
  locale: string;
}

/** The page visitors will see for one language, rendered as the public API renders it. */
export const PolicyPreview = ({ content, locale }: PolicyPreviewProps) => {
  const { formatMessage } = useIntl();
  // Typing stays responsive on a 40-section policy: React renders the preview when it has time.
  const deferred = React.useDeferredValue(content);
  const sections = React.useMemo(() => renderPreview(deferred.sections), [deferred.sections]);

  return (
    <Box data-testid="privacy-centre-policy-preview" lang={locale}>
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Typography variant="alpha" tag="h2">
          {deferred.title}
        </Typography>
        {deferred.summary && (
          <Box background="neutral100" padding={4} hasRadius>
            <Typography variant="sigma" textColor="neutral600" tag="p">
              {formatMessage(t('policies.summary', 'Summary of changes'))}
            </Typography>
            <Typography tag="p" textColor="neutral800" style={{ whiteSpace: 'pre-wrap' }}>
              {deferred.summary}
            </Typography>
          </Box>
        )}
        {sections.length === 0 && (
          <Typography textColor="neutral600">{formatMessage(t('policies.preview.empty', 'No sections yet.'))}</Typography>
        )}
        <PolicyBody>
          {sections.map((section) => (
            <section key={section.anchor} id={`preview-${section.anchor}`} data-anchor={section.anchor}>
              {section.heading && <h2>{section.heading}</h2>}
              <div dangerouslySetInnerHTML={{ __html: section.html }} />
            </section>
          ))}
        </PolicyBody>
      </Flex>
    </Box>
  );
};
