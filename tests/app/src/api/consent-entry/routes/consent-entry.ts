import { factories } from '@strapi/strapi';

export default factories.createCoreRouter('api::consent-entry.consent-entry');
