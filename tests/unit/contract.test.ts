import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pluginOpenApiDocument } from '../../server/src/contract/build';
import { buildOpenApiDocument, type ContractRoute } from '../../server/src/contract/document';
import { z } from '../../server/src/contract/schemas';
import { OPERATIONS } from '../../server/src/contract/operations';
import { toDocumentationOverride, toOpenApi30 } from '../../server/src/contract/openapi30';
import { contentApiRoutes } from '../../server/src/routes/content-api';

const root = path.resolve(__dirname, '..', '..');
const committedPath = path.join(root, 'server', 'src', 'contract', 'openapi.json');
const committed = JSON.parse(fs.readFileSync(committedPath, 'utf8'));
const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { createContractChecker } = require('../helpers/contract-check.js');

/** The OpenAPI 3.1 validator (@seriousme/openapi-schema-validator, ESM: run by its own CLI). */
function validateDocument(file: string): { valid: boolean; errors?: unknown } {
  const cli = path.join(path.dirname(require.resolve('@seriousme/openapi-schema-validator/package.json')), 'bin', 'validate-api-cli.js');
  const run = spawnSync(process.execPath, [cli, file], { encoding: 'utf8' });
  return JSON.parse(run.stdout);
}

describe('the OpenAPI document', () => {
  it('is exactly what the routes build (run `npm run contract` after changing a route or schema)', () => {
    expect(pluginOpenApiDocument(version)).toEqual(committed);
    // byte for byte, as the script writes it
    expect(fs.readFileSync(committedPath, 'utf8')).toBe(`${JSON.stringify(pluginOpenApiDocument(version), null, 2)}\n`);
  });

  it('passes an OpenAPI 3.1 validator, which refuses a broken copy', () => {
    expect(committed.openapi).toBe('3.1.0');
    expect(validateDocument(committedPath)).toEqual({ valid: true });
    const broken = structuredClone(committed);
    broken.paths['/privacy-centre/keys'].get.responses = { 200: { content: {} } }; // no description
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'contract-')), 'broken.json');
    fs.writeFileSync(file, JSON.stringify(broken));
    expect(validateDocument(file).valid).toBe(false);
  });

  it('documents every public route, and holds metadata of no route that is gone', () => {
    const routes = contentApiRoutes();
    const documented = Object.entries(committed.paths).flatMap(([p, item]: [string, any]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${p}`));
    const expected = routes.map((r) => `${r.method} /privacy-centre${r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
    expect(documented.sort()).toEqual(expected.sort());
    const keys = new Set(routes.map((r) => `${r.method} ${r.path}`));
    expect(Object.keys(OPERATIONS).filter((k) => !keys.has(k))).toEqual([]);
  });

  it('documents a route added later (e.g. the c15t backend) from its schemas alone', () => {
    const Input = z.object({ subjectId: z.string().max(64) }).strict();
    const route = { method: 'POST', path: '/c15t/subjects/:id', handler: 'c15t.postSubject', request: { params: { id: z.string() }, body: { 'application/json': Input } }, response: z.object({ ok: z.boolean() }) };
    const document = buildOpenApiDocument([...(contentApiRoutes() as ContractRoute[]), route], { version });
    const operation = document.paths['/privacy-centre/c15t/subjects/{id}'].post;
    expect(operation.operationId).toBe('c15tPostSubject');
    expect(operation.security).toEqual([]);
    expect(operation.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true });
    expect(operation.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
    expect(Object.keys(operation.responses)).toEqual(['200', '400']);
    // a route with neither schemas nor metadata stays out
    expect(buildOpenApiDocument([{ method: 'GET', path: '/x', handler: 'x.y' }], { version }).paths).toEqual({});
  });

  it('names the schemas the typed client is generated from', () => {
    for (const name of [
      'PolicyVersion', 'PolicyChangelog', 'CookieDeclaration', 'ConsentInput', 'CookieConsentInput', 'ConsentReceipt', 'ConsentStatus',
      'VerifyResult', 'NewsletterSubscribeInput', 'NewsletterUnsubscribeInput', 'SubjectRequestInput', 'Jwks', 'Error',
    ]) {
      expect(committed.components.schemas[name]).toBeDefined();
    }
  });

  it('marks every route public but those of signed-in users, and describes the one-click form, the beacon and the pages', () => {
    const signedIn = ['get /privacy-centre/acceptances/me', 'post /privacy-centre/acceptances'];
    for (const [path, item] of Object.entries<any>(committed.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        expect(op.security).toEqual(signedIn.includes(`${method} ${path}`) ? [{ bearerAuth: [] }] : []);
      }
    }
    expect(committed.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    const unsubscribe = committed.paths['/privacy-centre/newsletter/unsubscribe'].post;
    expect(Object.keys(unsubscribe.requestBody.content).sort()).toEqual(['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data']);
    expect(Object.keys(unsubscribe.responses['200'].content).sort()).toEqual(['application/json', 'text/html', 'text/plain']);
    expect(Object.keys(committed.paths['/privacy-centre/consents'].post.requestBody.content).sort()).toEqual(['application/json', 'text/plain']);
    expect(Object.keys(committed.paths['/privacy-centre/newsletter/confirm'].get.responses['200'].content)).toEqual(['text/html']);
    const current = committed.paths['/privacy-centre/policies/{slug}/current'].get.responses;
    expect(Object.keys(current['200'].headers).sort()).toEqual(['Cache-Control', 'Content-Language', 'ETag', 'Last-Modified']);
    expect(current['304'].content).toBeUndefined();
    expect(committed.paths['/privacy-centre/consents'].post.responses['429'].headers['Retry-After'].required).toBe(true);
  });
});

describe('the OpenAPI 3.0 form (for @strapi/plugin-documentation)', () => {
  const converted = toOpenApi30(committed);
  const text = JSON.stringify(converted);

  it('passes the validator as OpenAPI 3.0', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'contract-')), 'openapi30.json');
    fs.writeFileSync(file, text);
    expect(converted.openapi).toBe('3.0.3');
    expect(validateDocument(file)).toEqual({ valid: true });
  });

  it('says nullable, enum and example where 3.1 says type arrays, const and examples', () => {
    expect(text).not.toMatch(/"const":|"examples":|"type":\[|"type":"null"|"propertyNames":|"\$schema":/);
    const version = converted.components.schemas.PolicyVersion.properties;
    expect(version.signature).toMatchObject({ type: 'string', nullable: true });
    expect(version.previousVersion).toMatchObject({ type: 'integer', nullable: true });
    expect(converted.components.schemas.Error.properties.data).toEqual({ nullable: true, enum: [null] });
    expect(converted.paths['/privacy-centre/policies/{slug}/current'].get.parameters[0].schema.pattern).toBeDefined();
  });

  it('registers paths, tags and schemas, without info (a versioned override applies to that version only)', () => {
    const override = toDocumentationOverride(committed);
    expect(Object.keys(override).sort()).toEqual(['components', 'paths', 'tags']);
    expect(Object.keys(override.paths)).toEqual(Object.keys(committed.paths));
    expect(override.tags.map((t: { name: string }) => t.name)).toContain('Privacy Centre - Consents');
  });
});

describe('the contract check of answers (tests/helpers/contract-check.js)', () => {
  const checker = createContractChecker(committed);
  const json = { 'content-type': 'application/json; charset=utf-8' };
  const receiptBody = {
    data: {
      consentId: 'Xq1Zb9_-Ab3Cd4Ef5Gh6Ij', subjectId: 'abcdefgh', action: 'given', state: { necessary: true },
      consentMode: { ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'denied', functionality_storage: 'granted', personalization_storage: 'denied', security_storage: 'granted' },
      gpc: { signal: false, refused: [] }, givenAt: '2026-01-01T00:00:00.000Z', expiresAt: '2027-01-01T00:00:00.000Z',
      previousConsentId: null, policy: null, declaration: { revision: 1, hash: 'h' }, signature: 's',
    },
  };
  const answer = (over: Record<string, unknown>) => ({
    method: 'POST', path: '/api/privacy-centre/consents', status: 201, headers: { ...json, 'cache-control': 'no-store' }, body: receiptBody, ...over,
  });

  it('passes an answer the document describes', () => {
    expect(checker.check(answer({}))).toEqual([]);
    expect(checker.check(answer({ body: Buffer.from(JSON.stringify(receiptBody)) }))).toEqual([]);
    expect(checker.check({ method: 'GET', path: '/api/privacy-centre/policies/x/current', status: 304, headers: { etag: '"a"', 'last-modified': 'x', 'cache-control': 'x' }, body: null })).toEqual([]);
  });

  it('refuses an undescribed status, a missing header, another media type, a body that does not match', () => {
    expect(checker.check(answer({ status: 202 }))[0]).toMatch(/status 202 is not described/);
    expect(checker.check(answer({ headers: json }))[0]).toMatch(/header Cache-Control is missing/);
    expect(checker.check(answer({ headers: { 'content-type': 'text/html', 'cache-control': 'no-store' }, body: '<p>' }))[0]).toMatch(/media type "text\/html" is not described/);
    expect(checker.check(answer({ body: { data: { ...receiptBody.data, action: 'maybe' } } }))[0]).toMatch(/does not match.*action/);
    expect(checker.check(answer({ body: { data: { ...receiptBody.data, extra: 1 } } }))[0]).toMatch(/additional/);
    expect(checker.check({ method: 'GET', path: '/api/privacy-centre/keys', status: 304, headers: { etag: '"a"', 'cache-control': 'x' }, body: 'x' })[0]).toMatch(/describes none/);
  });

  it('expects a 405 in the error shape for another method, and leaves other paths alone', () => {
    const error = { data: null, error: { status: 405, name: 'MethodNotAllowedError', message: 'no', details: {} } };
    expect(checker.check({ method: 'DELETE', path: '/api/privacy-centre/consents', status: 405, headers: json, body: error })).toEqual([]);
    expect(checker.check({ method: "DELETE", path: "/api/privacy-centre/consents", status: 200, headers: json, body: error })).toHaveLength(1);
    expect(checker.check({ method: "PUT", path: "/api/privacy-centre/keys", status: 413, headers: json, body: { ...error, error: { ...error.error, status: 413 } } })).toEqual([]);
    expect(checker.check({ method: 'GET', path: '/api/privacy-centre/nothing-here', status: 404, headers: {}, body: 'x' })).toEqual([]);
    expect(checker.check({ method: 'GET', path: '/privacy-centre/settings', status: 200, headers: {}, body: 'x' })).toEqual([]);
  });
});
