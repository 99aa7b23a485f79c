import { factories } from '@strapi/strapi';

export default factories.createCoreController('api::consent-entry.consent-entry');
