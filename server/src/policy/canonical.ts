import { createHash } from 'node:crypto';
// canonicalize is the JSON Canonicalization Scheme (RFC 8785) implementation by one of the RFC's
// authors. Pinned to 2.1.0: the last CommonJS release (3.x+ is ESM only, which neither jest's module
// system nor a CommonJS Strapi server bundle can require on every Node version we support).
import canonicalize from 'canonicalize';

/**
 * Deterministic JSON (RFC 8785): object keys sorted by UTF-16 code units, no whitespace, ECMAScript
 * number formatting; `undefined` properties are dropped and values with `toJSON` (Dates) are
 * serialised through it (Dates become ISO strings).
 *
 * The input must be JSON data: NaN, Infinity, BigInt and top-level `undefined` throw, so a hash can
 * never silently cover something other than what will be stored.
 */
export function canonicalJson(value: unknown): string {
  assertJsonData(value, '$');
  const out = canonicalize(value);
  if (typeof out !== 'string') throw new TypeError('canonicalJson: value has no JSON representation');
  return out;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** SHA-256 (hex) of the canonical JSON of `value`: the content hash of an immutable record. */
export function hashContent(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

// canonicalize would write `"key":undefined` for a function-valued property (invalid JSON) and lets
// JSON.stringify throw an unhelpful error for BigInt: refuse both up front with the path.
function assertJsonData(value: unknown, path: string): void {
  switch (typeof value) {
    case 'function':
    case 'bigint':
    case 'symbol':
      throw new TypeError(`canonicalJson: ${typeof value} at ${path} is not JSON data`);
    case 'object': {
      if (value === null) return;
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
        assertJsonData((value as { toJSON: () => unknown }).toJSON(), path);
        return;
      }
      if (Array.isArray(value)) {
        value.forEach((item, i) => {
          // undefined/symbol array items become null in JSON, as JSON.stringify does
          if (item !== undefined && typeof item !== 'symbol') assertJsonData(item, `${path}[${i}]`);
        });
        return;
      }
      for (const key of Object.keys(value)) {
        const item = (value as Record<string, unknown>)[key];
        if (item !== undefined && typeof item !== 'symbol') assertJsonData(item, `${path}.${key}`);
      }
      return;
    }
    default:
      return;
  }
}
