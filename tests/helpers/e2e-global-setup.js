// Builds what every browser test file runs, once per jest run and before any worker starts: the
// plugin (when its sources changed), the app's admin panel (when its inputs changed), and the
// app's compiled config. Each file used to do it itself (an app compile per file, ~5 s each), and
// two workers doing it at once would write one tests/app/dist together.
const runner = require('../app/scripts/app-runner');

module.exports = async () => {
  const force = process.env.E2E_REBUILD === '1';
  const log = (line) => console.log(`[e2e] ${line}`);
  runner.ensurePluginBuilt({ force, log });
  runner.ensureAdminBuilt({ force, log });
  // Seen by the workers, which start after this: tests/helpers/e2e-app.ts builds nothing then.
  process.env.E2E_PREPARED = '1';
};
