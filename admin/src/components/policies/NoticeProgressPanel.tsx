import * as React from 'react';
import { Button, Flex, Typography } from '@strapi/design-system';
import { ArrowClockwise, Cross } from '@strapi/icons';
import { useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { API, type NoticeProgress } from '../../api';
import { useApiAction, useApiData } from '../../hooks/useApi';
import { t } from '../../utils/getTranslation';
import { FactList } from '../FactList';
import { Panel } from '../Panel';

/**
 * The advance notice of a material version: when its window opens, how far sending is (pending,
 * sent, failed with reasons, skipped), and pause / resume for those holding `policies.publish`.
 * Nothing for a version that has no notice.
 */
export const NoticeProgressPanel = ({ documentId, canPublish }: { documentId: string; canPublish: boolean }) => {
  const { formatMessage, formatDate, formatNumber } = useIntl();
  const { get, post } = useFetchClient();
  const load = React.useCallback(async () => (await get<{ data: NoticeProgress | null }>(API.policyNotice(documentId))).data.data, [get, documentId]);
  const { data: notice, setData, reload } = useApiData(load);
  const { isBusy, run } = useApiAction();

  // Refreshes while sending, so progress moves without a reload.
  React.useEffect(() => {
    if (notice?.status !== 'sending') return;
    const timer = setInterval(reload, 5000);
    return () => clearInterval(timer);
  }, [notice?.status, reload]);

  if (!notice) return null;
  const act = (what: 'pause' | 'resume') =>
    run(async () => {
      const { data } = await post<{ data: NoticeProgress }>(`${API.policyNotice(documentId)}/${what}`, {});
      setData(data.data);
    });
  const when = (iso: string | null) => (iso ? formatDate(iso, { dateStyle: 'medium', timeStyle: 'short' }) : '–');

  return (
    <Panel tag="section" aria-labelledby="privacy-centre-notice-title" data-testid="privacy-centre-notice-progress">
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Flex justifyContent="space-between" alignItems="center" gap={4} wrap="wrap">
          <Typography variant="delta" tag="h2" id="privacy-centre-notice-title">
            {formatMessage(t('policies.notice.title', 'Advance notice: {status}'), { status: notice.status })}
          </Typography>
          {canPublish && (notice.status === 'sending' || notice.status === 'pending') && (
            <Button variant="secondary" size="S" startIcon={<Cross />} loading={isBusy} onClick={() => act('pause')} data-testid="privacy-centre-notice-pause">
              {formatMessage(t('policies.notice.pause', 'Pause'))}
            </Button>
          )}
          {canPublish && notice.status === 'paused' && (
            <Button variant="secondary" size="S" startIcon={<ArrowClockwise />} loading={isBusy} onClick={() => act('resume')} data-testid="privacy-centre-notice-resume">
              {formatMessage(t('policies.notice.resume', 'Resume'))}
            </Button>
          )}
        </Flex>
        <FactList
          facts={[
            [t('policies.notice.opensAt', 'Sent from'), when(notice.opensAt)],
            [t('policies.notice.recipients', 'Recipients'), formatNumber(notice.recipients)],
            [t('policies.notice.sent', 'Sent'), formatNumber(notice.counts.sent)],
            [t('policies.notice.pending', 'Waiting'), `${formatNumber(notice.counts.pending)} (${formatNumber(notice.counts.retrying)} ↻)`],
            [t('policies.notice.failed', 'Failed'), formatNumber(notice.counts.failed)],
            [t('policies.notice.skipped', 'Skipped'), formatNumber(notice.counts.skipped)],
          ]}
        />
        {notice.shortNoticeReason && (
          <Typography tag="p">
            {formatMessage(t('policies.notice.reason', 'Short notice, because: {reason}'), { reason: notice.shortNoticeReason })}
          </Typography>
        )}
        {notice.failures.length > 0 && (
          <ul data-testid="privacy-centre-notice-failures">
            {notice.failures.map((f) => (
              <li key={`${f.status}:${f.reason}`}>
                <Typography>{`${f.status} × ${formatNumber(f.count)}: ${f.reason}`}</Typography>
              </li>
            ))}
          </ul>
        )}
      </Flex>
    </Panel>
  );
};
