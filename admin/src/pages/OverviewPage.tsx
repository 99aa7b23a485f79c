import type { ReactNode } from 'react';
import { Box, Flex, Grid, Link as DSLink, Loader, Typography } from '@strapi/design-system';
import { Page } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { NavLink } from 'react-router-dom';

import type { PolicyDocument, PolicyVersionSummary } from '../api';
import { AreaPage } from '../components/AreaPage';
import { ConsentSummary } from '../components/overview/ConsentSummary';
import { DiscoverySummary } from '../components/overview/DiscoverySummary';
import { SubjectsSummary } from '../components/overview/SubjectsSummary';
import { SubscriberSummary } from '../components/overview/SubscriberSummary';
import { Panel } from '../components/Panel';
import { STATUS_LABELS } from '../components/policies/PolicyStatusBadge';
import { useAllowedActions } from '../hooks/useAllowedActions';
import { usePolicies } from '../hooks/usePolicies';
import { READ_PERMISSIONS } from '../permissions';
import { calendarDaysUntil } from '../utils/dates';
import { t } from '../utils/getTranslation';
import { POLICIES_PATH, versionPath } from './routes';

/**
 * The landing page. It is guarded by ANY of the plugin's read actions, the same rule as the
 * menu entry: whoever can open the plugin lands here rather than on a "no permission" page.
 * It must therefore never show an area's data by itself: each summary is mounted (and so asks
 * the server) only when the user also holds that area's read action.
 */
const OverviewPage = () => (
  <Page.Protect permissions={READ_PERMISSIONS}>
    <Overview />
  </Page.Protect>
);

const Overview = () => {
  const { can, isLoading } = useAllowedActions();
  return (
    <AreaPage
      id="overview"
      title={t('page.overview.title', 'Overview')}
      subtitle={t('page.overview.subtitle', 'Privacy policies, consent and subscribers at a glance')}
    >
      {/* `ready` once the permissions are known and the summaries the user may see are mounted. */}
      <Flex direction="column" alignItems="stretch" gap={6} data-testid={isLoading ? undefined : 'privacy-centre-overview-ready'}>
        {!isLoading && can('policies', 'read') && <PoliciesSummary />}
        {!isLoading && can('consents', 'read') && <ConsentSummary />}
        {!isLoading && can('cookies', 'read') && <DiscoverySummary />}
        {!isLoading && can('newsletter', 'read') && <SubscriberSummary />}
        {!isLoading && can('subjects', 'read') && <SubjectsSummary />}
      </Flex>
    </AreaPage>
  );
};

/** Per policy, the version visitors are shown now and the one that replaces it next. */
const PoliciesSummary = () => {
  const { formatMessage } = useIntl();
  const { data, failed } = usePolicies();

  let body: ReactNode;
  if (failed) {
    // The notification has given the server's reason.
    body = <Typography textColor="danger600">{formatMessage(t('overview.policies.failed', 'The policies could not be loaded.'))}</Typography>;
  } else if (!data) {
    body = <Loader small>{formatMessage(t('overview.policies.loading', 'Loading the policies…'))}</Loader>;
  } else if (data.data.length === 0) {
    body = <Typography textColor="neutral600">{formatMessage(t('policies.empty', 'No policy yet.'))}</Typography>;
  } else {
    body = (
      <Grid.Root gap={4}>
        {data.data.map((doc) => (
          <Grid.Item key={doc.slug} col={6} s={12} direction="column" alignItems="stretch">
            <PolicyAtAGlance doc={doc} />
          </Grid.Item>
        ))}
      </Grid.Root>
    );
  }

  return (
    <Panel
      tag="section"
      aria-labelledby="privacy-centre-overview-policies-title"
      data-testid="privacy-centre-overview-policies"
    >
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Flex justifyContent="space-between" alignItems="center" gap={4} wrap="wrap">
          <Typography variant="delta" tag="h2" id="privacy-centre-overview-policies-title">
            {formatMessage(t('page.policies.title', 'Policies'))}
          </Typography>
          <DSLink tag={NavLink} to={POLICIES_PATH}>
            {formatMessage(t('policies.back', 'All policies'))}
          </DSLink>
        </Flex>
        {body}
      </Flex>
    </Panel>
  );
};

/** The scheduled version that takes effect first (there may be several, in date order). */
const nextScheduled = (doc: PolicyDocument): PolicyVersionSummary | undefined =>
  doc.versions
    .filter((v) => v.status === 'scheduled' && v.effectiveAt)
    .sort((a, b) => Date.parse(a.effectiveAt!) - Date.parse(b.effectiveAt!))[0];

interface SlotProps {
  testId: string;
  label: string;
  /** Said when there is nothing to show. */
  none: string;
  children?: ReactNode;
}

/** One labelled part of a policy's card: what is in force, what comes next. */
const Slot = ({ testId, label, none, children }: SlotProps) => (
  <Flex direction="column" alignItems="flex-start" gap={1} data-testid={testId}>
    <Typography variant="sigma" textColor="neutral600" tag="p">
      {label}
    </Typography>
    {children || (
      <Typography textColor="neutral600" tag="p">
        {none}
      </Typography>
    )}
  </Flex>
);

const PolicyAtAGlance = ({ doc }: { doc: PolicyDocument }) => {
  const { formatMessage, formatDate } = useIntl();
  const inForce = doc.versions.find((v) => v.documentId === doc.inForceDocumentId);
  const next = nextScheduled(doc);
  const date = (value: string | null) => (value ? formatDate(value, { dateStyle: 'long', timeStyle: 'short' }) : '–');
  const heading = (v: PolicyVersionSummary) => (
    <Typography fontWeight="semiBold" tag="p">
      {formatMessage(t('overview.version', 'Version {version}: {title}'), { version: v.version, title: v.title })}
    </Typography>
  );
  const link = (v: PolicyVersionSummary) => (
    <DSLink tag={NavLink} to={versionPath(v.documentId)}>
      {formatMessage(t('overview.view', 'View version {version}'), { version: v.version })}
    </DSLink>
  );

  return (
    <Box
      padding={5}
      hasRadius
      borderColor="neutral200"
      borderStyle="solid"
      borderWidth="1px"
      height="100%"
      data-testid={`privacy-centre-overview-policy-${doc.slug}`}
    >
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Typography variant="epsilon" fontWeight="bold" tag="h3">
          {doc.slug}
        </Typography>
        <Slot
          testId="privacy-centre-overview-in-force"
          label={formatMessage(STATUS_LABELS['in-force'])}
          none={formatMessage(t('policies.noneInForce', 'No version is in force yet.'))}
        >
          {inForce && (
            <>
              {heading(inForce)}
              <Typography variant="pi" textColor="neutral600" tag="p">
                {formatMessage(t('overview.inForceSince', 'In force since {date}'), { date: date(inForce.effectiveAt) })}
              </Typography>
              {link(inForce)}
            </>
          )}
        </Slot>
        <Slot
          testId="privacy-centre-overview-next"
          label={formatMessage(t('overview.next', 'Next scheduled version'))}
          none={formatMessage(t('overview.noneScheduled', 'No version is scheduled.'))}
        >
          {next && (
            <>
              {heading(next)}
              <Typography variant="pi" textColor="neutral600" tag="p">
                {formatMessage(t('overview.effectiveOn', 'Takes effect on {date}'), { date: date(next.effectiveAt) })}
                {next.materialChange && ` · ${formatMessage(t('policies.materialChange.short', 'Material change'))}`}
              </Typography>
              <Box
                background="warning100"
                borderColor="warning200"
                borderStyle="solid"
                borderWidth="1px"
                hasRadius
                paddingTop={2}
                paddingBottom={2}
                paddingLeft={3}
                paddingRight={3}
                data-testid="privacy-centre-overview-notice"
              >
                <Typography textColor="warning700" fontWeight="semiBold">
                  {formatMessage(
                    t(
                      'overview.countdown',
                      '{days, plural, =0 {Takes effect today.} =1 {Takes effect tomorrow.} other {Takes effect in # days.}}'
                    ),
                    { days: calendarDaysUntil(new Date(next.effectiveAt!)) }
                  )}
                </Typography>
              </Box>
              {link(next)}
            </>
          )}
        </Slot>
      </Flex>
    </Box>
  );
};

export { OverviewPage };
