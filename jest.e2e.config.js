// Browser e2e tests: the built admin of tests/app driven in headless Chromium.
// One Strapi (a child process) per test file, on its own SQLite file and free port, so files can
// run side by side (tests/run.js: two workers); the builds happen once, before, in the global setup.
module.exports = {
  globalSetup: '<rootDir>/tests/helpers/e2e-global-setup.js',
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testMatch: ['<rootDir>/tests/e2e/**/*.e2e.test.ts'],
  testTimeout: 600000,
};
