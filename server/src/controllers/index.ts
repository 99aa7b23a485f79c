import settings from './settings';
import audit from './audit';

export default { settings, audit };
