/**
 * PROVISIONAL: written by hand in openapi-typescript's shape until the contract's OpenAPI
 * document lands; `npm run contract:types` then regenerates this file from it.
 */
export interface components {
  schemas: {
    Error: {
      data: null;
      error: { status: number; name: string; message: string; details?: { [key: string]: unknown } };
    };
    PolicySection: { anchor: string; heading: string; markdown: string; html: string };
    Controller: { name: string; address: string; email: string; url: string };
    PolicyVersion: {
      slug: string;
      version: number;
      status?: 'scheduled' | 'in-force' | 'superseded';
      locale: string;
      fallback: boolean;
      locales: string[];
      title: string;
      summary: string;
      materialChange: boolean;
      effectiveAt: string;
      publishedAt: string;
      hash: string;
      signature: string | null;
      previousVersion: number | null;
      controller: components['schemas']['Controller'];
      sections: components['schemas']['PolicySection'][];
    };
    PolicyChangelog: {
      slug: string;
      versions: (
        | {
            version: number;
            status: 'scheduled' | 'in-force' | 'superseded';
            effectiveAt: string;
            publishedAt: string;
            summary: string;
            materialChange: boolean;
            hash: string;
            locales: string[];
            integrity: 'ok';
          }
        | { version: number; integrity: 'broken' }
      )[];
    };
    ConsentModeSignal:
      | 'ad_storage'
      | 'ad_user_data'
      | 'ad_personalization'
      | 'analytics_storage'
      | 'functionality_storage'
      | 'personalization_storage'
      | 'security_storage';
    CookieDeclaration: {
      revision: number;
      hash: string;
      publishedAt: string;
      locale: string;
      fallback: boolean;
      locales: string[];
      categories: {
        key: string;
        name: string;
        description: string;
        required: boolean;
        consentMode: components['schemas']['ConsentModeSignal'][];
        refusedUnderGpc: boolean;
        cookies: {
          name: string;
          provider: string;
          domain: string;
          purpose: string;
          duration: string;
          storageType: 'cookie' | 'localStorage' | 'sessionStorage' | 'indexedDB' | 'pixel';
          thirdParty: boolean;
          service: string;
        }[];
      }[];
    };
    ConsentInput: {
      state: { [key: string]: boolean };
      declarationRevision?: number;
      policy?: { slug: string; version?: number };
      source?: string;
      locale?: string;
      subjectId?: string;
      previousConsentId?: string;
      requestId?: string;
    };
    CookieConsentInput: {
      consentId?: string;
      revision?: number;
      acceptType?: 'all' | 'custom' | 'necessary';
      acceptedCategories?: string[];
      rejectedCategories?: string[];
      languageCode?: string;
      consentTimestamp?: string;
      lastConsentTimestamp?: string;
      categories?: string[];
      services?: { [key: string]: string[] };
      acceptedServices?: { [key: string]: string[] };
      rejectedServices?: { [key: string]: string[] };
      data?: unknown;
      expirationTime?: number;
      policy?: { slug: string; version?: number };
      source?: string;
      previousConsentId?: string;
      requestId?: string;
    };
    ConsentMode: { [K in components['schemas']['ConsentModeSignal']]: 'granted' | 'denied' };
    ConsentReceipt: {
      consentId: string;
      subjectId: string;
      action: 'given' | 'updated' | 'withdrawn';
      state: { [key: string]: boolean };
      consentMode: components['schemas']['ConsentMode'];
      gpc: { signal: boolean; refused: string[] };
      givenAt: string;
      expiresAt: string;
      previousConsentId: string | null;
      policy: { slug: string; version: number; hash: string } | null;
      declaration: { revision: number; hash: string };
      signature: string;
    };
    ConsentStatus: {
      receipt: Omit<components['schemas']['ConsentReceipt'], 'subjectId' | 'signature'>;
      status: 'valid' | 'expired' | 'superseded' | 'withdrawn';
      askAgain: boolean;
      reasons: ('expired' | 'superseded' | 'withdrawn' | 'declaration-changed' | 'policy-changed')[];
      current: { declarationRevision: number | null; policyVersion: number | null };
    };
    VerifyInput: { receipt: unknown };
    VerifyResult: {
      authentic: boolean;
      matchesRecord: boolean;
      reason: 'ok' | 'malformed' | 'bad-signature' | 'unknown-consent' | 'differs-from-record';
    };
    Accepted: { status: 'accepted'; message: string };
    NewsletterSubscribeInput: {
      email: string;
      list?: string;
      locale?: string;
      source?: string;
      receipt?: components['schemas']['ConsentReceipt'];
    };
    NewsletterUnsubscribeInput: { token: string; reason?: string };
    NewsletterUnsubscribed: { status: 'unsubscribed' };
    SubjectRequestInput: { email: string; type: 'access' | 'erasure'; locale?: string };
  };
}
