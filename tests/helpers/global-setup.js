// Compiles tests/app (TypeScript) once per jest run, before any test file boots it.
// compileStrapi() exits the process on a type error, so it must not run inside a test.
const path = require('path');

// tests/run.js compiles it itself before jest runs that go side by side (two compilations
// writing one tests/app/dist at once would race), and says so with TEST_APP_COMPILED=1.
/** Compiles tests/app (TypeScript) into tests/app/dist. */
async function compile() {
  const { compileStrapi } = require('@strapi/strapi');
  await compileStrapi({ appDir: path.resolve(__dirname, '..', 'app'), ignoreDiagnostics: false });
}

// Then builds the run's template database, which every test file's database copies.
module.exports = async () => {
  if (process.env.TEST_APP_COMPILED !== '1') await compile();
  await require('./database-template').buildTemplate();
};
module.exports.compile = compile;
