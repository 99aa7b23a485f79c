import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { PrivacyCentreConfig } from '../config';
import { CONSENT_UID } from '../guards/consent-record';
import { canonicalJson, hashContent } from '../policy/canonical';
import { sealedContent } from '../policy/seal';
import { newsletterEventIsAuthentic, newsletterEventProof, receiptIsAuthentic } from '../consent/receipt';
import { acceptanceIsAuthentic, acceptanceReceiptOf } from '../acceptance';
import { DECLARATION_UID } from '../guards/cookie-declaration';
import { consentRecordsDocument } from '../subjects/dpv';
import { bundleOf } from '../subjects/evidence';
import { erasedEvidence } from '../subjects/erasure';
import { parseSubjectQuery, type SubjectQuery } from '../subjects/query';
import { addressRef, type AdminUser } from './audit';
import { declarationHash } from './cookie-declarations';
import { receiptOf, toView as consentView } from './consents';
import { SUBSCRIPTION_UID } from './newsletter';
import { adminEvidence, toView as subscriptionView } from './newsletter-admin';
import { sealInputOf } from './policy-versions';
import { clockOf, REQUEST_UID, requestView } from './subject-requests';

type Row = Record<string, any>;

/** A policy acceptance as the admin shows it (the receipt, and the proof around it an erasure removes). */
const acceptanceView = (row: Row) => ({
  ...acceptanceReceiptOf(row),
  ipPrefix: row.ipPrefix ?? null,
  userAgent: row.userAgent ?? null,
  source: row.sourceUrl ?? null,
  via: row.via,
});
const AUDIT_UID = 'plugin::privacy-centre.audit-event';
const CONSENTS = 'privacy_centre_consent_records';
const SUBSCRIPTIONS = 'privacy_centre_newsletter_subscriptions';
const REQUESTS = 'privacy_centre_data_subject_requests';
const AUDIT_EVENTS = 'privacy_centre_audit_events';
/** At most this many rows of one kind about one person are read at once. */
const LIMIT = 5000;
const BATCH = 500;

/** Who a query is about: the keyed hashes of their addresses, their subjectIds, their addresses. */
export interface Subject {
  query: SubjectQuery;
  emails: string[];
  emailHashes: string[];
  subjectIds: string[];
  /**
   * The keyed pseudonyms of the users-permissions users the query leads to (the user whose
   * e-mail it is, or whose acceptance it names): their policy acceptances.
   */
  userRefs: string[];
  /** The consentId the query named, if it named one. */
  consentId: string | null;
}

/** `text` with every occurrence of `needle` replaced, whatever its case. */
export function replaceInsensitive(text: string, needle: string, by: string): string {
  if (!needle) return text;
  const lower = text.toLowerCase();
  const target = needle.toLowerCase();
  let out = '';
  let from = 0;
  for (let at = lower.indexOf(target); at >= 0; at = lower.indexOf(target, from)) {
    out += text.slice(from, at) + by;
    from = at + target.length;
  }
  return out + text.slice(from);
}

/**
 * Data subjects (GDPR Art. 15, 17, 20, 7(1)): finds everything the plugin holds about a person,
 * exports it, erases it, and assembles the evidence file of their consents.
 *
 * A person is found by an address (through its keyed hash: addresses of erased people are
 * gone), a subjectId, a consentId or a receipt, then linked once more through what those rows
 * name (a subscription's subjectId leads to that browser's cookie consents, and back).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get('plugin::privacy-centre') as PrivacyCentreConfig;
  const plugin = () => strapi.plugin('privacy-centre');
  const keys = () => plugin().service('keys');
  const audit = () => plugin().service('audit');
  const knex = () => strapi.db.connection;

  const hashesOf = (email: string): string[] => plugin().service('newsletter').addressHashes(email);

  /** How audit events name a person: never by address; bracketed, so one id never matches a longer one. */
  const refsOf = (subject: Subject) => [
    ...subject.emailHashes.slice(0, 20).map(addressRef),
    ...subject.subjectIds.map((id) => `[subjectId ${id}]`),
    ...subject.userRefs.slice(0, 20).map((ref) => `[site-user ${ref}]`),
  ];
  /**
   * How audit details name the person: the refs of their addresses folded to lower case (as
   * the trail writes them, see services/audit), those held and the one the query typed.
   */
  const detailRefsOf = (subject: Subject) => {
    const typed = subject.query.kind === 'email' ? [subject.query.email] : [];
    return [...new Set([...typed, ...subject.emails].slice(0, 20).map((email) => addressRef(hashesOf(email.toLowerCase())[0])))];
  };
  /** Audit details as text a LIKE can search (a JSON column on PostgreSQL and MySQL). */
  const detailsText = () =>
    strapi.db.dialect.client === 'postgres' ? 'details::text' : strapi.db.dialect.client === 'mysql' ? 'CAST(details AS CHAR)' : 'details';
  /** Ids of audit events whose details hold one of `needles` (compared in lower case when `lower`). */
  const auditIdsMentioning = async (needles: string[], lower = false): Promise<number[]> => {
    if (!needles.length) return [];
    const column = lower ? `lower(${detailsText()})` : detailsText();
    const rows: Row[] = await knex()(AUDIT_EVENTS)
      .select('id')
      .where((q: any) => {
        // The needles are refs and addresses: no LIKE wildcard can be in them but `_`, escaped.
        for (const needle of needles) q.orWhereRaw(`${column} LIKE ? ESCAPE '!'`, [`%${(lower ? needle.toLowerCase() : needle).replace(/[!%_]/g, '!$&')}%`]);
      })
      .limit(LIMIT);
    return rows.map((row) => row.id as number);
  };
  const targetOf = (subject: Subject) => `subject ${refsOf(subject).join(' ') || '(nobody found)'}`;

  // What belongs to a person: newsletter rows and events by the keyed hash of their addresses;
  // cookie consents by their browsers' subjectIds; requests by either.
  const consentsOf = async (subject: Subject): Promise<Row[]> => {
    const or: Row[] = [];
    if (subject.emailHashes.length) or.push({ kind: 'newsletter', subjectRef: { $in: subject.emailHashes } });
    if (subject.subjectIds.length) or.push({ kind: 'cookie', subjectId: { $in: subject.subjectIds } });
    if (subject.userRefs.length) or.push({ kind: 'policy', subjectRef: { $in: subject.userRefs } });
    if (subject.consentId) or.push({ consentId: subject.consentId });
    if (!or.length) return [];
    return strapi.db.query(CONSENT_UID).findMany({ where: { $or: or }, orderBy: [{ givenAt: 'asc' }, { id: 'asc' }], limit: LIMIT });
  };
  const subscriptionsOf = async (subject: Subject): Promise<Row[]> =>
    subject.emailHashes.length
      ? strapi.db.query(SUBSCRIPTION_UID).findMany({ where: { emailHash: { $in: subject.emailHashes } }, orderBy: [{ id: 'asc' }], limit: LIMIT })
      : [];
  const requestsOf = async (subject: Subject): Promise<Row[]> => {
    const or: Row[] = [];
    if (subject.emailHashes.length) or.push({ emailHash: { $in: subject.emailHashes } });
    // A request registered by subjectId alone; one that names an address belongs to that address.
    if (subject.subjectIds.length) or.push({ subjectId: { $in: subject.subjectIds }, emailHash: { $null: true } });
    return or.length ? strapi.db.query(REQUEST_UID).findMany({ where: { $or: or }, orderBy: [{ receivedAt: 'asc' }], limit: LIMIT }) : [];
  };
  const auditEventsOf = async (subject: Subject, subscriptions: Row[], requests: Row[]): Promise<Row[]> => {
    const needles = [
      ...refsOf(subject),
      ...subscriptions.map((row) => `subscription ${row.documentId}`),
      ...requests.map((row) => `request ${row.documentId}`),
    ].slice(0, 200);
    const mentioned = await auditIdsMentioning(detailRefsOf(subject));
    if (!needles.length && !mentioned.length) return [];
    return strapi.db.query(AUDIT_UID).findMany({
      where: { $or: [...needles.map((needle) => ({ target: { $contains: needle } })), ...(mentioned.length ? [{ id: { $in: mentioned } }] : [])] },
      orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }],
      limit: LIMIT,
    });
  };

  /**
   * The subjectIds a mailbox confirmed: those a double opt-in confirmation event of the address
   * carries (the event keeps the subjectId the sign-up named when the address's owner pressed
   * Confirm). A single opt-in proves no mailbox, and an unconfirmed sign-up links nothing.
   */
  const confirmedSubjectIdsOf = async (hashes: string[]): Promise<string[]> => {
    if (!hashes.length) return [];
    const rows: Row[] = await strapi.db.query(CONSENT_UID).findMany({
      select: ['subjectId'],
      where: { kind: 'newsletter', action: 'confirmed', subjectRef: { $in: hashes }, subjectId: { $notNull: true } },
      limit: LIMIT,
    });
    return [...new Set(rows.map((row) => row.subjectId as string))];
  };
  /** The addresses (keyed hashes) whose owner confirmed a sign-up carrying one of these subjectIds. */
  const confirmedAddressesOf = async (subjectIds: string[]): Promise<string[]> => {
    if (!subjectIds.length) return [];
    const rows: Row[] = await strapi.db.query(CONSENT_UID).findMany({
      select: ['subjectRef'],
      where: { kind: 'newsletter', action: 'confirmed', subjectId: { $in: subjectIds }, subjectRef: { $notNull: true } },
      limit: LIMIT,
    });
    return [...new Set(rows.map((row) => row.subjectRef as string))];
  };

  /**
   * The pseudonyms of the site's users (users-permissions) with this address: their acceptances
   * hold the keyed pseudonym of the user's documentId, never the address, so the address leads
   * to them only while the user exists.
   */
  const userRefsOf = async (email: string): Promise<string[]> => {
    if (!strapi.plugin('users-permissions')) return [];
    const users: Row[] = await strapi.db.query('plugin::users-permissions.user').findMany({
      select: ['documentId'],
      where: { email: { $eqi: email } },
      limit: 20,
    });
    const acceptances = plugin().service('acceptances');
    return users.flatMap((user) => acceptances.pseudonymsOfUser(user.documentId));
  };

  const service = {
    /**
     * Reads a query and finds who it is about; a ValidationError says what is wrong with it.
     *
     * Links are followed one step, and only through what a mailbox confirmed: an address leads
     * to the subjectIds on its confirmed subscriptions (that browser's cookie consents); a
     * subjectId, consentId or receipt leads to the addresses that confirmed a subscription with
     * that subjectId. Nothing is followed further, so an address signed up with someone else's
     * subjectId (unconfirmed) links nobody. `addressOnly` follows no link at all: carrying out a
     * request (self-service, or registered by an administrator) acts on what the request names
     * only; following links is for the administrator's own search, who sees and judges them.
     */
    async resolve(input: unknown, { addressOnly = false }: { addressOnly?: boolean } = {}): Promise<Subject> {
      const query = parseSubjectQuery(input);
      if (typeof query === 'string') throw new errors.ValidationError(query);
      const subject: Subject = { query, emails: [], emailHashes: [], subjectIds: [], userRefs: [], consentId: null };
      if (query.kind === 'email') {
        subject.emailHashes = hashesOf(query.email);
        subject.userRefs = await userRefsOf(query.email);
        if (!addressOnly) subject.subjectIds = await confirmedSubjectIdsOf(subject.emailHashes);
      } else {
        // A signed-in user's acceptance receipt is signed for its own purpose, not a cookie consent's.
        const acceptance = query.kind === 'receipt' && query.receipt.kind === 'policy';
        const authentic = (receipt: any) => (acceptance ? acceptanceIsAuthentic(keys().verify, receipt) : receiptIsAuthentic(keys().verify, receipt));
        if (query.kind === 'receipt' && !(await keys().recheck(() => authentic(query.receipt), Boolean))) {
          throw new errors.ValidationError('the receipt does not verify: it was not issued by this site, or it was changed');
        }
        const consentId = query.kind === 'receipt' ? query.consentId : query.id;
        const record = await strapi.db.query(CONSENT_UID).findOne({ where: { consentId } });
        // A receipt names a person only as recorded: a signed one that differs (or a legacy HMAC
        // one whose date its holder wrote) is refused.
        const recorded = (row: Row) => (row.kind === 'cookie' ? receiptOf(row) : row.kind === 'policy' ? acceptanceReceiptOf(row) : null);
        if (query.kind === 'receipt' && record && (recorded(record) === null || canonicalJson(recorded(record)) !== canonicalJson(query.receipt))) {
          throw new errors.ValidationError('the receipt differs from the one recorded');
        }
        if (record) {
          subject.consentId = consentId;
          if (record.kind === 'policy' && record.subjectRef) {
            // A signed-in user's acceptance: that user's other acceptances (a pseudonym links nothing else).
            subject.userRefs = [record.subjectRef];
          } else if (record.kind === 'newsletter' && record.subjectRef) {
            subject.emailHashes = [record.subjectRef];
            if (!addressOnly) subject.subjectIds = await confirmedSubjectIdsOf(subject.emailHashes);
          } else if (record.subjectId) {
            subject.subjectIds = [record.subjectId];
            if (!addressOnly) subject.emailHashes = await confirmedAddressesOf(subject.subjectIds);
          }
        } else if (query.kind === 'id') {
          subject.subjectIds = [query.id];
          if (!addressOnly) subject.emailHashes = await confirmedAddressesOf(subject.subjectIds);
        }
      }
      // The addresses held (an erased one is not: it is gone).
      for (const row of [...(await subscriptionsOf(subject)), ...(await requestsOf(subject))]) {
        if (row.email && !subject.emails.includes(row.email)) subject.emails.push(row.email);
      }
      return subject;
    },

    /** Everything held about a person, as the admin shows it. */
    async findings(subject: Subject) {
      const [subscriptions, consents, requests] = await Promise.all([subscriptionsOf(subject), consentsOf(subject), requestsOf(subject)]);
      const auditEvents = await auditEventsOf(subject, subscriptions, requests);
      const eventView = (row: Row) => ({ ...consentView(row), kind: row.kind, subjectRef: undefined, evidence: adminEvidence(row.evidence) });
      return {
        query: { kind: subject.query.kind === 'id' ? (subject.consentId ? 'consentId' : 'subjectId') : subject.query.kind },
        subject: { emails: subject.emails, subjectIds: subject.subjectIds },
        found: Boolean(subscriptions.length || consents.length || requests.length),
        subscriptions: subscriptions.map((row) => ({
          ...subscriptionView(row),
          events: consents.filter((event) => event.kind === 'newsletter' && event.subjectRef === row.emailHash && event.evidence?.list === row.list).map(eventView),
        })),
        cookieConsents: consents.filter((row) => row.kind === 'cookie').map(consentView),
        policyAcceptances: consents.filter((row) => row.kind === 'policy').map(acceptanceView),
        requests: requests.map((row: Record<string, any>) => requestView(row, clockOf(config()))),
        auditEvents: auditEvents.map((row) => ({ id: row.id, actor: row.actor, action: row.action, target: row.target, details: row.details, occurredAt: row.occurredAt })),
        /** Internal: the rows, for export and evidence. */
        rows: { consents },
      };
    },

    /** Search from the admin: audited (who looked up whom, never by address). */
    async search(input: unknown, user: AdminUser | null) {
      const subject = await service.resolve(input);
      const { rows: _rows, ...findings } = await service.findings(subject);
      await audit().record(user, 'subjects.search', targetOf(subject), { kind: findings.query.kind, found: findings.found });
      return findings;
    },

    /** The Art. 15(1) explanations, from the privacy policy in force. */
    async explanations(language?: string | null) {
      const versions = plugin().service('policy-versions');
      const documentId = await versions.inForceDocumentId('privacy-policy');
      const rows: Row[] = documentId ? await versions.rowsOf(documentId) : [];
      const row = rows.find((r) => r.locale === language) ?? rows.find((r) => r.locale === 'en') ?? rows[0];
      const topics: Record<string, RegExp> = {
        purposes: /purpose|why we|tarkoitu|käyttö|eesmär|zweck/i,
        recipients: /recipient|shar|disclos|third|processor|vastaanott|luovut|kolmas|saaja|empfänger|weitergabe/i,
        retention: /retention|retain|how long|keep|säilyt|säilita|speicher|aufbewahr/i,
        rights: /right|oikeu|õigus|rechte/i,
      };
      const sections: Row[] = row?.sections ?? [];
      const pick = (pattern: RegExp) =>
        sections.filter((s) => pattern.test(`${s.anchor ?? ''} ${s.heading ?? ''}`)).map((s) => ({ heading: s.heading, markdown: s.markdown }));
      const { retention, consentValidityDays } = config();
      return {
        policy: row ? { slug: row.slug, version: row.version, hash: row.hash, locale: row.locale, title: row.title } : null,
        purposes: pick(topics.purposes),
        recipients: pick(topics.recipients),
        retention: pick(topics.retention),
        rights: pick(topics.rights),
        retentionPeriods: {
          cookieConsentValidDays: consentValidityDays,
          consentRecordsKeptDaysAfterExpiry: retention.consentRecordDays,
          unconfirmedSignUpsKeptDays: retention.pendingSubscriptionDays,
          addressesKeptDaysAfterUnsubscribing: retention.unsubscribedAddressDays,
          requestAddressesKeptDaysAfterClosing: retention.subjectRequestDays,
        },
      };
    },

    /** The Art. 15 / 20 document: everything held, explained, consent records in ISO/IEC TS 27560 (DPV). */
    /**
     * `forSubject`: the copy e-mailed to the person names the plugin's staff as "staff", not by
     * name and address.
     */
    async exportDocument(subject: Subject, { forSubject = false }: { forSubject?: boolean } = {}) {
      const { rows, ...found } = await service.findings(subject);
      const staff = (by: unknown) => (forSubject && typeof by === 'string' && !['self-service', 'retention', 'system'].includes(by) ? 'staff' : by);
      const findings = {
        ...found,
        auditEvents: found.auditEvents.map((event: Row) => ({ ...event, actor: staff(event.actor) })),
        requests: found.requests.map((request: Row) => ({
          ...request,
          handledBy: staff(request.handledBy),
          actions: request.actions.map((entry: Row) => ({ ...entry, by: staff(entry.by) })),
        })),
      };
      const { controller } = await plugin().service('settings').get();
      const language = findings.subscriptions.find((s: Row) => s.language)?.language ?? null;
      return {
        format: 'privacy-centre-subject-export/1',
        exportedAt: new Date().toISOString(),
        controller,
        explanations: await service.explanations(language),
        subject: findings.subject,
        newsletter: findings.subscriptions,
        cookieConsents: findings.cookieConsents,
        policyAcceptances: findings.policyAcceptances,
        requests: findings.requests,
        auditEvents: findings.auditEvents,
        consentRecords: consentRecordsDocument(rows.consents, controller),
      };
    },

    async exportFor(input: unknown, user: AdminUser | null) {
      const subject = await service.resolve(input);
      const document = await service.exportDocument(subject);
      await audit().record(user, 'subjects.export', targetOf(subject), {});
      return document;
    },

    /** What an erasure would remove and keep, counted, for the admin's confirmation. */
    async erasurePlan(input: unknown) {
      const subject = await service.resolve(input);
      const [subscriptions, consents, requests] = await Promise.all([subscriptionsOf(subject), consentsOf(subject), requestsOf(subject)]);
      return {
        subject: { emails: subject.emails, subjectIds: subject.subjectIds },
        counts: {
          subscriptions: subscriptions.length,
          consentRecords: consents.length,
          policyAcceptances: consents.filter((row) => row.kind === 'policy').length,
          requests: requests.length,
        },
        removes: [
          `the e-mail address${subject.emails.length === 1 ? '' : 'es'} ${subject.emails.join(', ') || '(none held)'} from ${subscriptions.length} newsletter subscription(s) and ${requests.length} data-subject request(s); active subscriptions end`,
          `IP prefixes, user agents and source URLs from ${consents.length} consent record(s)`,
          'the text of confirmation messages as sent, and unsubscribe reasons the person wrote',
        ],
        keeps: [
          'a keyed hash of the address, so a new sign-up is recognised and asked to confirm again',
          'pseudonymous proof: which consent, for which policy version and declaration revision, was given and withdrawn when',
          'an audit event recording the erasure, without the address',
        ],
      };
    },

    /**
     * Erases a person (Art. 17): their addresses, IP prefixes, user agents, source URLs and what
     * they wrote leave every plugin table; the keyed hash of the address and the pseudonymous
     * proof of their consents stay. Their active subscriptions end (a withdrawn event each).
     * Cannot be undone. Also the retention purge's erasure of unsubscribed addresses.
     */
    async erase(subject: Subject, user: AdminUser | null, reason: 'request' | 'retention' = 'request') {
      const erasedAt = new Date().toISOString();
      const newsletter = plugin().service('newsletter');
      const subscriptions = await subscriptionsOf(subject);
      // End what is still active, through the newsletter's own path (a withdrawn event each).
      for (const row of subscriptions.filter((r) => r.status !== 'unsubscribed')) {
        await newsletter.unsubscribeWhere({ id: row.id }, { method: 'erasure' }, {}, null);
      }
      const typed = subject.query.kind === 'email' ? [subject.query.email] : [];
      const erased = await service.eraseRows({ ...subject, emails: [...new Set([...subject.emails, ...typed])] }, erasedAt);
      await audit().record(user, reason === 'retention' ? 'retention.erase' : 'subjects.erase', targetOf(subject), erased);
      return erased;
    },

    /**
     * The erasure itself, in batches: subscriptions and newsletter events by the keyed hashes of
     * the addresses, cookie consents by subjectId, requests by either (`requests: false` leaves
     * the register alone: the retention purge must not empty the address of an open request).
     * Addresses an administrator wrote into a request's notes are replaced too.
     */
    async eraseRows(
      target: { emailHashes: string[]; subjectIds: string[]; consentId: string | null; emails?: string[]; userRefs?: string[] },
      erasedAt: string,
      { requests: eraseRequests = true }: { requests?: boolean } = {}
    ) {
      const { emailHashes, subjectIds, consentId, emails = [], userRefs = [] } = target;
      const db = knex();
      const subscriptions = emailHashes.length
        ? Number(
            await db(SUBSCRIPTIONS)
              .whereIn('email_hash', emailHashes)
              .update({ email: null, source: null, unsubscribe_reason: null, pseudonymised_at: erasedAt })
          )
        : 0;
      let requests = 0;
      if (eraseRequests && (emailHashes.length || subjectIds.length)) {
        const rows: Row[] = await db(REQUESTS)
          .select('id', 'verification', 'refusal_reason', 'extension_reason', 'actions')
          .where((q: any) => {
            if (emailHashes.length) q.orWhereIn('email_hash', emailHashes);
            if (subjectIds.length) q.orWhere((inner: any) => inner.whereIn('subject_id', subjectIds).whereNull('email_hash'));
          });
        // Every request of the person loses the address, open ones too: an erasure answers them
        // (an access request left open has nothing more to send). The retention purge does not
        // come here (`requests: false`), so an open request survives an address's retention.
        requests = await service.eraseRequestRows(rows, emails);
      }
      const consentRecords = await service.stripConsentRecords((q: any) => {
        if (emailHashes.length) q.orWhere((inner: any) => inner.where('kind', 'newsletter').whereIn('subject_ref', emailHashes));
        if (subjectIds.length) q.orWhere((inner: any) => inner.where('kind', 'cookie').whereIn('subject_id', subjectIds));
        if (userRefs.length) q.orWhere((inner: any) => inner.where('kind', 'policy').whereIn('subject_ref', userRefs));
        if (consentId) q.orWhere('consent_id', consentId);
        if (!emailHashes.length && !subjectIds.length && !userRefs.length && !consentId) q.whereRaw('1 = 0');
      }, erasedAt);
      const auditEvents = eraseRequests ? await service.redactAuditEvents(emails) : 0;
      // The site's own ids linked to those browsers (c15t identify): nothing to keep of them.
      const subjectLinks = subjectIds.length ? Number(await db('privacy_centre_subject_links').whereIn('subject_id', subjectIds).delete()) : 0;
      return { subscriptions, consentRecords, requests, auditEvents, subjectLinks };
    },

    /**
     * Removes the address from data-subject requests (`rows`: id and the note columns): `email`
     * goes, and each of `emails` written into a note becomes `[erased]`. `note`, when given, is
     * added to the request's history. The one way a request loses its address.
     */
    async eraseRequestRows(rows: Row[], emails: string[], note?: { by: string; what: string }) {
      const scrub = (text: unknown) => {
        if (typeof text !== 'string') return text ?? null;
        let out = text;
        for (const email of emails) out = replaceInsensitive(out, email, '[erased]');
        return out;
      };
      for (const row of rows) {
        const actions = typeof row.actions === 'string' ? JSON.parse(row.actions || '[]') : (row.actions ?? []);
        const history = note ? [...(Array.isArray(actions) ? actions : []), { at: new Date().toISOString(), ...note }] : actions;
        await knex()(REQUESTS)
          .where('id', row.id)
          .update({
            email: null,
            verification: scrub(row.verification),
            refusal_reason: scrub(row.refusal_reason),
            extension_reason: scrub(row.extension_reason),
            actions: scrub(JSON.stringify(history)),
          });
      }
      return rows.length;
    },

    /**
     * Strips the personal details around consent records (IP prefix, user agent, source URL, and
     * of the evidence all but what proves it), one row at a time since evidence differs per row:
     * the only columns their guard lets change (db/frozen-rows.ts); the decision, its seal and its
     * times stay. `where` picks the rows; `keep` may leave some of them alone. Also the retention
     * purge's path for the events of unconfirmed sign-ups. `db`: a transaction to run in (a
     * lifecycle of another model's delete holds one: the pool may have no other connection).
     */
    async stripConsentRecords(where: (q: any) => void, erasedAt: string, keep: (row: Row) => boolean = () => false, db: any = knex()) {
      let stripped = 0;
      let after = 0;
      for (;;) {
        const rows: Row[] = await db(CONSENTS)
          .select('id', 'evidence')
          .where(where)
          .andWhere('id', '>', after)
          .orderBy('id')
          .limit(BATCH);
        if (!rows.length) break;
        for (const row of rows) {
          const evidence = typeof row.evidence === 'string' ? JSON.parse(row.evidence) : row.evidence;
          if (keep({ ...row, evidence })) continue;
          await db(CONSENTS)
            .where('id', row.id)
            .update({ ip_prefix: null, user_agent: null, source_url: null, evidence: JSON.stringify(erasedEvidence(evidence, erasedAt)) });
          stripped += 1;
        }
        after = rows[rows.length - 1].id;
      }
      return stripped;
    },

    /**
     * Audit details that hold one of `emails` in clear (written before the trail redacted
     * addresses) get it replaced by its keyed-hash ref, like every detail written since.
     */
    async redactAuditEvents(emails: string[]) {
      const ids = await auditIdsMentioning(emails.slice(0, 50), true);
      let redacted = 0;
      for (let i = 0; i < ids.length; i += BATCH) {
        const rows: Row[] = await knex()(AUDIT_EVENTS).select('id', 'details').whereIn('id', ids.slice(i, i + BATCH));
        for (const row of rows) {
          const details = typeof row.details === 'string' ? JSON.parse(row.details) : row.details;
          await knex()(AUDIT_EVENTS).where('id', row.id).update({ details: JSON.stringify(audit().redact(details)) });
          redacted += 1;
        }
      }
      return redacted;
    },

    /**
     * For the retention purge of unconfirmed sign-ups (`deleted`: the address's keyed hash and
     * the list of each deleted row): their events lose what the person gave (IP prefix, user
     * agent, source, the message as sent), as an erasure does; all of the address's events when
     * no list holds the address any more, else those of the deleted row's list. Only events from
     * before `before` (when the purge picked the rows): a sign-up arriving meanwhile keeps its own.
     */
    async eraseSignUpEvents(deleted: Array<{ emailHash: string; list: string }>, before: string) {
      const erasedAt = new Date().toISOString();
      const hashes = [...new Set(deleted.map((row) => row.emailHash))];
      if (!hashes.length) return 0;
      const held = new Set(
        (await knex()(SUBSCRIPTIONS).select('email_hash').whereIn('email_hash', hashes).whereNotNull('email')).map((row: Row) => row.email_hash as string)
      );
      const gone = hashes.filter((hash) => !held.has(hash));
      let stripped = gone.length ? await service.stripConsentRecords((q: any) => q.where('kind', 'newsletter').whereIn('subject_ref', gone).andWhere('given_at', '<', before), erasedAt) : 0;
      for (const hash of hashes.filter((h) => held.has(h))) {
        const lists = new Set(deleted.filter((row) => row.emailHash === hash).map((row) => row.list));
        stripped += await service.stripConsentRecords(
          (q: any) => q.where('kind', 'newsletter').where('subject_ref', hash).andWhere('given_at', '<', before),
          erasedAt,
          (row) => !lists.has(row.evidence?.list)
        );
      }
      return stripped;
    },

    async eraseFor(input: unknown, confirm: unknown, user: AdminUser | null) {
      if (confirm !== true) throw new errors.ValidationError('confirm must be true: an erasure cannot be undone');
      const subject = await service.resolve(input);
      return service.erase(subject, user);
    },

    /**
     * The evidence file: each consent record with the policy text and declaration revision shown
     * at that moment, their hashes recomputed, the newsletter confirmation evidence, withdrawals.
     */
    async evidence(input: unknown, user: AdminUser | null, audited = true, resolved?: Subject) {
      const subject = resolved ?? (await service.resolve(input));
      const { rows, ...findings } = await service.findings(subject);
      const versions = plugin().service('policy-versions');
      const declarations = plugin().service('cookie-declarations');
      const policies = new Map<string, Row | null>();
      const revisions = new Map<number, Row | null>();
      const policyOf = async (slug: string, version: number) => {
        const key = `${slug}\u0000${version}`;
        if (!policies.has(key)) {
          const versionRows = await versions.versionRows(slug, version);
          const sealInput = versionRows?.length ? sealInputOf(versionRows) : null;
          const content = sealInput ? sealedContent(sealInput) : null;
          // The seal (signature over `hash:lifecycle`) lets a third party check the text with the published keys.
          const seal = content ? { lifecycle: versionRows[0].lifecycle, signature: versionRows[0].signature ?? null } : null;
          policies.set(key, content ? { slug, version, hash: versionRows[0].hash, recomputedHash: hashContent(content), content, seal } : null);
        }
        return policies.get(key)!;
      };
      const revisionOf = async (revision: number) => {
        if (!revisions.has(revision)) {
          const found = await declarations.revision(revision);
          const sealed = found ? await strapi.db.query(DECLARATION_UID).findOne({ select: ['signature'], where: { revision } }) : null;
          revisions.set(
            revision,
            found
              ? {
                  revision,
                  publishedAt: found.publishedAt,
                  hash: found.hash,
                  recomputedHash: declarationHash(revision, found.publishedAt, found.snapshot),
                  snapshot: found.snapshot,
                  signature: sealed?.signature ?? null,
                }
              : null
          );
        }
        return revisions.get(revision)!;
      };
      const { verify, legacyUntil } = keys();
      const signedSince = legacyUntil();
      /** A record's signature check, with what it covers, so a third party can check it too. */
      const proofOf = (row: Row) => {
        if (row.kind === 'cookie') {
          const signed = receiptOf(row);
          return { authentic: receiptIsAuthentic(verify, signed), signed };
        }
        if (row.kind === 'policy') {
          const signed = acceptanceReceiptOf(row);
          return { authentic: acceptanceIsAuthentic(verify, signed), signed };
        }
        if (row.kind !== 'newsletter') return null;
        const authentic = newsletterEventIsAuthentic(verify, row as any, signedSince);
        // Recorded before events were signed (0.3): nothing to check.
        if (authentic === 'unsigned') return null;
        return { authentic, signed: { ...newsletterEventProof(row as any), signature: row.signature } };
      };
      const records: Row[] = [];
      for (const row of rows.consents) {
        const policy = row.policySlug && row.policyVersion !== null ? await policyOf(row.policySlug, row.policyVersion) : null;
        const declaration = row.declarationRevision !== null && row.declarationRevision !== undefined ? await revisionOf(row.declarationRevision) : null;
        records.push({
          record: { ...consentView(row), kind: row.kind, evidence: adminEvidence(row.evidence) },
          receipt: proofOf(row),
          policy: policy ? { ...policy, matches: policy.hash === policy.recomputedHash && policy.hash === row.policyHash } : null,
          declaration: declaration ? { ...declaration, matches: declaration.hash === declaration.recomputedHash && declaration.hash === row.declarationHash } : null,
        });
      }
      const allHashesMatch = records.every((r) => (!r.policy || r.policy.matches) && (!r.declaration || r.declaration.matches) && (!r.receipt || r.receipt.authentic));
      if (audited) await audit().record(user, 'subjects.evidence', targetOf(subject), { records: records.length });
      return {
        generatedAt: new Date().toISOString(),
        query: findings.query,
        subject: findings.subject,
        records,
        newsletter: findings.subscriptions,
        withdrawals: records.filter((r) => r.record.action === 'withdrawn').map((r) => r.record),
        // Advance notices of policy changes sent to them (by the keyed pseudonyms of their addresses and of their site account).
        notices: await plugin().service('notices').deliveriesTo([...subject.emailHashes, ...subject.userRefs]),
        checks: { allHashesMatch },
      };
    },

    /** The evidence as one self-contained JSON bundle a third party checks with SHA-256 alone. */
    async evidenceBundle(input: unknown, user: AdminUser | null) {
      const subject = await service.resolve(input);
      const evidence = await service.evidence(input, user, false, subject);
      await audit().record(user, 'subjects.evidence-bundle', targetOf(subject), { records: evidence.records.length });
      const { generatedAt, ...rest } = evidence;
      return bundleOf(rest, generatedAt, (text) => keys().sign('evidence-bundle', text));
    },

    /** For the retention purge: erases unsubscribed addresses (the same erasure as a request). */
    async eraseUnsubscribed(before: string) {
      let total = 0;
      for (;;) {
        const rows: Row[] = await knex()(SUBSCRIPTIONS)
          .select('email_hash')
          .where('status', 'unsubscribed')
          .andWhere('unsubscribed_at', '<', before)
          .whereNotNull('email')
          .limit(BATCH);
        if (!rows.length) return total;
        const hashes = [...new Set(rows.map((r) => r.email_hash as string))];
        // Only the unsubscribed rows of these addresses: an address still on another list keeps it there.
        const erasedAt = new Date().toISOString();
        total += Number(
          await knex()(SUBSCRIPTIONS)
            .whereIn('email_hash', hashes)
            .andWhere('status', 'unsubscribed')
            .update({ email: null, source: null, unsubscribe_reason: null, pseudonymised_at: erasedAt })
        );
        const stillSubscribed = new Set(
          (await knex()(SUBSCRIPTIONS).select('email_hash').whereIn('email_hash', hashes).whereNot('status', 'unsubscribed')).map((r: Row) => r.email_hash)
        );
        const gone = hashes.filter((hash) => !stillSubscribed.has(hash));
        if (gone.length) await service.eraseRows({ emailHashes: gone, subjectIds: [], userRefs: [], consentId: null }, erasedAt, { requests: false });
      }
    },
  };
  return service;
};
