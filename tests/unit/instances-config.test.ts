/**
 * The config keys of several instances (README "Running several instances"): checked at boot,
 * with a message naming the key.
 */
const { defaultConfig, validateConfig } = require('../../server/src/config');
const { defaultBatchMilliseconds } = require('../../server/src/services/consent-writer');

const withConfig = (patch: Record<string, Record<string, unknown>>) =>
  Object.fromEntries(Object.entries({ ...defaultConfig, ...patch }).map(([key, value]) => [key, patch[key] ? { ...(defaultConfig as any)[key], ...patch[key] } : value]));

describe('instances, retention.batchSize and cron.retentionRule', () => {
  it('accepts the defaults and sensible values', () => {
    expect(defaultConfig.instances).toEqual({ pollMilliseconds: 500, listen: true, jobLeaseSeconds: 60 });
    expect(() => validateConfig(defaultConfig)).not.toThrow();
    expect(() => validateConfig(withConfig({ instances: { pollMilliseconds: 1000, listen: false, jobLeaseSeconds: 3 } }))).not.toThrow();
    expect(() => validateConfig(withConfig({ cron: { retentionRule: '*/2 * * * * *' }, retention: { batchSize: 1 } }))).not.toThrow();
  });

  it.each([
    [{ instances: { pollMilliseconds: 10 } }, /instances\.pollMilliseconds must be at least 50/],
    [{ instances: { pollMilliseconds: '500' } }, /instances\.pollMilliseconds must be a `number`/],
    [{ instances: { jobLeaseSeconds: 1 } }, /instances\.jobLeaseSeconds must be at least 3/],
    [{ instances: { listen: 'yes' } }, /instances\.listen must be a `boolean`/],
    [{ instances: { lease: 5 } }, /instances has an unknown key: lease/],
    [{ retention: { batchSize: 0 } }, /retention\.batchSize must be greater than or equal to 1/],
    [{ cron: { retentionRule: 'nightly' } }, /cron\.retentionRule must be a cron rule of five or six fields/],
  ])('refuses %j', (patch, message) => {
    expect(() => validateConfig(withConfig(patch as any))).toThrow(message);
  });
});

describe('consentWrites', () => {
  it('waits 2 ms for a batch on PostgreSQL and MySQL, 5 on SQLite, when the window is unset', () => {
    expect(['postgres', 'mysql', 'sqlite'].map(defaultBatchMilliseconds)).toEqual([2, 2, 5]);
  });

  it('accepts the defaults (the batch window unset: 2 ms on PostgreSQL and MySQL, 5 on SQLite) and each key alone', () => {
    expect(defaultConfig.consentWrites).toEqual({ batchSize: 200, batchMilliseconds: undefined, preparedStatements: true });
    expect(() => validateConfig(withConfig({ consentWrites: { batchMilliseconds: 0, preparedStatements: false } }))).not.toThrow();
  });

  it.each([
    [{ consentWrites: { preparedStatements: 'false' } }, /consentWrites\.preparedStatements must be a `boolean`/],
    [{ consentWrites: { batchMilliseconds: null } }, /consentWrites\.batchMilliseconds/],
    [{ consentWrites: { batchMilliseconds: 1001 } }, /consentWrites\.batchMilliseconds must be less than or equal to 1000/],
    [{ consentWrites: { prepared: true } }, /consentWrites has an unknown key: prepared/],
  ])('refuses %j', (patch, message) => {
    expect(() => validateConfig(withConfig(patch as any))).toThrow(message);
  });
});
