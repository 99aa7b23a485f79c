import type { Core } from '@strapi/strapi';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  // The notice outbox stops after the message it is sending (the rest is resumed at the next start).
  await strapi.plugin('privacy-centre').service('notices')?.stop?.();
  // Before Strapi closes the database: every consent waiting in the queue is written first.
  await strapi.plugin('privacy-centre').service('newsletter')?.drain?.();
  await strapi.plugin('privacy-centre').service('subject-requests')?.drain?.();
  await strapi.plugin('privacy-centre').service('consent-writer')?.close?.();
  // Cookie discovery's counters waiting in memory.
  await strapi.plugin('privacy-centre').service('discovery')?.close?.();
  strapi.plugin('privacy-centre').service('answer-cache')?.clear?.();
  await strapi.plugin('privacy-centre').service('rate-limits')?.close?.();
  await strapi.plugin('privacy-centre').service('generations')?.stop?.();
};
