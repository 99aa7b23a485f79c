import type { Core } from '@strapi/strapi';
import * as yup from 'yup';
import { errors } from '@strapi/utils';
import type { PrivacyCentreConfig } from '../config';

/**
 * The editable part of the settings, kept in Strapi's store; config/plugins.ts gives the
 * defaults. Only what an administrator may change at run time lives here.
 */
export interface EditableSettings {
  controller: PrivacyCentreConfig['controller'];
}

const editableSchema = yup
  .object({
    controller: yup
      .object({
        name: yup.string().strict().max(200).required(),
        address: yup.string().strict().max(500).defined(),
        email: yup.string().strict().email().max(254).defined(),
        url: yup.string().strict().max(2048).defined(),
      })
      .noUnknown(true, 'controller has an unknown key: ${unknown}')
      .required(),
  })
  .noUnknown(true, 'unknown setting: ${unknown}')
  .strict();

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const store = () => strapi.store({ type: 'plugin', name: 'privacy-centre' });
  const config = () => strapi.config.get('plugin::privacy-centre') as PrivacyCentreConfig;

  return {
    async get(): Promise<EditableSettings> {
      const saved = ((await store().get({ key: 'settings' })) ?? {}) as Partial<EditableSettings>;
      return { controller: { ...config().controller, ...(saved.controller ?? {}) } };
    },

    async update(input: unknown): Promise<EditableSettings> {
      try {
        editableSchema.validateSync(input, { abortEarly: false });
      } catch (error) {
        if (error instanceof yup.ValidationError) {
          throw new errors.ValidationError(error.errors.join('; '));
        }
        throw error;
      }
      await store().set({ key: 'settings', value: input });
      await strapi.plugin('privacy-centre').service('policy-cache')?.clear?.();
      return this.get();
    },

    /** Read-only configuration shown on the settings page; the secret is never returned. */
    describeConfig() {
      const { secret, previousSecrets, ...rest } = config();
      return { ...rest, secretConfigured: Boolean(secret), previousSecrets: previousSecrets.length };
    },
  };
};
