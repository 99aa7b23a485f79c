import { hiddenEverywhere } from '../shared';

/**
 * One counter per topic of shared state (`policy:<slug>`, `declaration`, `settings`, `keys`):
 * the instance that changes it bumps the counter after its commit, and every instance reads
 * this small table about twice a second (and at once on a PostgreSQL NOTIFY), dropping what it
 * keeps in memory about each topic whose counter or `updatedAt` moved (services/generations.ts).
 * Only the difference matters, never the value: a row brought back by `strapi import` counts as
 * a change even when its counter happens to match.
 */
export const generationSchema = {
  kind: 'collectionType',
  collectionName: 'privacy_centre_generations',
  info: {
    singularName: 'generation',
    pluralName: 'generations',
    displayName: 'Generation',
    description: 'Which shared state changed, for the other instances.',
  },
  options: { draftAndPublish: false },
  pluginOptions: { ...hiddenEverywhere },
  attributes: {
    topic: { type: 'string', required: true, maxLength: 160 },
    generation: { type: 'integer', required: true, default: 0 },
  },
  indexes: [{ name: 'privacy_centre_generations_topic', columns: ['topic'], type: 'unique' }],
} as const;

export default generationSchema;
