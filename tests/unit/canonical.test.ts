import fc from 'fast-check';
import { canonicalJson, hashContent, sha256Hex } from '../../server/src/policy/canonical';

// An independent, naive reference for JSON data: keys sorted with the default (UTF-16 code unit)
// sort, leaves written by JSON.stringify, which already formats numbers as RFC 8785 requires.
// (A key-sorted copy passed to JSON.stringify would not do: JS objects list integer-like keys first.)
function reference(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).sort().filter((k) => obj[k] !== undefined);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${reference(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function reversedCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedCopy);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).reverse()) {
      // defineProperty: a plain assignment to "__proto__" would set the prototype, not a key
      Object.defineProperty(out, key, { value: reversedCopy((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x y' } })).toBe(
      '{"a":{"c":"x y","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it('drops undefined properties, writes undefined array items as null', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
  });

  it('writes Dates as ISO strings', () => {
    expect(canonicalJson({ at: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)) })).toBe('{"at":"2024-01-02T03:04:05.006Z"}');
  });

  it('formats numbers as ECMAScript does (RFC 8785 3.2.2.3)', () => {
    expect(canonicalJson([1e21, 1e-7, 0.000001, -0, 10, 1.5, 333333333.3333333, 5e-324])).toBe(
      '[1e+21,1e-7,0.000001,0,10,1.5,333333333.3333333,5e-324]',
    );
  });

  it('sorts keys by UTF-16 code units (RFC 8785 3.2.3 example)', () => {
    const input = { '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' };
    const expected = ['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33'];
    const text = canonicalJson(input);
    // positions in the text, not Object.keys of a parse (which lists "1" first whatever the text says)
    const positions = expected.map((k) => text.indexOf(`${JSON.stringify(k)}:`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('keeps non-ASCII text as UTF-8 characters, escaping only what JSON requires', () => {
    expect(canonicalJson({ s: 'Tietosuoja ä "q" \\ \n \u0001' })).toBe('{"s":"Tietosuoja ä \\"q\\" \\\\ \\n \\u0001"}');
  });

  it('treats "__proto__" as an ordinary key', () => {
    expect(canonicalJson(JSON.parse('{"b":2,"__proto__":{"x":1}}'))).toBe('{"__proto__":{"x":1},"b":2}');
  });

  it.each([
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['a BigInt', { n: BigInt(1) }],
    ['a function', { f: () => 1 }],
    ['undefined', undefined],
  ])('refuses %s', (_name, value) => {
    expect(() => canonicalJson(value)).toThrow();
  });

  it('equals the naive reference for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on key insertion order and is a fixed point', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(reversedCopy(value))).toBe(text);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});

describe('sha256Hex / hashContent', () => {
  it('matches the SHA-256 test vectors', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes text as UTF-8', () => {
    // "ä" is C3 A4 in UTF-8 (a UTF-16 or Latin-1 hash would differ)
    expect(sha256Hex('ä')).toBe('33e6d73fee82904c8d7afb78de1154d1e8dc2a0edb08120e63df5b9385c2d9cc');
  });

  it('hashContent is the SHA-256 of the canonical JSON', () => {
    const content = { title: 'Privacy', sections: [{ anchor: 'a', heading: 'A', markdown: 'x' }] };
    expect(hashContent(content)).toBe(sha256Hex(canonicalJson(content)));
    expect(hashContent(content)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is the same for the same content in any key order, different for any change', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.string(), (value, extra) => {
        expect(hashContent(reversedCopy(value))).toBe(hashContent(value));
        const key = `__${extra}`;
        expect(hashContent({ ...value, [key]: 1 })).not.toBe(hashContent({ ...value, [key]: 2 }));
      }),
    );
  });
});
