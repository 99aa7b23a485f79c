import * as React from 'react';
import { Button, Dialog, Field, Flex, Grid, Radio, SingleSelect, SingleSelectOption, Textarea, TextInput, Typography } from '@strapi/design-system';
import { Clock, Pencil, Play, Plus } from '@strapi/icons';
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
  const empty = { type: 'access' as DataSubjectRequestType, email: '', subjectId: '', receivedOn: localDay(), verification: '', note: '' };
  const [form, setForm] = React.useState(empty);
  const set = (patch: Partial<typeof form>) => setForm((all) => ({ ...all, ...patch }));
  const who = form.email.trim() || form.subjectId.trim();
  const future = form.receivedOn > localDay();

  const submit = () =>
    run(async () => {
      const body: Record<string, string> = { type: form.type };
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
                hint={formatMessage(t('subjects.field.receivedOn.hint', 'The one-month period to answer runs from this day.'))}
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

/** The GDPR allows at most two more months after the first (Art. 12(3)): three from receipt in all. */
const MAX_MONTHS = 3;

/** Whole months between receipt and the current due date (1 before any extension). */
const monthsGranted = (request: Pick<DataSubjectRequest, 'receivedAt' | 'dueAt'>) => {
  const from = new Date(request.receivedAt);
  const to = new Date(request.dueAt);
  const months = (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + (to.getUTCMonth() - from.getUTCMonth());
  return Math.max(1, months);
};

/** The months a request may still be extended by: 2, 1 or none. */
export const extensionsLeft = (request: DataSubjectRequest) => Math.max(0, MAX_MONTHS - monthsGranted(request));

/**
 * Extends the due date by one or two months, with the reason the person must be told (the
 * complexity or number of requests). Never beyond three months from receipt.
 */
export const ExtendRequestButton = ({ request, onChanged }: { request: DataSubjectRequest; onChanged: OnChanged }) => {
  const { formatMessage, formatDate } = useIntl();
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { isBusy, run } = useApiAction();
  const [open, setOpen] = React.useState(false);
  const left = extensionsLeft(request);
  const [months, setMonths] = React.useState<1 | 2>(1);
  const [reason, setReason] = React.useState('');

  const submit = () =>
    run(async () => {
      const { data } = await post<DataSubjectRequestResponse>(SUBJECTS_API.extend(request.documentId), { months, reason: reason.trim() });
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
      <Button variant="secondary" size="S" startIcon={<Clock />} onClick={() => (setMonths(1), setOpen(true))} data-testid="privacy-centre-request-extend">
        {formatMessage(t('subjects.extend', 'Extend'))}
      </Button>
      {open && (
        <FormModal
          testId="privacy-centre-request-extend-dialog"
          title={formatMessage(t('subjects.extend.title', 'Extend the due date'))}
          submitLabel={formatMessage(t('subjects.extend.submit', 'Extend'))}
          submitTestId="privacy-centre-request-extend-submit"
          canSubmit={Boolean(reason.trim()) && reason.length <= TEXT_MAX && months <= left}
          isSubmitting={isBusy}
          onSubmit={submit}
          onClose={() => setOpen(false)}
        >
          <Typography tag="p">
            {formatMessage(
              t(
                'subjects.extend.body',
                'Due on {date}. The period may be extended by two further months at most, where the request is complex or there are many; the person must be told within the first month, with the reason.'
              ),
              { date: formatDate(request.dueAt, { dateStyle: 'long' }) }
            )}
          </Typography>
          <Flex direction="column" alignItems="stretch" gap={2}>
            <Typography variant="pi" fontWeight="bold" id="privacy-centre-extend-months">
              {formatMessage(t('subjects.extend.months', 'Extend by'))}
            </Typography>
            <Radio.Group aria-labelledby="privacy-centre-extend-months" value={String(months)} onValueChange={(value: string) => setMonths(value === '2' ? 2 : 1)}>
              {([1, 2] as const).map((n) => (
                <Radio.Item key={n} value={String(n)} disabled={n > left}>
                  {formatMessage(t('subjects.extend.monthCount', '{count, plural, one {# month} other {# months}}'), { count: n })}
                </Radio.Item>
              ))}
            </Radio.Group>
          </Flex>
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
