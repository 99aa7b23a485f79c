import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { isUniqueViolation, retryOnDeadlock } from '../db/errors';
import { sealing } from '../guards/frozen-records';
import { POLICY_UID } from '../guards/policy-version';
import { INSTANT_RULE, isCleanText, parseInstant } from '../policy/patterns';
import { sealHash } from '../policy/seal';
import { localeContentSchema, problemsOf } from '../policy/validation';
import { describeActor, type AdminUser } from './audit';
import { iso, signVersion, type Row } from './policy-versions';

/** Allowance for clock skew between the editor's browser and the server. */
const SKEW_MS = 60_000;
const DAY_MS = 24 * 3600 * 1000;
/** The longest reason for short notice kept in the audit trail. */
export const NOTICE_REASON_MAX = 1000;

/** The publish body's `noticeReason`: absent, or clean text of 1 to NOTICE_REASON_MAX characters. */
const noticeReasonOf = (input: { noticeReason?: unknown } | undefined): string | null => {
  const value = input?.noticeReason;
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !isCleanText(value) || !value.trim() || value.trim().length > NOTICE_REASON_MAX) {
    throw new errors.ValidationError(`noticeReason must be text of 1 to ${NOTICE_REASON_MAX} characters, without NUL characters or broken surrogates`);
  }
  return value.trim();
};

/**
 * Publication and withdrawal: the one path that writes a version's seal. Each runs in one
 * transaction, inside the frozen-record guard's sealing context, with the audit event in the
 * same transaction: a publication that is not audited does not happen.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const query = () => strapi.db.query(POLICY_UID);
  const audit = () => strapi.plugin('privacy-centre').service('audit');
  const generations = () => strapi.plugin('privacy-centre').service('generations');
  const versions = () => strapi.plugin('privacy-centre').service('policy-versions');
  const locales = () => strapi.plugin('privacy-centre').service('locales');
  const settings = () => strapi.plugin('privacy-centre').service('settings');
  const keys = () => strapi.plugin('privacy-centre').service('keys');
  const notices = () => strapi.plugin('privacy-centre').service('notices');

  /**
   * The rows of a version, locked until the transaction ends (PostgreSQL and MySQL; SQLite runs
   * one write transaction at a time anyway), so a draft save cannot land between reading the
   * content and sealing it: it waits, and then finds the version frozen.
   */
  const lockedRows = async (documentId: string): Promise<Row[]> => {
    const select = strapi.db.queryBuilder(POLICY_UID).select('*').where({ documentId }).orderBy('locale');
    if (strapi.db.dialect.client !== 'sqlite') select.forUpdate();
    const rows = (await select.execute()) as Row[];
    if (!rows.length) throw new errors.NotFoundError(`No policy version with documentId ${documentId}`);
    return rows;
  };

  const effectiveAtOf = (input: { effectiveAt?: unknown } | undefined, now: Date): Date => {
    if (input?.effectiveAt === undefined || input?.effectiveAt === null) return now;
    const parsed = parseInstant(input.effectiveAt);
    if (!parsed) throw new errors.ValidationError(`effectiveAt ${INSTANT_RULE}`);
    if (parsed.getTime() < now.getTime() - SKEW_MS) {
      throw new errors.ValidationError('effectiveAt is in the past: publish now, or choose a future date');
    }
    return parsed.getTime() < now.getTime() ? now : parsed;
  };

  return {
    /**
     * Publishes a draft now, or schedules it for a future `effectiveAt`: assigns the next
     * version number, seals all locales and the controller identity with the hash, and freezes
     * the version for good.
     */
    async publish(documentId: string, input: { effectiveAt?: unknown; noticeReason?: unknown } = {}, user?: AdminUser | null) {
      const now = new Date();
      const effectiveAt = effectiveAtOf(input, now);
      const noticeReason = noticeReasonOf(input);
      const { defaultLocale } = await locales().get();
      const { controller, notice } = await settings().get();

      const published = await retryOnDeadlock(() =>
        strapi.db.transaction(() =>
          sealing(async () => {
            const rows = await lockedRows(documentId);
            const first = rows[0];
            if (first.lifecycle !== 'draft') {
              throw new errors.ApplicationError(`${first.slug} v${first.version} is already ${first.lifecycle}`);
            }
            for (const row of rows) {
              const problems = problemsOf(localeContentSchema, { title: row.title, summary: row.summary ?? '', sections: row.sections ?? [] });
              if (problems.length) throw new errors.ValidationError(`the ${row.locale} translation is invalid: ${problems.join('; ')}`);
              if (!row.sections?.length) throw new errors.ValidationError(`the ${row.locale} translation has no sections`);
            }
            if (!rows.some((r) => r.locale === defaultLocale)) {
              throw new errors.ValidationError(`the default locale (${defaultLocale}) is missing: it is the fallback for every other locale`);
            }
            const { slug } = first;
            // A material change is announced `notice.days` ahead; with less, the editor says why.
            // The first version of a policy changes nothing anyone was told: nothing to announce.
            const earlier = await query().findOne({ select: ['id'], where: { slug, lifecycle: 'published' } });
            const material = Boolean(first.materialChange) && Boolean(earlier);
            const shortNotice = material && effectiveAt.getTime() - now.getTime() < notice.days * DAY_MS;
            if (shortNotice && !noticeReason) {
              throw new errors.ValidationError(
                `noticeReason is required: this material change takes effect in less than the ${notice.days} days of notice people are given; say why`,
                { field: 'noticeReason', noticeDays: notice.days }
              );
            }
            // Versions take effect in order: a new one may not take effect before an earlier one.
            const later = await query().findOne({
              select: ['version', 'effectiveAt'],
              where: { slug, lifecycle: 'published', effectiveAt: { $gt: effectiveAt.toISOString() } },
              orderBy: [{ effectiveAt: 'desc' }],
            });
            if (later) {
              throw new errors.ValidationError(
                `v${later.version} of ${slug} takes effect at ${iso(later.effectiveAt)}: a newer version must take effect after it`
              );
            }
            const last = await query().findOne({
              select: ['version'],
              where: { slug, version: { $notNull: true } },
              orderBy: [{ version: 'desc' }],
            });
            const version = (last?.version ?? 0) + 1;
            const releasedAt = now;
            const hash = sealHash({
              slug,
              version,
              effectiveAt: effectiveAt.toISOString(),
              publishedAt: releasedAt.toISOString(),
              materialChange: Boolean(first.materialChange),
              controller,
              locales: Object.fromEntries(rows.map((r) => [r.locale, r])),
            });
            const { count } = await query().updateMany({
              where: { documentId, lifecycle: 'draft' },
              data: {
                version,
                hash,
                signature: signVersion(keys().sign, hash, 'published'),
                lifecycle: 'published',
                effectiveAt: effectiveAt.toISOString(),
                releasedAt: releasedAt.toISOString(),
                releasedBy: describeActor(user),
                controller,
                draftKey: null,
              },
            });
            // The rows are locked: anything else means they changed under us. Roll back.
            if (count !== rows.length) throw new errors.ApplicationError(`${slug}: this draft changed while it was being published: publish again`);
            const scheduled = effectiveAt.getTime() > now.getTime();
            await audit().record(user, scheduled ? 'policy.schedule' : 'policy.publish', `${slug} v${version}`, {
              documentId,
              hash,
              effectiveAt: effectiveAt.toISOString(),
              ...(material ? { noticeDays: notice.days, shortNotice } : {}),
              ...(noticeReason ? { noticeReason } : {}),
            });
            if (material) {
              await notices().create({ slug, version, documentId, effectiveAt, days: notice.days, reason: shortNotice ? noticeReason : null });
            }
            return { slug, material };
          })
        )
      ).catch((error: unknown) => {
          // The unique (slug, version, locale) index refused a number another publication took.
          if (isUniqueViolation(error)) {
            throw new errors.ApplicationError('another version of this policy was published at the same moment: publish again');
          }
          throw error;
        });

      // After the commit: every instance drops its answers of this policy (services/generations).
      await generations().bump(`policy:${published.slug}`);
      await strapi.plugin('privacy-centre').service('frozen-marks').observe();
      // A notice whose window is already open goes out now, not at the next tick of the cron.
      if (published.material) notices().kick();
      return versions().getVersion(documentId);
    },

    /** Withdraws a scheduled version before it takes effect; it stays on record as withdrawn. */
    async withdraw(documentId: string, user?: AdminUser | null) {
      const result = await retryOnDeadlock(() => strapi.db.transaction(() =>
        sealing(async () => {
          const rows = await lockedRows(documentId);
          const first = rows[0];
          const now = new Date();
          const scheduled = first.lifecycle === 'published' && first.effectiveAt && new Date(first.effectiveAt).getTime() > now.getTime();
          if (!scheduled) {
            throw new errors.ApplicationError(
              first.lifecycle === 'published'
                ? `${first.slug} v${first.version} has taken effect: it can no longer be withdrawn, publish a new version instead`
                : `only a scheduled version can be withdrawn (this one is ${first.lifecycle})`
            );
          }
          const { count } = await query().updateMany({
            where: { documentId, lifecycle: 'published', effectiveAt: { $gt: now.toISOString() } },
            data: { lifecycle: 'withdrawn', signature: signVersion(keys().sign, first.hash!, 'withdrawn') },
          });
          if (count !== rows.length) throw new errors.ApplicationError(`${first.slug} v${first.version} took effect just now: it can no longer be withdrawn`);
          await audit().record(user, 'policy.withdraw', `${first.slug} v${first.version}`, { documentId });
          // Nobody is told of a change that will not happen (what went out already stays on record).
          await notices().cancel(first.slug, first.version!);
          return first;
        })
      ));
      await generations().bump(`policy:${result.slug}`);
      return versions().getVersion(documentId);
    },
  };
};
