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

  it.each([
    [{ newsletter: { mailto: 'x@evil.example>,<https://evil.example/u' } }, /newsletter.mailto must be a bare e-mail address/],
    [{ newsletter: { mailto: 'Unsubscribe <x@example.com>' } }, /newsletter.mailto must be a bare e-mail address/],
    [{ controller: { name: 'X', address: '', email: 'dpo@example.com, other@example.com', url: '' } }, /controller.email must be empty or a bare e-mail address/],
    [{ retention: { subjectRequestDays: 0 } }, /retention.subjectRequestDays must be greater than or equal to 1/],
    [{ retention: { subjectRequestDays: '3 years' } }, /retention.subjectRequestDays must be a `number`/],
    [{ newsletter: { confirmationsPerDay: 0 } }, /newsletter.confirmationsPerDay must be greater than or equal to 1/],
  ])('refuses %j at boot, naming the key', async (config, message) => {
    await expect(bootWith(config)).rejects.toThrow(message);
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
