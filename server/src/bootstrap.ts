import type { Core } from '@strapi/strapi';
import { actions } from './permissions/actions';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  await strapi.service('admin::permission').actionProvider.registerMany(actions);
  await strapi.plugin('privacy-centre').service('secret').ensure();
};
