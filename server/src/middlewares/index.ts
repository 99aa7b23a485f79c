import currentPolicy from './current-policy';
import bodyGuard from './body-guard';
import rateLimit from './rate-limit';
import consentFastPath from './consent-fast-path';

export default { 'current-policy': currentPolicy, 'body-guard': bodyGuard, 'rate-limit': rateLimit, 'consent-fast-path': consentFastPath };
