import { bootStrapi } from '../helpers/strapi';
import type { TestDatabase } from '../helpers/database';

// A wrong plugin configuration must stop Strapi with a message that names the key.
describe('plugin configuration is validated at boot', () => {
  const bootWith = (config: unknown, env: Record<string, string> = {}, database?: TestDatabase) =>
    bootStrapi({ PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify(config), ...env }, database ? { database } : {});

  it('refuses a wrong type and names the key', async () => {
    await expect(bootWith({ cacheTtlSeconds: 'soon' })).rejects.toThrow(/cacheTtlSeconds must be a `number`/);
  });

  it('refuses an unknown key and names it', async () => {
    await expect(bootWith({ cacheTTL: 5 })).rejects.toThrow(/unknown key: cacheTTL/);
  });

  it('refuses a nested wrong value', async () => {
    await expect(bootWith({ ipTruncation: { ipv4PrefixLength: 40, ipv6PrefixLength: 48 } })).rejects.toThrow(
      /ipTruncation.ipv4PrefixLength must be less than or equal to 24/
    );
  });

  it('requires a secret in production', async () => {
    await expect(bootWith({ secret: null }, { NODE_ENV: 'production' })).rejects.toThrow(
      /secret is required in production/
    );
  });

  it('boots in development without a secret, with a generated one kept across restarts', async () => {
    const app = await bootWith({ secret: null });
    const kids = (booted: typeof app) => booted.strapi.plugin('privacy-centre').service('keys').jwks().keys.map((key: { kid: string }) => key.kid);
    let again: typeof app | undefined;
    try {
      const stored = await app.strapi.store({ type: 'plugin', name: 'privacy-centre' }).get({ key: 'development-secret' });
      expect(stored).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      const first = kids(app);
      expect(first).toHaveLength(1);
      // The same keyring after a restart: opened with the kept secret, no rotation.
      await app.close({ keepDatabase: true });
      again = await bootWith({ secret: null }, {}, app.database);
      expect(kids(again)).toEqual(first);
    } finally {
      await (again ?? app).close();
    }
  });
});
