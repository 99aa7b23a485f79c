import * as React from 'react';
import { Box, Button, Field, Flex, Textarea, Typography } from '@strapi/design-system';
import { CheckCircle, SealCheck, WarningCircle } from '@strapi/icons';
import { useFetchClient } from '@strapi/strapi/admin';
import { type MessageDescriptor, useIntl } from 'react-intl';

import { CONSENTS_API, type ReceiptVerification, type VerifyReceiptResponse } from '../../api';
import { useApiAction } from '../../hooks/useApi';
import { t } from '../../utils/getTranslation';
import { Panel } from '../Panel';

/** What each answer of the server means, in words a data-protection officer can pass on. */
const REASONS: Record<ReceiptVerification['reason'] | 'not-json', MessageDescriptor> = {
  ok: t('consents.verify.ok', 'Verified: the receipt is authentic (signed by this site) and matches the consent record exactly.'),
  malformed: t('consents.verify.malformed', 'Refused: this is not a consent receipt (it lacks a consent id or a signature).'),
  'bad-signature': t(
    'consents.verify.badSignature',
    'Refused: the signature does not match the content. The receipt was altered, or was not issued by this site.'
  ),
  'unknown-consent': t(
    'consents.verify.unknown',
    'Authentic, but no such consent is on record: it may have been erased by the retention period or an erasure request.'
  ),
  'differs-from-record': t('consents.verify.differs', 'Refused: the receipt is signed, but differs from the consent on record.'),
  'not-json': t('consents.verify.notJson', 'Refused: the text is not valid JSON.'),
};

/**
 * Checks a receipt a visitor (or their browser) kept: pasted as JSON, sent to the server, which
 * checks its signature and compares it with the record. The answer and its reason stay shown
 * until the text changes.
 */
export const VerifyReceipt = ({ initial = '' }: { initial?: string }) => {
  const { formatMessage } = useIntl();
  const { post } = useFetchClient();
  const { isBusy, run } = useApiAction();
  const [text, setText] = React.useState(initial);
  const [answer, setAnswer] = React.useState<ReceiptVerification | 'not-json' | null>(null);

  const verify = (event: React.FormEvent) => {
    event.preventDefault();
    let receipt: unknown;
    try {
      receipt = JSON.parse(text);
    } catch {
      setAnswer('not-json');
      return;
    }
    run(async () => {
      const { data } = await post<VerifyReceiptResponse>(CONSENTS_API.verify, { receipt });
      setAnswer(data.data);
    });
  };

  const verified = answer !== null && answer !== 'not-json' && answer.reason === 'ok';
  const reason = answer === null ? null : answer === 'not-json' ? 'not-json' : answer.reason;

  return (
    <Panel tag="section" aria-labelledby="privacy-centre-verify-receipt-title" data-testid="privacy-centre-verify-receipt">
      <form onSubmit={verify} noValidate>
        <Flex direction="column" alignItems="stretch" gap={3}>
          <Typography variant="delta" tag="h2" id="privacy-centre-verify-receipt-title">
            {formatMessage(t('consents.verify.title', 'Verify a receipt'))}
          </Typography>
          <Field.Root
            name="receipt"
            hint={formatMessage(
              t('consents.verify.hint', "Paste the receipt as the visitor's browser keeps it (JSON, with its signature).")
            )}
          >
            <Field.Label>{formatMessage(t('consents.verify.label', 'Receipt (JSON)'))}</Field.Label>
            <Textarea
              value={text}
              rows={6}
              style={{ fontFamily: 'monospace' }}
              onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => {
                setText(e.target.value);
                setAnswer(null);
              }}
            />
            <Field.Hint />
          </Field.Root>
          <Box>
            <Button type="submit" variant="secondary" startIcon={<SealCheck />} loading={isBusy} disabled={!text.trim()}>
              {formatMessage(t('consents.verify.submit', 'Verify'))}
            </Button>
          </Box>
          {reason && (
            <Box
              background={verified ? 'success100' : 'danger100'}
              borderColor={verified ? 'success200' : 'danger200'}
              borderStyle="solid"
              borderWidth="1px"
              hasRadius
              padding={4}
              role="status"
              data-testid="privacy-centre-verify-answer"
              data-reason={reason}
            >
              <Flex gap={3} alignItems="flex-start">
                {verified ? (
                  <CheckCircle aria-hidden width="2rem" height="2rem" fill="success600" />
                ) : (
                  <WarningCircle aria-hidden width="2rem" height="2rem" fill="danger600" />
                )}
                <Flex direction="column" alignItems="flex-start" gap={1}>
                  <Typography fontWeight="semiBold" textColor={verified ? 'success700' : 'danger700'} tag="p">
                    {formatMessage(REASONS[reason])}
                  </Typography>
                  {answer !== 'not-json' && answer && (
                    <Typography variant="pi" textColor="neutral600" tag="p">
                      {formatMessage(t('consents.verify.facts', 'Signature: {authentic}. Matches the record: {matches}. Reason code: {reason}.'), {
                        authentic: formatMessage(answer.authentic ? t('common.yes', 'Yes') : t('common.no', 'No')),
                        matches: formatMessage(answer.matchesRecord ? t('common.yes', 'Yes') : t('common.no', 'No')),
                        reason: answer.reason,
                      })}
                    </Typography>
                  )}
                </Flex>
              </Flex>
            </Box>
          )}
        </Flex>
      </form>
    </Panel>
  );
};
