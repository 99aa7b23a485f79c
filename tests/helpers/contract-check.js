/**
 * Checks answers of the plugin's public routes against its OpenAPI document
 * (server/src/contract/openapi.json): the status is one the operation describes, every header it
 * marks `required` is there, the media type is one it describes, and the body validates against
 * its JSON Schema 2020-12 (ajv). An answer the document does not describe is a mismatch.
 * Used by tests/app's `global::contract-check` (every integration test) and by the unit test of
 * the checker itself. Plain CommonJS: tests/app requires it at run time, uncompiled.
 */
const fs = require('node:fs');
const path = require('node:path');
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;

const DOCUMENT = path.resolve(__dirname, '..', '..', 'server', 'src', 'contract', 'openapi.json');
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** What a method that is not an operation of a path may be answered. */
const OTHER_METHOD_STATUSES = [400, 404, 405, 413, 415];

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A checker of one document; `prefix` is the app's REST prefix (/api). */
function createContractChecker(document = JSON.parse(fs.readFileSync(DOCUMENT, 'utf8')), { prefix = '/api' } = {}) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  // The document's named schemas, under an id their $refs are rewritten to.
  const toShared = (schema) => JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"contract#/components/'));
  ajv.addSchema({ $id: 'contract', components: toShared({ schemas: document.components?.schemas ?? {} }) });
  const compiled = new Map();
  /** Body text → its problems, per operation and media type (bounded). */
  const checkedBodies = new Map();
  const validatorOf = (key, schema) => {
    if (!compiled.has(key)) compiled.set(key, ajv.compile(toShared(schema)));
    return compiled.get(key);
  };

  // Strapi's router ignores case and a trailing slash; a parameter is one path segment.
  const routes = Object.entries(document.paths).map(([template, item]) => ({
    template,
    item,
    pattern: new RegExp(
      `^${escapeRegExp(prefix)}${template
        .split(/(\{[^}]+\})/)
        .map((part) => (part.startsWith('{') ? '[^/]+' : escapeRegExp(part)))
        .join('')}/?$`,
      'i'
    ),
  }));
  const scope = new RegExp(`^${escapeRegExp(prefix)}/privacy-centre(?:/|$)`, 'i');

  /** Whether the document is about this path (else nothing is checked). */
  const inScope = (requestPath) => scope.test(requestPath);

  /**
   * The mismatches of one answer (none: it matches). `answer`: { method, path, status,
   * headers: name → value (lower-case names), body: a string/Buffer/object/null as sent }.
   */
  function check({ method, path: requestPath, status, headers, body }) {
    if (!inScope(requestPath)) return [];
    const route = routes.find((r) => r.pattern.test(requestPath));
    if (!route) return []; // not a route of the plugin: Strapi's own 404
    const verb = method.toLowerCase() === 'head' ? 'get' : method.toLowerCase();
    const where = `${method} ${requestPath} → ${status}`;
    const operation = route.item[verb];
    if (!operation) {
      // Another method on a path of the plugin: the body guard's 405 in Strapi's error shape, or
      // what refuses the request before routing (a body too large, compressed or malformed: 413,
      // 415, 400), or Strapi's 404 (the document's info says so). OPTIONS is CORS's preflight.
      if (verb === 'options') return [];
      const problems = OTHER_METHOD_STATUSES.includes(status)
        ? []
        : [`${where}: ${method} is not an operation of ${route.template}, and the answer is not one of ${OTHER_METHOD_STATUSES.join(', ')}`];
      return problems.concat(bodyProblems(where, `405 ${route.template}`, { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } }, headers, body, method));
    }
    const response = operation.responses[String(status)] ?? operation.responses.default;
    if (!response) return [`${where}: status ${status} is not described for ${verb.toUpperCase()} ${route.template} (described: ${Object.keys(operation.responses).join(', ')})`];
    const problems = [];
    for (const [name, header] of Object.entries(response.headers ?? {})) {
      if (header.required && !headers[name.toLowerCase()]) problems.push(`${where}: header ${name} is missing`);
    }
    return problems.concat(bodyProblems(where, `${verb} ${route.template} ${status}`, response.content, headers, body, method));
  }

  function bodyProblems(where, key, content, headers, body, method) {
    const empty = body === null || body === undefined || (typeof body === 'string' && body === '') || (Buffer.isBuffer(body) && body.length === 0);
    if (!content) return empty ? [] : [`${where}: the answer has a body, the document describes none`];
    // A HEAD answer has no body: its status and headers are what is checked.
    if (method.toUpperCase() === 'HEAD') return [];
    const type = String(headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const media = content[type];
    if (!media) return [`${where}: media type "${type}" is not described (described: ${Object.keys(content).join(', ')})`];
    if (body && typeof body.pipe === 'function') return [`${where}: a streamed body cannot be checked`];
    // A cached answer is the same bytes thousands of times (tests/integration/policy-cache.test.ts):
    // checked once, so that the check stays cheap next to what it checks.
    const text = Buffer.isBuffer(body) || typeof body === 'string' ? String(body) : null;
    const memoKey = text !== null && text.length <= 65536 ? `${key} ${type}\u0000${text}` : null;
    if (memoKey !== null && checkedBodies.has(memoKey)) return checkedBodies.get(memoKey).map((p) => `${where}: ${p}`);
    const found = bodyOnlyProblems(key, type, media, body);
    if (memoKey !== null) {
      if (checkedBodies.size >= 500) checkedBodies.delete(checkedBodies.keys().next().value);
      checkedBodies.set(memoKey, found);
    }
    return found.map((p) => `${where}: ${p}`);
  }

  function bodyOnlyProblems(key, type, media, body) {
    let value = body;
    if (type === 'application/json') {
      try {
        value = Buffer.isBuffer(body) || typeof body === 'string' ? JSON.parse(String(body)) : JSON.parse(JSON.stringify(body));
      } catch {
        return ['the body is not JSON'];
      }
    } else if (Buffer.isBuffer(body)) value = body.toString('utf8');
    const validate = validatorOf(`${key} ${type}`, media.schema ?? {});
    if (validate(value)) return [];
    const errors = validate.errors.slice(0, 5).map((e) => `${e.instancePath || '(body)'} ${e.message}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`);
    return [`the body does not match the document: ${errors.join('; ')} — body: ${JSON.stringify(value).slice(0, 300)}`];
  }

  /** The operations of the document: "METHOD template". */
  const operations = () => routes.flatMap((r) => METHODS.filter((m) => r.item[m]).map((m) => `${m.toUpperCase()} ${r.template}`));

  return { check, inScope, operations };
}

module.exports = { createContractChecker, DOCUMENT };
