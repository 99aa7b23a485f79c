import currentPolicy from './current-policy';
import bodyGuard from './body-guard';
import rateLimit from './rate-limit';

export default { 'current-policy': currentPolicy, 'body-guard': bodyGuard, 'rate-limit': rateLimit };
