import * as React from 'react';
import { Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { ControllerIdentity, PolicyVersion } from '../../api';
import { t } from '../../utils/getTranslation';
import { FactList } from '../FactList';
import { Panel } from '../Panel';
import { IntegrityBadge } from './Integrity';
import { PolicyStatusBadge } from './PolicyStatusBadge';

type Fact = [ReturnType<typeof t>, React.ReactNode];

/**
 * What is on record about a version: status (and broken integrity), publication, material
 * change, languages; once published, its hash, the controller identity sealed with it, and its
 * public URL.
 */
export const VersionFacts = ({ version }: { version: PolicyVersion }) => {
  const { formatMessage, formatDate } = useIntl();
  const date = (value: string | null) => (value ? formatDate(value, { dateStyle: 'long', timeStyle: 'short' }) : '–');
  // A draft has no publication facts yet; showing three dashes would only add noise.
  const published = version.version !== null;
  const facts: Fact[] = [
    [
      t('policies.column.status', 'Status'),
      <Flex key="status" gap={2} wrap="wrap" tag="span">
        <PolicyStatusBadge status={version.status} />
        <IntegrityBadge integrity={version.integrity} />
      </Flex>,
    ],
    ...(published
      ? ([
          [t('policies.column.effectiveAt', 'Takes effect'), date(version.effectiveAt)],
          [t('policies.column.publishedAt', 'Published'), date(version.publishedAt)],
          [t('policies.publishedBy', 'Published by'), version.publishedBy ?? '–'],
        ] as Fact[])
      : []),
    [
      t('policies.materialChange.short', 'Material change'),
      formatMessage(version.materialChange ? t('common.yes', 'Yes') : t('common.no', 'No')),
    ],
    [t('policies.column.locales', 'Languages'), Object.keys(version.locales).join(', ')],
  ];

  return (
    <Panel>
      <Flex direction="column" alignItems="stretch" gap={4}>
        <FactList facts={facts} />
        {version.hash && (
          <Flex direction="column" alignItems="flex-start" gap={1}>
            <Typography variant="sigma" textColor="neutral600">
              {formatMessage(t('policies.hash', 'Hash (SHA-256 of the published content, all languages)'))}
            </Typography>
            <Typography tag="code" data-testid="privacy-centre-policy-hash" style={{ wordBreak: 'break-all', fontFamily: 'monospace' }}>
              {version.hash}
            </Typography>
          </Flex>
        )}
        {published && <SealedController controller={version.controller ?? null} />}
        {/* A broken version is refused by the public routes: no URL to offer. */}
        {published && version.status !== 'withdrawn' && version.integrity !== 'broken' && (
          <Typography variant="pi" textColor="neutral600">
            {formatMessage(t('policies.publicUrl', 'Served to frontends at {url}'), {
              url: `/api/privacy-centre/policies/${version.slug}/versions/${version.version}`,
            })}
          </Typography>
        )}
      </Flex>
    </Panel>
  );
};

/**
 * The controller identity sealed into the version when it was published (part of its hash).
 * Versions published before identities were sealed have none: the public routes serve them with
 * the identity in Settings.
 */
const SealedController = ({ controller }: { controller: ControllerIdentity | null }) => {
  const { formatMessage } = useIntl();
  return (
    <Flex direction="column" alignItems="flex-start" gap={1} data-testid="privacy-centre-policy-controller">
      <Typography variant="sigma" textColor="neutral600">
        {formatMessage(t('policies.controller', 'Controller identity (sealed at publication)'))}
      </Typography>
      {controller ? (
        [controller.name, controller.address, controller.email, controller.url]
          .filter(Boolean)
          .map((line, index) => (
            <Typography key={index} tag="p" style={{ whiteSpace: 'pre-line' }}>
              {line}
            </Typography>
          ))
      ) : (
        <Typography tag="p" textColor="neutral600">
          {formatMessage(
            t('policies.controller.notSealed', 'Not sealed: published before identities were sealed; served with the identity in Settings')
          )}
        </Typography>
      )}
    </Flex>
  );
};
