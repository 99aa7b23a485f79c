/**
 * The client's types are generated from the plugin's OpenAPI document, never written by hand:
 * regenerating server/src/client/openapi.ts (`npm run contract:types`, openapi-typescript) from
 * server/src/contract/openapi.json gives the committed file byte for byte.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const COMMITTED = path.join(ROOT, 'server', 'src', 'client', 'openapi.ts');

test('server/src/client/openapi.ts is what openapi-typescript makes of the document (npm run contract:types)', () => {
  const script = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts['contract:types'];
  expect(script).toBe('openapi-typescript server/src/contract/openapi.json -o server/src/client/openapi.ts');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'privacy-centre-types-'));
  try {
    const out = path.join(dir, 'openapi.ts');
    const cli = path.join(ROOT, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
    const run = spawnSync(process.execPath, [cli, 'server/src/contract/openapi.json', '-o', out], { cwd: ROOT, encoding: 'utf8' });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    const fresh = fs.readFileSync(out, 'utf8');
    expect(fresh).toContain('export interface operations');
    // toBe on the whole text would print 2,000 lines: compare, and say where it starts to differ.
    const committed = fs.readFileSync(COMMITTED, 'utf8');
    const at = [...fresh].findIndex((char, i) => char !== committed[i]);
    const first = at === -1 && fresh.length === committed.length ? null : fresh.slice(0, at === -1 ? fresh.length : at).split('\n').length;
    expect(first === null ? 'up to date' : `differs from line ${first}: run npm run contract:types`).toBe('up to date');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
