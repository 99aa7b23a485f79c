/**
 * cookieconsent v3 on the plugin: `strapi-plugin-privacy-centre/cookieconsent`.
 *
 *   import * as CookieConsent from 'vanilla-cookieconsent';
 *   import { connectCookieConsent } from 'strapi-plugin-privacy-centre/cookieconsent';
 *   await connectCookieConsent(CookieConsent, { url: 'https://cms.example.com', locale: 'fi' });
 *
 * The site passes its own cookieconsent (a peer it installs; never bundled here: only its types
 * are imported). The categories and the preference sections come from the published cookie
 * declaration; every decision is recorded through the client, and its receipt is kept in
 * cookieconsent's own cookie (`data.receipt`); Google Consent Mode follows the receipt. Browser only.
 */
import type * as CookieConsentModule from 'vanilla-cookieconsent';
import { createPrivacyCentre, type ConsentReceipt, type CookieDeclaration, type PrivacyCentre, type PrivacyCentreOptions } from './index';

type Config = CookieConsentModule.CookieConsentConfig;
type Translation = CookieConsentModule.Translation;
type CookieValue = CookieConsentModule.CookieValue;

/** The part of cookieconsent's API the adapter uses (the module, or `window.CookieConsent`). */
export type CookieConsentApi = Pick<typeof CookieConsentModule, 'run' | 'getCookie' | 'getUserPreferences' | 'setCookieData' | 'acceptCategory' | 'hide'>;

type DeepPartial<T> = T extends (...args: never[]) => unknown ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

export interface ConnectCookieConsentOptions
  extends Omit<Config, 'categories' | 'language' | 'revision'>,
    Pick<PrivacyCentreOptions, 'url' | 'apiPrefix' | 'fetch' | 'discovery'> {
  /** The declaration's locale, and cookieconsent's language. Default: the page's `<html lang>`, else 'en'. */
  locale?: string;
  /** Added to the declared categories by key (services, autoClear…); keys not declared are ignored. */
  categories?: Config['categories'];
  /** Deep-merged over the texts built here, e.g. `{ translations: { fi: { consentModal: { title: '…' } } } }`. */
  language?: DeepPartial<Config['language']>;
  /** The policy each decision is recorded against (default: the `privacy-policy` in force). */
  policy?: { slug: string; version?: number };
  /** A decision that could not be recorded (it is asked again at the next page load). */
  onError?: (error: unknown) => void;
}

export interface CookieConsentConnection {
  client: PrivacyCentre;
  declaration: CookieDeclaration;
  /** The receipt of the visitor's latest recorded decision, or null. */
  receipt(): ConsentReceipt | null;
}

type Texts = [title: string, description: string, acceptAll: string, rejectAll: string, choose: string, preferencesTitle: string, save: string, close: string, cookie: string, provider: string, purpose: string, duration: string];
/** The banner's own words (the declaration brings the categories' and cookies' texts). */
const TEXTS: Record<string, Texts> = {
  en: ['We use cookies', 'Choose which cookies we may use. You can change your mind at any time.', 'Accept all', 'Reject all', 'Choose', 'Cookie preferences', 'Save my choices', 'Close', 'Cookie', 'Provider', 'Purpose', 'Duration'],
  fi: ['Käytämme evästeitä', 'Valitse, mitä evästeitä saamme käyttää. Voit muuttaa valintaasi milloin tahansa.', 'Hyväksy kaikki', 'Hylkää kaikki', 'Valitse', 'Evästeasetukset', 'Tallenna valintani', 'Sulje', 'Eväste', 'Tarjoaja', 'Tarkoitus', 'Kesto'],
  et: ['Kasutame küpsiseid', 'Valige, milliseid küpsiseid võime kasutada. Võite oma valikut igal ajal muuta.', 'Nõustu kõigiga', 'Keeldu kõigist', 'Vali', 'Küpsiste seaded', 'Salvesta valikud', 'Sulge', 'Küpsis', 'Pakkuja', 'Eesmärk', 'Kestus'],
  de: ['Wir verwenden Cookies', 'Wählen Sie, welche Cookies wir verwenden dürfen. Sie können Ihre Wahl jederzeit ändern.', 'Alle akzeptieren', 'Alle ablehnen', 'Auswählen', 'Cookie-Einstellungen', 'Auswahl speichern', 'Schließen', 'Cookie', 'Anbieter', 'Zweck', 'Dauer'],
};

/** The browser globals used here, typed without the DOM library (the server's compilation has none). */
const web = globalThis as unknown as {
  document?: {
    cookie: string;
    documentElement: { lang: string };
    getElementById(id: string): { addEventListener(type: 'click', listener: (event: { target: unknown; preventDefault(): void }) => void): void } | null;
  };
  localStorage?: { getItem(key: string): string | null };
  location?: { href: string };
};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `over` merged into `base`, objects key by key; anything else (arrays too) replaces. */
function deepMerge<T>(base: T, over: unknown): T {
  if (!isObject(base) || !isObject(over)) return (over === undefined ? base : over) as T;
  const merged: Record<string, unknown> = { ...base };
  for (const key of Object.keys(over)) if (key !== '__proto__') merged[key] = deepMerge(merged[key], over[key]);
  return merged as T;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** cookieconsent's translation of one locale, from the declaration. */
export function translationOf(declaration: CookieDeclaration, locale: string): Translation {
  const [title, description, acceptAllBtn, acceptNecessaryBtn, showPreferencesBtn, preferencesTitle, savePreferencesBtn, closeIconLabel, ...headers] =
    TEXTS[locale.toLowerCase().split('-')[0]] ?? TEXTS.en;
  // Under an opt-out law the banner carries the link the law requires.
  const link = declaration.doNotSell;
  const footer = link ? `<a href="${escapeHtml(link.url)}" data-privacy-centre-do-not-sell>${escapeHtml(link.text)}</a>` : undefined;
  return {
    consentModal: { title, description, acceptAllBtn, acceptNecessaryBtn, showPreferencesBtn, ...(footer ? { footer } : {}) },
    preferencesModal: {
      title: preferencesTitle,
      acceptAllBtn,
      acceptNecessaryBtn,
      savePreferencesBtn,
      closeIconLabel,
      sections: declaration.categories.map((category) => ({
        title: category.name,
        description: category.description,
        // A category the browser's GPC signal refuses has no switch: it cannot be granted here.
        ...(declaration.gpc.refused.includes(category.key) ? {} : { linkedCategory: category.key }),
        ...(category.cookies.length
          ? {
              cookieTable: {
                headers: { name: headers[0], provider: headers[1], purpose: headers[2], duration: headers[3] },
                body: category.cookies.map(({ name, provider, purpose, duration }) => ({ name, provider, purpose, duration })),
              },
            }
          : {}),
      })),
    },
  };
}

/** cookieconsent's saved state, read before `run()` (which is when its own getters start working). */
function savedState(cookie: Config['cookie']): Partial<CookieValue> | null {
  const name = cookie?.name ?? 'cc_cookie';
  try {
    const raw = cookie?.useLocalStorage
      ? web.localStorage!.getItem(name)
      : web.document!.cookie
          .split(/;\s*/)
          .find((pair) => pair.startsWith(`${name}=`))
          ?.slice(name.length + 1);
    const value = raw && JSON.parse(cookie?.useLocalStorage ? raw : decodeURIComponent(raw));
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

const grantedOf = (receipt: Pick<ConsentReceipt, 'state'>) => Object.keys(receipt.state).filter((key) => receipt.state[key] === true);
const sameSet = (a: unknown, b: string[]) => Array.isArray(a) && a.length === b.length && a.every((item) => b.includes(item));

/** Google Consent Mode, when the site loads gtag. */
const updateConsentMode = (receipt: Pick<ConsentReceipt, 'consentMode'>) => {
  const gtag = (globalThis as { gtag?: (...args: unknown[]) => void }).gtag;
  if (typeof gtag === 'function') gtag('consent', 'update', receipt.consentMode);
};

export async function connectCookieConsent(
  CookieConsent: CookieConsentApi,
  { url, apiPrefix, fetch: fetchImpl, discovery, locale: wanted, categories: extra, language, policy, onError, ...runOptions }: ConnectCookieConsentOptions
): Promise<CookieConsentConnection> {
  // Cookie discovery is on by default (a sample of page views, and every decision).
  const client = createPrivacyCentre({ url, apiPrefix, fetch: fetchImpl, discovery });
  const locale = wanted ?? (web.document?.documentElement.lang || 'en');
  let declaration = await client.cookies.declaration({ locale });

  // Whether the visitor must be asked again: no receipt for the decision cookieconsent keeps
  // (never recorded, or its recording failed), or the plugin says so (expired, a new
  // declaration revision, a material policy change), or the receipt is gone from the log.
  const saved = savedState(runOptions.cookie);
  // The cookie is the visitor's to change: anything unexpected in it is a decision to ask for again.
  const held = isObject(saved?.data) && isObject(saved!.data.receipt) ? (saved!.data.receipt as ConsentReceipt) : undefined;
  let askAgain = !!saved?.consentId;
  if (typeof held?.consentId === 'string' && held.subjectId === saved!.consentId && isObject(held.state) && isObject(held.declaration) && sameSet(saved!.categories, grantedOf(held))) {
    const status = await client.consents.status(held.consentId).catch((error) => (error?.status === 404 ? null : undefined));
    // The browser may hold the declaration for up to a minute (Cache-Control): a newer revision
    // than the one it gave is fetched again, past the browser's cache, so it is what is shown.
    if (status && (status.current.declarationRevision ?? 0) > declaration.revision) {
      const revalidate = (input: string, init?: RequestInit) => {
        const fresh = { ...init, cache: 'no-cache' } as RequestInit;
        return fetchImpl ? fetchImpl(input, fresh) : fetch(input, fresh);
      };
      declaration = await createPrivacyCentre({ url, apiPrefix, fetch: revalidate }).cookies.declaration({ locale });
    }
    askAgain =
      status === null ||
      (status ? status.askAgain : held.declaration.revision !== declaration.revision || Date.parse(held.expiresAt) <= Date.now());
    if (!askAgain) updateConsentMode(status ? status.receipt : held);
  }
  const declared = declaration.categories.map((category) => category.key);
  const revision = declaration.revision;
  // cookieconsent asks again when its revision differs from the one in its cookie, and keeps
  // its consentId (the chain goes on). A declaration revision that has not changed while the
  // plugin asks again (expiry, policy change) gets a half step, which only cookieconsent sees.
  const ccRevision = !saved?.consentId ? revision : !askAgain ? saved.revision! : saved.revision === revision ? revision + 0.5 : revision;

  let aligning = false;
  let queue: Promise<unknown> = Promise.resolve();
  const record = (cookie: CookieValue) => {
    queue = queue.then(async () => {
      const previous = (CookieConsent.getCookie('data') as { receipt?: ConsentReceipt } | null)?.receipt;
      const preferences = CookieConsent.getUserPreferences();
      const decision = {
        consentId: cookie.consentId,
        revision,
        acceptType: preferences.acceptType,
        acceptedCategories: preferences.acceptedCategories.filter((key) => declared.includes(key)),
        rejectedCategories: preferences.rejectedCategories.filter((key) => declared.includes(key)),
        languageCode: cookie.languageCode,
        ...(policy ? { policy } : {}),
        ...(web.location ? { source: web.location.href } : {}),
      };
      try {
        const receipt = await client.consents
          .record(previous?.subjectId === cookie.consentId ? { ...decision, previousConsentId: previous.consentId } : decision)
          // 409: another tab of this browser continued that receipt first. This decision then
          // starts a chain of its own (same browser), rather than being asked for again and again.
          .catch((error) => {
            if (error?.status === 409 && error.name === 'ConflictError') return client.consents.record(decision);
            throw error;
          });
        CookieConsent.setCookieData({ value: { receipt }, mode: 'update' });
        updateConsentMode(receipt);
        // What the page stores shortly after the decision (the scripts it enabled have run by then).
        void client.discovery.report({ revision, granted: grantedOf(receipt), phase: 'decision' });
        // What the receipt refused (Global Privacy Control) cookieconsent must not enable either.
        const granted = grantedOf(receipt);
        if (!sameSet(granted, CookieConsent.getUserPreferences().acceptedCategories)) {
          aligning = true;
          try {
            CookieConsent.acceptCategory(granted);
          } finally {
            aligning = false;
          }
        }
      } catch (error) {
        if (onError) onError(error);
        else console.warn('[privacy-centre] the consent decision was not recorded; it will be asked again', error);
      }
    });
  };

  // The request's jurisdiction decides how the banner starts: opt-in refuses until chosen; under
  // opt-out and notice the categories start granted (less what GPC refuses) and the banner does
  // not block the page; under notice with nothing refused it is not shown at all.
  const { model } = declaration.jurisdiction;
  const granted = (key: string) => model !== 'opt-in' && declaration.defaults[key] === true;
  await CookieConsent.run({
    cookie: { expiresAfterDays: 365 },
    ...(model !== 'opt-in' ? { mode: 'opt-out' as const, disablePageInteraction: false } : {}),
    ...(model === 'notice' && declaration.categories.every((category) => category.required || granted(category.key)) ? { autoShow: false } : {}),
    ...runOptions,
    revision: ccRevision,
    // What the browser's GPC signal refuses is not given to cookieconsent at all: "accept all"
    // would otherwise run its scripts until the receipt refused it.
    categories: Object.fromEntries(
      declaration.categories.filter((category) => !declaration.gpc.refused.includes(category.key)).map((category) => [
        category.key,
        { enabled: category.required || granted(category.key), ...extra?.[category.key], ...(category.required ? { enabled: true, readOnly: true } : {}) },
      ])
    ),
    language: deepMerge({ default: locale, translations: { [locale]: translationOf(declaration, locale) } }, language),
    onFirstConsent(event) {
      record(event.cookie);
      runOptions.onFirstConsent?.(event);
    },
    onChange(event) {
      if (!aligning) record(event.cookie);
      runOptions.onChange?.(event);
    },
  });

  // The banner's "Do Not Sell or Share" link opts out in this browser at once: the sale/share
  // categories are refused (and recorded, as any decision) and the banner closes. The page it
  // points to stays for links elsewhere and for browsers without script.
  if (declaration.doNotSell) {
    const saleShare = declaration.categories.filter((category) => category.saleShare).map((category) => category.key);
    web.document?.getElementById('cc-main')?.addEventListener('click', (event) => {
      const target = event.target as { closest?: (selector: string) => unknown } | null;
      if (!target?.closest?.('a[data-privacy-centre-do-not-sell]')) return;
      event.preventDefault();
      CookieConsent.acceptCategory(CookieConsent.getUserPreferences().acceptedCategories.filter((key) => !saleShare.includes(key)));
      CookieConsent.hide();
    });
  }

  // What the page stores once loaded: before any decision (or one to ask again), or under the one held.
  void client.discovery.report({ revision, granted: askAgain || !saved?.consentId ? null : CookieConsent.getUserPreferences().acceptedCategories.filter((key) => declared.includes(key)) });

  return {
    client,
    declaration,
    receipt: () => (CookieConsent.getCookie('data') as { receipt?: ConsentReceipt } | null)?.receipt ?? null,
  };
}
