import secret from './secret';
import settings from './settings';
import audit from './audit';

export default { secret, settings, audit };
