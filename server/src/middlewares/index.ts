import currentPolicy from './current-policy';

export default { 'current-policy': currentPolicy };
