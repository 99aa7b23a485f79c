import { defaultConfig, validateConfig } from '../../server/src/config';

const withRateLimit = (rateLimit: Record<string, unknown>) => ({ ...defaultConfig, rateLimit: { ...defaultConfig.rateLimit, ...rateLimit } });

describe('rateLimit.store and rateLimit.redis in the config', () => {
  it("accept 'memory' (the default), 'database', and 'redis' with a URL or ioredis options", () => {
    expect(defaultConfig.rateLimit.store).toBe('memory');
    expect(() => validateConfig(defaultConfig)).not.toThrow();
    expect(() => validateConfig(withRateLimit({ store: 'database' }))).not.toThrow();
    expect(() => validateConfig(withRateLimit({ store: 'redis', redis: 'redis://cache.internal:6379/2' }))).not.toThrow();
    expect(() => validateConfig(withRateLimit({ store: 'redis', redis: { host: 'cache.internal', port: 6380, password: 'x' } }))).not.toThrow();
  });

  it('refuse anything else, naming the key', () => {
    expect(() => validateConfig(withRateLimit({ store: 'postgres' }))).toThrow(/rateLimit\.store must be one of memory, database, redis/);
    expect(() => validateConfig(withRateLimit({ store: 'redis', redis: 'cache.internal:6379' }))).toThrow(/rateLimit\.redis must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(() => validateConfig(withRateLimit({ store: 'redis', redis: [6379] }))).toThrow(/rateLimit\.redis must be/);
    expect(() => validateConfig(withRateLimit({ stores: 'redis' }))).toThrow(/unknown key: stores/);
    // Never a guessed localhost:6379, which may be another app's Redis.
    expect(() => validateConfig(withRateLimit({ store: 'redis' }))).toThrow(/rateLimit\.redis must be set when rateLimit\.store is 'redis'/);
  });
});
