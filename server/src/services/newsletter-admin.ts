import { Readable } from 'node:stream';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { stringify } from 'csv-stringify';
import type { PrivacyCentreConfig } from '../config';
import { CSV_CAST } from '../export/csv';
import { parseInstant } from '../policy/patterns';
import { CONSENT_UID } from '../guards/consent-record';
import type { AdminUser } from './audit';
import { SUBSCRIPTION_UID } from './newsletter';
import { withholdTokenSignatures } from '../newsletter/tokens';

type Row = Record<string, any>;
const STATUSES = ['pending', 'subscribed', 'unsubscribed'];
const DAY = 24 * 3600 * 1000;

/** A subscription as the admin shows it. */
export const toView = (row: Row) => ({
  documentId: row.documentId,
  email: row.email ?? null,
  list: row.list,
  status: row.status,
  language: row.language ?? null,
  source: row.source ?? null,
  subjectId: row.subjectId ?? null,
  requestedAt: row.requestedAt ?? null,
  confirmedAt: row.confirmedAt ?? null,
  unsubscribedAt: row.unsubscribedAt ?? null,
  unsubscribeReason: row.unsubscribeReason ?? null,
  pseudonymisedAt: row.pseudonymisedAt ?? null,
});

/** An event's evidence as the admin shows it: the message text without working link tokens. */
export const adminEvidence = (evidence: Row | null | undefined) => {
  if (!evidence?.message || typeof evidence.message.text !== 'string') return evidence ?? {};
  return { ...evidence, message: { ...evidence.message, text: withholdTokenSignatures(evidence.message.text), tokensWithheld: true } };
};

/** The admin's Newsletter page: subscribers, their history with its evidence, export, trend. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get('plugin::privacy-centre') as PrivacyCentreConfig;
  const query = () => strapi.db.query(SUBSCRIPTION_UID);
  const newsletter = () => strapi.plugin('privacy-centre').service('newsletter');

  const filters = (input: Record<string, unknown>) => {
    const where: Record<string, unknown>[] = [];
    const problems: string[] = [];
    if (input.list !== undefined) {
      if (!config().newsletter.lists.includes(input.list as string)) problems.push(`list must be one of ${config().newsletter.lists.join(', ')}`);
      else where.push({ list: input.list });
    }
    if (input.status !== undefined) {
      if (!STATUSES.includes(input.status as string)) problems.push('status must be pending, subscribed or unsubscribed');
      else where.push({ status: input.status });
    }
    if (input.q !== undefined) {
      if (typeof input.q !== 'string' || input.q.length > 254) problems.push('q must be at most 254 characters');
      else if (input.q.trim()) where.push({ email: { $containsi: input.q.trim() } });
    }
    if (problems.length) throw new errors.ValidationError(problems.join('; '));
    return where.length ? { $and: where } : {};
  };

  return {
    async list(input: Record<string, unknown>) {
      const where = filters(input);
      const page = Math.max(1, Number(input.page) || 1);
      const pageSize = Math.min(100, Math.max(1, Number(input.pageSize) || 25));
      const [rows, total] = await Promise.all([
        query().findMany({ where, orderBy: [{ id: 'desc' }], limit: pageSize, offset: (page - 1) * pageSize }),
        query().count({ where }),
      ]);
      const counts: Record<string, Record<string, number>> = {};
      for (const list of config().newsletter.lists) {
        counts[list] = {};
        for (const status of STATUSES) counts[list][status] = await query().count({ where: { list, status } });
      }
      return { data: rows.map(toView), meta: { pagination: { page, pageSize, total }, counts, lists: config().newsletter.lists } };
    },

    /** A subscription with every consent event of its address, oldest first, evidence included. */
    async detail(documentId: string) {
      const row = await query().findOne({ where: { documentId } });
      if (!row) throw new errors.NotFoundError('No such subscription');
      const events = await strapi.db.query(CONSENT_UID).findMany({
        where: { kind: 'newsletter', subjectRef: row.emailHash },
        orderBy: [{ givenAt: 'asc' }, { id: 'asc' }],
      });
      return {
        ...toView(row),
        events: events.map((e: Row) => ({
          consentId: e.consentId,
          action: e.action,
          givenAt: e.givenAt,
          list: e.evidence?.list ?? null,
          ipPrefix: e.ipPrefix ?? null,
          userAgent: e.userAgent ?? null,
          policy: e.policySlug ? { slug: e.policySlug, version: e.policyVersion, hash: e.policyHash } : null,
          via: e.via,
          evidence: adminEvidence(e.evidence),
        })),
      };
    },

    /** Unsubscribes from the admin (method "admin"), audited. */
    async unsubscribe(documentId: string, reason: unknown, user: AdminUser | null) {
      const row = await query().findOne({ where: { documentId } });
      if (!row) throw new errors.NotFoundError('No such subscription');
      await newsletter().unsubscribeWhere({ documentId }, { reason, method: 'admin' }, {}, user);
      return this.detail(documentId);
    },

    export(input: Record<string, unknown>, format: 'ndjson' | 'csv'): Readable {
      const where = filters(input);
      async function* pages() {
        let after = 0;
        for (;;) {
          const rows: Row[] = await strapi.db
            .query(SUBSCRIPTION_UID)
            .findMany({ where: { $and: [where, { id: { $gt: after } }] }, orderBy: [{ id: 'asc' }], limit: 1000 });
          if (!rows.length) return;
          for (const row of rows) yield toView(row);
          after = rows[rows.length - 1].id;
        }
      }
      if (format === 'ndjson') {
        return Readable.from((async function* () {
          for await (const view of pages()) yield `${JSON.stringify(view)}\n`;
        })());
      }
      const csv = stringify({ header: true, columns: Object.keys(toView({})), cast: CSV_CAST });
      const source = Readable.from(pages());
      source.on('error', (error) => csv.destroy(error));
      source.pipe(csv);
      return csv;
    },

    /** Sign-ups, confirmations and unsubscriptions per day and list, from the rollups. */
    async stats(input: { from?: unknown; to?: unknown }) {
      const to = input.to === undefined ? new Date() : parseInstant(input.to);
      const from = input.from === undefined ? new Date((to?.getTime() ?? Date.now()) - 29 * DAY) : parseInstant(input.from);
      if (!from || !to) throw new errors.ValidationError('from and to must be ISO 8601 instants with a time zone');
      const rows: Row[] = await strapi.db.query('plugin::privacy-centre.consent-rollup').findMany({
        where: { day: { $gte: from.toISOString().slice(0, 10), $lte: to.toISOString().slice(0, 10) }, metric: { $startsWith: 'newsletter:' } },
        orderBy: [{ day: 'asc' }],
      });
      const days = new Map<string, { day: string; lists: Record<string, { requested: number; subscribed: number; unsubscribed: number }> }>();
      for (const row of rows) {
        const [, kind, list] = String(row.metric).split(':');
        if (!days.has(row.day)) days.set(row.day, { day: row.day, lists: {} });
        const day = days.get(row.day)!;
        day.lists[list] ??= { requested: 0, subscribed: 0, unsubscribed: 0 };
        if (kind in day.lists[list]) (day.lists[list] as Record<string, number>)[kind] = row.count;
      }
      return { days: [...days.values()] };
    },
  };
};
