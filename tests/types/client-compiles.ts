// Must compile: what a site writes with the client. (tests/unit/client-types.test.ts)
import {
  createPrivacyCentre,
  PrivacyCentreError,
  type ConsentReceipt,
  type ConsentStatus,
  type CookieDeclaration,
  type PolicyChangelog,
  type PolicyVersion,
  type PrivacyCentre,
  type VerifyResult,
} from '../../server/src/client';

export async function site(): Promise<void> {
  const pc: PrivacyCentre = createPrivacyCentre({ url: 'https://cms.example.com' });
  createPrivacyCentre({ url: 'https://cms.example.com', apiPrefix: '/rest', fetch: (input, init) => fetch(input, init) });
  createPrivacyCentre({ url: 'https://cms.example.com', discovery: false });
  const sampled = createPrivacyCentre({ url: 'https://cms.example.com', discovery: { sampleRate: 1, delayMs: 500 } });
  const reportedAtLoad: boolean = await sampled.discovery.report({ revision: 3, granted: null });
  const reportedAfter: boolean = await sampled.discovery.report({ revision: 3, granted: ['necessary', 'statistics'], phase: 'decision' });
  console.log(reportedAtLoad, reportedAfter);

  const policy: PolicyVersion = await pc.policies.current('privacy-policy', { locale: 'fi' });
  const title: string = policy.title;
  const html: string[] = policy.sections.map((section) => section.html);
  await pc.policies.current('privacy-policy');
  await pc.policies.upcoming('privacy-policy', { locale: 'en' });
  const changelog: PolicyChangelog = await pc.policies.versions('privacy-policy');
  const numbers: number[] = changelog.versions.map((entry) => entry.version);
  await pc.policies.version('privacy-policy', 3, { locale: 'et' });

  const declaration: CookieDeclaration = await pc.cookies.declaration({ locale: 'fi' });
  const state: Record<string, boolean> = Object.fromEntries(declaration.categories.map((c) => [c.key, c.required]));
  const signals: string[] = declaration.categories.flatMap((c) => c.consentMode);

  const receipt: ConsentReceipt = await pc.consents.record({ state, subjectId: 'browser-1234', source: location.href });
  const granted: 'granted' | 'denied' = receipt.consentMode.analytics_storage;
  await pc.consents.record({ state: { statistics: true }, policy: { slug: 'privacy-policy', version: 2 }, previousConsentId: receipt.consentId, subjectId: receipt.subjectId });
  await pc.consents.record({ consentId: 'a3e0c6a4-0000-4000-8000-000000000001', revision: 2, acceptedCategories: ['necessary'], rejectedCategories: ['marketing'] });
  const queued: boolean = pc.consents.beacon({ state: { marketing: false } });
  const status: ConsentStatus = await pc.consents.status(receipt.consentId);
  const askAgain: boolean = status.askAgain;
  const verified: VerifyResult = await pc.consents.verify(receipt);
  const reason: 'ok' | 'malformed' | 'bad-signature' | 'unknown-consent' | 'differs-from-record' = verified.reason;

  await pc.newsletter.subscribe({ email: 'ada@example.com', list: 'news', locale: 'fi', source: 'https://www.example.com/' });
  await pc.newsletter.unsubscribe({ token: 'from-the-link', reason: 'too many' });
  await pc.requests.create({ email: 'ada@example.com', type: 'erasure', locale: 'fi' });

  try {
    await pc.policies.current('terms');
  } catch (error) {
    if (error instanceof PrivacyCentreError) {
      const answer: [number, string, string, unknown] = [error.status, error.name, error.message, error.details];
      console.log(answer);
    }
  }
  console.log(title, html, numbers, signals, granted, queued, askAgain, reason);
}

// The cookieconsent adapter, with cookieconsent's own options passed through.
import * as CookieConsent from 'vanilla-cookieconsent';
import { connectCookieConsent } from '../../server/src/client/cookieconsent';

export async function banner(): Promise<void> {
  const connection = await connectCookieConsent(CookieConsent, {
    url: 'https://cms.example.com',
    locale: 'fi',
    hideFromBots: true,
    discovery: { sampleRate: 0.25 },
    guiOptions: { consentModal: { layout: 'box inline', position: 'bottom left' } },
    categories: { statistics: { autoClear: { cookies: [{ name: /^_pk_/ }] } } },
    language: { translations: { fi: { consentModal: { title: 'Evästeet' } } } },
    onChange: ({ changedCategories }) => console.log(changedCategories),
  });
  const receipt: ConsentReceipt | null = connection.receipt();
  console.log(receipt?.consentId, connection.declaration.revision);
}
