import { randomId } from '../db/random';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { PrivacyCentreConfig } from '../config';
import { SUBJECT_ID_PATTERN } from '../consent/input';
import { describeDbError, isUniqueViolation, retryOnDeadlock } from '../db/errors';
import { POLICY_UID } from '../guards/policy-version';
import { truncateIp } from '../ip';
import { restPrefix, withoutTrailingSlashes } from '../middlewares/paths';
import { isAddrSpec, mailtoAddress, normaliseEmail, withoutAddresses } from '../newsletter/email';
import { CONFIRMATION_EMAIL, textLocale } from '../newsletter/texts';
import { makeToken, readToken, type TokenReading } from '../newsletter/tokens';
import { isCleanText, isHttpUrl, isLocaleCode } from '../policy/patterns';
import { newsletterEventProof, receiptIsAuthentic } from '../consent/receipt';
import type { Receipt } from '../consent/types';
import type { AdminUser } from './audit';
import { writeRecords, type PendingRecord } from './consent-writer';
import { CONSENT_UID } from '../guards/consent-record';
import type { RequestFacts } from './consents';
import { NewsletterSubscribeForm, NewsletterSubscribeInput, RECEIPT_RULE, SUBSCRIBE_ORDER } from '../contract/schemas';
import { joinProblems, problemsOf, sortProblems } from '../contract/problems';

export const SUBSCRIPTION_UID = 'plugin::privacy-centre.newsletter-subscription';
const SUBSCRIPTIONS = 'privacy_centre_newsletter_subscriptions';
const REASON_MAX = 500;
const DAY_MS = 24 * 3600 * 1000;
/** Sign-ups waiting to be processed, at most: past it, new ones are refused with a 503. */
const MAX_PENDING_WORK = 10_000;

export type UnsubscribeMethod = 'one-click' | 'page' | 'frontend' | 'admin' | 'erasure';
export type Outcome = 'done' | 'already' | 'invalid' | 'expired' | 'stale';

type Row = Record<string, any>;

/** What `POST /newsletter/subscribe` answers, always, byte for byte. */
export const SUBSCRIBE_ANSWER = JSON.stringify({
  data: { status: 'accepted', message: 'If this address can receive the newsletter, a confirmation message is on its way.' },
});

/**
 * The newsletter: double opt-in sign-up, confirmation, unsubscribing from a link or one click,
 * and the headers every e-mail carries. Every change of a subscription writes a consent-record
 * event (requested, confirmed, given, withdrawn) with its evidence in the same transaction.
 *
 * Sign-ups are answered before they are processed (the same 202 for every address, whenever,
 * so neither the answer nor its timing tells who subscribes), and processed one at a time per
 * address on this instance; across instances the database's unique index and row locks decide.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get('plugin::privacy-centre') as PrivacyCentreConfig;
  const settings = () => strapi.plugin('privacy-centre').service('settings');
  const keys = () => strapi.plugin('privacy-centre').service('keys');
  const mail = () => strapi.plugin('privacy-centre').service('newsletter-mail');
  const audit = () => strapi.plugin('privacy-centre').service('audit');

  /** The browser a receipt proves its holder is, or undefined when it does not verify. */
  const linkedBrowser = (receipt: unknown): { subjectId: string; consentId: string } | undefined => {
    if (typeof receipt !== 'object' || receipt === null || Array.isArray(receipt)) return undefined;
    const { subjectId, consentId } = receipt as Receipt;
    if (typeof subjectId !== 'string' || !SUBJECT_ID_PATTERN.test(subjectId) || typeof consentId !== 'string') return undefined;
    return receiptIsAuthentic(keys().verify, receipt as Receipt) ? { subjectId, consentId } : undefined;
  };
  /**
   * The subjectId to link, once the receipt is found on record as this browser's cookie consent
   * (a signed receipt of a purged record, or a legacy one whose date was written by its holder,
   * links nothing).
   */
  const onRecord = async (browser: { subjectId: string; consentId: string } | null): Promise<string | null> => {
    if (!browser) return null;
    const row = await strapi.db.query(CONSENT_UID).findOne({ select: ['id'], where: { consentId: browser.consentId, subjectId: browser.subjectId, kind: 'cookie' } });
    return row ? browser.subjectId : null;
  };

  /** The address's keyed pseudonyms (the one stored now first; rotation never changes it). */
  const hashesOf = (email: string): string[] => keys().pseudonyms('newsletter-address', email);

  const base = () => {
    const configured = config().publicUrl || (strapi.config.get('server.url') as string) || `http://localhost:${strapi.config.get('server.port', 1337)}`;
    return `${withoutTrailingSlashes(configured)}${restPrefix(strapi)}/privacy-centre/newsletter`;
  };
  const tokenFor = (row: Row, purpose: 'confirm' | 'unsubscribe') =>
    makeToken(
      keys().linkKey(),
      purpose,
      purpose === 'confirm'
        ? { s: row.documentId, l: row.list, r: row.requestedAt, e: Math.floor(Date.parse(row.requestedAt) / 1000) + config().newsletter.confirmationTokenHours * 3600 }
        : { s: row.documentId, l: row.list }
    );
  const urlFor = (row: Row, purpose: 'confirm' | 'unsubscribe') => `${base()}/${purpose}?token=${tokenFor(row, purpose)}`;

  const headersFor = async (row: Row, newsletterSettings?: { mailto: string }) => {
    const { mailto } = newsletterSettings ?? (await settings().get()).newsletter;
    const targets = [`<${urlFor(row, 'unsubscribe')}>`];
    // A value saved before it had to be a bare address is left out rather than trusted.
    if (mailto && isAddrSpec(mailto)) targets.push(`<mailto:${mailtoAddress(mailto)}?subject=${encodeURIComponent(`unsubscribe ${row.list}`)}>`);
    return { 'List-Unsubscribe': targets.join(', '), 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
  };

  /** The keyed hash of an address folded to lower case: its mailbox, however the case is typed. */
  const mailboxOf = (email: string): string => hashesOf(email.toLowerCase())[0];

  /**
   * Whether a mailbox has had its share of confirmation e-mails: one went to a pending sign-up of
   * the list within `resendIntervalMinutes`, or `confirmationsPerDay` went in the last 24 hours
   * (every list, every spelling of the address). Counted by the mailbox, not the address as typed,
   * so that `Victim@`, `vIctim@` and `VICTIM@` are one mailbox to bomb, not three. `hashes` covers
   * rows written before the mailbox was recorded.
   */
  const mailboxThrottled = async (mailbox: string, list: string, hashes: string[]): Promise<boolean> => {
    const { resendIntervalMinutes, confirmationsPerDay } = config().newsletter;
    const now = Date.now();
    const sameMailbox = { $or: [{ mailboxHash: mailbox }, { emailHash: { $in: hashes } }] };
    const since = new Date(now - resendIntervalMinutes * 60_000).toISOString();
    const recent = await strapi.db.query(SUBSCRIPTION_UID).count({
      where: { $and: [sameMailbox, { list, status: 'pending', lastConfirmationSentAt: { $gt: since } }] },
    });
    if (recent > 0) return true;
    const rows: Row[] = await strapi.db.query(SUBSCRIPTION_UID).findMany({ select: ['emailHash'], where: sameMailbox });
    const refs = [...new Set([...hashes, ...rows.map((row) => row.emailHash as string)])];
    // Each confirmation e-mail is a `requested` event: the evidence is also the counter.
    const sent = await strapi.db.query(CONSENT_UID).count({
      where: { kind: 'newsletter', action: 'requested', subjectRef: { $in: refs }, givenAt: { $gt: new Date(now - DAY_MS).toISOString() } },
    });
    return sent >= confirmationsPerDay;
  };

  /** The privacy policy in force now, named in every event. */
  const policyInForce = async (): Promise<{ policy_slug?: string; policy_version?: number; policy_hash?: string }> => {
    const row = await strapi.db.query(POLICY_UID).findOne({
      select: ['slug', 'version', 'hash'],
      where: { slug: 'privacy-policy', lifecycle: 'published', version: { $notNull: true }, effectiveAt: { $lte: new Date().toISOString() } },
      orderBy: [{ version: 'desc' }],
    });
    return row ? { policy_slug: row.slug, policy_version: row.version, policy_hash: row.hash } : {};
  };

  /** One consent-record event for a subscription, and the rollup it counts in. */
  const event = async (
    row: Row,
    action: 'requested' | 'confirmed' | 'given' | 'withdrawn',
    facts: Partial<RequestFacts>,
    evidence: Record<string, unknown>,
    via: 'newsletter' | 'admin' = 'newsletter'
  ): Promise<PendingRecord> => {
    const givenAt = new Date().toISOString();
    const { ipv4PrefixLength, ipv6PrefixLength } = config().ipTruncation;
    const userAgent = typeof facts.userAgent === 'string' && isCleanText(facts.userAgent) ? facts.userAgent.slice(0, 255) : null;
    const metric = action === 'requested' ? 'requested' : action === 'withdrawn' ? 'unsubscribed' : 'subscribed';
    const policy = await policyInForce();
    const fields = {
      consentId: randomId(),
      action,
      subjectRef: row.emailHash,
      subjectId: row.subjectId ?? null,
      state: { [row.list]: action !== 'withdrawn' },
      policySlug: policy.policy_slug ?? null,
      policyVersion: policy.policy_version ?? null,
      policyHash: policy.policy_hash ?? null,
      language: row.language ?? null,
      via,
      givenAt,
      evidence: { list: row.list, ...evidence },
    };
    return {
      columns: {
        consent_id: fields.consentId,
        kind: 'newsletter',
        action,
        subject_ref: fields.subjectRef,
        subject_id: fields.subjectId,
        state: JSON.stringify(fields.state),
        ...policy,
        ip_prefix: truncateIp(facts.ip, ipv4PrefixLength, ipv6PrefixLength),
        user_agent: userAgent,
        source_url: row.source ?? null,
        language: fields.language,
        via,
        given_at: givenAt,
        evidence: JSON.stringify(fields.evidence),
        signature: keys().signJson('newsletter-event', newsletterEventProof(fields)),
      },
      rollups: [{ day: givenAt.slice(0, 10), metric: `newsletter:${metric}:${row.list}` }],
    };
  };

  /**
   * Runs `work` in one transaction holding the subscription row (locked until commit where the
   * database has row locks), with the events it returns written in the same transaction.
   */
  const changing = async <T>(where: Record<string, unknown>, work: (row: Row | null, trx: any) => Promise<{ result: T; events?: PendingRecord[] }>) =>
    retryOnDeadlock(() =>
      strapi.db.transaction(async ({ trx }) => {
        const select = strapi.db.queryBuilder(SUBSCRIPTION_UID).select('*').where(where).first();
        if (strapi.db.dialect.client !== 'sqlite') select.forUpdate();
        const row = ((await select.execute()) as Row | undefined) ?? null;
        const { result, events } = await work(row, trx);
        if (events?.length) await writeRecords(trx, strapi.db.dialect.client, events);
        return result;
      })
    );

  // Sign-ups waiting, chained per address so that one address is processed in order.
  let pendingWork = 0;
  const chains = new Map<string, Promise<void>>();
  const inFlight = new Set<Promise<void>>();

  const service = {
    /**
     * The keyed hashes an address is found by (the current secret's first): the one place they
     * are made, for the newsletter and for data-subject requests.
     */
    addressHashes: hashesOf,

    /**
     * Validates a sign-up and queues it; the same answer follows whatever the address. Throws a
     * ValidationError only for malformed input (which says nothing about who subscribes).
     */
    accept(input: unknown, facts: RequestFacts, form: boolean) {
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        throw new errors.ValidationError('the body must be an object: { email, list?, locale?, source?, receipt? }');
      }
      // The route's own schema: JSON is strict; a plain HTML form may carry its button's name too.
      const parsed = (form ? NewsletterSubscribeForm : NewsletterSubscribeInput).safeParse(input);
      const problems = parsed.success ? [] : problemsOf(parsed.error, SUBSCRIBE_ORDER);
      const { list: rawList, locale, source, receipt } = input as Record<string, unknown>;
      // The lists are the app's configuration: known here, not to the schema.
      const lists = config().newsletter.lists;
      const list = rawList === undefined || rawList === '' ? lists[0] : rawList;
      if (typeof list !== 'string' || !lists.includes(list)) {
        problems.splice(0, problems.length, ...problems.filter((p) => p.field !== 'list'), { field: 'list', message: `list must be one of ${lists.join(', ')}` });
      }
      // A sign-up is linked to a browser's cookie consents only when it proves it holds the
      // browser's id: a receipt this site signed for it. A bare subjectId is anyone's to claim
      // (a sign-up naming another visitor's id would put their consents in this address's export
      // and erasure): the schema refuses one.
      const linked = receipt === undefined || receipt === '' ? null : linkedBrowser(receipt);
      if (linked === undefined) problems.push({ field: 'receipt', message: RECEIPT_RULE });
      if (problems.length) throw new errors.ValidationError(joinProblems(sortProblems(problems, SUBSCRIBE_ORDER)));
      const email = normaliseEmail((input as Record<string, unknown>).email);
      if (pendingWork >= MAX_PENDING_WORK) throw new NewsletterBusyError();
      const request = {
        email: email!,
        list: list as string,
        language: (locale as string) || null,
        source: (source as string) || (isHttpUrl(facts.referer) && isCleanText(facts.referer) ? facts.referer : null),
        subjectId: null as string | null,
      };
      // One chain per mailbox: its spellings and lists are throttled together, so they wait in turn.
      const key = mailboxOf(request.email);
      pendingWork += 1;
      const run = (chains.get(key) ?? Promise.resolve())
        .then(async () => service.subscribe({ ...request, subjectId: await onRecord(linked ?? null) }, facts))
        .catch((error) => {
          strapi.log.error(`[privacy-centre] a newsletter sign-up could not be processed: ${withoutAddresses(describeDbError(error))}`);
        })
        .finally(() => {
          pendingWork -= 1;
          if (chains.get(key) === run) chains.delete(key);
          inFlight.delete(run);
        });
      chains.set(key, run);
      inFlight.add(run);
    },

    /** Processes one sign-up (after the answer): creates, renews or leaves the subscription. */
    async subscribe(
      request: { email: string; list: string; language: string | null; source: string | null; subjectId: string | null },
      facts: Partial<RequestFacts>,
      attempt = 1
    ): Promise<void> {
      const hashes = hashesOf(request.email);
      const mailbox = mailboxOf(request.email);
      const { newsletter } = await settings().get();
      let message: any = null;
      try {
        message = await changing({ emailHash: { $in: hashes }, list: request.list }, async (row) => {
          const now = new Date().toISOString();
          const fields = {
            emailHash: hashes[0],
            mailboxHash: mailbox,
            // As typed (trimmed, domain lower-cased): the local part is the mailbox owner's.
            email: request.email,
            language: request.language ?? row?.language ?? null,
            source: request.source ?? row?.source ?? null,
            // The browser this sign-up names (or none): a pending row takes the latest sign-up's,
            // and a new confirmation link (below) so that whoever confirms confirms exactly this one.
            subjectId: request.subjectId ?? null,
          };
          if (row?.status === 'subscribed') return { result: null };
          const linkLasts = (requestedAt: string | null) =>
            Boolean(requestedAt) && Date.parse(requestedAt!) + (config().newsletter.confirmationTokenHours * 3600_000) / 2 > Date.now();
          // The mailbox had a confirmation a moment ago, or its share for the day: not again yet.
          if (newsletter.doubleOptIn && (await mailboxThrottled(mailbox, request.list, hashes))) return { result: null };
          // New, pending for a while, or unsubscribed (a re-subscription goes through double opt-in again).
          const status = newsletter.doubleOptIn ? 'pending' : 'subscribed';
          const data = {
            ...fields,
            status,
            // A pending sign-up asked again keeps its links working while they have at least half
            // their lifetime left, so the message it gets works for a while too (once expired, it
            // would be sent a dead link); and not when it names another browser: then the older
            // links become stale (they would confirm the other link).
            requestedAt: row?.status === 'pending' && (row.subjectId ?? null) === fields.subjectId && linkLasts(row.requestedAt) ? row.requestedAt : now,
            confirmedAt: status === 'subscribed' ? now : null,
            unsubscribedAt: null,
            unsubscribeReason: null,
            pseudonymisedAt: null,
            lastConfirmationSentAt: status === 'pending' ? now : null,
          };
          const saved = row
            ? await strapi.db.query(SUBSCRIPTION_UID).update({ where: { id: row.id }, data })
            : await strapi.db.query(SUBSCRIPTION_UID).create({ data: { ...data, list: request.list } });
          if (status === 'subscribed') return { result: null, events: [await event(saved, 'given', facts, { method: 'single-opt-in' })] };
          const composed = await service.confirmationMessage(saved);
          const evidence = { message: { subject: composed.subject, text: composed.text, messageId: composed.messageId, sha256: composed.sha256 } };
          return { result: composed, events: [await event(saved, 'requested', facts, evidence)] };
        });
      } catch (error) {
        // Two first sign-ups of one address on two instances: the second finds the first's row.
        if (isUniqueViolation(error) && attempt < 3) return service.subscribe(request, facts, attempt + 1);
        throw error;
      }
      if (message) {
        try {
          await mail().send(message);
        } catch (error) {
          strapi.log.error(`[privacy-centre] the confirmation message ${message.messageId} could not be sent: ${withoutAddresses((error as Error).message)}`);
          // Let the next sign-up send it again at once.
          await strapi.db.query(SUBSCRIPTION_UID).updateMany({ where: { emailHash: hashes[0], list: request.list }, data: { lastConfirmationSentAt: null } });
        }
      }
    },

    /** The confirmation e-mail of a pending subscription, in its language, composed but not sent. */
    async confirmationMessage(row: Row) {
      const { controller, newsletter } = await settings().get();
      const locale = textLocale(row.language);
      const template = newsletter.templates[row.language] ?? newsletter.templates[locale] ?? CONFIRMATION_EMAIL[locale];
      return mail().compose({
        from: mail().defaultSender(newsletter.from),
        to: row.email,
        template,
        values: {
          confirmUrl: urlFor(row, 'confirm'),
          unsubscribeUrl: urlFor(row, 'unsubscribe'),
          list: row.list,
          hours: String(config().newsletter.confirmationTokenHours),
          controllerName: controller.name,
          controllerAddress: controller.address,
          controllerEmail: controller.email,
        },
        headers: await headersFor(row),
      });
    },

    /** Reads a link's token, and the subscription it names (for the pages' texts). */
    async lookup(purpose: 'confirm' | 'unsubscribe', token: unknown): Promise<{ reading: TokenReading; row: Row | null }> {
      const reading = readToken(keys().linkKeys(), purpose, token);
      if (!reading.ok) return { reading, row: null };
      const row = await strapi.db.query(SUBSCRIPTION_UID).findOne({ where: { documentId: reading.payload.s } });
      return { reading, row };
    },

    /** Confirms a pending subscription (double opt-in). Idempotent. */
    async confirm(token: unknown, facts: Partial<RequestFacts>): Promise<{ outcome: Outcome; row: Row | null }> {
      const reading = readToken(keys().linkKeys(), 'confirm', token);
      if (!reading.ok) return { outcome: reading.reason === 'expired' ? 'expired' : 'invalid', row: null };
      const { payload } = reading;
      return changing({ documentId: payload.s }, async (row) => {
        if (!row || row.list !== payload.l) return { result: { outcome: 'invalid' as Outcome, row } };
        if (row.status === 'subscribed') return { result: { outcome: 'already' as Outcome, row } };
        // Only the latest request's link confirms: not an old one after unsubscribing or a resend.
        if (row.status !== 'pending' || row.requestedAt !== payload.r) return { result: { outcome: 'stale' as Outcome, row } };
        const saved = await strapi.db.query(SUBSCRIPTION_UID).update({
          where: { id: row.id },
          data: { status: 'subscribed', confirmedAt: new Date().toISOString() },
        });
        return { result: { outcome: 'done' as Outcome, row: saved }, events: [await event(saved, 'confirmed', facts, { method: 'double-opt-in', requestedAt: row.requestedAt })] };
      });
    },

    /** Unsubscribes (or cancels a pending sign-up). Idempotent. */
    async unsubscribe(token: unknown, input: { reason?: unknown; method: UnsubscribeMethod }, facts: Partial<RequestFacts>) {
      const reading = readToken(keys().linkKeys(), 'unsubscribe', token);
      if (!reading.ok) return { outcome: 'invalid' as Outcome, row: null };
      const where = { documentId: reading.payload.s, list: reading.payload.l };
      // Anyone holding a link may post it again and again: when there is nothing left to change,
      // a plain read answers, without a transaction or a row lock (unsubscribeWhere checks again).
      const current: Row | null = await strapi.db.query(SUBSCRIPTION_UID).findOne({ where });
      if (!current || current.status === 'unsubscribed') return { outcome: 'already' as Outcome, row: current };
      return service.unsubscribeWhere(where, input, facts);
    },

    async unsubscribeWhere(where: Record<string, unknown>, input: { reason?: unknown; method: UnsubscribeMethod }, facts: Partial<RequestFacts>, user?: AdminUser | null) {
      const reason = typeof input.reason === 'string' && isCleanText(input.reason) ? input.reason.trim().slice(0, REASON_MAX) || null : null;
      return changing(where, async (row) => {
        // Gone (an unconfirmed sign-up purged) or unsubscribed already: nothing left to do.
        if (!row || row.status === 'unsubscribed') return { result: { outcome: 'already' as Outcome, row } };
        const saved = await strapi.db.query(SUBSCRIPTION_UID).update({
          where: { id: row.id },
          data: { status: 'unsubscribed', unsubscribedAt: new Date().toISOString(), unsubscribeReason: reason },
        });
        if (user) await audit().record(user, 'newsletter.unsubscribe', `${row.list} subscription ${row.documentId}`);
        return {
          result: { outcome: 'done' as Outcome, row: saved },
          events: [await event(saved, 'withdrawn', facts, { method: input.method, ...(reason ? { reason } : {}), previousStatus: row.status }, user ? 'admin' : 'newsletter')],
        };
      });
    },

    /**
     * For whoever sends newsletters: the `List-Unsubscribe` and `List-Unsubscribe-Post` headers
     * (RFC 8058 one-click) for an address on a list. NotFoundError when it is not on the list.
     */
    async listUnsubscribeHeaders(email: string, list = config().newsletter.lists[0]): Promise<Record<string, string>> {
      return headersFor(await service.subscriptionOf(email, list));
    },

    /** The `List-Unsubscribe` headers and the link of a subscription row (the notice outbox holds rows, not addresses). */
    async unsubscribeOf(row: Row, newsletterSettings?: { mailto: string }): Promise<{ headers: Record<string, string>; url: string }> {
      return { headers: await headersFor(row, newsletterSettings), url: urlFor(row, 'unsubscribe') };
    },

    /** The https unsubscribe link for an address on a list, for an e-mail's body. */
    async unsubscribeUrl(email: string, list = config().newsletter.lists[0]): Promise<string> {
      return urlFor(await service.subscriptionOf(email, list), 'unsubscribe');
    },

    async subscriptionOf(email: string, list: string): Promise<Row> {
      const normalised = normaliseEmail(email);
      const row = normalised ? await strapi.db.query(SUBSCRIPTION_UID).findOne({ where: { emailHash: { $in: hashesOf(normalised) }, list } }) : null;
      if (!row) throw new errors.NotFoundError(`${email} is not on the ${list} list`);
      return row;
    },

    /** At shutdown: lets the sign-ups already answered finish. */
    async drain() {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },

    /**
     * Retention: unconfirmed sign-ups are deleted after `pendingSubscriptionDays`; unsubscribed
     * addresses are pseudonymised after `unsubscribedAddressDays` (the address and what the
     * person wrote go; the keyed hash stays, so a new sign-up is recognised and asked to confirm
     * again). Their events stay as pseudonymous proof; those of a deleted sign-up lose what the
     * person gave with it (IP prefix, user agent, source, the message as sent).
     */
    async purge() {
      const { pendingSubscriptionDays, unsubscribedAddressDays } = config().retention;
      const day = 24 * 3600 * 1000;
      const knex = strapi.db.connection;
      const pendingBefore = new Date(Date.now() - pendingSubscriptionDays * day).toISOString();
      const unsubscribedBefore = new Date(Date.now() - unsubscribedAddressDays * day).toISOString();
      const subjects = strapi.plugin('privacy-centre').service('subjects');
      let deleted = 0;
      let eventsStripped = 0;
      for (;;) {
        // Events recorded from here on belong to sign-ups arriving meanwhile: theirs stay whole.
        const startedAt = new Date().toISOString();
        const rows: Row[] = await knex(SUBSCRIPTIONS)
          .select('id', 'email_hash', 'list')
          .where('status', 'pending')
          .andWhere('requested_at', '<', pendingBefore)
          .limit(500);
        if (!rows.length) break;
        const ids = rows.map((r) => r.id);
        deleted += Number(await knex(SUBSCRIPTIONS).whereIn('id', ids).andWhere('status', 'pending').andWhere('requested_at', '<', pendingBefore).del());
        // A row confirmed (or asked again) meanwhile stays, and so does its evidence.
        const kept = new Set((await knex(SUBSCRIPTIONS).select('id').whereIn('id', ids)).map((r: Row) => r.id));
        // Their `requested` events held what the sign-up gave (IP prefix, user agent, source,
        // the message as sent): it goes with the sign-up, through the erasure's own path.
        eventsStripped += await subjects.eraseSignUpEvents(
          rows.filter((r) => !kept.has(r.id)).map((r) => ({ emailHash: r.email_hash as string, list: r.list as string })),
          startedAt
        );
      }
      // The same erasure as a data-subject request: the address and what the person wrote go,
      // and so do the IP prefixes and user agents of their events once no list holds them.
      const pseudonymised = await subjects.eraseUnsubscribed(unsubscribedBefore);
      return { pendingSubscriptionsDeleted: deleted, pendingSignUpEventsStripped: eventsStripped, unsubscribedAddressesPseudonymised: pseudonymised };
    },
  };
  return service;
};

/** Too many sign-ups wait to be processed on this instance: answered 503. */
export class NewsletterBusyError extends Error {}
