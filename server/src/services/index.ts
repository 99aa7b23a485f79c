import secret from './secret';
import settings from './settings';
import audit from './audit';
import policies from './policies';
import policyCache from './policy-cache';
import policyPublic from './policy-public';

export default {
  secret,
  settings,
  audit,
  policies,
  'policy-cache': policyCache,
  'policy-public': policyPublic,
};
