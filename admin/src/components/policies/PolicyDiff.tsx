import * as React from 'react';
import { Badge, Box, Flex, Typography, VisuallyHidden } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { styled } from 'styled-components';

import type { PolicyLocaleContent, PolicyVersion } from '../../api';
import { t } from '../../utils/getTranslation';
import { diffSections, diffText, hasChanges, type SectionDiff, type WordChange } from '../../utils/policyDiff';
import { normaliseSections } from '../../utils/policySections';

/**
 * Insertions are underlined and deletions struck through (the browser defaults for <ins> and
 * <del>), on top of the colours, and each carries a hidden "added"/"removed" label for screen
 * readers, which do not announce <ins>/<del> by themselves. Colour is never the only cue.
 */
const Changes = styled.div`
  white-space: pre-wrap;
  word-break: break-word;
  font-family: monospace;
  font-size: 1.3rem;
  line-height: 1.6;
  color: ${({ theme }) => theme.colors.neutral800};

  ins {
    background: ${({ theme }) => theme.colors.success100};
    color: ${({ theme }) => theme.colors.success700};
    text-decoration: underline;
  }
  del {
    background: ${({ theme }) => theme.colors.danger100};
    color: ${({ theme }) => theme.colors.danger700};
    text-decoration: line-through;
  }
`;

const WordChanges = ({ changes }: { changes: WordChange[] }) => {
  const { formatMessage } = useIntl();
  const added = formatMessage(t('policies.diff.added.sr', 'added:'));
  const removed = formatMessage(t('policies.diff.removed.sr', 'removed:'));
  return (
    <>
      {changes.map((change, index) =>
        change.added ? (
          <ins key={index}>
            <VisuallyHidden>{`[${added} `}</VisuallyHidden>
            {change.value}
            <VisuallyHidden>]</VisuallyHidden>
          </ins>
        ) : change.removed ? (
          <del key={index}>
            <VisuallyHidden>{`[${removed} `}</VisuallyHidden>
            {change.value}
            <VisuallyHidden>]</VisuallyHidden>
          </del>
        ) : (
          <React.Fragment key={index}>{change.value}</React.Fragment>
        )
      )}
    </>
  );
};

const KIND: Record<SectionDiff['kind'], { label: ReturnType<typeof t>; variant: 'success' | 'danger' | 'warning' | 'neutral' }> = {
  added: { label: t('policies.diff.kind.added', 'Added'), variant: 'success' },
  removed: { label: t('policies.diff.kind.removed', 'Removed'), variant: 'danger' },
  changed: { label: t('policies.diff.kind.changed', 'Changed'), variant: 'warning' },
  unchanged: { label: t('policies.diff.kind.unchanged', 'Unchanged'), variant: 'neutral' },
};

const SectionChange = ({ diff }: { diff: SectionDiff }) => {
  const { formatMessage } = useIntl();
  const whole = (text: string, kind: 'added' | 'removed') => [{ value: text, added: kind === 'added', removed: kind === 'removed' }];
  let heading: React.ReactNode;
  let body: React.ReactNode = null;
  if (diff.kind === 'changed') {
    heading = <WordChanges changes={diff.heading} />;
    body = <WordChanges changes={diff.markdown} />;
  } else if (diff.kind === 'unchanged') {
    heading = diff.heading;
  } else {
    heading = <WordChanges changes={whole(diff.heading, diff.kind)} />;
    body = diff.markdown ? <WordChanges changes={whole(diff.markdown, diff.kind)} /> : null;
  }
  return (
    <Box
      tag="li"
      padding={4}
      hasRadius
      borderColor="neutral200"
      borderStyle="solid"
      borderWidth="1px"
      data-testid="privacy-centre-diff-section"
      data-kind={diff.kind}
      data-anchor={diff.anchor}
    >
      <Flex direction="column" alignItems="stretch" gap={2}>
        <Flex gap={2} alignItems="center">
          <Badge variant={KIND[diff.kind].variant}>{formatMessage(KIND[diff.kind].label)}</Badge>
          <Typography fontWeight="bold" textColor={diff.kind === 'unchanged' ? 'neutral600' : 'neutral800'} tag="h3">
            <Changes as="span" style={{ fontFamily: 'inherit', fontSize: 'inherit' }}>
              {heading || <i>{formatMessage(t('policies.section.untitled', '(untitled introduction)'))}</i>}
            </Changes>
          </Typography>
          <Typography variant="pi" textColor="neutral500">
            #{diff.anchor}
          </Typography>
        </Flex>
        {body && <Changes>{body}</Changes>}
      </Flex>
    </Box>
  );
};

interface PolicyDiffProps {
  /** The version in force, or null when none is. */
  inForce: PolicyVersion | null;
  /** This version's content in `locale` (possibly unsaved edits). */
  content: PolicyLocaleContent;
  locale: string;
}

/**
 * What a reader of the policy in force would see change: per section (matched by anchor) and
 * word by word inside a section, in one language. Computed in the browser on unsaved text.
 */
export const PolicyDiff = ({ inForce, content, locale }: PolicyDiffProps) => {
  const { formatMessage } = useIntl();
  const deferred = React.useDeferredValue(content);
  const before = inForce?.locales[locale];

  const result = React.useMemo(() => {
    const sections = diffSections(normaliseSections(before?.sections ?? []), normaliseSections(deferred.sections));
    const count = (kind: SectionDiff['kind']) => sections.filter((s) => s.kind === kind).length;
    return {
      sections,
      title: diffText(before?.title ?? '', deferred.title),
      counts: { added: count('added'), removed: count('removed'), changed: count('changed'), unchanged: count('unchanged') },
    };
  }, [before, deferred]);

  if (!inForce) {
    return (
      <Typography textColor="neutral600" data-testid="privacy-centre-diff-none">
        {formatMessage(t('policies.diff.noneInForce', 'No version is in force yet, so there is nothing to compare with.'))}
      </Typography>
    );
  }

  return (
    <Flex direction="column" alignItems="stretch" gap={4} data-testid="privacy-centre-policy-diff">
      <Typography textColor="neutral800" data-testid="privacy-centre-diff-summary">
        {formatMessage(
          t(
            'policies.diff.summary',
            'Compared with version {version}, in force: {changed} changed, {added} added, {removed} removed, {unchanged} unchanged sections.'
          ),
          { version: inForce.version, ...result.counts }
        )}
      </Typography>
      {!before && (
        <Typography textColor="warning600">
          {formatMessage(
            t('policies.diff.localeMissing', 'Version {version} has no {locale} translation: every section here is new.'),
            { version: inForce.version, locale }
          )}
        </Typography>
      )}
      {hasChanges(result.title) && (
        <Box padding={4} hasRadius background="neutral100" data-testid="privacy-centre-diff-title">
          <Typography variant="sigma" textColor="neutral600" tag="p">
            {formatMessage(t('policies.title', 'Title'))}
          </Typography>
          <Changes>
            <WordChanges changes={result.title} />
          </Changes>
        </Box>
      )}
      <Flex tag="ol" direction="column" alignItems="stretch" gap={3}>
        {result.sections.map((diff) => (
          <SectionChange key={`${diff.kind}-${diff.anchor}`} diff={diff} />
        ))}
      </Flex>
    </Flex>
  );
};
