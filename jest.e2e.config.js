// Browser e2e tests: the built admin of tests/app driven in headless Chromium.
// One Strapi (a child process) per test file, so files run in band; builds can take minutes.
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testMatch: ['<rootDir>/tests/e2e/**/*.e2e.test.ts'],
  testTimeout: 600000,
};
