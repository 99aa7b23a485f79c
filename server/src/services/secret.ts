import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { PrivacyCentreConfig } from '../config';

/**
 * The signing secret for receipts and tokens. Production requires one in config (checked by
 * the config validator). In development one is generated once and kept in Strapi's store,
 * so that receipts and links keep verifying across restarts.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  let current: string | undefined;
  const store = () => strapi.store({ type: 'plugin', name: 'privacy-centre' });
  const config = () => strapi.config.get('plugin::privacy-centre') as PrivacyCentreConfig;

  return {
    async ensure(): Promise<void> {
      if (config().secret) {
        current = config().secret;
        return;
      }
      let stored = (await store().get({ key: 'development-secret' })) as string | null;
      if (!stored) {
        stored = randomBytes(32).toString('base64url');
        await store().set({ key: 'development-secret', value: stored });
      }
      current = stored;
      strapi.log.warn(
        '[privacy-centre] no `secret` configured: using a generated development secret kept in the store. ' +
          'Set one in config/plugins.ts (e.g. env("PRIVACY_CENTRE_SECRET")) before production.'
      );
    },

    /** The key that signs new receipts and tokens. */
    signingKey(): string {
      if (!current) throw new Error('privacy-centre: the secret is read before bootstrap');
      return current;
    },

    /** Every key a signature may have been made with (current first, then rotated ones). */
    verificationKeys(): string[] {
      return [this.signingKey(), ...config().previousSecrets];
    },
  };
};
