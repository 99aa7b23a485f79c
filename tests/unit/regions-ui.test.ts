import { areaChange, filterAreas, newAreaProblem, normaliseArea, removedDefaults, sameTable, tableToSave } from '../../admin/src/utils/regions';
import { DEFAULT_AREAS, JURISDICTIONS } from '../../server/src/regions';

/** Settings → Regions: the table as the page edits and saves it (admin/src/utils/regions.ts). */
const jurisdictions = JURISDICTIONS.map((j) => ({ code: j.code, defaultModel: j.model }));

describe('the table the page saves', () => {
  it('drops a model equal to its default, keeps a changed one, and sorts the areas', () => {
    const saved = tableToSave({ areas: { 'US-CA': 'GDPR', DE: 'GDPR' }, models: { GDPR: 'opt-in', CCPA: 'opt-in' }, defaultJurisdiction: 'NONE' }, jurisdictions);
    expect(saved).toEqual({ areas: { DE: 'GDPR', 'US-CA': 'GDPR' }, models: { CCPA: 'opt-in' }, defaultJurisdiction: 'NONE' });
    expect(Object.keys(saved.areas)).toEqual(['DE', 'US-CA']);
  });

  it('sees no change in key order or default-equal models, and sees every real change', () => {
    const base = { areas: { ...DEFAULT_AREAS }, models: {}, defaultJurisdiction: 'GDPR' };
    const reordered = { ...base, areas: Object.fromEntries(Object.entries(DEFAULT_AREAS).reverse()), models: { GDPR: 'opt-in' as const } };
    expect(sameTable(base, reordered, jurisdictions)).toBe(true);
    expect(sameTable(base, { ...base, areas: { ...base.areas, 'US-CA': 'GDPR' } }, jurisdictions)).toBe(false);
    expect(sameTable(base, { ...base, models: { CCPA: 'opt-in' } }, jurisdictions)).toBe(false);
    expect(sameTable(base, { ...base, defaultJurisdiction: 'NONE' }, jurisdictions)).toBe(false);
  });
});

describe('areas', () => {
  it('marks an entry added or changed against the defaults, and lists removed defaults', () => {
    expect(areaChange('US-CA', 'CCPA', DEFAULT_AREAS)).toBeNull();
    expect(areaChange('US-CA', 'GDPR', DEFAULT_AREAS)).toBe('changed');
    expect(areaChange('NO-21', 'NONE', DEFAULT_AREAS)).toBe('added');
    // An own property only: "constructor" is not a default area.
    expect(areaChange('constructor', 'NONE', DEFAULT_AREAS)).toBe('added');
    const { FR: _fr, DE: _de, ...rest } = DEFAULT_AREAS;
    expect(removedDefaults(rest, DEFAULT_AREAS)).toEqual(['DE', 'FR']);
  });

  it('filters by area, jurisdiction code or name, ignoring case, sorted by area', () => {
    const areas = { 'US-CA': 'CCPA', 'US-CO': 'CPA', DE: 'GDPR', CA: 'PIPEDA' };
    const names = { CCPA: 'California: CCPA/CPRA', CPA: 'Colorado Privacy Act', GDPR: 'EU/EEA: GDPR', PIPEDA: 'Canada: PIPEDA' };
    expect(filterAreas(areas, '', names).map(([a]) => a)).toEqual(['CA', 'DE', 'US-CA', 'US-CO']);
    expect(filterAreas(areas, 'us-', names).map(([a]) => a)).toEqual(['US-CA', 'US-CO']);
    expect(filterAreas(areas, 'gdpr', names)).toEqual([['DE', 'GDPR']]);
    expect(filterAreas(areas, ' colorado ', names)).toEqual([['US-CO', 'CPA']]);
    expect(filterAreas(areas, 'mars', names)).toEqual([]);
  });

  it('takes a new area in ISO 3166 form only, once', () => {
    expect(normaliseArea('  us-wa ')).toBe('US-WA');
    expect(newAreaProblem('', {})).toBe('empty');
    expect(newAreaProblem('USA', {})).toBe('pattern');
    expect(newAreaProblem('US-WASH', {})).toBe('pattern');
    expect(newAreaProblem('US-CA', DEFAULT_AREAS)).toBe('exists');
    expect(newAreaProblem('US-WA', DEFAULT_AREAS)).toBeNull();
    expect(newAreaProblem('NO-21', DEFAULT_AREAS)).toBeNull();
  });
});
