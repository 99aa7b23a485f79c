/**
 * The typed client of the plugin's public API: `strapi-plugin-privacy-centre/client`.
 *
 * Runs wherever `fetch` does (browsers, Node 20+, SSR frameworks) and imports nothing at runtime:
 * it is bundled alone into sites, under a 4 KB (minified, gzipped) budget that a unit test keeps.
 * The types come from the plugin's OpenAPI document (./openapi.d.ts, generated: never edit it).
 */
import { isObservedName, isPagePath, MAX_NAMES_PER_REPORT, MAX_PATH_LENGTH } from '../discovery/names';
import type { components, operations } from './openapi';

type Schemas = components['schemas'];
/** The `data` of an operation's JSON answer with that status, as the document describes it. */
type Data<Op extends keyof operations, Status extends keyof operations[Op]['responses']> = operations[Op]['responses'][Status] extends {
  content: { 'application/json': { data: infer D } };
}
  ? D
  : never;

export type PolicyVersion = Schemas['PolicyVersion'];
export type PolicyChangelog = Schemas['PolicyChangelog'];
export type CookieDeclaration = Schemas['CookieDeclaration'];
export type ConsentInput = Schemas['ConsentInput'];
export type CookieConsentInput = Schemas['CookieConsentInput'];
export type ConsentReceipt = Schemas['ConsentReceipt'];
export type ConsentStatus = Schemas['ConsentStatus'];
export type VerifyResult = Schemas['VerifyResult'];
export type NewsletterSubscribeInput = Schemas['NewsletterSubscribeInput'];
/**
 * The route also reads the token from the link's query string (one-click), so the document
 * leaves it optional; a frontend calling the client always sends it in the body.
 */
export type NewsletterUnsubscribeInput = Pick<Schemas['NewsletterUnsubscribeInput'], 'reason'> & {
  token: NonNullable<Schemas['NewsletterUnsubscribeInput']['token']>;
};
export type SubjectRequestInput = Schemas['SubjectRequestInput'];
/** The 202 of a sign-up and of a data-subject request: the same for every address. */
export type Accepted = Schemas['Accepted']['data'];
export type NewsletterUnsubscribed = Data<'unsubscribeNewsletter', 200>;
export type CookieObservationInput = Schemas['CookieObservationInput'];

export interface DiscoveryOptions {
  /**
   * The share of page views whose first report ('load') is sent: 0.1 by default, 1 for every
   * page view, 0 for none. The report right after a decision is always sent.
   */
  sampleRate?: number;
  /** How long after the page's load (or the decision) the names are read: scripts set theirs meanwhile. Default 1500 ms. */
  delayMs?: number;
}

/** What a page reports, and when: 'load' (sampled, once the page has loaded) or 'decision' (always, shortly after it). */
export interface DiscoveryReport {
  /** The revision of the declaration the page runs (`declaration.revision`). */
  revision: number;
  /** The visitor's consent now: null before any decision, else the granted category keys. */
  granted: string[] | null;
  phase?: 'load' | 'decision';
}

export interface PrivacyCentreOptions {
  /** Strapi's public URL, e.g. https://cms.example.com */
  url: string;
  /** Strapi's `api.rest.prefix`; '/api' unless the app changed it. */
  apiPrefix?: string;
  /** Another fetch (a server framework's, a test's); the global one by default. */
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  /** Cookie discovery's reports (names only, never values); `false` sends none. */
  discovery?: DiscoveryOptions | false;
}

export interface LocaleOption {
  locale?: string;
}

export interface PrivacyCentre {
  policies: {
    current(slug: string, options?: LocaleOption): Promise<PolicyVersion>;
    upcoming(slug: string, options?: LocaleOption): Promise<PolicyVersion>;
    versions(slug: string): Promise<PolicyChangelog>;
    version(slug: string, version: number, options?: LocaleOption): Promise<PolicyVersion>;
  };
  cookies: {
    declaration(options?: LocaleOption): Promise<CookieDeclaration>;
  };
  consents: {
    record(input: ConsentInput | CookieConsentInput): Promise<ConsentReceipt>;
    beacon(input: ConsentInput | CookieConsentInput): boolean;
    status(consentId: string): Promise<ConsentStatus>;
    verify(receipt: ConsentReceipt): Promise<VerifyResult>;
  };
  newsletter: {
    subscribe(input: NewsletterSubscribeInput): Promise<Accepted>;
    unsubscribe(input: NewsletterUnsubscribeInput): Promise<NewsletterUnsubscribed>;
  };
  requests: {
    create(input: SubjectRequestInput): Promise<Accepted>;
  };
  discovery: {
    /**
     * Reports the names this page stores (cookies, localStorage and sessionStorage keys, never
     * values) with its path, by navigator.sendBeacon, at most once per phase per page view
     * (per client). Never blocks: resolves to whether a report was sent.
     */
    report(report: DiscoveryReport): Promise<boolean>;
  };
}

/**
 * Every failure: Strapi's error answer (`status`, `name`, `message`, `details` as it sent them),
 * or status 0 and name `NetworkError` when no answer came.
 */
export class PrivacyCentreError extends Error {
  readonly status: number;
  readonly details: unknown;
  constructor(status: number, name: string, message: string, details?: unknown) {
    super(message);
    this.name = name;
    this.status = status;
    this.details = details;
  }
}

/** Attempts after the first; each waits longer (or what Retry-After says, when it says little). */
const RETRIES = 2;
/** A Retry-After longer than this is a wait the visitor should not sit through: it is thrown. */
const MAX_WAIT_MS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retry-After in milliseconds (seconds or an HTTP date), or undefined when absent or unreadable. */
const retryAfter = (value: string | null) => {
  if (!value) return undefined;
  const ms = /^\d+$/.test(value) ? +value * 1000 : Date.parse(value) - Date.now();
  return ms === ms ? Math.max(0, ms) : undefined; // NaN ≠ NaN: an unreadable date
};

/** Without its trailing (and leading) slashes; a loop, as a regular expression here backtracks. */
const trimSlashes = (text: string, leading = false) => {
  let start = 0;
  let end = text.length;
  while (leading && text[start] === '/') start++;
  while (end > start && text[end - 1] === '/') end--;
  return text.slice(start, end);
};

/** A requestId per call: the server recognises a retry by subjectId + requestId. */
const newRequestId = (): string =>
  globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

/** The browser globals discovery reads, typed without the DOM library (the server's compilation has none). */
type Listener = (this: unknown) => void;
const page = globalThis as unknown as {
  document?: { cookie: string; readyState: string };
  localStorage?: Storage;
  sessionStorage?: Storage;
  location?: { pathname: string };
  navigator?: { sendBeacon?(url: string, data: Blob): boolean };
  addEventListener?(type: string, listener: Listener, options?: { once: boolean }): void;
};
interface Storage {
  length: number;
  key(index: number): string | null;
}

/** The keys of a Web Storage; none when the browser refuses access (a sandboxed frame, blocked storage). */
const keysOf = (storage: () => Storage | undefined) => {
  try {
    const store = storage();
    return store ? Array.from({ length: store.length }, (_, index) => store.key(index) ?? '') : [];
  } catch {
    return [];
  }
};

/**
 * The page path as the intake takes it: characters a path may not hold unencoded are encoded
 * (browsers leave a few, such as `'`), at most 512 characters; '/' when it still is not one.
 */
const pagePath = (pathname: string) => {
  const path = pathname.replace(/[^A-Za-z0-9\-._~!$&()*+,;=:@%/]/g, encodeURIComponent).replace(/^\/+/, '/').slice(0, MAX_PATH_LENGTH);
  return isPagePath(path) ? path : '/';
};

/** What the page stores now: names only, each valid name once, at most 200 in all (cookies first). */
function observedNames() {
  let room = MAX_NAMES_PER_REPORT;
  const names = (all: string[]) => {
    const kept = [...new Set(all)].filter(isObservedName).slice(0, room);
    room -= kept.length;
    return kept;
  };
  const cookie = names((page.document?.cookie ?? '').split(';').map((pair) => pair.split('=')[0].trim()));
  return { cookie, localStorage: names(keysOf(() => page.localStorage)), sessionStorage: names(keysOf(() => page.sessionStorage)) };
}

export function createPrivacyCentre({ url, apiPrefix = '/api', fetch: fetchImpl, discovery }: PrivacyCentreOptions): PrivacyCentre {
  const prefix = trimSlashes(apiPrefix, true);
  const base = `${trimSlashes(url)}${prefix ? `/${prefix}` : ''}/privacy-centre`;
  // Looked up at call time, and called unbound (a browser's fetch refuses another `this`).
  const send = fetchImpl ?? ((input: string, init?: RequestInit) => fetch(input, init));
  const e = encodeURIComponent;
  const locale = (options?: LocaleOption) => (options?.locale ? `?locale=${e(options.locale)}` : '');

  /**
   * One call. `retry` only where a repeat cannot record anything twice: reads, and a consent
   * carrying subjectId + requestId (the server answers a repeat with the first receipt).
   */
  async function call<T>(path: string, body?: unknown, retry = body === undefined): Promise<T> {
    const init: RequestInit =
      body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
    for (let attempt = 0; ; attempt++) {
      const again = retry && attempt < RETRIES;
      const backoff = 250 * 2 ** attempt + Math.random() * 100;
      let response: Response;
      try {
        response = await send(base + path, init);
      } catch (error) {
        if (again) {
          await sleep(backoff);
          continue;
        }
        throw new PrivacyCentreError(0, 'NetworkError', `no answer from ${base}: ${(error as Error)?.message ?? error}`);
      }
      const status = response.status;
      if (again && (status === 429 || status === 503)) {
        const wait = retryAfter(response.headers.get('retry-after')) ?? backoff;
        if (wait <= MAX_WAIT_MS) {
          await response.body?.cancel();
          await sleep(wait);
          continue;
        }
      }
      const answer: any = await response.json().catch(() => null);
      if (!response.ok || answer?.data === undefined) {
        const error = answer?.error ?? {};
        throw new PrivacyCentreError(
          status,
          error.name ?? 'HttpError',
          error.message ?? `${status} ${response.statusText}`.trim(),
          error.details
        );
      }
      return answer.data;
    }
  }

  /** A consent body with a requestId when it names its browser (a requestId needs a subjectId). */
  const withRequestId = (input: ConsentInput | CookieConsentInput) => {
    const subject = 'state' in input ? input.subjectId : (input as CookieConsentInput).consentId;
    return subject ? { requestId: newRequestId(), ...input } : input;
  };

  // Sampling is decided once per client (a page view): a sampled page reports at load.
  const { sampleRate = 0.1, delayMs = 1500 } = discovery || {};
  const sampled = Math.random() < sampleRate;
  const reported = new Set<string>();

  function report({ revision, granted, phase = 'load' }: DiscoveryReport): Promise<boolean> {
    const { document, navigator } = page;
    if (discovery === false || !document || !navigator?.sendBeacon || reported.has(phase) || (phase === 'load' && !sampled)) {
      return Promise.resolve(false);
    }
    reported.add(phase);
    return new Promise<boolean>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const send = () => {
        if (timer === undefined) return;
        clearTimeout(timer);
        timer = undefined;
        const body: CookieObservationInput = { revision, path: pagePath(page.location?.pathname ?? '/'), granted, ...observedNames() };
        try {
          // text/plain: a "simple" cross-origin request, which needs no preflight (a beacon cannot make one).
          resolve(!!navigator.sendBeacon!(`${base}/cookies/observations`, new Blob([JSON.stringify(body)], { type: 'text/plain' })));
        } catch {
          resolve(false);
        }
      };
      const wait = () => {
        timer = setTimeout(send, delayMs);
        // Leaving the page sends at once what would otherwise be lost.
        page.addEventListener?.('pagehide', send, { once: true });
      };
      if (phase === 'load' && document.readyState !== 'complete') page.addEventListener?.('load', wait, { once: true });
      else wait();
    });
  }

  return {
    policies: {
      current: (slug, options) => call(`/policies/${e(slug)}/current${locale(options)}`),
      upcoming: (slug, options) => call(`/policies/${e(slug)}/upcoming${locale(options)}`),
      versions: (slug) => call(`/policies/${e(slug)}/versions`),
      version: (slug, version, options) => call(`/policies/${e(slug)}/versions/${e(version)}${locale(options)}`),
    },
    cookies: {
      declaration: (options) => call(`/cookies${locale(options)}`),
    },
    consents: {
      record(input) {
        const body = withRequestId(input);
        return call('/consents', body, body !== input || !!input.requestId);
      },
      beacon(input) {
        const navigator = (globalThis as { navigator?: { sendBeacon?(url: string, data: Blob): boolean } }).navigator;
        try {
          // text/plain: a "simple" cross-origin request, which needs no preflight (a beacon cannot make one).
          return !!navigator?.sendBeacon?.(`${base}/consents`, new Blob([JSON.stringify(input)], { type: 'text/plain' }));
        } catch {
          return false;
        }
      },
      status: (consentId) => call(`/consents/${e(consentId)}`),
      // Verifying records nothing: safe to repeat.
      verify: (receipt) => call('/consents/verify', { receipt }, true),
    },
    newsletter: {
      subscribe: (input) => call('/newsletter/subscribe', input),
      unsubscribe: (input) => call('/newsletter/unsubscribe', input),
    },
    requests: {
      create: (input) => call('/requests', input),
    },
    discovery: { report },
  };
}
