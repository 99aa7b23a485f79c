import keys from './keys';
import settings from './settings';
import audit from './audit';
import locales from './locales';
import policyVersions from './policy-versions';
import policyDrafts from './policy-drafts';
import policyPublication from './policy-publication';
import answerCache from './answer-cache';
import policyPublic from './policy-public';
import cookies from './cookies';
import cookieDeclarations from './cookie-declarations';
import consents from './consents';
import consentWriter from './consent-writer';
import retention from './retention';
import newsletter from './newsletter';
import newsletterMail from './newsletter-mail';
import newsletterAdmin from './newsletter-admin';
import subjects from './subjects';
import subjectRequests from './subject-requests';
import frozenMarks from './frozen-marks';
import discovery from './discovery';
import c15t from './c15t';
import regions from './regions';
import acceptances from './acceptances';
import notices from './notices';
import rateLimits from './rate-limits';
import generations from './generations';
import securityReplay from './security-replay';

export default {
  c15t,
  keys,
  settings,
  audit,
  locales,
  'policy-versions': policyVersions,
  'policy-drafts': policyDrafts,
  'policy-publication': policyPublication,
  'answer-cache': answerCache,
  'policy-public': policyPublic,
  cookies,
  'cookie-declarations': cookieDeclarations,
  consents,
  'consent-writer': consentWriter,
  retention,
  newsletter,
  'newsletter-mail': newsletterMail,
  'newsletter-admin': newsletterAdmin,
  subjects,
  'subject-requests': subjectRequests,
  'frozen-marks': frozenMarks,
  discovery,
  regions,
  acceptances,
  notices,
  'rate-limits': rateLimits,
  generations,
  'security-replay': securityReplay,
};
