import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

export const POLICY_UID = 'plugin::privacy-centre.policy-version';

/** Fields only the publication service sets; nobody may write them through documents(). */
const PUBLICATION_FIELDS = ['version', 'hash', 'releasedAt', 'releasedBy', 'lifecycle'] as const;

export const frozenMessage = (row: { slug?: string; version?: number | null }) =>
  `Policy version ${row.slug ?? ''} v${row.version ?? '?'} is published and frozen: ` +
  'it is the legal record of what visitors were shown. Create a new draft instead.';

/**
 * A document-service middleware: every caller of strapi.documents() (the Content Manager,
 * other plugins, our own admin API) goes through it, so a published policy version cannot
 * be changed or deleted by any of them. The publication service itself writes through the
 * query engine, below this guard.
 */
export function registerPolicyGuard(strapi: Core.Strapi) {
  strapi.documents.use(async (context, next) => {
    if (context.uid !== POLICY_UID) return next();
    const params = (context.params ?? {}) as { documentId?: string; data?: Record<string, unknown> };

    if (['create', 'update', 'clone'].includes(context.action) && params.data) {
      // The Content Manager sends every field back, the empty publication fields of a draft too.
      const forbidden = PUBLICATION_FIELDS.filter((field) => {
        const value = params.data![field];
        return value !== undefined && value !== null && !(field === 'lifecycle' && value === 'draft');
      });
      if (forbidden.length) {
        throw new errors.ValidationError(
          `${forbidden.join(', ')} can only be set by publishing a policy version`
        );
      }
    }

    if (['update', 'delete', 'publish', 'unpublish', 'discardDraft'].includes(context.action)) {
      if (params.documentId) {
        const frozen = await strapi.db.query(POLICY_UID).findOne({
          select: ['slug', 'version', 'lifecycle'],
          where: { documentId: params.documentId, lifecycle: { $ne: 'draft' } },
        });
        if (frozen) throw new errors.ApplicationError(frozenMessage(frozen));
      }
    }
    return next();
  });
}
