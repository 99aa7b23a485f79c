import { hostname } from 'node:os';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { PrivacyCentreConfig } from '../config';
import { describeDbError, isUniqueViolation, retryOnDeadlock } from '../db/errors';
import { randomId, sortableDocumentId } from '../db/random';
import { restPrefix, withoutTrailingSlashes } from '../middlewares/paths';
import { withoutAddresses } from '../newsletter/email';
import { fill, textLocale } from '../newsletter/texts';
import { failureReason, isTemporary, noticeDate, NOTICE_EMAIL } from '../notice/texts';
import type { AdminUser } from './audit';
import type { Row } from './policy-versions';

export const NOTICE_UID = 'plugin::privacy-centre.notice';
const NOTICES = 'privacy_centre_notices';
const DELIVERIES = 'privacy_centre_notice_deliveries';
const SUBSCRIPTIONS = 'privacy_centre_newsletter_subscriptions';
const CONSENTS = 'privacy_centre_consent_records';
const USER_UID = 'plugin::users-permissions.user';
const DAY_MS = 24 * 3600 * 1000;
/** Rows inserted per statement when a notice is enqueued. */
const INSERT_BATCH = 500;
/**
 * Messages one instance has in flight at most (never more than a batch). Each SMTP message costs
 * a few round trips (and often a delayed ACK, ~40 ms on Linux), so throughput comes from several
 * at once: with nodemailer, `pool: true` and `maxConnections` let them use as many connections.
 */
const CONCURRENCY = 16;
/** Statuses a notice may be paused or cancelled from. */
const OPEN = ['pending', 'sending', 'paused'];
/** The row of `privacy_centre_job_claims` whose `claimed_until` is the next free send slot of all instances. */
const CLAIMS = 'privacy_centre_job_claims';
const RATE_JOB = 'notice-rate';

type Knex = any;
type Delivery = {
  id: number;
  notice_id: number;
  recipient_kind: 'subscriber' | 'user';
  recipient_id: string;
  subject_ref: string;
  language: string | null;
  attempts: number | null;
};
type Notice = { id: number; documentId: string; slug: string; version: number; versionDocumentId: string; status: string; effectiveAt: string };

type AnyRow = Record<string, any>;
const iso = (date: Date | number) => new Date(date).toISOString();

/**
 * Advance notice of a material policy change (issue #18): a `notice` per material version, opened
 * `notice.days` before it takes effect, and an outbox of `notice-delivery` rows, one per
 * recipient, sent through Strapi's email plugin.
 *
 * Several instances may send at once: each takes a batch of rows with a conditional update of
 * `claimedBy` / `claimedUntil` (a row goes to exactly one of them), and a claim whose instance
 * died expires and is taken over, so a restart loses nothing. A row is sent at least once and,
 * unless an instance dies between the SMTP server's acceptance and the database update, exactly
 * once. All instances together send at most `notice.ratePerSecond`: each batch reserves its send
 * slots in the database first (reserveSlots). Outcomes are recorded per batch
 * (one commit for about a quarter of a second of sending), so an instance that dies mid-batch
 * may have sent a few messages that another sends again.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get('plugin::privacy-centre') as PrivacyCentreConfig;
  const knex = (): Knex => strapi.db.connection;
  const plugin = () => strapi.plugin('privacy-centre');
  const audit = () => plugin().service('audit');
  const mail = () => plugin().service('newsletter-mail');
  const instance = `${hostname()}:${process.pid}:${randomId().slice(0, 8)}`;

  let running: Promise<void> | null = null;
  let again = false;
  let stopping = false;

  const base = () => {
    const configured = config().publicUrl || (strapi.config.get('server.url') as string) || `http://localhost:${strapi.config.get('server.port', 1337)}`;
    return `${withoutTrailingSlashes(configured)}${restPrefix(strapi)}/privacy-centre/policies`;
  };

  /** Recipients are enqueued in one transaction with the notice's move to `sending`: all or none. */
  const enqueue = async (notice: Notice): Promise<number | null> => {
    const now = new Date();
    // Both as Settings has them now (edited in the admin), not as the config file first said.
    const settings = await plugin().service('settings').get();
    const { list } = settings.notice;
    const required: string[] = settings.acceptance.required;
    const userModel = strapi.getModel(USER_UID as any) as { collectionName?: string } | undefined;
    return retryOnDeadlock(() =>
      strapi.db.transaction(async ({ trx }: { trx: Knex }) => {
        const taken = await trx(NOTICES).where({ id: notice.id, status: 'pending' }).update({ status: 'sending', enqueued_at: iso(now), updated_at: now });
        if (Number(taken) !== 1) return null; // another instance opened it
        let total = 0;
        const insert = async (rows: Array<Omit<Delivery, 'id' | 'notice_id' | 'attempts'>>) => {
          if (!rows.length) return;
          const stamp = new Date();
          await trx(DELIVERIES)
            .insert(
              rows.map((row) => ({
                ...row,
                document_id: sortableDocumentId(),
                notice_id: notice.id,
                status: 'pending',
                attempts: 0,
                created_at: stamp,
                updated_at: stamp,
                published_at: stamp,
              }))
            )
            .onConflict(['notice_id', 'subject_ref'])
            .ignore();
          total += rows.length;
        };
        // Confirmed subscribers of the list, in id order, a batch at a time (constant memory).
        for (let after = 0; ; ) {
          const page = await trx(SUBSCRIPTIONS)
            .select('id', 'document_id', 'email_hash', 'language')
            .where({ list, status: 'subscribed' })
            .whereNotNull('email')
            .where('id', '>', after)
            .orderBy('id')
            .limit(INSERT_BATCH);
          if (!page.length) break;
          after = page[page.length - 1].id;
          await insert(page.map((s: any) => ({ recipient_kind: 'subscriber' as const, recipient_id: s.document_id, subject_ref: s.email_hash, language: s.language ?? null })));
        }
        // Users who accepted an earlier version, when the slug requires acceptance.
        if (required.includes(notice.slug) && userModel?.collectionName) {
          const accepted = new Set<string>(
            (
              await trx(CONSENTS)
                .distinct('subject_ref')
                .where({ kind: 'policy', policy_slug: notice.slug })
                .where('policy_version', '<', notice.version)
                .whereNotNull('subject_ref')
            ).map((r: any) => r.subject_ref)
          );
          const keys = plugin().service('keys');
          for (let after = 0; accepted.size; ) {
            const page = await trx(userModel.collectionName)
              .select('id', 'document_id')
              .where({ confirmed: true })
              .where((q: any) => q.whereNull('blocked').orWhere('blocked', false))
              .where('id', '>', after)
              .orderBy('id')
              .limit(INSERT_BATCH);
            if (!page.length) break;
            after = page[page.length - 1].id;
            const rows: Array<Omit<Delivery, 'id' | 'notice_id' | 'attempts'>> = [];
            for (const user of page) {
              const ref = keys.pseudonyms('site-user', user.document_id)[0];
              if (accepted.has(ref)) rows.push({ recipient_kind: 'user' as const, recipient_id: user.document_id, subject_ref: ref, language: null });
            }
            await insert(rows);
          }
        }
        const recipients = Number((await trx(DELIVERIES).count({ n: '*' }).where({ notice_id: notice.id }))[0].n);
        await trx(NOTICES).where({ id: notice.id }).update({ recipients });
        return total;
      })
    );
  };

  /** Opens the notices whose window has begun. */
  const openDue = async () => {
    const due: Notice[] = await strapi.db.query(NOTICE_UID).findMany({ where: { status: 'pending', opensAt: { $lte: iso(Date.now()) } }, orderBy: [{ id: 'asc' }] });
    for (const notice of due) await enqueue(notice);
  };

  /** Takes up to `size` sendable rows of a notice for `owner`; the token names this claim. */
  const claim = async (noticeId: number, owner: string, size: number, leaseMs: number) => {
    for (;;) {
      const now = iso(Date.now());
      const sendable = (q: Knex) =>
        q
          .where({ notice_id: noticeId, status: 'pending' })
          .andWhere((w: Knex) => w.whereNull('next_attempt_at').orWhere('next_attempt_at', '<=', now))
          .andWhere((w: Knex) => w.whereNull('claimed_until').orWhere('claimed_until', '<', now));
      const ids = (await sendable(knex()(DELIVERIES).select('id')).orderBy('id').limit(size)).map((r: { id: number }) => r.id);
      if (!ids.length) return null;
      const token = `${owner}:${randomId()}`.slice(-100);
      // The conditional update is the claim: of two instances that read the same ids, each row
      // goes to the one whose update reaches it first; the other's condition no longer holds.
      await retryOnDeadlock(() =>
        sendable(knex()(DELIVERIES).whereIn('id', ids)).update({ claimed_by: token, claimed_until: iso(Date.now() + leaseMs) })
      );
      const rows: Delivery[] = await knex()(DELIVERIES)
        .select('id', 'notice_id', 'recipient_kind', 'recipient_id', 'subject_ref', 'language', 'attempts')
        .where({ claimed_by: token, status: 'pending' })
        .orderBy('id');
      if (rows.length) return { token, rows };
      // Every row went to another instance: read the next ones.
    }
  };

  /**
   * Reserves `count` send slots of the shared rate (`notice.ratePerSecond` for all instances
   * together): the next free slot is kept in `privacy_centre_job_claims` (job `notice-rate`,
   * `claimed_until`), moved forward by a compare-and-set, so two instances never get the same
   * slots. Returns the epoch ms of the first; the batch sends one message per `intervalMs` from it.
   */
  const reserveSlots = async (count: number, intervalMs: number): Promise<number> => {
    for (let attempt = 0; ; attempt++) {
      const row = await knex()(CLAIMS).select('claimed_until').where({ job: RATE_JOB }).first();
      if (!row) {
        const now = new Date();
        try {
          await knex()(CLAIMS).insert({ job: RATE_JOB, document_id: sortableDocumentId(), claimed_until: iso(now), created_at: now, updated_at: now, published_at: now });
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
        }
        continue;
      }
      const previous: string | null = row.claimed_until ?? null;
      const start = Math.max(Date.now(), previous ? Date.parse(previous) || 0 : 0);
      const next = iso(start + count * intervalMs);
      const moved = await knex()(CLAIMS)
        .where({ job: RATE_JOB })
        .andWhere((q: Knex) => (previous === null ? q.whereNull('claimed_until') : q.where('claimed_until', previous)))
        .update({ claimed_until: next });
      if (Number(moved) === 1) return start;
      // Another instance reserved in between: read again. Far from ever looping long (a few instances).
      if (attempt > 50) return start + count * intervalMs; // give up sharing, stay under the rate here
    }
  };

  /** The version's rows by locale (for the message), read once per run. */
  const versionCache = new Map<string, { rows: Row[]; defaultLocale: string }>();
  const versionOf = async (notice: Notice) => {
    const key = `${notice.slug}\u0000${notice.version}`;
    let found = versionCache.get(key);
    if (!found) {
      const rows: Row[] = (await plugin().service('policy-versions').versionRows(notice.slug, notice.version)) ?? [];
      const { defaultLocale } = await plugin().service('locales').get();
      found = { rows, defaultLocale };
      versionCache.set(key, found);
      if (versionCache.size > 20) versionCache.delete(versionCache.keys().next().value!);
    }
    return found;
  };

  /** What a batch's messages need, read once per batch: its recipients' rows and the settings. */
  type BatchContext = { subscriptions: Map<string, AnyRow>; users: Map<string, AnyRow>; settings: any };
  const contextOf = async (rows: Delivery[]): Promise<BatchContext> => {
    const ids = (kind: Delivery['recipient_kind']) => rows.filter((r) => r.recipient_kind === kind).map((r) => r.recipient_id);
    const subscriberIds = ids('subscriber');
    const userIds = ids('user');
    const subscriptions: AnyRow[] = subscriberIds.length
      ? await strapi.db.query('plugin::privacy-centre.newsletter-subscription').findMany({ where: { documentId: { $in: subscriberIds } } })
      : [];
    const users: AnyRow[] = userIds.length
      ? await strapi.db.query(USER_UID as any).findMany({ select: ['documentId', 'email', 'confirmed', 'blocked'], where: { documentId: { $in: userIds } } })
      : [];
    return {
      subscriptions: new Map(subscriptions.map((r) => [r.documentId, r])),
      users: new Map(users.map((r) => [r.documentId, r])),
      settings: await plugin().service('settings').get(),
    };
  };

  /** The recipient's address and language now, or why the row is skipped. */
  const recipientOf = (row: Delivery, context: BatchContext): { email: string; language: string | null; subscription?: AnyRow } | { skip: string } => {
    if (row.recipient_kind === 'subscriber') {
      const subscription = context.subscriptions.get(row.recipient_id);
      if (!subscription?.email || subscription.status !== 'subscribed') return { skip: 'no longer subscribed' };
      return { email: subscription.email, language: subscription.language ?? row.language, subscription };
    }
    const user = context.users.get(row.recipient_id);
    if (!user?.email || !user.confirmed || user.blocked) return { skip: 'user deleted, unconfirmed or blocked' };
    return { email: user.email, language: row.language };
  };

  const compose = async (notice: Notice, recipient: { email: string; language: string | null; subscription?: AnyRow }, context: BatchContext) => {
    const { rows, defaultLocale } = await versionOf(notice);
    if (!rows.length) throw new Error(`${notice.slug} v${notice.version} is not published`);
    const wanted = recipient.language?.toLowerCase() ?? '';
    const version =
      rows.find((r) => r.locale.toLowerCase() === wanted) ||
      rows.find((r) => r.locale.toLowerCase() === wanted.split('-')[0]) ||
      rows.find((r) => r.locale === defaultLocale) ||
      rows[0];
    const language = textLocale(version.locale);
    const texts = NOTICE_EMAIL[language];
    const { controller, newsletter, notice: noticeSettings } = context.settings;
    const link = `${base()}/${encodeURIComponent(notice.slug)}/versions/${notice.version}`;
    const query = `?locale=${encodeURIComponent(version.locale)}`;
    let headers: Record<string, string> = {};
    let unsubscribe = '';
    if (recipient.subscription) {
      const of = await plugin().service('newsletter').unsubscribeOf(recipient.subscription, newsletter);
      headers = of.headers;
      unsubscribe = fill(texts.unsubscribe, { list: noticeSettings.list, unsubscribeUrl: of.url });
    }
    return mail().compose({
      from: mail().defaultSender(newsletter.from),
      to: recipient.email,
      template: { subject: texts.subject, text: texts.text },
      values: {
        title: version.title,
        summary: version.summary?.trim() || '-',
        date: noticeDate(notice.effectiveAt, language),
        versionUrl: `${link}${query}`,
        changesUrl: `${link}/changes${query}`,
        unsubscribe,
        controllerName: controller.name,
        controllerAddress: controller.address,
        controllerEmail: controller.email,
      },
      headers,
    });
  };

  /**
   * Sends one claimed row; returns what to record (written with the rest of its batch, in one
   * transaction: a commit per message would cost a disk sync per message on SQLite).
   */
  const deliver = async (notice: Notice, row: Delivery, context: BatchContext): Promise<Record<string, unknown>> => {
    const recipient = recipientOf(row, context);
    if ('skip' in recipient) return { status: 'skipped', last_error: recipient.skip };
    const attempts = (row.attempts ?? 0) + 1;
    let message;
    try {
      message = await compose(notice, recipient, context);
      await mail().send(message);
    } catch (error) {
      const { maxAttempts, retrySeconds } = config().notice;
      const reason = failureReason(error, withoutAddresses);
      if (isTemporary(error) && attempts < maxAttempts) {
        // Backoff: retrySeconds, then twice that, four times… (capped at a day).
        const delay = Math.min(DAY_MS, retrySeconds * 1000 * 2 ** (attempts - 1));
        return { attempts, last_error: reason, next_attempt_at: iso(Date.now() + delay) };
      }
      const why = isTemporary(error) ? `given up after ${attempts} attempts: ${reason}` : reason;
      return { attempts, status: 'failed', last_error: why.slice(0, 500) };
    }
    return { attempts, status: 'sent', sent_at: iso(Date.now()), message_id: message.messageId, message_hash: message.sha256, last_error: null };
  };

  /** Records the outcomes of a batch, each only while its claim is still this batch's. */
  const record = async (token: string, outcomes: Array<{ id: number; data: Record<string, unknown> }>) => {
    if (!outcomes.length) return;
    const stamp = new Date();
    await retryOnDeadlock(() =>
      strapi.db.transaction(async ({ trx }: { trx: Knex }) => {
        for (const { id, data } of outcomes) {
          await trx(DELIVERIES).where({ id, claimed_by: token, status: 'pending' }).update({ ...data, claimed_until: null, updated_at: stamp });
        }
      })
    );
  };

  /** Marks `sending` notices with nothing left to send as done. */
  const finish = async () => {
    const sending: Notice[] = await strapi.db.query(NOTICE_UID).findMany({ select: ['id'], where: { status: 'sending' } });
    for (const notice of sending) {
      const left = Number((await knex()(DELIVERIES).count({ n: '*' }).where({ notice_id: notice.id, status: 'pending' }))[0].n);
      if (left === 0) await knex()(NOTICES).where({ id: notice.id, status: 'sending' }).update({ status: 'done', done_at: iso(Date.now()), updated_at: new Date() });
    }
  };

  const noticeByVersion = async (documentId: string): Promise<Notice> => {
    const notice = await strapi.db.query(NOTICE_UID).findOne({ where: { versionDocumentId: documentId } });
    if (!notice) throw new errors.NotFoundError('This version has no notice: only material versions are announced');
    return notice;
  };

  const service = {
    /** At publication of a material version, in its transaction: the notice, opening `days` before it takes effect. */
    async create(input: { slug: string; version: number; documentId: string; effectiveAt: Date; days: number; reason: string | null }) {
      await strapi.db.query(NOTICE_UID).create({
        data: {
          slug: input.slug,
          version: input.version,
          versionDocumentId: input.documentId,
          status: 'pending',
          opensAt: iso(input.effectiveAt.getTime() - input.days * DAY_MS),
          effectiveAt: iso(input.effectiveAt),
          recipients: 0,
          shortNoticeReason: input.reason,
        },
      });
    },

    /** The version was withdrawn: what has not gone out does not. */
    async cancel(slug: string, version: number) {
      await strapi.db.query(NOTICE_UID).updateMany({ where: { slug, version, status: { $in: OPEN } }, data: { status: 'cancelled' } });
    },

    /**
     * One pass: opens the notices due, then sends what is sendable now, as `owner` (tests name
     * two owners to play two instances). Resolves when nothing is left to send now; rows waiting
     * for a retry are left to a later pass.
     */
    async work({ owner = instance, limit = Infinity }: { owner?: string; limit?: number } = {}) {
      await openDue();
      const { ratePerSecond } = config().notice;
      // A batch is about a quarter of a second of sending: other instances share the work.
      const size = Math.max(1, Math.min(100, Math.ceil(ratePerSecond / 4)));
      // Long enough for the batch at the configured rate, with room for slow SMTP answers.
      const leaseMs = Math.max(60_000, (size / ratePerSecond) * 3000);
      const interval = 1000 / ratePerSecond;
      let nextSlot = Date.now();
      let handled = 0;
      const sending: Notice[] = await strapi.db.query(NOTICE_UID).findMany({ where: { status: 'sending' }, orderBy: [{ id: 'asc' }] });
      for (const notice of sending) {
        for (;;) {
          if (stopping || handled >= limit) return;
          // Paused (or cancelled) since: stop taking rows of it.
          const current = await strapi.db.query(NOTICE_UID).findOne({ select: ['status'], where: { id: notice.id } });
          if (current?.status !== 'sending') break;
          const batch = await claim(notice.id, owner, Math.min(size, limit - handled), leaseMs);
          if (!batch) break;
          // The batch's slots of the rate all instances share: none sends faster than its share.
          nextSlot = Math.max(nextSlot, await reserveSlots(batch.rows.length, interval));
          const outcomes: Array<{ id: number; data: Record<string, unknown> }> = [];
          const context = await contextOf(batch.rows);
          const inFlight = new Set<Promise<void>>();
          for (const row of batch.rows) {
            if (stopping) break;
            const wait = nextSlot - Date.now();
            if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
            nextSlot += interval;
            // A few messages in flight at once: SMTP answers take longer than composing.
            const message: Promise<void> = deliver(notice, row, context)
              .then((data) => {
                outcomes.push({ id: row.id, data });
              })
              // Not the message's fault (the database, say): tried again later, no attempt counted.
              .catch((error: unknown) => {
                outcomes.push({ id: row.id, data: { last_error: failureReason(error, withoutAddresses), next_attempt_at: iso(Date.now() + config().notice.retrySeconds * 1000) } });
              })
              .finally(() => inFlight.delete(message));
            inFlight.add(message);
            handled++;
            if (inFlight.size >= CONCURRENCY) await Promise.race(inFlight);
          }
          await Promise.all(inFlight);
          await record(batch.token, outcomes);
          // Rows not reached (stopping) go back at once rather than when the lease ends.
          await knex()(DELIVERIES).where({ claimed_by: batch.token, status: 'pending' }).whereNotNull('claimed_until').update({ claimed_until: null });
        }
      }
      await finish();
    },

    /** Starts a pass in the background unless one runs (then another follows it). */
    kick() {
      if (stopping) return;
      if (running) {
        again = true;
        return;
      }
      running = (async () => {
        do {
          again = false;
          try {
            await service.work();
          } catch (error) {
            strapi.log.error(`[privacy-centre] sending notices failed: ${withoutAddresses(describeDbError(error))}`);
          }
        } while (again && !stopping);
      })().finally(() => {
        running = null;
      });
    },

    /** Resolves when the background pass (if any) has finished. */
    async idle() {
      while (running) await running;
    },

    /** At shutdown: the pass stops after the message it is sending; unsent claims are released. */
    async stop() {
      stopping = true;
      await service.idle();
    },

    /** Strapi's cron, every minute, when the plugin's own switch allows: opens windows, retries, resumes. */
    schedule() {
      if (!config().cron.enabled) return;
      strapi.cron.add({ 'privacy-centre-notices': { task: async () => service.kick(), options: { rule: '41 * * * * *' } } });
      // Resume what an earlier run left (a restart mid-send).
      service.kick();
    },

    /** Progress of a version's notice, for the admin: counts per status and the reasons of failures. */
    async progress(documentId: string) {
      const notice = await strapi.db.query(NOTICE_UID).findOne({ where: { versionDocumentId: documentId } });
      if (!notice) return null;
      const counts: Record<string, number> = { pending: 0, sent: 0, failed: 0, skipped: 0 };
      for (const row of await knex()(DELIVERIES).select('status').count({ n: '*' }).where({ notice_id: notice.id }).groupBy('status')) {
        counts[row.status] = Number(row.n);
      }
      const failures = (
        await knex()(DELIVERIES)
          .select('status', 'last_error')
          .count({ n: '*' })
          .where({ notice_id: notice.id })
          .whereIn('status', ['failed', 'skipped'])
          .groupBy('status', 'last_error')
          .orderBy('n', 'desc')
          .limit(20)
      ).map((r: any) => ({ status: r.status, reason: r.last_error ?? '', count: Number(r.n) }));
      const retrying = Number(
        (await knex()(DELIVERIES).count({ n: '*' }).where({ notice_id: notice.id, status: 'pending' }).where('attempts', '>', 0))[0].n
      );
      return {
        status: notice.status,
        slug: notice.slug,
        version: notice.version,
        opensAt: notice.opensAt,
        effectiveAt: notice.effectiveAt,
        enqueuedAt: notice.enqueuedAt ?? null,
        doneAt: notice.doneAt ?? null,
        recipients: notice.recipients ?? 0,
        shortNoticeReason: notice.shortNoticeReason ?? null,
        counts: { ...counts, retrying },
        failures,
      };
    },

    async pause(documentId: string, user: AdminUser | null) {
      const notice = await noticeByVersion(documentId);
      const { count } = await strapi.db.query(NOTICE_UID).updateMany({ where: { id: notice.id, status: { $in: ['pending', 'sending'] } }, data: { status: 'paused' } });
      if (!count) throw new errors.ApplicationError(`the notice is ${notice.status}: only a pending or sending notice can be paused`);
      await audit().record(user, 'notice.pause', `${notice.slug} v${notice.version}`, { documentId });
      return service.progress(documentId);
    },

    async resume(documentId: string, user: AdminUser | null) {
      const notice = await noticeByVersion(documentId);
      const row = await strapi.db.query(NOTICE_UID).findOne({ where: { id: notice.id } });
      const { count } = await strapi.db.query(NOTICE_UID).updateMany({
        where: { id: notice.id, status: 'paused' },
        data: { status: row.enqueuedAt ? 'sending' : 'pending' },
      });
      if (!count) throw new errors.ApplicationError(`the notice is ${notice.status}: only a paused notice can be resumed`);
      await audit().record(user, 'notice.resume', `${notice.slug} v${notice.version}`, { documentId });
      service.kick();
      return service.progress(documentId);
    },

    /** The notices sent to these keyed pseudonyms (the evidence file of a person). */
    async deliveriesTo(subjectRefs: string[]) {
      if (!subjectRefs.length) return [];
      const rows = await knex()(DELIVERIES)
        .join(NOTICES, `${NOTICES}.id`, `${DELIVERIES}.notice_id`)
        .select(
          `${NOTICES}.slug as slug`,
          `${NOTICES}.version as version`,
          `${NOTICES}.effective_at as effectiveAt`,
          `${DELIVERIES}.recipient_kind as recipientKind`,
          `${DELIVERIES}.subject_ref as subjectRef`,
          `${DELIVERIES}.status as status`,
          `${DELIVERIES}.sent_at as sentAt`,
          `${DELIVERIES}.message_id as messageId`,
          `${DELIVERIES}.message_hash as sha256`,
          `${DELIVERIES}.attempts as attempts`,
          `${DELIVERIES}.last_error as lastError`
        )
        .whereIn(`${DELIVERIES}.subject_ref`, subjectRefs)
        .orderBy(`${DELIVERIES}.id`)
        .limit(1000);
      return rows.map((r: any) => ({ ...r, version: Number(r.version), attempts: Number(r.attempts ?? 0) }));
    },
  };
  return service;
};
