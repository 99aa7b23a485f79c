// What c15t's `GET /init` answers, built from a published revision of the cookie declaration.
// Pure: the service gathers the inputs (revision, locales, location), this shapes the answer.
import type { DeclarationSnapshot } from '../cookies/types';
import { C15T_CONSENT_TYPES, c15tTypeOf, type C15tConsentType } from './consent-types';
import type { Location, ResolvedJurisdiction } from '../regions';
import { c15tJurisdictionOf, c15tModelOf } from './jurisdiction';

/** c15t's own texts for one language (`@c15t/translations`): every key its UI reads. */
export type C15tTranslations = {
  consentTypes: Record<C15tConsentType, { title: string; description: string }>;
} & Record<string, unknown>;

export interface InitInput {
  revision: { revision: number; hash: string; snapshot: DeclarationSnapshot };
  /** The language chosen for the answer (see chooseLanguage). */
  language: string;
  /** c15t's texts for that language (English when c15t has none for it). */
  defaults: C15tTranslations;
  /** The plugin's jurisdiction of the request (regions), told to c15t in its own codes. */
  jurisdiction: ResolvedJurisdiction;
  location: Location;
}

/** The c15t types a revision's categories stand for, necessary first, each once. */
export function declaredTypes(snapshot: DeclarationSnapshot): C15tConsentType[] {
  const used = new Set(snapshot.categories.map(c15tTypeOf));
  used.add('necessary');
  return C15T_CONSENT_TYPES.filter((type) => used.has(type));
}

/**
 * The entry of `policy.consent.categories` that names the revision. c15t asks again when the
 * "material fingerprint" of the policy changes, and that fingerprint covers the policy's model,
 * consent, ui and proof settings but not its id: a new revision must change one of them. c15t
 * ignores an entry that is not one of its consent types (it only filters its switches by them).
 */
export const revisionMarker = (revision: { revision: number; hash: string }) => `declaration:r${revision.revision}:${revision.hash.slice(0, 16)}`;

/**
 * The `/init` answer: where the visitor is and which law applies, c15t's texts in the chosen
 * language with the declaration's category names and descriptions over them (when the
 * declaration has that language; several categories standing for one type share its switch, so
 * their texts are joined), and the revision as c15t's policy, so that its banner shows exactly
 * the switches the declaration has and a new revision asks again.
 */
export function buildInit(input: InitInput) {
  const { revision, language, defaults, location } = input;
  const jurisdiction = c15tJurisdictionOf(input.jurisdiction.code);
  const types = declaredTypes(revision.snapshot);
  const consentTypes = { ...defaults.consentTypes };
  if (revision.snapshot.locales.includes(language)) {
    for (const type of types) {
      const texts = revision.snapshot.categories
        .filter((c) => c15tTypeOf(c) === type)
        .map((c) => c.locales[language])
        .filter((text): text is { name: string; description: string } => Boolean(text));
      if (!texts.length) continue;
      consentTypes[type] = {
        title: texts.map((t) => t.name).join(' · '),
        description: texts.map((t) => t.description).filter(Boolean).join(' ') || consentTypes[type].description,
      };
    }
  }
  const policyId = `privacy-centre-cookies-r${revision.revision}`;
  return {
    jurisdiction,
    location: { countryCode: location.countryCode, regionCode: location.regionCode },
    translations: { language, translations: { ...defaults, consentTypes } },
    branding: 'none' as const,
    policy: {
      id: policyId,
      model: c15tModelOf(input.jurisdiction.model),
      // strict: c15t shows the switches of these types only (and sends only them).
      consent: { scopeMode: 'strict' as const, categories: [...types, revisionMarker(revision)] },
    },
    policyDecision: {
      policyId,
      fingerprint: revision.hash,
      matchedBy: location.countryCode ? ('country' as const) : ('default' as const),
      country: location.countryCode,
      region: location.regionCode,
      jurisdiction,
    },
  };
}

export type InitOutput = ReturnType<typeof buildInit>;

/** Language codes of an Accept-Language header, most wanted first (q=0 dropped; bounded). */
export function acceptedLanguages(header: string | undefined): string[] {
  if (!header) return [];
  const entries = header
    .slice(0, 512)
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/.exec(p)).find(Boolean);
      return { tag: tag.trim(), q: q ? Number(q[1]) : 1, index };
    })
    .filter((e) => e.q > 0 && /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/.test(e.tag));
  return entries.sort((a, b) => b.q - a.q || a.index - b.index).map((e) => e.tag);
}

/**
 * The answer's language: the first wanted one (`?lang`, else Accept-Language) that the
 * declaration or c15t has, by its exact code (`pt-BR`) or its base (`pt`); else the
 * declaration's default locale.
 */
export function chooseLanguage(wanted: string[], declared: string[], c15tLanguages: string[], defaultLocale: string): string {
  const known = (code: string) => declared.find((d) => d.toLowerCase() === code.toLowerCase()) ?? c15tLanguages.find((l) => l === code.toLowerCase());
  for (const code of wanted) {
    const found = known(code) ?? known(code.split('-')[0]);
    if (found) return found;
  }
  return defaultLocale;
}
