import { DEFAULT_AREAS, defaultsFor, readCountry, readRegion, refusedByGpc, resolveJurisdiction, type RegionTable } from '../../server/src/regions';
import { modelCategory, saleShareOf } from '../../server/src/regions/categories';

/**
 * Attacks on the pure reading of a request's location (issue #17): a trusted header's value is
 * a code only when it is one, byte for byte, as the proxy sends it.
 */
const table: RegionTable = { areas: { ...DEFAULT_AREAS }, models: {}, defaultJurisdiction: 'GDPR' };

describe('reading trusted header values', () => {
  it('takes no look-alike for a code: letters that upper-case into ASCII are no country or region', () => {
    // Header bytes arrive as latin1: `ß` (0xDF) upper-cases to `SS` (South Sudan); U+017F `ſ` to `S`;
    // U+0131 `ı` to `I`.
    expect(['ß', 'ßß', 'ſs', 'ıt', 'ﬀ'].map((value) => readCountry(value))).toEqual([null, null, null, null, null]);
    expect(['ß', 'US-ß', 'ſc', 'Cı'].map((value) => readRegion(value, 'US'))).toEqual([null, null, null, null]);
    // Plain ASCII in any case still reads, as proxies send it.
    expect([readCountry('de'), readCountry('De'), readRegion('us-ca', 'US'), readRegion('ca', 'US')]).toEqual(['DE', 'DE', 'CA', 'CA']);
  });

  it('takes a whole ISO 3166-2 code only from the country the country header names', () => {
    expect(readRegion('CA-QC', 'US')).toBeNull();
    expect(readRegion('US-CA', 'CA')).toBeNull();
    expect(readRegion('CA-QC', 'CA')).toBe('QC');
    // A visitor the country header places in the US is not given Québec's law by a region header.
    const location = { countryCode: 'CA', regionCode: readRegion('US-CA', 'CA') };
    expect(resolveJurisdiction(table, location)).toMatchObject({ code: 'PIPEDA', region: null });
  });

  it('reads comma-joined duplicates and huge values as no code at all', () => {
    expect([readCountry('US, DE'), readCountry('US,DE'), readCountry('US'.repeat(5_000))]).toEqual([null, null, null]);
    expect([readRegion('CA, QC', 'US'), readRegion('US-CA,US-TX', 'US')]).toEqual([null, null]);
  });
});

describe('a required category is never a sale/share one', () => {
  it('whatever an editor set on it', () => {
    const necessary = { key: 'necessary', required: true, refusedUnderGpc: true, saleShare: true, c15tType: 'marketing' };
    expect(saleShareOf(necessary)).toBe(false);
    expect(modelCategory(necessary).saleShare).toBe(false);
    expect(refusedByGpc('opt-out', [modelCategory(necessary)], true)).toEqual([]);
    expect(defaultsFor('opt-out', [modelCategory(necessary)], true)).toEqual({ necessary: true });
    expect(saleShareOf({ key: 'ads', required: false, saleShare: true })).toBe(true);
    expect(saleShareOf({ key: 'marketing', required: false })).toBe(true);
    expect(saleShareOf({ key: 'marketing', required: false, saleShare: false })).toBe(false);
  });
});
