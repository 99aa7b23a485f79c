import type { Core } from '@strapi/strapi';
import { normaliseEmail, replaceAddresses } from '../newsletter/email';

export interface AdminUser {
  id: number;
  firstname?: string | null;
  lastname?: string | null;
  email?: string;
}

const AUDIT_UID = 'plugin::privacy-centre.audit-event';

/** Describes an admin as text, so the trail stays readable after the user is deleted. */
export const describeActor = (user?: AdminUser | null) => {
  if (!user) return 'system';
  const name = [user.firstname, user.lastname].filter(Boolean).join(' ');
  const described = `${name || 'admin'} <${user.email ?? 'unknown'}> (#${user.id})`;
  // Stored in varchar(255) columns (audit actor, a version's releasedBy).
  return described.length > 255 ? `${described.slice(0, 254)}…` : described;
};

/**
 * How the audit trail names a person's address: by the first 16 hex digits of its keyed hash,
 * bracketed, so one never matches a longer one. Searches and erasures look for exactly this.
 */
export const addressRef = (hash: string) => `[email#${hash.slice(0, 16)}]`;

/**
 * `value` with every address in its strings (and keys) replaced by its `addressRef` (of the
 * address folded to lower case, its mailbox: however an administrator typed it, a search for the
 * person finds it), and every
 * other piece holding an @ (a fragment such as `victim@`) by `[address]`: what an administrator
 * typed (a search, an export filter, a setting) never reaches the trail in clear.
 */
export function redactAddresses(value: unknown, hashOf: (email: string) => string): unknown {
  if (typeof value === 'string') {
    if (!value.includes('@')) return value;
    return replaceAddresses(value, (piece) => {
      const email = normaliseEmail(piece);
      return email ? addressRef(hashOf(email)) : '[address]';
    });
  }
  if (Array.isArray(value)) return value.map((item) => redactAddresses(item, hashOf));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [redactAddresses(key, hashOf) as string, redactAddresses(item, hashOf)])
    );
  }
  return value;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const hashOf = (email: string): string => strapi.plugin('privacy-centre').service('newsletter').addressHashes(email.toLowerCase())[0];
  return {
    async record(
      user: AdminUser | null | undefined,
      action: string,
      target: string,
      details: Record<string, unknown> = {}
    ) {
      return strapi.db.query(AUDIT_UID).create({
        data: {
          actor: describeActor(user),
          actorId: user?.id ?? null,
          action,
          target: redactAddresses(target, hashOf),
          details: redactAddresses(details, hashOf),
          occurredAt: new Date(),
        },
      });
    },

    /** The trail's address redaction, for rows written before it (an erasure rewrites them). */
    redact: (details: unknown) => redactAddresses(details, hashOf),

    async list({ page = 1, pageSize = 50 }: { page?: number; pageSize?: number } = {}) {
      const limit = Math.min(Math.max(pageSize, 1), 200);
      const offset = (Math.max(page, 1) - 1) * limit;
      const [results, total] = await Promise.all([
        strapi.db.query(AUDIT_UID).findMany({ orderBy: { occurredAt: 'desc' }, limit, offset }),
        strapi.db.query(AUDIT_UID).count(),
      ]);
      return { results, pagination: { page: Math.max(page, 1), pageSize: limit, total } };
    },
  };
};
