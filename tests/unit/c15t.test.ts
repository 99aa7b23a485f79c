import { C15T_CONSENT_TYPES, c15tTypeOf, defaultC15tType } from '../../server/src/c15t/consent-types';
import { acceptedLanguages, buildInit, chooseLanguage, declaredTypes, revisionMarker } from '../../server/src/c15t/init';
import { c15tJurisdictionOf, c15tModelOf } from '../../server/src/c15t/jurisdiction';
import { DEFAULT_AREAS, readCountry, readRegion, resolveJurisdiction } from '../../server/src/regions';
import { postSubjectBody } from '../../server/src/contract/c15t';
import type { DeclarationSnapshot } from '../../server/src/cookies/types';

/** The pure half of the c15t backend: category ↔ type mapping, jurisdictions, languages, /init. */
const category = (key: string, extra: Record<string, unknown> = {}) => ({
  key,
  required: key === 'necessary',
  consentMode: [],
  refusedUnderGpc: false,
  locales: { en: { name: key.toUpperCase(), description: `${key} text` } },
  cookies: [],
  ...extra,
});
const snapshot = (categories: DeclarationSnapshot['categories']): DeclarationSnapshot => ({ locales: ['en'], categories });
const defaults = Object.fromEntries(C15T_CONSENT_TYPES.map((t) => [t, { title: `c15t ${t}`, description: `c15t ${t} text` }]));

describe('category ↔ c15t consent type', () => {
  it('defaults by key and requirement', () => {
    expect(['necessary', 'preferences', 'statistics', 'marketing', 'analytics', 'social', 'constructor'].map((key) => defaultC15tType({ key, required: key === 'necessary' }))).toEqual([
      'necessary',
      'functionality',
      'measurement',
      'marketing',
      'measurement',
      'experience',
      // Not Object.prototype's constructor.
      'experience',
    ]);
    // Required is necessary whatever the key; a category that is not required never is.
    expect(defaultC15tType({ key: 'security', required: true })).toBe('necessary');
    expect(defaultC15tType({ key: 'necessary', required: false })).toBe('experience');
  });

  it('prefers the chosen type; revisions without the field derive it', () => {
    expect(c15tTypeOf({ key: 'preferences', required: false, c15tType: 'experience' })).toBe('experience');
    expect(c15tTypeOf({ key: 'preferences', required: false })).toBe('functionality');
  });
});

describe('jurisdiction', () => {
  it('maps countries and regions, and falls back to the configured default', () => {
    const table = (defaultJurisdiction: string) => ({ areas: { ...DEFAULT_AREAS }, models: {}, defaultJurisdiction });
    const of = (countryCode: string | null, regionCode: string | null = null) =>
      c15tJurisdictionOf(resolveJurisdiction(table('GDPR'), { countryCode, regionCode }).code);
    expect([of('FI'), of('NO'), of('GB'), of('CH'), of('US', 'CA'), of('US', 'NY'), of('CA', 'QC'), of('CA'), of('JP'), of(null), of('US', 'CO'), of('BR')]).toEqual([
      'GDPR', 'GDPR', 'UK_GDPR', 'CH', 'CCPA', 'GDPR', 'QC_LAW25', 'PIPEDA', 'APPI', 'GDPR', 'CCPA', 'BR',
    ]);
    expect(resolveJurisdiction(table('NONE'), { countryCode: 'US', regionCode: null }).code).toBe('NONE');
    expect([c15tModelOf('opt-in'), c15tModelOf('opt-out'), c15tModelOf('notice')]).toEqual(['opt-in', 'opt-out', 'none']);
  });

  it('reads only well-formed header values', () => {
    expect([readCountry(' fi '), readCountry('XX'), readCountry('T1'), readCountry('FIN'), readCountry(undefined), readCountry('F\u0000')]).toEqual(['FI', null, null, null, null, null]);
    expect([readRegion('US-CA'), readRegion('qc'), readRegion('CA-QC-X'), readRegion(' '.repeat(10_000))]).toEqual(['CA', 'QC', null, null]);
  });
});

describe('languages', () => {
  it('orders Accept-Language by q, drops q=0 and junk, and stays bounded', () => {
    expect(acceptedLanguages('fi;q=0.5, de-AT, en;q=0, *, x_y, sv;q=0.9')).toEqual(['de-AT', 'sv', 'fi']);
    expect(acceptedLanguages(`${'en,'.repeat(100_000)}fi`).length).toBeLessThanOrEqual(20);
    expect(acceptedLanguages(undefined)).toEqual([]);
  });

  it('chooses the declaration\'s code, else c15t\'s base language, else the default locale', () => {
    expect(chooseLanguage(['pt-br'], ['en', 'pt-BR'], ['en', 'pt'], 'en')).toBe('pt-BR');
    expect(chooseLanguage(['pt-PT'], ['en'], ['en', 'pt'], 'en')).toBe('pt');
    expect(chooseLanguage(['tlh', 'fi'], ['en', 'fi'], ['en'], 'en')).toBe('fi');
    expect(chooseLanguage(['tlh'], ['fi'], ['en'], 'fi')).toBe('fi');
  });
});

describe('buildInit', () => {
  const revision = {
    revision: 7,
    hash: 'a'.repeat(64),
    snapshot: snapshot([category('necessary'), category('preferences'), category('social'), category('videos', { c15tType: 'experience' })]),
  };
  const init = (language = 'en') => buildInit({ revision, language, defaults: { consentTypes: defaults } as any, jurisdiction: { code: 'GDPR', model: 'opt-in', country: null, region: null }, location: { countryCode: null, regionCode: null } });

  it('lists the declared types once, necessary first, and names the revision', () => {
    expect(declaredTypes(revision.snapshot)).toEqual(['necessary', 'functionality', 'experience']);
    expect(init().policy.consent.categories).toEqual(['necessary', 'functionality', 'experience', revisionMarker(revision)]);
    expect(revisionMarker(revision)).toBe(`declaration:r7:${'a'.repeat(16)}`);
  });

  it('names each type as the declaration does, joining categories that share one', () => {
    const { consentTypes } = init().translations.translations;
    expect(consentTypes.experience).toEqual({ title: 'SOCIAL · VIDEOS', description: 'social text videos text' });
    expect(consentTypes.measurement).toEqual(defaults.measurement);
    // A language the declaration does not have: c15t's texts only.
    expect(init('fi').translations.translations.consentTypes.experience).toEqual(defaults.experience);
  });
});

describe('the POST /subjects contract', () => {
  const body = { type: 'cookie_banner', subjectId: 'sub_2jv6z8n4q9abc', domain: 'example.com', preferences: { necessary: true }, givenAt: 1735689600000 };
  it('accepts what c15t 2.2.1 sends and refuses unknown types and fields', () => {
    expect(postSubjectBody.safeParse({ ...body, jurisdiction: 'GDPR', jurisdictionModel: 'opt-in', consentAction: 'all', uiSource: 'api' }).success).toBe(true);
    expect(postSubjectBody.safeParse({ ...body, preferences: { ads: true } }).success).toBe(false);
    expect(postSubjectBody.safeParse({ ...body, extra: 1 }).success).toBe(false);
    expect(postSubjectBody.safeParse({ ...body, metadata: { nested: { a: 1 } } }).success).toBe(false);
  });
});

describe('the c15t routes', () => {
  it('declare request and response schemas that convert to JSON Schema (for OpenAPI)', () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { z } = require('@strapi/utils');
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { c15tRoutes } = require('../../server/src/routes/c15t');
    expect(c15tRoutes.map((r: any) => `${r.method} ${r.path}`)).toEqual(['GET /c15t/init', 'POST /c15t/subjects', 'GET /c15t/subjects/:id', 'PATCH /c15t/subjects/:id']);
    for (const route of c15tRoutes) {
      const schemas = [
        route.response,
        ...Object.values(route.request.query ?? {}),
        ...Object.values(route.request.params ?? {}),
        ...Object.values(route.request.body ?? {}),
      ];
      for (const schema of schemas) expect(() => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })).not.toThrow();
    }
  });
});
