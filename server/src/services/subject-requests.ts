import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { PrivacyCentreConfig } from '../config';
import { describeDbError } from '../db/errors';
import { restPrefix, withoutTrailingSlashes } from '../middlewares/paths';
import { LRUCache } from 'lru-cache';
import { normaliseEmail, withoutAddresses } from '../newsletter/email';
import { textLocale } from '../newsletter/texts';
import { isCleanText, parseInstant } from '../policy/patterns';
import { SubjectRequestInput } from '../contract/schemas';
import { validated } from '../contract/validate';
import {
  acknowledgeUnder,
  DEFAULT_DEADLINES,
  describePeriod,
  dueUnder,
  extensionRefusal,
  extensionsOf,
  LEGACY_JURISDICTION,
  ruleFor,
  type DeadlineTable,
  type Period,
} from '../subjects/due';
import { requestMetrics, METRICS_COLUMNS, yearBounds, type MetricsRow } from '../subjects/metrics';
import { stringify } from 'csv-stringify/sync';
import { CSV_CAST } from '../export/csv';
import { jurisdictionByCode, JURISDICTION_CODES, resolveJurisdiction, type Location } from '../regions';
import type { HeaderOf } from './regions';
import { requestText } from '../subjects/texts';
import { REQUEST_TYPES } from '../subjects/types';
import { makeRequestToken, readRequestToken, type RequestTokenReading } from '../subjects/tokens';
import { describeActor, type AdminUser } from './audit';

export const REQUEST_UID = 'plugin::privacy-centre.data-subject-request';
export { REQUEST_TYPES };
export const REQUEST_STATUSES = ['received', 'verified', 'in-progress', 'completed', 'refused'] as const;
const OPEN = ['received', 'verified', 'in-progress'];
const REQUESTS = 'privacy_centre_data_subject_requests';
const SELF_SERVICE_TYPES = ['access', 'erasure'];
const SUBJECT_ID = /^[A-Za-z0-9_-]{8,64}$/;
const TEXT_MAX = 2000;
/** Self-service requests waiting to be processed, at most: past it, new ones get a 503. */
const MAX_PENDING_WORK = 10_000;
/** One self-service request per address and type is sent a link at most this often. */
const RESEND_MINUTES = 10;

type Row = Record<string, any>;


/** What `POST /requests` answers, always, byte for byte. */
export const REQUEST_ANSWER = JSON.stringify({
  data: { status: 'accepted', message: 'If this address can receive e-mail, a message with a link to confirm the request is on its way.' },
});

/** What the deadlines of requests are computed from: config `subjects.deadlines` and `subjects.holidays`. */
export interface Clock {
  deadlines: DeadlineTable;
  holidays: string[];
}
export const DEFAULT_CLOCK: Clock = { deadlines: DEFAULT_DEADLINES, holidays: [] };
/** The built-in rules, each one config names replaced whole by config's. */
export const clockOf = (config: PrivacyCentreConfig): Clock => ({
  deadlines: { ...DEFAULT_DEADLINES, ...(config.subjects?.deadlines ?? {}) },
  holidays: config.subjects?.holidays ?? [],
});

/** The jurisdiction a row runs on: rows from before jurisdictions were recorded ran on GDPR's clock. */
const jurisdictionOf = (row: Row): string => row.jurisdiction || LEGACY_JURISDICTION;

/** Extension steps a row has taken: recorded, or (older rows) read from its due date. */
const extensionsTaken = (row: Row, clock: Clock): number =>
  Number.isInteger(row.extensions) ? row.extensions : extensionsOf(ruleFor(clock.deadlines, jurisdictionOf(row), row.type), row.receivedAt, row.dueAt, clock.holidays);

/** A request as the admin shows it. */
export const requestView = (row: Row, clock: Clock = DEFAULT_CLOCK) => {
  const rule = ruleFor(clock.deadlines, jurisdictionOf(row), row.type);
  const open = OPEN.includes(row.status);
  const now = Date.now();
  const taken = extensionsTaken(row, clock);
  const max = rule.extension ? rule.maxExtensions ?? 1 : 0;
  return {
  documentId: row.documentId,
  type: row.type,
  jurisdiction: jurisdictionOf(row),
  email: row.email ?? null,
  subjectId: row.subjectId ?? null,
  origin: row.origin,
  language: row.language ?? null,
  receivedAt: row.receivedAt,
  dueAt: row.dueAt,
  acknowledgeBy: row.acknowledgeBy ?? null,
  acknowledgedAt: row.acknowledgedAt ?? null,
  /** What extending may still do: steps left, each of `step` (null: none allowed). */
  extension: { taken, left: Math.max(0, max - taken), step: (rule.extension ?? null) as Period | null },
  extendedAt: row.extendedAt ?? null,
  extensionReason: row.extensionReason ?? null,
  status: row.status,
  refusalReason: row.refusalReason ?? null,
  verification: row.verification ?? null,
  handledBy: row.handledBy ?? null,
  awaitingApproval: Boolean(row.awaitingApproval),
  completedAt: row.completedAt ?? null,
  actions: Array.isArray(row.actions) ? row.actions : [],
  overdue: open && Date.parse(row.dueAt) < now,
  /** Open, past its acknowledgement deadline, and not acknowledged. */
  acknowledgementOverdue: open && Boolean(row.acknowledgeBy) && !row.acknowledgedAt && Date.parse(row.acknowledgeBy) < now,
  };
};

const cleanText = (value: unknown, name: string, problems: string[], required = false) => {
  if (value === undefined || value === null || value === '') {
    if (required) problems.push(`${name} is required`);
    return null;
  }
  if (typeof value !== 'string' || !isCleanText(value) || value.length > TEXT_MAX) {
    problems.push(`${name} must be text of at most ${TEXT_MAX} characters`);
    return null;
  }
  return value.trim() || null;
};

/** Too many self-service requests wait to be processed on this instance: answered 503. */
export class RequestsBusyError extends Error {}

/** Carrying out a request failed (mail refused, database down): it is back to verified. */
export class CarryOutError extends errors.ApplicationError {}

/**
 * The register of data-subject requests (Art. 12(3): due one month after receipt, extendable
 * by two), every change audited; and self-service requests by a signed e-mail link.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get('plugin::privacy-centre') as PrivacyCentreConfig;
  const plugin = () => strapi.plugin('privacy-centre');
  const query = () => strapi.db.query(REQUEST_UID);
  const audit = () => plugin().service('audit');
  const keys = () => plugin().service('keys');
  const mail = () => plugin().service('newsletter-mail');
  const subjects = () => plugin().service('subjects');
  const settings = () => plugin().service('settings');
  const regions = () => plugin().service('regions');
  const clock = () => clockOf(config());
  const view = (row: Row) => requestView(row, clock());
  /** The deadlines of a request received at `receivedAt` under `jurisdiction`. */
  const deadlinesOf = (jurisdiction: string, type: string, receivedAt: string) => {
    const { deadlines, holidays } = clock();
    const rule = ruleFor(deadlines, jurisdiction, type);
    return { dueAt: dueUnder(rule, receivedAt, 0, holidays), acknowledgeBy: acknowledgeUnder(rule, receivedAt, holidays), extensions: 0 };
  };

  const hashOf = (email: string): string => plugin().service('newsletter').addressHashes(email)[0];
  const action = (row: Row, by: string, what: string) => [...(Array.isArray(row.actions) ? row.actions : []), { at: new Date().toISOString(), by, what }];
  const find = async (documentId: string) => {
    const row = typeof documentId === 'string' ? await query().findOne({ where: { documentId } }) : null;
    if (!row) throw new errors.NotFoundError('No such data-subject request');
    return row;
  };
  const base = () => {
    const configured = config().publicUrl || (strapi.config.get('server.url') as string) || `http://localhost:${strapi.config.get('server.port', 1337)}`;
    return `${withoutTrailingSlashes(configured)}${restPrefix(strapi)}/privacy-centre/requests`;
  };

  let pendingWork = 0;
  const inFlight = new Set<Promise<void>>();
  const recentlyAsked = new LRUCache<string, true>({ max: 50_000, ttl: RESEND_MINUTES * 60_000 });

  const service = {
    async list(input: Record<string, unknown>) {
      const status = input.status ?? 'open';
      if (!['open', 'closed', 'all'].includes(status as string)) throw new errors.ValidationError('status must be open, closed or all');
      const page = Math.max(1, Number(input.page) || 1);
      const pageSize = Math.min(100, Math.max(1, Number(input.pageSize) || 25));
      const open = { status: { $in: OPEN } };
      const closed = { status: { $notIn: OPEN } };
      // Open first, the earliest due (so the overdue) on top; then closed, the latest received on top.
      const where = status === 'open' ? open : status === 'closed' ? closed : {};
      const total = await query().count({ where });
      let rows: Row[];
      if (status === 'all') {
        const openCount = await query().count({ where: open });
        const offset = (page - 1) * pageSize;
        const fromOpen = offset < openCount ? await query().findMany({ where: open, orderBy: [{ dueAt: 'asc' }, { id: 'asc' }], offset, limit: pageSize }) : [];
        const rest = pageSize - fromOpen.length;
        const fromClosed = rest > 0
          ? await query().findMany({ where: closed, orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }], offset: Math.max(0, offset - openCount), limit: rest })
          : [];
        rows = [...fromOpen, ...fromClosed];
      } else {
        rows = await query().findMany({
          where,
          orderBy: status === 'open' ? [{ dueAt: 'asc' }, { id: 'asc' }] : [{ receivedAt: 'desc' }, { id: 'desc' }],
          offset: (page - 1) * pageSize,
          limit: pageSize,
        });
      }
      return { data: rows.map(view), meta: { pagination: { page, pageSize, total } } };
    },

    /**
     * Open requests, and the overdue among them: past their own due date (each jurisdiction's
     * clock), or past their acknowledgement deadline without an acknowledgement.
     */
    async summary() {
      const now = new Date().toISOString();
      const unacknowledged = { acknowledgeBy: { $lt: now }, acknowledgedAt: { $null: true } };
      const open = await query().count({ where: { status: { $in: OPEN } } });
      const overdue = await query().count({ where: { status: { $in: OPEN }, $or: [{ dueAt: { $lt: now } }, unacknowledged] } });
      const acknowledgementOverdue = await query().count({ where: { status: { $in: OPEN }, ...unacknowledged } });
      const next = await query().findOne({ select: ['dueAt'], where: { status: { $in: OPEN } }, orderBy: [{ dueAt: 'asc' }] });
      return { open, overdue, acknowledgementOverdue, nextDueAt: next?.dueAt ?? null };
    },

    async findOne(documentId: string) {
      return view(await find(documentId));
    },

    /** Registers a request received by other means (a letter, a phone call, an e-mail). */
    async create(input: unknown, user: AdminUser | null) {
      if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new errors.ValidationError('the body must be an object');
      const { type, email: rawEmail, subjectId, receivedAt: rawReceivedAt, verification, note, jurisdiction: rawJurisdiction, ...rest } = input as Row;
      const problems: string[] = [];
      if (Object.keys(rest).length) problems.push(`unknown fields: ${Object.keys(rest).slice(0, 5).join(', ')}`);
      if (!REQUEST_TYPES.includes(type)) problems.push(`type must be one of ${REQUEST_TYPES.join(', ')}`);
      const email = rawEmail === undefined || rawEmail === null || rawEmail === '' ? null : normaliseEmail(rawEmail);
      if (rawEmail !== undefined && rawEmail !== null && rawEmail !== '' && !email) problems.push('email must be an e-mail address');
      if (subjectId !== undefined && subjectId !== null && subjectId !== '' && !(typeof subjectId === 'string' && SUBJECT_ID.test(subjectId))) {
        problems.push('subjectId must be 8–64 letters, digits, _ or -');
      }
      if (!email && !subjectId) problems.push('give the person: an email, a subjectId, or both');
      const receivedAt = rawReceivedAt === undefined || rawReceivedAt === null ? new Date() : parseInstant(rawReceivedAt);
      if (!receivedAt) problems.push('receivedAt must be an ISO 8601 instant with a time zone');
      else if (receivedAt.getTime() > Date.now() + 60_000) problems.push('receivedAt must not be in the future');
      const how = cleanText(verification, 'verification', problems);
      const text = cleanText(note, 'note', problems);
      if (how && how.length > 255) problems.push('verification must be at most 255 characters');
      const given = rawJurisdiction !== undefined && rawJurisdiction !== null && rawJurisdiction !== '';
      if (given && !(typeof rawJurisdiction === 'string' && jurisdictionByCode(rawJurisdiction))) {
        problems.push(`jurisdiction must be one of ${JURISDICTION_CODES.join(', ')}`);
      }
      if (problems.length) throw new errors.ValidationError(problems.join('; '));
      // Not given: the jurisdiction of a visitor whose area is unknown (Settings → Regions).
      const jurisdiction: string = given ? rawJurisdiction : (await regions().table()).defaultJurisdiction;
      const by = describeActor(user);
      const received = receivedAt!.toISOString();
      const row = await query().create({
        data: {
          type,
          email,
          emailHash: email ? hashOf(email) : null,
          subjectId: subjectId || null,
          origin: 'admin',
          jurisdiction,
          receivedAt: received,
          ...deadlinesOf(jurisdiction, type, received),
          status: how ? 'verified' : 'received',
          verification: how,
          handledBy: by,
          awaitingApproval: false,
          actions: [{ at: new Date().toISOString(), by, what: `registered${how ? `; identity verified: ${how}` : ''}${text ? `; ${text}` : ''}` }],
        },
      });
      await audit().record(user, 'subjects.request.create', `request ${row.documentId}`, { type, jurisdiction, status: row.status });
      return view(row);
    },

    /**
     * An opt-out of sale/share given on the "Do Not Sell or Share" page with an address: the
     * browser's opt-out is recorded already (`consentId`); this registers the request so that it
     * covers what the site holds about the person beyond that browser, on the jurisdiction's
     * clock. An opt-out needs no identity verification (CCPA Regulations § 7026(d)). The page
     * answers the same whatever the address; an open opt-out of the same address is noted, not
     * doubled.
     */
    async registerOptOut(input: { email: string; language: string; jurisdiction: string; subjectId: string; consentId: string }) {
      const email = normaliseEmail(input.email);
      if (!email) throw new errors.ValidationError('email must be an e-mail address');
      const emailHash = hashOf(email);
      const what = `opt-out of sale/share from the Do Not Sell page; this browser's opt-out is consent ${input.consentId}`;
      const open = await query().findOne({ where: { emailHash, type: 'opt-out-sale-share', status: { $in: OPEN } } });
      if (open) {
        await query().update({ where: { id: open.id }, data: { actions: action(open, 'the person', `asked again: ${what}`) } });
        return;
      }
      const received = new Date().toISOString();
      const row = await query().create({
        data: {
          type: 'opt-out-sale-share',
          email,
          emailHash,
          subjectId: input.subjectId,
          origin: 'do-not-sell',
          language: input.language,
          jurisdiction: input.jurisdiction,
          receivedAt: received,
          ...deadlinesOf(input.jurisdiction, 'opt-out-sale-share', received),
          status: 'received',
          awaitingApproval: false,
          actions: [{ at: received, by: 'the person', what: `registered: ${what}` }],
        },
      });
      await audit().record(null, 'subjects.request.create', `request ${row.documentId}`, { type: 'opt-out-sale-share', jurisdiction: input.jurisdiction, origin: 'do-not-sell' });
    },

    /** Changes status, verification or adds a note; refusing needs a reason. Audited. */
    async update(documentId: string, input: unknown, user: AdminUser | null) {
      const row = await find(documentId);
      if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new errors.ValidationError('the body must be an object');
      const { status, verification, refusalReason, note, ...rest } = input as Row;
      const problems: string[] = [];
      if (Object.keys(rest).length) problems.push(`unknown fields: ${Object.keys(rest).slice(0, 5).join(', ')}`);
      if (status !== undefined && !REQUEST_STATUSES.includes(status)) problems.push(`status must be one of ${REQUEST_STATUSES.join(', ')}`);
      const how = cleanText(verification, 'verification', problems);
      if (how && how.length > 255) problems.push('verification must be at most 255 characters');
      const refusal = cleanText(refusalReason, 'refusalReason', problems, status === 'refused');
      const text = cleanText(note, 'note', problems);
      if (!OPEN.includes(row.status) && status !== undefined && status !== row.status) problems.push(`the request is ${row.status} already`);
      if (row.status === 'in-progress' && status !== undefined && status !== row.status) problems.push('the request is being carried out: wait until it is done');
      if (problems.length) throw new errors.ValidationError(problems.join('; '));
      const by = describeActor(user);
      const changes: string[] = [];
      const data: Row = { handledBy: by };
      if (status !== undefined && status !== row.status) {
        data.status = status;
        changes.push(`status ${row.status} → ${status}${refusal ? ` (${refusal})` : ''}`);
        if (status === 'completed' || status === 'refused') {
          data.completedAt = new Date().toISOString();
          data.awaitingApproval = false;
        }
        if (status === 'refused') data.refusalReason = refusal;
      }
      if (how) {
        data.verification = how;
        changes.push(`identity verified: ${how}`);
        if (status === undefined && row.status === 'received') data.status = 'verified';
      }
      if (text) changes.push(text);
      if (!changes.length) throw new errors.ValidationError('nothing to change: give status, verification or note');
      data.actions = action(row, by, changes.join('; '));
      const saved = await query().update({ where: { id: row.id }, data });
      await audit().record(user, 'subjects.request.update', `request ${row.documentId}`, { status: saved.status, changes: changes.length });
      return view(saved);
    },

    /**
     * Records that receipt of the request was confirmed to the person (CCPA Regs § 7021(a): within
     * 10 business days), how, and by whom. Once; audited.
     */
    async acknowledge(documentId: string, input: unknown, user: AdminUser | null) {
      const row = await find(documentId);
      if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new errors.ValidationError('the body must be an object: { note? }');
      const { note, ...rest } = input as Row;
      const problems: string[] = [];
      if (Object.keys(rest).length) problems.push(`unknown fields: ${Object.keys(rest).slice(0, 5).join(', ')}`);
      const text = cleanText(note, 'note', problems);
      if (row.acknowledgedAt) problems.push(`the request was acknowledged already, at ${row.acknowledgedAt}`);
      else if (!OPEN.includes(row.status)) problems.push(`the request is ${row.status} already`);
      if (problems.length) throw new errors.ValidationError(problems.join('; '));
      const by = describeActor(user);
      const acknowledgedAt = new Date().toISOString();
      // Conditional: of two clicks at once, one records it.
      const won = Number(
        await strapi.db
          .connection(REQUESTS)
          .where({ id: row.id })
          .whereNull('acknowledged_at')
          .update({ acknowledged_at: acknowledgedAt, handled_by: by, actions: JSON.stringify(action(row, by, `receipt acknowledged to the person${text ? `: ${text}` : ''}`)) })
      );
      if (won !== 1) throw new errors.ValidationError('the request was acknowledged already');
      await audit().record(user, 'subjects.request.acknowledge', `request ${row.documentId}`, { late: Boolean(row.acknowledgeBy) && row.acknowledgeBy < acknowledgedAt });
      return view(await query().findOne({ where: { id: row.id } }));
    },

    /**
     * Extends the due date as the request's jurisdiction allows, with a reason: under a rule in
     * months (GDPR) by `months` (1 or 2, at most two in all); under a rule in days (CCPA: once by
     * 45) by one step. A jurisdiction without extensions refuses, naming why.
     */
    async extend(documentId: string, input: unknown, user: AdminUser | null) {
      const row = await find(documentId);
      const { months, reason, ...rest } = (typeof input === 'object' && input !== null ? input : {}) as Row;
      const jurisdiction = jurisdictionOf(row);
      const { deadlines, holidays } = clock();
      const rule = ruleFor(deadlines, jurisdiction, row.type);
      const inMonths = Boolean(rule.extension && 'months' in rule.extension);
      const problems: string[] = [];
      if (Object.keys(rest).length) problems.push(`unknown fields: ${Object.keys(rest).slice(0, 5).join(', ')}`);
      let steps = 1;
      if (inMonths) {
        const each = (rule.extension as { months: number }).months;
        const most = (rule.maxExtensions ?? 1) * each;
        if (!Number.isInteger(months) || months < 1 || months > most || months % each !== 0) problems.push(`months must be ${each === 1 ? `1 to ${most}` : `a multiple of ${each} up to ${most}`}`);
        else steps = months / each;
      } else if (months !== undefined) {
        problems.push(`a ${jurisdiction} request is not extended in months${rule.extension ? '' : ': it cannot be extended'}`);
      }
      const why = cleanText(reason, 'reason', problems, true);
      if (!OPEN.includes(row.status)) problems.push(`the request is ${row.status} already`);
      const already = extensionsTaken(row, clock());
      if (!problems.length) {
        const refusal = extensionRefusal(rule, jurisdiction, already, steps);
        if (refusal) problems.push(refusal);
      }
      if (problems.length) throw new errors.ValidationError(problems.join('; '));
      const by = describeActor(user);
      const dueAt = dueUnder(rule, row.receivedAt, already + steps, holidays);
      const added = inMonths ? `${months} month(s)` : describePeriod(rule.extension!);
      const saved = await query().update({
        where: { id: row.id },
        data: {
          dueAt,
          extensions: already + steps,
          extendedAt: new Date().toISOString(),
          extensionReason: why,
          handledBy: by,
          actions: action(row, by, `due date extended by ${added} to ${dueAt}: ${why}`),
        },
      });
      await audit().record(user, 'subjects.request.extend', `request ${row.documentId}`, { ...(inMonths ? { months } : { steps }), dueAt, jurisdiction });
      return view(saved);
    },

    /**
     * Carries out a verified access or erasure request: access sends the export to the address;
     * erasure erases the person and confirms by e-mail. From a self-service link, or an admin.
     */
    async carryOut(documentId: string, user: AdminUser | null) {
      const row = await find(documentId);
      if (!SELF_SERVICE_TYPES.includes(row.type)) throw new errors.ValidationError(`a ${row.type} request is carried out by hand: record what was done and complete it`);
      if (!row.email && !row.subjectId) throw new errors.ValidationError('the request names nobody');
      if (row.status !== 'verified') {
        throw new errors.ValidationError(
          row.status === 'received'
            ? 'the identity of the person has not been verified: record how it was verified first'
            : `the request is ${row.status} already`
        );
      }
      const by = user ? describeActor(user) : 'self-service';
      // Claimed with a conditional update: of two hands at once, one carries it out.
      const won = Number(
        await strapi.db
          .connection(REQUESTS)
          .where({ id: row.id, status: 'verified' })
          .update({ status: 'in-progress', awaiting_approval: false, handled_by: by, actions: JSON.stringify(action(row, by, 'carrying out')) })
      );
      if (won !== 1) throw new errors.ValidationError('the request is being carried out already');
      // The end of this run changes the request only while it is still ours (in progress).
      const finish = async (data: Row, what: string) => {
        const current = await query().findOne({ where: { id: row.id } });
        await strapi.db
          .connection(REQUESTS)
          .where({ id: row.id, status: 'in-progress' })
          .update({ ...data, actions: JSON.stringify(action(current, by, what)) });
        return query().findOne({ where: { id: row.id } });
      };
      try {
        // A self-service request proved one mailbox: only what that address holds, no link followed.
        // A request acts on what it names: no link to other addresses or browsers is followed.
        const subject = await subjects().resolve(row.email ?? row.subjectId, { addressOnly: true });
        const { controller, newsletter } = await settings().get();
        const values = { controllerName: controller.name, controllerAddress: controller.address, controllerEmail: controller.email };
        const locale = textLocale(row.language);
        let what: string;
        if (row.type === 'access') {
          const document = await subjects().exportDocument(subject, { forSubject: true });
          if (row.email) {
            await mail().send(
              await mail().compose({
                from: mail().defaultSender(newsletter.from),
                to: row.email,
                template: { subject: requestText(locale, 'accessSubject'), text: requestText(locale, 'accessText', values) },
                values: {},
                headers: {},
                attachments: [{ filename: `personal-data-${new Date().toISOString().slice(0, 10)}.json`, content: JSON.stringify(document, null, 2), contentType: 'application/json' }],
              })
            );
            what = 'the export was sent to the address by e-mail';
          } else {
            what = 'the export was made (no address to send it to: download it from the admin)';
          }
        } else {
          const address = row.email as string | null;
          const erased = await subjects().erase(subject, user);
          what = `erased: ${erased.subscriptions} subscription(s), ${erased.consentRecords} consent record(s), ${erased.requests} request(s)`;
          if (address) {
            try {
              await mail().send(
                await mail().compose({
                  from: mail().defaultSender(newsletter.from),
                  to: address,
                  template: { subject: requestText(locale, 'erasedSubject'), text: requestText(locale, 'erasedText', values) },
                  values: {},
                  headers: {},
                })
              );
              what += '; confirmed by e-mail';
            } catch (error) {
              what += '; the confirmation e-mail could not be sent';
              strapi.log.error(`[privacy-centre] the erasure confirmation for request ${row.documentId} could not be sent: ${withoutAddresses((error as Error).message)}`);
            }
          }
        }
        const saved = await finish({ status: 'completed', completed_at: new Date().toISOString() }, what);
        await audit().record(user, `subjects.request.${row.type}`, `request ${row.documentId}`, { outcome: 'completed' });
        return view(saved);
      } catch (error) {
        // Back to verified (and to waiting for approval, if it was), with the reason, so that it
        // can be carried out again.
        const reason = withoutAddresses(describeDbError(error));
        await finish({ status: 'verified', awaiting_approval: Boolean(row.awaitingApproval) }, `failed: ${reason}`);
        strapi.log.error(`[privacy-centre] data-subject request ${row.documentId} could not be carried out: ${reason}`);
        throw new CarryOutError(`the request could not be carried out (${reason}); it is back to verified, try again`);
      }
    },

    // ---- CCPA § 7102 metrics --------------------------------------------------------------

    /**
     * The year's metrics per request type (subjects/metrics.ts), of every request or of one
     * jurisdiction's (`GDPR` includes the rows from before jurisdictions were recorded).
     */
    async metrics(input: Record<string, unknown>) {
      const thisYear = new Date().getUTCFullYear();
      const year = input.year === undefined || input.year === '' ? thisYear : Number(input.year);
      const problems: string[] = [];
      if (!Number.isInteger(year) || year < 2000 || year > thisYear) problems.push(`year must be a year from 2000 to ${thisYear}`);
      const jurisdiction = input.jurisdiction === undefined || input.jurisdiction === '' ? null : input.jurisdiction;
      if (jurisdiction !== null && !(typeof jurisdiction === 'string' && jurisdictionByCode(jurisdiction))) problems.push(`jurisdiction must be one of ${JURISDICTION_CODES.join(', ')}`);
      if (problems.length) throw new errors.ValidationError(problems.join('; '));
      const { from, to } = yearBounds(year);
      const rows: Row[] = await strapi.db
        .connection(REQUESTS)
        .select('type', 'status', 'received_at', 'completed_at', 'verification')
        .where('received_at', '>=', from)
        .andWhere('received_at', '<', to)
        .modify((q: any) => {
          if (jurisdiction === LEGACY_JURISDICTION) q.andWhere((j: any) => j.where('jurisdiction', jurisdiction).orWhereNull('jurisdiction'));
          else if (jurisdiction) q.andWhere('jurisdiction', jurisdiction);
        });
      const first: Row | undefined = await strapi.db.connection(REQUESTS).min({ first: 'received_at' }).first();
      const firstYear = first?.first ? Number(String(first.first).slice(0, 4)) : thisYear;
      return {
        year,
        jurisdiction,
        years: Array.from({ length: Math.max(1, thisYear - firstYear + 1) }, (_, i) => thisYear - i),
        types: requestMetrics(
          rows.map((row) => ({ type: row.type, status: row.status, receivedAt: row.received_at, completedAt: row.completed_at, verification: row.verification })),
          REQUEST_TYPES
        ),
      };
    },

    /** The same metrics as CSV, one line per type, for a report or a spreadsheet. */
    async metricsCsv(input: Record<string, unknown>) {
      const { year, jurisdiction, types } = await service.metrics(input);
      const columns = ['year', 'jurisdiction', ...METRICS_COLUMNS];
      return stringify(types.map((row: MetricsRow) => ({ year, jurisdiction: jurisdiction ?? 'all', ...row })), { header: true, columns, cast: CSV_CAST });
    },

    // ---- self-service --------------------------------------------------------------------

    /**
     * Validates a self-service request and queues it; the same answer follows whatever the
     * address. `header` reads the request's headers: its jurisdiction comes from the trusted
     * ones config names (services/regions), never from what the browser says otherwise.
     */
    accept(input: unknown, header: HeaderOf = () => undefined) {
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        throw new errors.ValidationError('the body must be an object: { email, type: "access" | "erasure", locale? }');
      }
      // The route's own schema (strict: a form's other fields are refused too).
      const { email: rawEmail, type, locale } = validated(SubjectRequestInput, input, ['email', 'type', 'locale']);
      const email = normaliseEmail(rawEmail);
      if (pendingWork >= MAX_PENDING_WORK) throw new RequestsBusyError();
      // One link per address and type per RESEND_MINUTES on this instance (the database check in
      // receive() covers other instances). The address as normalised, like its keyed hash: a
      // differently spelt local part is another address, and must not suppress this one.
      const key = `${type}\u0000${email}`;
      if (recentlyAsked.has(key)) return;
      recentlyAsked.set(key, true);
      // Read now: the headers belong to this request, the work happens after the answer.
      const location = regions().location(header);
      pendingWork += 1;
      const run = service
        .receive({ email: email!, type, language: (locale as string) || null, location })
        .catch((error) => {
          strapi.log.error(`[privacy-centre] a self-service request could not be processed: ${withoutAddresses(describeDbError(error))}`);
        })
        .finally(() => {
          pendingWork -= 1;
          inFlight.delete(run);
        });
      inFlight.add(run);
    },

    /** Registers a self-service request and sends its link (after the answer). */
    async receive(request: { email: string; type: string; language: string | null; location?: Location }) {
      const emailHash = hashOf(request.email);
      const recent = await query().findOne({
        where: { emailHash, type: request.type, origin: 'self-service', status: 'received', receivedAt: { $gt: new Date(Date.now() - RESEND_MINUTES * 60_000).toISOString() } },
      });
      if (recent) return; // a link went out a moment ago
      const receivedAt = new Date().toISOString();
      const { code: jurisdiction } = resolveJurisdiction(await regions().table(), request.location ?? { countryCode: null, regionCode: null });
      const row = await query().create({
        data: {
          type: request.type,
          email: request.email,
          emailHash,
          origin: 'self-service',
          language: request.language,
          jurisdiction,
          receivedAt,
          ...deadlinesOf(jurisdiction, request.type, receivedAt),
          status: 'received',
          awaitingApproval: false,
          actions: [{ at: receivedAt, by: 'self-service', what: 'received; a confirmation link was sent to the address' }],
        },
      });
      await audit().record(null, 'subjects.request.receive', `request ${row.documentId}`, { type: request.type, origin: 'self-service', jurisdiction });
      const hours = config().subjects.requestLinkHours;
      const token = makeRequestToken(keys().linkKey(), { r: row.documentId, e: Math.floor(Date.now() / 1000) + hours * 3600 });
      const { controller, newsletter } = await settings().get();
      const locale = textLocale(request.language);
      const type = request.type as 'access' | 'erasure';
      await mail().send(
        await mail().compose({
          from: mail().defaultSender(newsletter.from),
          to: request.email,
          template: { subject: requestText(locale, 'emailSubject', {}, type), text: requestText(locale, 'emailText', {}, type) },
          values: {
            confirmUrl: `${base()}/confirm?token=${token}`,
            hours: String(hours),
            controllerName: controller.name,
            controllerAddress: controller.address,
            controllerEmail: controller.email,
          },
          headers: {},
        })
      );
    },

    /** Reads a link's token and the request it names. */
    async lookup(token: unknown): Promise<{ reading: RequestTokenReading; row: Row | null }> {
      const reading = readRequestToken(keys().linkKeys(), token);
      if (!reading.ok) return { reading, row: null };
      const row = await query().findOne({ where: { documentId: reading.payload.r } });
      return { reading, row };
    },

    /**
     * The link's POST: the address is verified (whoever holds the link reads that mailbox), then
     * the request is carried out, or waits for an administrator when the setting says so.
     */
    async confirm(token: unknown): Promise<{ outcome: 'done' | 'waiting' | 'failed' | 'invalid' | 'expired'; row: Row | null }> {
      const { reading, row } = await service.lookup(token);
      if (!reading.ok) return { outcome: reading.reason, row: null };
      if (!row || row.origin !== 'self-service') return { outcome: 'invalid', row: null };
      if (row.status === 'refused') return { outcome: 'invalid', row };
      if (row.status === 'received') {
        const { subjects: subjectSettings } = await settings().get();
        const waiting = subjectSettings.selfServiceApproval;
        // A conditional update: of two clicks at once, one verifies and carries out; the other waits.
        const won = Number(
          await strapi.db
            .connection(REQUESTS)
            .where({ id: row.id, status: 'received' })
            .update({
              status: 'verified',
              verification: 'e-mail link (the address holder confirmed the request)',
              awaiting_approval: waiting,
              actions: JSON.stringify(action(row, 'self-service', `verified by the e-mail link${waiting ? '; waiting for an administrator’s approval' : ''}`)),
            })
        );
        if (won !== 1) return { outcome: 'waiting', row: await query().findOne({ where: { id: row.id } }) };
        await audit().record(null, 'subjects.request.verify', `request ${row.documentId}`, { awaitingApproval: waiting });
      }
      const current = await query().findOne({ where: { id: row.id } });
      if (current.status === 'completed') return { outcome: 'done', row: current };
      // Verified and not waiting for an administrator: carry it out (again, after a failure).
      if (current.status === 'verified' && !current.awaitingApproval) {
        try {
          return { outcome: 'done', row: await service.carryOut(row.documentId, null) };
        } catch (error) {
          if (error instanceof errors.ApplicationError) return { outcome: 'failed', row: await query().findOne({ where: { id: row.id } }) };
          throw error;
        }
      }
      return { outcome: 'waiting', row: current };
    },

    /**
     * Self-service requests whose link was never used are closed once it expired: refused, and
     * the address (which anyone could have typed) removed; the keyed hash stays. Run by the
     * retention purge.
     */
    async closeUnconfirmed(now = Date.now()) {
      const before = new Date(now - config().subjects.requestLinkHours * 3600_000).toISOString();
      let closed = 0;
      for (;;) {
        const rows: Row[] = await query().findMany({
          where: { origin: 'self-service', status: 'received', receivedAt: { $lt: before } },
          limit: 200,
        });
        if (!rows.length) return closed;
        for (const row of rows) {
          await query().update({
            where: { id: row.id },
            data: {
              status: 'refused',
              refusalReason: 'the e-mailed link was not used before it expired',
              email: null,
              completedAt: new Date(now).toISOString(),
              actions: action(row, 'retention', 'closed: the link was not used before it expired; the address was removed'),
            },
          });
          closed += 1;
        }
      }
    },

    /**
     * Retention: a completed or refused request keeps its address `retention.subjectRequestDays`
     * after it closed (the limitation period for a claim about how it was handled); then the
     * address goes as an erasure removes it (the notes too), and the request stays on record.
     */
    async eraseClosedAddresses(now = Date.now()) {
      const days = config().retention.subjectRequestDays;
      const before = new Date(now - days * 24 * 3600_000).toISOString();
      let erased = 0;
      for (;;) {
        const rows: Row[] = await strapi.db
          .connection(REQUESTS)
          .select('id', 'email', 'verification', 'refusal_reason', 'extension_reason', 'actions')
          .whereIn('status', ['completed', 'refused'])
          .whereNotNull('email')
          .andWhere((q: any) => q.where('completed_at', '<', before).orWhere((old: any) => old.whereNull('completed_at').andWhere('received_at', '<', before)))
          .orderBy('id')
          .limit(200);
        if (!rows.length) return erased;
        for (const row of rows) {
          erased += await subjects().eraseRequestRows([row], [row.email], { by: 'retention', what: `the address was removed ${days} days after the request was closed` });
        }
      }
    },

    async drain() {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
  };
  return service;
};
