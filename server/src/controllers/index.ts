import settings from './settings';
import audit from './audit';
import policies from './policies';
import publicPolicies from './public-policies';

export default { settings, audit, policies, 'public-policies': publicPolicies };
