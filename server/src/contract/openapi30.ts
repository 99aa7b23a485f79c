// @strapi/plugin-documentation serves OpenAPI 3.0 (Swagger UI 4); the plugin's document is 3.1
// (JSON Schema 2020-12). This reads one into the other, losing only what 3.0 cannot say.
type Json = Record<string, any>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** One JSON Schema 2020-12 → an OpenAPI 3.0 Schema Object. */
export function toSchema30(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toSchema30);
  if (!isObject(schema)) return schema;
  // 3.0 knows no $schema, $id, propertyNames (the key pattern goes into the description),
  // contentMediaType, and `examples` only as one `example`.
  const { $schema: _s, $id: _i, propertyNames, examples, const: constant, type, anyOf, oneOf, ...rest } = schema;
  const out: Json = {};
  for (const [key, value] of Object.entries(rest)) {
    if (key === 'properties' || key === 'patternProperties' || key === '$defs') {
      out[key] = Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, toSchema30(v)]));
    } else if (key === 'items' || key === 'additionalProperties' || key === 'not') {
      out[key] = toSchema30(value);
    } else if (key === 'allOf') {
      out[key] = (value as unknown[]).map(toSchema30);
    } else if (key === 'exclusiveMinimum' || key === 'exclusiveMaximum') {
      // 2020-12's number is 3.0's boolean beside minimum/maximum.
      if (typeof value === 'number') {
        out[key === 'exclusiveMinimum' ? 'minimum' : 'maximum'] = value;
        out[key] = true;
      } else out[key] = value;
    } else if (key === 'contentMediaType' || key === 'contentEncoding') {
      continue;
    } else out[key] = value;
  }
  if (Array.isArray(examples) && examples.length) out.example = examples[0];
  if (constant !== undefined) out.enum = [constant];
  if (isObject(propertyNames) && typeof propertyNames.pattern === 'string') {
    out.description = `${out.description ? `${out.description} ` : ''}Keys match ${propertyNames.pattern}.`;
  }
  // `type: [T, 'null']` and `type: 'null'` → nullable.
  if (Array.isArray(type)) {
    const types = type.filter((t) => t !== 'null');
    if (types.length === 1) out.type = types[0];
    else if (types.length > 1) out.anyOf = types.map((t) => ({ type: t }));
    if (types.length !== type.length) out.nullable = true;
  } else if (type === 'null') {
    out.nullable = true;
    out.enum = [null];
  } else if (type !== undefined) out.type = type;
  // `anyOf: [X, {type: 'null'}]` → X, nullable.
  for (const [key, list] of [['anyOf', anyOf], ['oneOf', oneOf]] as const) {
    if (!Array.isArray(list)) continue;
    const nonNull = list.filter((s) => !(isObject(s) && s.type === 'null' && Object.keys(s).length === 1));
    if (nonNull.length !== list.length) out.nullable = true;
    if (nonNull.length === 1 && list.length === 2) {
      const only = toSchema30(nonNull[0]) as Json;
      // A $ref takes no siblings in 3.0: wrap it.
      Object.assign(out, only.$ref ? { allOf: [only] } : only, { nullable: true });
    } else out[key] = nonNull.map(toSchema30);
  }
  return out;
}

const mapValues = (object: Json | undefined, map: (value: any) => any) =>
  object ? Object.fromEntries(Object.entries(object).map(([k, v]) => [k, map(v)])) : object;

const withSchema = (holder: Json) => (holder?.schema ? { ...holder, schema: toSchema30(holder.schema) } : holder);

/**
 * The document as an override for @strapi/plugin-documentation: its paths, tags and named
 * schemas in OpenAPI 3.0 (no `info`: an override with a version applies to that version only).
 */
export function toDocumentationOverride(document: Json): Json {
  const paths = mapValues(document.paths, (item: Json) =>
    mapValues(item, (operation: Json) => ({
      ...operation,
      ...(operation.parameters ? { parameters: operation.parameters.map(withSchema) } : {}),
      ...(operation.requestBody ? { requestBody: { ...operation.requestBody, content: mapValues(operation.requestBody.content, withSchema) } } : {}),
      responses: mapValues(operation.responses, (response: Json) => ({
        ...response,
        ...(response.headers ? { headers: mapValues(response.headers, withSchema) } : {}),
        ...(response.content ? { content: mapValues(response.content, withSchema) } : {}),
      })),
    }))
  );
  return {
    tags: (document.tags ?? []).map((tag: Json) => ({ ...tag, name: `Privacy Centre - ${tag.name}` })),
    paths: mapValues(paths, (item: Json) =>
      mapValues(item, (operation: Json) => ({ ...operation, tags: (operation.tags ?? []).map((t: string) => `Privacy Centre - ${t}`) }))
    ),
    components: {
      schemas: mapValues(document.components?.schemas, toSchema30),
      // The same in 3.0: the routes of signed-in users name it.
      ...(document.components?.securitySchemes ? { securitySchemes: document.components.securitySchemes } : {}),
    },
  };
}

/** The whole document in OpenAPI 3.0.3 (what the conversion test validates). */
export function toOpenApi30(document: Json): Json {
  const { jsonSchemaDialect: _d, info, ...rest } = document;
  const { identifier: _id, ...license } = info?.license ?? {};
  const override = toDocumentationOverride(document);
  return {
    ...rest,
    openapi: '3.0.3',
    info: { ...info, ...(info?.license ? { license } : {}) },
    tags: override.tags,
    paths: override.paths,
    components: override.components,
  };
}
