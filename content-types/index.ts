import policyVersion from './policy-version/schema';
import cookieCategory from './cookie-category/schema';
import cookieDefinition from './cookie-definition/schema';
import cookieDeclaration from './cookie-declaration/schema';
import consentRecord from './consent-record/schema';
import newsletterSubscription from './newsletter-subscription/schema';
import auditEvent from './audit-event/schema';
import consentRollup from './consent-rollup/schema';
import jobClaim from './job-claim/schema';
import generation from './generation/schema';
import dataSubjectRequest from './data-subject-request/schema';
import cookieObservation from './cookie-observation/schema';
import cookieIgnoreRule from './cookie-ignore-rule/schema';
import subjectLink from './subject-link/schema';
import notice from './notice/schema';
import noticeDelivery from './notice-delivery/schema';

/** Every content type of the plugin, keyed by its singular name (the uid's last part). */
export const schemas = {
  'policy-version': policyVersion,
  'cookie-category': cookieCategory,
  'cookie-definition': cookieDefinition,
  'cookie-declaration': cookieDeclaration,
  'consent-record': consentRecord,
  'newsletter-subscription': newsletterSubscription,
  'audit-event': auditEvent,
  'consent-rollup': consentRollup,
  'job-claim': jobClaim,
  generation,
  'data-subject-request': dataSubjectRequest,
  'cookie-observation': cookieObservation,
  'cookie-ignore-rule': cookieIgnoreRule,
  'subject-link': subjectLink,
  notice,
  'notice-delivery': noticeDelivery,
};

export type ContentTypeName = keyof typeof schemas;
export const uid = (name: ContentTypeName) => `plugin::privacy-centre.${name}` as const;
export { PLUGIN_ID } from './shared';
