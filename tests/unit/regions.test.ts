import {
  AREA_PATTERN,
  DEFAULT_AREAS,
  defaultsFor,
  gpcHonoured,
  JURISDICTIONS,
  jurisdictionByCode,
  readCountry,
  readRegion,
  refusedByGpc,
  resolveJurisdiction,
  type ModelCategory,
  type RegionTable,
} from '../../server/src/regions';
import { saleShareOf } from '../../server/src/regions/categories';
import { consentModeDefaults, consentModeScript } from '../../server/src/regions/consent-mode';
import { tableProblems, diffTables } from '../../server/src/services/regions';
import type { DeclarationSnapshot } from '../../server/src/cookies/types';

const table = (overrides: Partial<RegionTable> = {}): RegionTable => ({ areas: { ...DEFAULT_AREAS }, models: {}, defaultJurisdiction: 'GDPR', ...overrides });
const at = (country: string | null, region: string | null = null, t = table()) => resolveJurisdiction(t, { countryCode: country, regionCode: region });

const categories: ModelCategory[] = [
  { key: 'necessary', required: true, refusedUnderGpc: false, saleShare: false },
  { key: 'statistics', required: false, refusedUnderGpc: false, saleShare: false },
  { key: 'marketing', required: false, refusedUnderGpc: true, saleShare: true },
  { key: 'social', required: false, refusedUnderGpc: true, saleShare: false },
];

describe('the default table', () => {
  it('names a known jurisdiction for every area, with a source for each jurisdiction', () => {
    for (const [area, code] of Object.entries(DEFAULT_AREAS)) {
      expect(AREA_PATTERN.test(area)).toBe(true);
      expect(jurisdictionByCode(code)).toBeDefined();
    }
    for (const jurisdiction of JURISDICTIONS) expect(jurisdiction.source.length).toBeGreaterThan(4);
    expect(new Set(JURISDICTIONS.map((j) => j.code)).size).toBe(JURISDICTIONS.length);
  });

  it('resolves a subdivision before its country, the country before the default', () => {
    expect(at('US', 'CA')).toEqual({ code: 'CCPA', model: 'opt-out', country: 'US', region: 'CA' });
    expect(at('US', 'CO').code).toBe('CPA');
    expect(at('US', 'NY')).toEqual({ code: 'GDPR', model: 'opt-in', country: 'US', region: 'NY' });
    expect(at('CA', 'QC').code).toBe('QC_LAW25');
    expect(at('CA', 'ON').code).toBe('PIPEDA');
    expect(at('DE').code).toBe('GDPR');
    expect(at('BR').code).toBe('LGPD');
    expect(at(null, 'CA')).toEqual({ code: 'GDPR', model: 'opt-in', country: null, region: null });
    expect(at('US', null, table({ defaultJurisdiction: 'NONE' }))).toMatchObject({ code: 'NONE', model: 'notice' });
  });

  it('applies an edited model and an edited area', () => {
    const edited = table({ areas: { ...DEFAULT_AREAS, US: 'NONE', 'US-CA': 'GDPR' }, models: { GDPR: 'notice' } });
    expect(at('US', 'CA', edited)).toMatchObject({ code: 'GDPR', model: 'notice' });
    expect(at('US', 'WA', edited)).toMatchObject({ code: 'NONE', model: 'notice' });
    expect(at('US', 'CO', edited)).toMatchObject({ code: 'CPA', model: 'opt-out' });
  });

  it('reads only well-formed, short header values', () => {
    expect([readCountry('us'), readCountry(' US '), readCountry('XX'), readCountry('U S'), readCountry('x'.repeat(100_000))]).toEqual(['US', 'US', null, null, null]);
    expect([readRegion('us-ca'), readRegion('CA'), readRegion('CA-'), readRegion('\t'.repeat(100_000) + 'CA')]).toEqual(['CA', 'CA', null, null]);
  });
});

describe('what each model means for a banner', () => {
  it('opt-in refuses every optional category; opt-out and notice grant them', () => {
    expect(defaultsFor('opt-in', categories, false)).toEqual({ necessary: true, statistics: false, marketing: false, social: false });
    expect(defaultsFor('opt-out', categories, false)).toEqual({ necessary: true, statistics: true, marketing: true, social: true });
    expect(defaultsFor('notice', categories, false)).toEqual({ necessary: true, statistics: true, marketing: true, social: true });
  });

  it('GPC refuses exactly the sale/share categories under opt-out, and what categories say elsewhere', () => {
    expect(refusedByGpc('opt-out', categories, true)).toEqual(['marketing']);
    expect(refusedByGpc('opt-in', categories, true)).toEqual(['marketing', 'social']);
    expect(refusedByGpc('notice', categories, true)).toEqual(['marketing', 'social']);
    expect(refusedByGpc('opt-out', categories, false)).toEqual([]);
    expect(defaultsFor('opt-out', categories, true)).toEqual({ necessary: true, statistics: true, marketing: false, social: true });
    expect(defaultsFor('notice', categories, true)).toEqual({ necessary: true, statistics: true, marketing: false, social: false });
    expect([gpcHonoured('opt-out', true), gpcHonoured('opt-in', true), gpcHonoured('opt-out', false)]).toEqual([true, false, false]);
  });

  it('a category is sale/share as chosen, else when it stands for marketing', () => {
    expect(saleShareOf({ key: 'marketing', required: false })).toBe(true);
    expect(saleShareOf({ key: 'ads', required: false })).toBe(true);
    expect(saleShareOf({ key: 'statistics', required: false })).toBe(false);
    expect(saleShareOf({ key: 'marketing', required: false, saleShare: false })).toBe(false);
    expect(saleShareOf({ key: 'social', required: false, saleShare: true })).toBe(true);
    expect(saleShareOf({ key: 'videos', required: false, c15tType: 'marketing' })).toBe(true);
  });
});

describe('Consent Mode defaults per region', () => {
  const snapshot = {
    locales: ['en'],
    categories: [
      { key: 'necessary', required: true, consentMode: ['security_storage'], refusedUnderGpc: false, locales: {}, cookies: [] },
      { key: 'statistics', required: false, consentMode: ['analytics_storage'], refusedUnderGpc: false, locales: {}, cookies: [] },
      { key: 'marketing', required: false, consentMode: ['ad_storage', 'ad_user_data', 'ad_personalization'], refusedUnderGpc: true, locales: {}, cookies: [] },
    ],
  } as unknown as DeclarationSnapshot;

  it('gives one command per jurisdiction with its areas, then the global default', () => {
    const commands = consentModeDefaults(snapshot, table({ areas: { DE: 'GDPR', FR: 'GDPR', 'US-CA': 'CCPA', US: 'NONE' }, defaultJurisdiction: 'GDPR' }));
    expect(commands.map((c) => (c[2] as any).region ?? 'global')).toEqual([['US-CA'], ['DE', 'FR'], ['US'], 'global']);
    const [ccpa, gdpr, , global] = commands;
    expect(ccpa.slice(0, 2)).toEqual(['consent', 'default']);
    expect(ccpa[2]).toMatchObject({ ad_storage: 'granted', analytics_storage: 'granted', security_storage: 'granted' });
    expect(gdpr[2]).toMatchObject({ ad_storage: 'denied', analytics_storage: 'denied', security_storage: 'granted' });
    // The default jurisdiction's signals, for every area not listed.
    const { region: _areas, ...gdprSignals } = gdpr[2] as Record<string, unknown>;
    expect(global[2]).toEqual(gdprSignals);
    const script = consentModeScript(commands);
    expect(script.split('\n').filter((line) => line.startsWith('gtag('))).toHaveLength(4);
    expect(script).toContain('gtag("consent", "default", {');
  });
});

describe('an edited table', () => {
  it('is refused with every problem named', () => {
    expect(tableProblems([])).toEqual(['the body must be { areas, models, defaultJurisdiction }']);
    const problems = tableProblems({ areas: { de: 'GDPR', 'US-CA': 'MARS' }, models: { GDPR: 'maybe' }, defaultJurisdiction: 'X', extra: 1 });
    expect(problems).toEqual([
      'unknown field: extra',
      'areas must be ISO 3166 codes such as DE or US-CA: de',
      'areas name an unknown jurisdiction: US-CA',
      'models must map known jurisdiction codes to opt-in, opt-out or notice: GDPR',
      'defaultJurisdiction must be a known jurisdiction code',
    ]);
    expect(tableProblems({ areas: { DE: 'GDPR' }, defaultJurisdiction: 'GDPR' })).toEqual([]);
    expect(tableProblems({ areas: Object.fromEntries(Array.from({ length: 7000 }, (_, i) => [`A${i}`, 'GDPR'])), defaultJurisdiction: 'GDPR' })).toEqual([
      'areas holds more than 6000 entries',
    ]);
  });

  it('is audited as what changed', () => {
    expect(diffTables(table(), table({ areas: { ...DEFAULT_AREAS, US: 'NONE', DE: 'UK_GDPR' }, models: { CCPA: 'opt-in' }, defaultJurisdiction: 'NONE' }))).toEqual({
      areas: { DE: { from: 'GDPR', to: 'UK_GDPR' }, US: { from: null, to: 'NONE' } },
      models: { CCPA: { from: null, to: 'opt-in' } },
      defaultJurisdiction: { from: 'GDPR', to: 'NONE' },
    });
  });
});
