import * as React from 'react';
import { Button, Dialog, Field, Flex, Grid, Radio, SingleSelect, SingleSelectOption, Textarea, TextInput, Typography } from '@strapi/design-system';
import { Check, Clock, Pencil, Play, Plus } from '@strapi/icons';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import {
  DATA_SUBJECT_REQUEST_STATUSES,
  DATA_SUBJECT_REQUEST_TYPES,
  SUBJECTS_API,
  type DataSubjectRequest,
  type DataSubjectRequestResponse,
  type DataSubjectRequestStatus,
  type DataSubjectRequestType,
} from '../../api';
import { JURISDICTIONS } from '../../../../server/src/regions';
import { useApiAction } from '../../hooks/useApi';
import { t } from '../../utils/getTranslation';
import { FormModal } from '../FormModal';
import { REQUEST_STATUS_LABELS, TYPE_LABELS } from './RequestBadges';

/** Long texts the register keeps (a reason, a note); the server has the last word. */
const TEXT_MAX = 2000;

type OnChanged = (request: DataSubjectRequest) => void;

/** Who a request is about, for a sentence. */
export const personOf = (request: Pick<DataSubjectRequest, 'email' | 'subjectId'>, erased: string) => request.email ?? request.subjectId ?? erased;

const textArea = (value: string, set: (value: string) => void) => (
  <Textarea value={value} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => set(e.target.value)} />
);

/** The local calendar day as `YYYY-MM-DD`. */
const localDay = (date = new Date()) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

/**
 * Registers a request received by letter, phone or e-mail: its type, who (an address and/or a
 * visitor id), the day it arrived (the one-month period runs from then) and how the person's
 * identity was verified. The server sets the due date and audits the registration.
 */
export const RegisterRequestButton = ({ onRegistered }: { onRegistered: OnChanged }) => {
  const { formatMessage, formatDate } = useIntl();
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { isBusy, run } = useApiAction();
  const [open, setOpen] = React.useState(false);
  // jurisdiction '': the server takes the regions table's default (Settings → Regions).
  const empty = { type: 'access' as DataSubjectRequestType, jurisdiction: '', email: '', subjectId: '', receivedOn: localDay(), verification: '', note: '' };
  const [form, setForm] = React.useState(empty);
  const set = (patch: Partial<typeof form>) => setForm((all) => ({ ...all, ...patch }));
  const who = form.email.trim() || form.subjectId.trim();
  const future = form.receivedOn > localDay();

  const submit = () =>
    run(async () => {
      const body: Record<string, string> = { type: form.type };
      if (form.jurisdiction) body.jurisdiction = form.jurisdiction;
      if (form.email.trim()) body.email = form.email.trim();
      if (form.subjectId.trim()) body.subjectId = form.subjectId.trim();
      // Today is now; an earlier day counts from its start, in the administrator's time zone.
      if (form.receivedOn && form.receivedOn !== localDay()) body.receivedAt = new Date(`${form.receivedOn}T00:00:00`).toISOString();
      if (form.verification.trim()) body.verification = form.verification.trim();
      if (form.note.trim()) body.note = form.note.trim();
      const { data } = await post<DataSubjectRequestResponse>(SUBJECTS_API.requests, body);
      setOpen(false);
      setForm(empty);
      toggleNotification({
        type: 'success',
        message: formatMessage(t('subjects.register.done', 'Data-subject request registered: due on {date}'), {
          date: formatDate(data.data.dueAt, { dateStyle: 'long' }),
        }),
      });
      onRegistered(data.data);
    });

  return (
    <>
      <Button startIcon={<Plus />} onClick={() => setOpen(true)} data-testid="privacy-centre-request-register">
        {formatMessage(t('subjects.register', 'Register a data-subject request'))}
      </Button>
      {open && (
        <FormModal
          testId="privacy-centre-request-register-dialog"
          title={formatMessage(t('subjects.register.title', 'Register a data-subject request'))}
          submitLabel={formatMessage(t('subjects.register.submit', 'Register'))}
          submitTestId="privacy-centre-request-register-submit"
          canSubmit={Boolean(who) && Boolean(form.receivedOn) && !future && form.note.length <= TEXT_MAX}
          isSubmitting={isBusy}
          onSubmit={submit}
          onClose={() => setOpen(false)}
        >
          <Field.Root name="type" required>
            <Field.Label>{formatMessage(t('subjects.field.type', 'Type of request'))}</Field.Label>
            <SingleSelect value={form.type} onChange={(value: string | number) => set({ type: String(value) as DataSubjectRequestType })}>
              {DATA_SUBJECT_REQUEST_TYPES.map((type) => (
                <SingleSelectOption key={type} value={type}>
                  {formatMessage(TYPE_LABELS[type])}
                </SingleSelectOption>
              ))}
            </SingleSelect>
          </Field.Root>
          <Field.Root
            name="jurisdiction"
            hint={formatMessage(t('subjects.field.jurisdiction.hint', 'The law the request falls under: it sets the deadlines to acknowledge and to answer.'))}
          >
            <Field.Label>{formatMessage(t('subjects.field.jurisdiction', 'Jurisdiction'))}</Field.Label>
            <SingleSelect
              value={form.jurisdiction}
              onChange={(value: string | number) => set({ jurisdiction: String(value) })}
              data-testid="privacy-centre-request-register-jurisdiction"
            >
              <SingleSelectOption value="">{formatMessage(t('subjects.field.jurisdiction.default', 'The default of Settings → Regions'))}</SingleSelectOption>
              {JURISDICTIONS.map((jurisdiction) => (
                <SingleSelectOption key={jurisdiction.code} value={jurisdiction.code}>
                  {`${jurisdiction.code}: ${jurisdiction.name}`}
                </SingleSelectOption>
              ))}
            </SingleSelect>
            <Field.Hint />
          </Field.Root>
          <Grid.Root gap={4}>
            <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
              <Field.Root name="email" hint={formatMessage(t('subjects.field.email.hint', 'The address the person wrote from or gave.'))}>
                <Field.Label>{formatMessage(t('subjects.field.email', 'E-mail address'))}</Field.Label>
                <TextInput type="email" value={form.email} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set({ email: e.target.value })} />
                <Field.Hint />
              </Field.Root>
            </Grid.Item>
            <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
              <Field.Root name="subjectId" hint={formatMessage(t('subjects.field.subjectId.hint', 'From a consent receipt the person kept, if any.'))}>
                <Field.Label>{formatMessage(t('subjects.field.subjectId', 'Visitor id (pseudonymous)'))}</Field.Label>
                <TextInput value={form.subjectId} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set({ subjectId: e.target.value })} />
                <Field.Hint />
              </Field.Root>
            </Grid.Item>
          </Grid.Root>
          {!who && (
            <Typography variant="pi" textColor="neutral600" data-testid="privacy-centre-request-register-who">
              {formatMessage(t('subjects.register.who', 'Give an e-mail address, a visitor id, or both.'))}
            </Typography>
          )}
          <Grid.Root gap={4}>
            <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
              <Field.Root
                name="receivedOn"
                required
                hint={formatMessage(t('subjects.field.receivedOn.hint', 'The periods to acknowledge and to answer run from this day.'))}
                error={future ? formatMessage(t('subjects.field.receivedOn.future', 'This day is still to come.')) : undefined}
              >
                <Field.Label>{formatMessage(t('subjects.field.receivedOn', 'Received on'))}</Field.Label>
                <TextInput type="date" max={localDay()} value={form.receivedOn} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set({ receivedOn: e.target.value })} />
                <Field.Hint />
                <Field.Error />
              </Field.Root>
            </Grid.Item>
            <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
              <Field.Root name="verification" hint={formatMessage(t('subjects.field.verification.hint', 'E.g. "replied from the subscribed address", "ID checked at the desk".'))}>
                <Field.Label>{formatMessage(t('subjects.field.verification', 'How identity was verified'))}</Field.Label>
                <TextInput value={form.verification} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set({ verification: e.target.value })} />
                <Field.Hint />
              </Field.Root>
            </Grid.Item>
          </Grid.Root>
          <Field.Root name="note" hint={formatMessage(t('subjects.field.note.hint', 'Optional, kept in the request’s history.'))}>
            <Field.Label>{formatMessage(t('subjects.field.note', 'Note'))}</Field.Label>
            {textArea(form.note, (note) => set({ note }))}
            <Field.Hint />
          </Field.Root>
        </FormModal>
      )}
    </>
  );
};

/**
 * Moves a request on: its status (a refusal needs its reason, which the person is told), how the
 * identity was verified, and a note for the history. The server audits the change.
 */
export const UpdateRequestButton = ({ request, onChanged }: { request: DataSubjectRequest; onChanged: OnChanged }) => {
  const { formatMessage, formatDate } = useIntl();
  const { put } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { isBusy, run } = useApiAction();
  const [open, setOpen] = React.useState(false);
  const initial = { status: request.status, verification: request.verification ?? '', refusalReason: request.refusalReason ?? '', note: '' };
  const [form, setForm] = React.useState(initial);
  const set = (patch: Partial<typeof form>) => setForm((all) => ({ ...all, ...patch }));
  const refusing = form.status === 'refused';
  const changed =
    form.status !== request.status || form.verification.trim() !== (request.verification ?? '') || Boolean(form.note.trim()) || (refusing && form.refusalReason.trim() !== (request.refusalReason ?? ''));

  const submit = () =>
    run(async () => {
      const body: Record<string, string> = {};
      if (form.status !== request.status) body.status = form.status;
      if (form.verification.trim() !== (request.verification ?? '')) body.verification = form.verification.trim();
      if (refusing) body.refusalReason = form.refusalReason.trim();
      if (form.note.trim()) body.note = form.note.trim();
      const { data } = await put<DataSubjectRequestResponse>(SUBJECTS_API.request(request.documentId), body);
      setOpen(false);
      toggleNotification({ type: 'success', message: formatMessage(t('subjects.update.done', 'Data-subject request updated')) });
      onChanged(data.data);
    });

  return (
    <>
      <Button
        variant="secondary"
        size="S"
        startIcon={<Pencil />}
        onClick={() => (setForm(initial), setOpen(true))}
        data-testid="privacy-centre-request-update"
      >
        {formatMessage(t('subjects.update', 'Change status'))}
      </Button>
      {open && (
        <FormModal
          testId="privacy-centre-request-update-dialog"
          title={formatMessage(t('subjects.update.title', 'Change the status of a data-subject request'))}
          submitLabel={formatMessage(t('subjects.update.submit', 'Save'))}
          submitTestId="privacy-centre-request-update-submit"
          canSubmit={changed && (!refusing || Boolean(form.refusalReason.trim())) && form.note.length <= TEXT_MAX && form.refusalReason.length <= TEXT_MAX}
          isSubmitting={isBusy}
          onSubmit={submit}
          onClose={() => setOpen(false)}
        >
          <Typography tag="p">
            {formatMessage(t('subjects.update.about', '{type}, received on {date}: {who}'), {
              type: TYPE_LABELS[request.type] ? formatMessage(TYPE_LABELS[request.type]) : request.type,
              date: formatDate(request.receivedAt, { dateStyle: 'long' }),
              who: personOf(request, formatMessage(t('subjects.erased', 'Erased'))),
            })}
          </Typography>
          <Field.Root name="status" required>
            <Field.Label>{formatMessage(t('subjects.field.status', 'Status'))}</Field.Label>
            <SingleSelect value={form.status} onChange={(value: string | number) => set({ status: String(value) as DataSubjectRequestStatus })}>
              {DATA_SUBJECT_REQUEST_STATUSES.map((status) => (
                <SingleSelectOption key={status} value={status}>
                  {formatMessage(REQUEST_STATUS_LABELS[status])}
                </SingleSelectOption>
              ))}
            </SingleSelect>
          </Field.Root>
          {refusing && (
            <Field.Root
              name="refusalReason"
              required
              hint={formatMessage(t('subjects.field.refusalReason.hint', 'Required: the person must be told why (Art. 12(4)), and that they may complain to the supervisory authority.'))}
            >
              <Field.Label>{formatMessage(t('subjects.field.refusalReason', 'Reason for refusing'))}</Field.Label>
              {textArea(form.refusalReason, (refusalReason) => set({ refusalReason }))}
              <Field.Hint />
            </Field.Root>
          )}
          <Field.Root name="verification">
            <Field.Label>{formatMessage(t('subjects.field.verification', 'How identity was verified'))}</Field.Label>
            <TextInput value={form.verification} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set({ verification: e.target.value })} />
          </Field.Root>
          <Field.Root name="note" hint={formatMessage(t('subjects.field.note.hint', 'Optional, kept in the request’s history.'))}>
            <Field.Label>{formatMessage(t('subjects.field.note', 'Note'))}</Field.Label>
            {textArea(form.note, (note) => set({ note }))}
            <Field.Hint />
          </Field.Root>
        </FormModal>
      )}
    </>
  );
};

/** Extensions a request may still take (the server says, by its jurisdiction's rule). */
export const extensionsLeft = (request: DataSubjectRequest) => request.extension?.left ?? 0;

/**
 * Extends the due date as the request's jurisdiction allows, with the reason the person must
 * be told: in months where the law counts in months (GDPR: one or two, three from receipt at
 * most), else by the one step it allows (CCPA: once by 45 days).
 */
export const ExtendRequestButton = ({ request, onChanged }: { request: DataSubjectRequest; onChanged: OnChanged }) => {
  const { formatMessage, formatDate } = useIntl();
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { isBusy, run } = useApiAction();
  const [open, setOpen] = React.useState(false);
  const left = extensionsLeft(request);
  const step = request.extension?.step ?? null;
  const monthsEach = step && 'months' in step ? step.months : null;
  const [steps, setSteps] = React.useState(1);
  const [reason, setReason] = React.useState('');

  const submit = () =>
    run(async () => {
      const body = monthsEach ? { months: steps * monthsEach, reason: reason.trim() } : { reason: reason.trim() };
      const { data } = await post<DataSubjectRequestResponse>(SUBJECTS_API.extend(request.documentId), body);
      setOpen(false);
      setReason('');
      toggleNotification({
        type: 'success',
        message: formatMessage(t('subjects.extend.done', 'Due date extended to {date}'), { date: formatDate(data.data.dueAt, { dateStyle: 'long' }) }),
      });
      onChanged(data.data);
    });

  return (
    <>
      <Button variant="secondary" size="S" startIcon={<Clock />} onClick={() => (setSteps(1), setOpen(true))} data-testid="privacy-centre-request-extend">
        {formatMessage(t('subjects.extend', 'Extend'))}
      </Button>
      {open && (
        <FormModal
          testId="privacy-centre-request-extend-dialog"
          title={formatMessage(t('subjects.extend.title', 'Extend the due date'))}
          submitLabel={formatMessage(t('subjects.extend.submit', 'Extend'))}
          submitTestId="privacy-centre-request-extend-submit"
          canSubmit={Boolean(reason.trim()) && reason.length <= TEXT_MAX && steps <= left}
          isSubmitting={isBusy}
          onSubmit={submit}
          onClose={() => setOpen(false)}
        >
          <Typography tag="p">
            {monthsEach
              ? formatMessage(
                  t(
                    'subjects.extend.body',
                    'Due on {date}. The period may be extended by two further months at most, where the request is complex or there are many; the person must be told within the first month, with the reason.'
                  ),
                  { date: formatDate(request.dueAt, { dateStyle: 'long' }) }
                )
              : formatMessage(
                  t('subjects.extend.bodyDays', 'Due on {date}. Under {jurisdiction} the period may be extended {left, plural, one {once more} other {# more times}} by {days} days, where reasonably necessary; tell the person before the period ends, with the reason.'),
                  { date: formatDate(request.dueAt, { dateStyle: 'long' }), jurisdiction: request.jurisdiction, left, days: step && 'days' in step ? step.days : step && 'businessDays' in step ? step.businessDays : 0 }
                )}
          </Typography>
          {monthsEach && (
            <Flex direction="column" alignItems="stretch" gap={2}>
              <Typography variant="pi" fontWeight="bold" id="privacy-centre-extend-months">
                {formatMessage(t('subjects.extend.months', 'Extend by'))}
              </Typography>
              <Radio.Group aria-labelledby="privacy-centre-extend-months" value={String(steps)} onValueChange={(value: string) => setSteps(Number(value) || 1)}>
                {/* Every step the rule allows in all; those already taken are greyed out. */}
                {Array.from({ length: request.extension.taken + left }, (_, i) => i + 1).map((n) => (
                  <Radio.Item key={n} value={String(n)} disabled={n > left}>
                    {formatMessage(t('subjects.extend.monthCount', '{count, plural, one {# month} other {# months}}'), { count: n * monthsEach })}
                  </Radio.Item>
                ))}
              </Radio.Group>
            </Flex>
          )}
          <Field.Root name="reason" required hint={formatMessage(t('subjects.extend.reason.hint', 'Told to the person, and kept with the request.'))}>
            <Field.Label>{formatMessage(t('subjects.extend.reason', 'Reason for the extension'))}</Field.Label>
            {textArea(reason, setReason)}
            <Field.Hint />
          </Field.Root>
        </FormModal>
      )}
    </>
  );
};

/**
 * Records that receipt was confirmed to the person (CCPA: within 10 business days, saying how
 * the request will be handled), with an optional note of how. Once; the server audits it.
 */
export const AcknowledgeButton = ({ request, onChanged }: { request: DataSubjectRequest; onChanged: OnChanged }) => {
  const { formatMessage, formatDate } = useIntl();
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { isBusy, run } = useApiAction();
  const [open, setOpen] = React.useState(false);
  const [note, setNote] = React.useState('');

  const submit = () =>
    run(async () => {
      const { data } = await post<DataSubjectRequestResponse>(SUBJECTS_API.acknowledge(request.documentId), note.trim() ? { note: note.trim() } : {});
      setOpen(false);
      setNote('');
      toggleNotification({ type: 'success', message: formatMessage(t('subjects.acknowledge.done', 'Acknowledgement recorded')) });
      onChanged(data.data);
    });

  return (
    <>
      <Button variant="secondary" size="S" startIcon={<Check />} onClick={() => setOpen(true)} data-testid="privacy-centre-request-acknowledge">
        {formatMessage(t('subjects.acknowledge', 'Mark acknowledged'))}
      </Button>
      {open && (
        <FormModal
          testId="privacy-centre-request-acknowledge-dialog"
          title={formatMessage(t('subjects.acknowledge.title', 'Record the acknowledgement'))}
          submitLabel={formatMessage(t('subjects.acknowledge.submit', 'Record'))}
          submitTestId="privacy-centre-request-acknowledge-submit"
          canSubmit={note.length <= TEXT_MAX}
          isSubmitting={isBusy}
          onSubmit={submit}
          onClose={() => setOpen(false)}
        >
          <Typography tag="p">
            {formatMessage(
              t('subjects.acknowledge.body', 'Receipt must be confirmed to the person by {date} ({jurisdiction}), with how the request will be handled. Record it once that is done.'),
              { date: request.acknowledgeBy ? formatDate(request.acknowledgeBy, { dateStyle: 'long' }) : '–', jurisdiction: request.jurisdiction }
            )}
          </Typography>
          <Field.Root name="note" hint={formatMessage(t('subjects.acknowledge.note.hint', 'Optional: how it was confirmed, e.g. "e-mail sent with our process".'))}>
            <Field.Label>{formatMessage(t('subjects.field.note', 'Note'))}</Field.Label>
            {textArea(note, setNote)}
            <Field.Hint />
          </Field.Root>
        </FormModal>
      )}
    </>
  );
};

/**
 * Carries out a self-service request that waits for an administrator's approval: an access
 * request e-mails the export to the address; an erasure request erases (and confirms by e-mail).
 * Says which, and asks for confirmation first. Other types are carried out by hand.
 */
export const CarryOutButton = ({ request, onChanged }: { request: DataSubjectRequest; onChanged: OnChanged }) => {
  const { formatMessage } = useIntl();
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { isBusy, run } = useApiAction();
  const [open, setOpen] = React.useState(false);
  const erased = formatMessage(t('subjects.erased', 'Erased'));
  const who = personOf(request, erased);

  const confirm = () =>
    run(async () => {
      const { data } = await post<DataSubjectRequestResponse>(SUBJECTS_API.carryOut(request.documentId), {});
      setOpen(false);
      toggleNotification({ type: 'success', message: formatMessage(t('subjects.carryOut.done', 'Data-subject request carried out')) });
      onChanged(data.data);
    });

  const body =
    request.type === 'erasure'
      ? t(
          'subjects.carryOut.erasure',
          'Everything held about {who} is erased: the address leaves every newsletter list and data-subject request, IP prefixes and user agents leave their consent records; the pseudonymous proof of their consents stays. This cannot be undone. The request is then completed, and the person told by e-mail.'
        )
      : request.type === 'access'
        ? t('subjects.carryOut.access', 'The export of everything held about {who} (JSON) is e-mailed to {email}. The request is then completed.')
        : t('subjects.carryOut.other', 'The request of {who} is carried out and completed.');

  return (
    <Dialog.Root open={open} onOpenChange={(next: boolean) => !isBusy && setOpen(next)}>
      <Dialog.Trigger>
        <Button variant={request.type === 'erasure' ? 'danger-light' : 'default'} size="S" startIcon={<Play />} data-testid="privacy-centre-request-carry-out">
          {formatMessage(t('subjects.carryOut', 'Carry out'))}
        </Button>
      </Dialog.Trigger>
      <Dialog.Content data-testid="privacy-centre-request-carry-out-dialog">
        <Dialog.Header>{formatMessage(t('subjects.carryOut.title', 'Carry out this request?'))}</Dialog.Header>
        <Dialog.Body>
          <Typography tag="p" textAlign="center">
            {formatMessage(body, { who, email: request.email ?? '–' })}
          </Typography>
        </Dialog.Body>
        <Dialog.Footer>
          <Dialog.Cancel>
            <Button fullWidth variant="tertiary" disabled={isBusy}>
              {formatMessage(t('common.cancel', 'Cancel'))}
            </Button>
          </Dialog.Cancel>
          <Button
            fullWidth
            variant={request.type === 'erasure' ? 'danger' : 'default'}
            loading={isBusy}
            onClick={confirm}
            data-testid="privacy-centre-request-carry-out-confirm"
          >
            {formatMessage(t('subjects.carryOut.confirm', 'Carry out'))}
          </Button>
        </Dialog.Footer>
      </Dialog.Content>
    </Dialog.Root>
  );
};
