import type { Core } from '@strapi/strapi';
import type { PrivacyCentreConfig } from './config';
import { ensureFrozenRows } from './db/frozen-rows';
import { DRAFT_LOCK_KEY, policyVersionRows, protectLocalesInUse } from './guards/policy-version';
import { cookieDeclarationRows } from './guards/cookie-declaration';
import { consentRecordRows } from './guards/consent-record';
import { actions } from './permissions/actions';
import { answerClientErrors } from './middlewares/client-errors';
import { grantSiteUserPermissions } from './permissions/site-users';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  await strapi.service('admin::permission').actionProvider.registerMany(actions);
  await strapi.plugin('privacy-centre').service('keys').ensure();
  // The rate limits' store (rateLimit.store): its table, or its Redis connection.
  await strapi.plugin('privacy-centre').service('rate-limits').init();
  // From here on, a change made on another instance reaches this one within a second.
  await strapi.plugin('privacy-centre').service('generations').start();
  protectLocalesInUse(strapi);
  answerClientErrors(strapi);
  const store = strapi.store({ type: 'plugin', name: 'privacy-centre' });
  // The row every draft creation locks first (one draft per policy; see guards/policy-version).
  if ((await store.get({ key: DRAFT_LOCK_KEY })) === null) await store.set({ key: DRAFT_LOCK_KEY, value: true });
  const { allowRestore, retention } = strapi.config.get('plugin::privacy-centre') as PrivacyCentreConfig;
  const plugin = strapi.plugin('privacy-centre');
  await plugin.service('policy-versions').renewSignatures();
  await plugin.service('cookie-declarations').renewSignatures();
  await ensureFrozenRows(strapi, policyVersionRows, { allowDelete: allowRestore });
  await ensureFrozenRows(strapi, cookieDeclarationRows, { allowDelete: allowRestore });
  // Consent records are deleted only by the retention purge (and a deliberate restore).
  await ensureFrozenRows(strapi, consentRecordRows(retention.consentRecordDays), { allowDelete: allowRestore });
  // A restore may bring back less than the marks say was there: it is deliberate, so start again.
  await plugin.service('frozen-marks').check({ reset: allowRestore });
  await plugin.service('cookies').ensureDefaultCategories();
  await grantSiteUserPermissions(strapi);
  plugin.service('acceptances').watchUserDeletion();
  plugin.service('retention').schedule();
  plugin.service('notices').schedule();
  if (allowRestore) {
    strapi.log.warn(
      '[privacy-centre] allowRestore is on: `strapi import` and `strapi transfer` may delete and re-create published ' +
        'policy versions. Turn it off once the restore is done.'
    );
  }
};
