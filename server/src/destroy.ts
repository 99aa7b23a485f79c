import type { Core } from '@strapi/strapi';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  strapi.plugin('privacy-centre').service('policy-cache')?.clear?.();
};
