import type { Core } from '@strapi/strapi';

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

export default ({ strapi }: { strapi: Core.Strapi }) => ({
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
        target,
        details,
        occurredAt: new Date(),
      },
    });
  },

  async list({ page = 1, pageSize = 50 }: { page?: number; pageSize?: number } = {}) {
    const limit = Math.min(Math.max(pageSize, 1), 200);
    const offset = (Math.max(page, 1) - 1) * limit;
    const [results, total] = await Promise.all([
      strapi.db.query(AUDIT_UID).findMany({ orderBy: { occurredAt: 'desc' }, limit, offset }),
      strapi.db.query(AUDIT_UID).count(),
    ]);
    return { results, pagination: { page: Math.max(page, 1), pageSize: limit, total } };
  },
});
