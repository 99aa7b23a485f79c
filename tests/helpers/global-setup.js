// Compiles tests/app (TypeScript) once per jest run, before any test file boots it.
// compileStrapi() exits the process on a type error, so it must not run inside a test.
const path = require('path');

module.exports = async () => {
  const { compileStrapi } = require('@strapi/strapi');
  const appDir = path.resolve(__dirname, '..', 'app');
  await compileStrapi({ appDir, ignoreDiagnostics: false });
};
