/**
 * The client's budget: bundled alone for a browser (esbuild, minified, ESM), then gzipped, it
 * weighs at most 4096 bytes, and it pulls in nothing but its own source and the name and path
 * rules of cookie discovery it shares with the server (no runtime dependency beyond fetch). The cookieconsent adapter is measured the same way (it carries the client); it
 * must not carry cookieconsent, which the site loads itself.
 */
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const SOURCE = path.resolve(__dirname, '..', '..', 'server', 'src', 'client');
const BUDGET = 4096;

async function bundle(entry: string) {
  const result = await build({
    entryPoints: [path.join(SOURCE, entry)],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return {
    minified: code.byteLength,
    gzipped: gzipSync(code, { level: 9 }).byteLength,
    inputs: Object.keys(result.metafile!.inputs).map((file) => path.relative(SOURCE, path.resolve(file))),
    text: Buffer.from(code).toString('utf8'),
  };
}

test(`the client, minified and gzipped, is at most ${BUDGET} bytes and imports nothing`, async () => {
  const client = await bundle('index.ts');
  console.log(`client bundle: ${client.minified} bytes minified, ${client.gzipped} bytes gzipped (budget ${BUDGET})`);
  expect(client.inputs.sort()).toEqual(['../discovery/names.ts', 'index.ts']);
  expect(client.text).not.toMatch(/\brequire\(|\bimport\s*[("'{]/);
  expect(client.gzipped).toBeLessThanOrEqual(BUDGET);
});

test('the cookieconsent adapter carries the client and nothing of cookieconsent', async () => {
  const adapter = await bundle('cookieconsent.ts');
  console.log(`cookieconsent adapter bundle (with the client): ${adapter.minified} bytes minified, ${adapter.gzipped} bytes gzipped`);
  expect(adapter.inputs.sort()).toEqual(['../discovery/names.ts', 'cookieconsent.ts', 'index.ts']);
  expect(adapter.text).not.toMatch(/\brequire\(|\bimport\s*[("'{]/);
});
