import * as React from 'react';
import { Box, Field, Flex, Radio, TextInput, Typography } from '@strapi/design-system';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { API, type PolicyVersion, type PolicyVersionResponse } from '../../api';
import { useApiAction } from '../../hooks/useApi';
import { t } from '../../utils/getTranslation';
import { FormModal } from '../FormModal';

interface PublishDialogProps {
  draft: PolicyVersion;
  /** The number the server will assign (the slug's highest number so far + 1). */
  nextVersion: number;
  /** The version in force now, which this one replaces (now or at its date). */
  inForceVersion: number | null;
  onClose: () => void;
  onPublished: (version: PolicyVersion) => void;
}

/** `YYYY-MM-DDTHH:mm` in the browser's time zone, the value format of <input type="datetime-local">. */
const localInputValue = (date: Date) => {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
};

/**
 * Publish now, or schedule for a date. Publishing cannot be undone (only a scheduled version can
 * be withdrawn, never edited), so the dialog says in plain words what will happen before the
 * editor confirms.
 */
export const PublishDialog = ({ draft, nextVersion, inForceVersion, onClose, onPublished }: PublishDialogProps) => {
  const { formatMessage, formatDate } = useIntl();
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  // On failure the server says why, e.g. "the fi translation has no sections", or a date before
  // a scheduled version's.
  const { isBusy, run } = useApiAction({ holdOnSuccess: true });
  const [mode, setMode] = React.useState<'now' | 'schedule'>('now');
  // Why a material change gets less notice than configured (the server says when it is needed).
  const [noticeReason, setNoticeReason] = React.useState('');
  // A week ahead at 00:00 is a typical notice period; the editor picks the real date.
  const [when, setWhen] = React.useState(() => {
    const date = new Date(Date.now() + 7 * 24 * 3600 * 1000);
    date.setHours(0, 0, 0, 0);
    return localInputValue(date);
  });

  // datetime-local has no zone: the browser's own zone is what the editor means.
  const effectiveAt = mode === 'schedule' && when ? new Date(when) : null;
  const invalidDate = mode === 'schedule' && (!effectiveAt || Number.isNaN(effectiveAt.getTime()) || effectiveAt.getTime() <= Date.now());
  const locales = Object.keys(draft.locales);
  const longDate = (date: Date) => formatDate(date, { dateStyle: 'full', timeStyle: 'short' });

  const onSubmit = () =>
    run(async () => {
      const body = {
        ...(effectiveAt ? { effectiveAt: effectiveAt.toISOString() } : {}),
        ...(draft.materialChange && noticeReason.trim() ? { noticeReason: noticeReason.trim() } : {}),
      };
      const { data } = await post<PolicyVersionResponse>(API.policyPublish(draft.documentId), body);
      const published = data.data;
      toggleNotification({
        type: 'success',
        message:
          published.status === 'scheduled'
            ? formatMessage(t('policies.publish.scheduled', 'Version {version} scheduled for {date}'), {
                version: published.version,
                date: longDate(new Date(published.effectiveAt!)),
              })
            : formatMessage(t('policies.publish.published', 'Version {version} published: it is now in force'), {
                version: published.version,
              }),
      });
      onPublished(published);
    });

  return (
    <FormModal
      testId="privacy-centre-publish-dialog"
      title={formatMessage(t('policies.publish.title', 'Publish version {version} of {slug}'), { version: nextVersion, slug: draft.slug })}
      submitLabel={formatMessage(
        mode === 'now'
          ? t('policies.publish.confirmNow', 'Publish version {version}')
          : t('policies.publish.confirmSchedule', 'Schedule version {version}'),
        { version: nextVersion }
      )}
      submitTestId="privacy-centre-publish-confirm"
      canSubmit={!invalidDate}
      isSubmitting={isBusy}
      onSubmit={onSubmit}
      onClose={onClose}
    >
      <Radio.Group
        aria-label={formatMessage(t('policies.publish.when', 'When does it take effect?'))}
        value={mode}
        onValueChange={(value: string) => setMode(value as 'now' | 'schedule')}
      >
        <Radio.Item value="now">{formatMessage(t('policies.publish.now', 'Publish now'))}</Radio.Item>
        <Radio.Item value="schedule">{formatMessage(t('policies.publish.schedule', 'Schedule for a date'))}</Radio.Item>
      </Radio.Group>
      {mode === 'schedule' && (
        <Field.Root
          name="effectiveAt"
          required
          error={invalidDate ? formatMessage(t('policies.publish.date.invalid', 'Choose a moment in the future.')) : undefined}
          hint={formatMessage(t('policies.publish.date.hint', 'In your time zone ({zone}).'), { zone: Intl.DateTimeFormat().resolvedOptions().timeZone })}
        >
          <Field.Label>{formatMessage(t('policies.publish.date', 'Takes effect at'))}</Field.Label>
          <TextInput
            type="datetime-local"
            value={when}
            min={localInputValue(new Date())}
            onChange={(e: React.ChangeEvent<HTMLInputElement>) => setWhen(e.target.value)}
          />
          <Field.Error />
          <Field.Hint />
        </Field.Root>
      )}
      {draft.materialChange && (
        <Field.Root
          name="noticeReason"
          hint={formatMessage(
            t('policies.publish.noticeReason.hint', 'Needed when this material change takes effect sooner than the notice period in Settings; kept in the audit trail.')
          )}
        >
          <Field.Label>{formatMessage(t('policies.publish.noticeReason', 'Reason for short notice'))}</Field.Label>
          <TextInput value={noticeReason} maxLength={1000} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setNoticeReason(e.target.value)} />
          <Field.Hint />
        </Field.Root>
      )}
      <Box background="warning100" borderColor="warning200" borderStyle="solid" borderWidth="1px" hasRadius padding={4}>
        <Flex direction="column" alignItems="stretch" gap={2} data-testid="privacy-centre-publish-consequence">
          <Typography textColor="neutral800" fontWeight="semiBold" tag="p">
            {formatMessage(
              t(
                'policies.publish.frozen',
                'Version {version} will be frozen for good: it becomes the legal record of what visitors were shown. Nobody can edit or delete it afterwards, and its {count, plural, one {translation ({locales}) is} other {# translations ({locales}) are}} published together.'
              ),
              { version: nextVersion, count: locales.length, locales: locales.join(', ') }
            )}
          </Typography>
          <Typography textColor="neutral800" tag="p">
            {mode === 'now' || !effectiveAt || invalidDate
              ? inForceVersion
                ? formatMessage(
                    t('policies.publish.now.replaces', 'It takes effect immediately and replaces version {previous} as the policy in force.'),
                    { previous: inForceVersion }
                  )
                : formatMessage(t('policies.publish.now.first', 'It takes effect immediately as the policy in force.'))
              : formatMessage(
                  inForceVersion
                    ? t(
                        'policies.publish.schedule.replaces',
                        'It takes effect on {date}. Until then version {previous} stays in force, and frontends can show the upcoming version as notice. You can withdraw it before that moment, but not change it.'
                      )
                    : t(
                        'policies.publish.schedule.first',
                        'It takes effect on {date}. You can withdraw it before that moment, but not change it.'
                      ),
                  { date: longDate(effectiveAt), previous: inForceVersion }
                )}
          </Typography>
          {draft.materialChange && (
            <Typography textColor="neutral800" tag="p">
              {formatMessage(
                t('policies.publish.material', 'It is marked as a material change: sites may ask visitors to read it again.')
              )}
            </Typography>
          )}
        </Flex>
      </Box>
    </FormModal>
  );
};
