// Install from the packed tarball: `npm pack`, a plain `npm install` into a separate Strapi 5
// app in a temporary folder, `strapi start`. One file; the install alone takes minutes.
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testMatch: ['<rootDir>/tests/install/**/*.test.ts'],
  testTimeout: 900000,
};
