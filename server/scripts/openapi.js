#!/usr/bin/env node
/**
 * `npm run contract`: writes server/src/contract/openapi.json, the plugin's OpenAPI 3.1 document,
 * from the routes' own zod schemas (server/src/contract). `--check` writes nothing and exits 1
 * when the committed file differs (tests/unit/contract.test.ts checks the same in jest).
 * The TypeScript sources are bundled on the fly with esbuild (@strapi/utils stays external, so
 * the document is made with Strapi's own zod).
 */
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..', '..');
const target = path.join(root, 'server', 'src', 'contract', 'openapi.json');

async function main() {
    // Inside the project, so that the bundle resolves @strapi/utils from its node_modules.
  fs.mkdirSync(path.join(root, 'node_modules', '.cache'), { recursive: true });
  const out = path.join(fs.mkdtempSync(path.join(root, 'node_modules', '.cache', 'privacy-centre-contract-')), 'build.js');
  await esbuild.build({
    entryPoints: [path.join(root, 'server', 'src', 'contract', 'build.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: out,
    packages: 'external',
    logLevel: 'warning',
  });
  const { pluginOpenApiDocument } = require(out);
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  const { version } = require(path.join(root, 'package.json'));
  const text = `${JSON.stringify(pluginOpenApiDocument(version), null, 2)}\n`;
  if (process.argv.includes('--check')) {
    const committed = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
    if (committed !== text) {
      console.error(`${path.relative(root, target)} is out of date: run npm run contract`);
      process.exit(1);
    }
    console.log(`${path.relative(root, target)} is up to date`);
    return;
  }
  fs.writeFileSync(target, text);
  console.log(`wrote ${path.relative(root, target)} (${Object.keys(JSON.parse(text).paths).length} paths)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
