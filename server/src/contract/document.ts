// Builds the plugin's OpenAPI 3.1 document from the routes' own schemas (zod 4's toJSONSchema
// writes JSON Schema 2020-12, the dialect of OpenAPI 3.1) and the metadata of operations.ts.
// server/scripts/openapi.js writes it to contract/openapi.json; tests/unit/contract.test.ts fails when
// the committed file differs from what this builds.
import { z } from '@strapi/utils';
import { contractRegistry, ErrorSchema } from './schemas';
import { HEADERS, OPERATIONS, type OperationSpec, type ResponseSpec } from './operations';

type Json = Record<string, any>;

type Schemas = Record<string, z.ZodType | undefined>;
const entries = (schemas: Schemas | undefined) => Object.entries(schemas ?? {}).filter((e): e is [string, z.ZodType] => e[1] !== undefined);

export interface ContractRoute {
  method: string;
  path: string;
  handler?: unknown;
  request?: { params?: Schemas; query?: Schemas; body?: Schemas };
  response?: z.ZodType;
}

const COMPONENT_REF = '#/components/schemas/';

/** `/policies/:slug/current` → `/policies/{slug}/current`. */
export const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** zod → JSON Schema 2020-12, with named schemas as $refs to components/schemas. */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  const id = contractRegistry.get(schema)?.id;
  if (id) return { $ref: `${COMPONENT_REF}${id}` };
  const converted = z.toJSONSchema(schema, { metadata: contractRegistry, target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json;
  delete converted.$schema;
  delete converted.$defs; // every $def is a named schema: components/schemas holds it
  return JSON.parse(JSON.stringify(converted).replaceAll('"#/$defs/', `"${COMPONENT_REF}`));
}

function components(): Json {
  const { schemas } = z.toJSONSchema(contractRegistry, {
    target: 'draft-2020-12',
    io: 'output',
    unrepresentable: 'any',
    uri: (id) => `${COMPONENT_REF}${id}`,
  }) as { schemas: Record<string, Json> };
  const sorted: Json = {};
  for (const id of Object.keys(schemas).sort()) {
    const { $schema: _s, $id: _i, ...schema } = schemas[id];
    sorted[id] = schema;
  }
  return sorted;
}

/** An optional zod schema is an optional parameter. */
const isOptional = (schema: z.ZodType) => schema.safeParse(undefined).success;

function parameters(route: ContractRoute): Json[] {
  const list: Json[] = [];
  for (const [where, schemas] of [['path', route.request?.params], ['query', route.request?.query]] as const) {
    for (const [name, schema] of entries(schemas)) {
      const json = jsonSchemaOf(schema, 'input');
      const { description, examples, ...rest } = json;
      list.push({
        name,
        in: where,
        required: where === 'path' || !isOptional(schema),
        ...(description ? { description } : {}),
        schema: rest,
        ...(examples?.length ? { example: examples[0] } : {}),
      });
    }
  }
  return list;
}

function response(spec: ResponseSpec): Json {
  const out: Json = { description: spec.description };
  if (spec.headers?.length) {
    // Inline, not $refs: a header's `required` (always sent) belongs to this response.
    out.headers = Object.fromEntries(spec.headers.map((h) => [h.ref, { ...HEADERS[h.ref], required: Boolean(h.required) }]));
  }
  if (spec.content) {
    out.content = Object.fromEntries(Object.entries(spec.content).map(([type, schema]) => [type, { schema: jsonSchemaOf(schema, 'output') }]));
  }
  return out;
}

/** What a route without metadata in operations.ts is documented with. */
function defaultOperation(route: ContractRoute): OperationSpec {
  const handler = typeof route.handler === 'string' ? route.handler : `${route.method.toLowerCase()} ${route.path}`;
  // `public-consents.record` → `publicConsentsRecord`
  const words = handler.split(/[^A-Za-z0-9]/).filter(Boolean);
  const operationId = words.map((w, i) => (i === 0 ? w : `${w[0].toUpperCase()}${w.slice(1)}`)).join('');
  return {
    operationId,
    summary: `${route.method} ${route.path}`,
    tags: [route.path.split('/')[1] || 'default'],
    responses: {
      ...(route.response ? { 200: { description: 'OK', content: { 'application/json': route.response } } } : { 200: { description: 'OK' } }),
      400: { description: 'Bad request', content: { 'application/json': ErrorSchema } },
    },
  };
}

function operation(route: ContractRoute, spec: OperationSpec): Json {
  const op: Json = {
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: spec.tags,
    security: spec.security ?? [],
  };
  const params = parameters(route);
  if (params.length) op.parameters = params;
  const body = route.request?.body;
  if (entries(body).length) {
    op.requestBody = {
      required: true,
      content: Object.fromEntries(entries(body).map(([type, schema]) => [type, { schema: jsonSchemaOf(schema, 'input') }])),
    };
  }
  op.responses = Object.fromEntries(
    Object.keys(spec.responses)
      .map(Number)
      .sort((a, b) => a - b)
      .map((status) => {
        return [String(status), response(spec.responses[status])];
      })
  );
  return op;
}

export interface DocumentOptions {
  version: string;
  /** Metadata of routes that operations.ts does not hold (e.g. the c15t backend's). */
  operations?: Record<string, OperationSpec>;
}

/** The document of every content-api route that declares a schema or has metadata. */
export function buildOpenApiDocument(routes: ContractRoute[], options: DocumentOptions): Json {
  const metadata = { ...OPERATIONS, ...options.operations };
  const paths: Json = {};
  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    const spec = metadata[key] ?? (route.request || route.response ? defaultOperation(route) : undefined);
    if (!spec) continue;
    const path = `/privacy-centre${openApiPath(route.path)}`;
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(route, spec) };
  }
  const tags = [...new Set(Object.values(paths).flatMap((item: Json) => Object.values(item).flatMap((op: Json) => op.tags)))];
  return {
    openapi: '3.1.0',
    info: {
      title: 'Privacy Centre public API',
      version: options.version,
      description:
        "The public (content-API) routes of strapi-plugin-privacy-centre: privacy policies, the cookie declaration, proof of consent, the newsletter and data-subject requests. Every route is public (no authentication) but those of signed-in users (acceptances), which take a users-permissions JWT. Another method on one of these paths is answered 405 (or 400, 404, 413 or 415 when the request is refused before routing), in Strapi's error shape (`Error`). Built from the routes' own schemas by `npm run contract`.",
      license: { name: 'MIT', identifier: 'MIT' },
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: '/api', description: "The app's REST prefix (`api.rest.prefix`, /api by default)." }],
    tags: tags.map((name) => ({ name })),
    paths,
    components: {
      schemas: components(),
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "A users-permissions JWT (POST /api/auth/local answers one): the routes of signed-in users." },
      },
    },
  };
}
