// The cookie declaration's pure logic: what a revision freezes, what changed since one, how it
// is served in one locale, and what Consent Mode a consent state means. Shared with the admin.
import type {
  ConsentMode,
  CookieCategory,
  CookieDefinition,
  DeclarationChanges,
  DeclarationSnapshot,
  PublicDeclaration,
} from './types';
import { CONSENT_MODE_SIGNALS } from './types';
import canonicalize from 'canonicalize';
import { byCodeUnits } from '../policy/patterns';
import { c15tTypeOf } from '../c15t/consent-types';
import { saleShareOf } from '../regions/categories';

const byPosition = <T extends { position: number }>(key: (item: T) => string) => (a: T, b: T) =>
  a.position - b.position || byCodeUnits(key(a), key(b));

/** What a revision freezes: categories in order, each with its cookies in order, every locale. */
export function buildSnapshot(categories: CookieCategory[], definitions: CookieDefinition[]): DeclarationSnapshot {
  const locales = new Set<string>();
  const sorted = [...categories].sort(byPosition((c) => c.key));
  return {
    categories: sorted.map(({ position: _position, ...category }) => {
      Object.keys(category.locales).forEach((code) => locales.add(code));
      const cookies = definitions
        .filter((d) => d.category === category.key)
        .sort(byPosition((d) => d.name))
        .map(({ documentId: _id, category: _category, position: _p, ...cookie }) => {
          Object.keys(cookie.locales).forEach((code) => locales.add(code));
          return cookie;
        });
      return { ...category, consentMode: [...category.consentMode].sort(), cookies };
    }),
    locales: [...locales].sort(),
  };
}

/** Equal as data: PostgreSQL's jsonb gives objects back with their keys in another order. */
const same = (a: unknown, b: unknown) => canonicalize(a) === canonicalize(b);

/** What differs between the latest revision and what editors have now. */
export function diffSnapshots(since: number | null, previous: DeclarationSnapshot | null, next: DeclarationSnapshot): DeclarationChanges {
  const before = new Map((previous?.categories ?? []).map((c, index) => [c.key, { c, index }]));
  const after = new Map(next.categories.map((c, index) => [c.key, { c, index }]));
  const cookieKey = (category: string, name: string) => `${category}/${name}`;
  const cookiesOf = (snapshot: DeclarationSnapshot | null) =>
    new Map((snapshot?.categories ?? []).flatMap((c) => c.cookies.map((cookie, index) => [cookieKey(c.key, cookie.name), { cookie, index }] as const)));
  const cookiesBefore = cookiesOf(previous);
  const cookiesAfter = cookiesOf(next);
  const categories = {
    added: [...after.keys()].filter((k) => !before.has(k)),
    removed: [...before.keys()].filter((k) => !after.has(k)),
    changed: [...after.keys()].filter((k) => {
      const old = before.get(k);
      if (!old) return false;
      const { cookies: _a, ...was } = old.c;
      const { cookies: _b, ...now } = after.get(k)!.c;
      return !same(was, now) || old.index !== after.get(k)!.index;
    }),
  };
  const cookies = {
    added: [...cookiesAfter.keys()].filter((k) => !cookiesBefore.has(k)),
    removed: [...cookiesBefore.keys()].filter((k) => !cookiesAfter.has(k)),
    changed: [...cookiesAfter.keys()].filter((k) => {
      const old = cookiesBefore.get(k);
      return Boolean(old) && (!same(old!.cookie, cookiesAfter.get(k)!.cookie) || old!.index !== cookiesAfter.get(k)!.index);
    }),
  };
  const changed = since === null || Object.values(categories).some((l) => l.length) || Object.values(cookies).some((l) => l.length);
  return { since, changed, categories, cookies };
}

/**
 * A revision as served in one locale: each text in the locale asked for when it has one, else
 * in the default locale, else in any locale it has. `fallback` says whether anything fell back.
 */
export function publicDeclaration(
  revision: { revision: number; hash: string; publishedAt: string; snapshot: DeclarationSnapshot },
  wanted: string | null,
  defaultLocale: string
): PublicDeclaration {
  const locale = wanted && revision.snapshot.locales.includes(wanted) ? wanted : defaultLocale;
  let fallback = locale !== (wanted ?? defaultLocale);
  const pick = <T>(texts: Record<string, T>): T => {
    if (texts[locale]) return texts[locale];
    fallback = true;
    return texts[defaultLocale] ?? texts[Object.keys(texts).sort()[0]];
  };
  const categories = revision.snapshot.categories.map((category) => {
    const text = pick(category.locales) ?? { name: category.key, description: '' };
    return {
      key: category.key,
      name: text.name,
      description: text.description,
      required: category.required,
      consentMode: category.consentMode,
      refusedUnderGpc: category.refusedUnderGpc,
      c15tType: c15tTypeOf(category),
      saleShare: saleShareOf(category),
      cookies: category.cookies.map((cookie) => {
        const cookieText = pick(cookie.locales) ?? { purpose: '', duration: '' };
        return {
          name: cookie.name,
          provider: cookie.provider,
          domain: cookie.domain,
          purpose: cookieText.purpose,
          duration: cookieText.duration,
          storageType: cookie.storageType,
          thirdParty: cookie.thirdParty,
          service: cookie.service,
        };
      }),
    };
  });
  return {
    revision: revision.revision,
    hash: revision.hash,
    publishedAt: revision.publishedAt,
    locale,
    fallback,
    locales: revision.snapshot.locales,
    categories,
  };
}

/**
 * The Consent Mode v2 object for a consent state: a signal is granted when every category that
 * carries it is granted (a signal two categories share is not granted by consenting to one of
 * them), and denied when no category carries it.
 */
export function consentModeOf(snapshot: DeclarationSnapshot, state: Record<string, boolean>): ConsentMode {
  const mode = {} as ConsentMode;
  for (const signal of CONSENT_MODE_SIGNALS) {
    const carriers = snapshot.categories.filter((c) => c.consentMode.includes(signal));
    mode[signal] = carriers.length && carriers.every((c) => state[c.key] === true) ? 'granted' : 'denied';
  }
  return mode;
}
