import type { Core } from '@strapi/strapi';
import { registerPolicyGuard } from './middlewares/policy-guard';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  // Registered in register so that it guards every caller of strapi.documents(),
  // the Content Manager included, from the first request on.
  registerPolicyGuard(strapi);
};
