import settings from './settings';
import audit from './audit';
import policies from './policies';
import publicPolicies from './public-policies';
import cookies from './cookies';
import consents from './consents';
import publicConsents from './public-consents';
import newsletter from './newsletter';
import publicNewsletter from './public-newsletter';
import subjects from './subjects';
import publicRequests from './public-requests';
import publicKeys from './public-keys';
import publicContract from './public-contract';
import publicDiscovery from './public-discovery';
import publicC15t from './public-c15t';
import regions from './regions';
import publicDoNotSell from './public-do-not-sell';
import publicAcceptances from './public-acceptances';
import acceptances from './acceptances';

export default {
  settings,
  audit,
  policies,
  'public-policies': publicPolicies,
  cookies,
  consents,
  'public-consents': publicConsents,
  newsletter,
  'public-newsletter': publicNewsletter,
  subjects,
  'public-requests': publicRequests,
  'public-keys': publicKeys,
  'public-contract': publicContract,
  'public-discovery': publicDiscovery,
  'public-c15t': publicC15t,
  regions,
  'public-do-not-sell': publicDoNotSell,
  'public-acceptances': publicAcceptances,
  acceptances,
};
