// Must NOT compile: each line below a `@ts-expect-error -- <what tsc says>` is an error, for
// that reason (tests/unit/client-types.test.ts removes each directive in turn and checks the
// message). A line that compiled would make the directive unused, which fails tsc.
import { createPrivacyCentre, type ConsentReceipt } from '../../server/src/client';

export async function mistakes(receipt: ConsentReceipt): Promise<void> {
  // @ts-expect-error -- 'url' is missing
  createPrivacyCentre({});
  const pc = createPrivacyCentre({ url: 'https://cms.example.com' });

  // @ts-expect-error -- Type 'string' is not assignable to type 'boolean'
  await pc.consents.record({ state: { statistics: 'yes' } });
  // @ts-expect-error -- Type 'number' is not assignable to type 'boolean'
  pc.consents.beacon({ state: { marketing: 1 } });
  const loose: Record<string, string> = { statistics: 'true' };
  // @ts-expect-error -- Type 'string' is not assignable to type 'boolean'
  await pc.consents.record({ state: loose });
  // @ts-expect-error -- 'acceptedCategorie' does not exist
  await pc.consents.record({ consentId: 'a3e0c6a4-0000-4000-8000-000000000001', acceptedCategorie: ['necessary'] });
  // @ts-expect-error -- Type 'string' is not assignable to type 'number'
  await pc.consents.record({ state: {}, declarationRevision: '2' });
  // @ts-expect-error -- is not assignable to parameter of type
  await pc.consents.verify({ consentId: receipt.consentId });

  // @ts-expect-error -- Argument of type 'string' is not assignable to parameter of type 'number'
  await pc.policies.version('privacy-policy', '3');
  // @ts-expect-error -- 'lang' does not exist
  await pc.policies.current('privacy-policy', { lang: 'fi' });
  const policy = await pc.policies.current('privacy-policy');
  // @ts-expect-error -- Property 'body' does not exist
  console.log(policy.body);

  // @ts-expect-error -- Type '"portability"' is not assignable to type '"access" | "erasure"'
  await pc.requests.create({ email: 'ada@example.com', type: 'portability' });
  // @ts-expect-error -- 'email' is missing
  await pc.newsletter.subscribe({ list: 'news' });
  // @ts-expect-error -- 'token' is missing
  await pc.newsletter.unsubscribe({ reason: 'bye' });
  // @ts-expect-error -- Type '"unsubscribed"' is not assignable to type '"subscribed"'
  const unsubscribed: 'subscribed' = (await pc.newsletter.unsubscribe({ token: 't' })).status;
  // @ts-expect-error -- Type '"accepted"' is not assignable to type '"done"'
  const accepted: 'done' = (await pc.requests.create({ email: 'ada@example.com', type: 'access' })).status;
  // @ts-expect-error -- Type 'string' is not assignable to type 'boolean'
  const valid: boolean = (await pc.consents.status(receipt.consentId)).status;
  console.log(unsubscribed, accepted, valid);
  // @ts-expect-error -- Property 'delete' does not exist
  await pc.consents.delete(receipt.consentId);
  // @ts-expect-error -- Type '"daily"' is not assignable to type '"load" | "decision" | undefined'
  await pc.discovery.report({ revision: 1, granted: null, phase: 'daily' });
  // @ts-expect-error -- Property 'granted' is missing
  await pc.discovery.report({ revision: 1 });
  // @ts-expect-error -- Type 'string' is not assignable to type 'number'
  createPrivacyCentre({ url: 'https://cms.example.com', discovery: { sampleRate: 'half' } });
}

import * as CookieConsent from 'vanilla-cookieconsent';
import { connectCookieConsent } from '../../server/src/client/cookieconsent';

export async function bannerMistakes(): Promise<void> {
  // @ts-expect-error -- 'url' is missing
  await connectCookieConsent(CookieConsent, { locale: 'fi' });
  // @ts-expect-error -- Type 'string' is not assignable to type 'boolean | undefined'
  await connectCookieConsent(CookieConsent, { url: 'https://cms.example.com', hideFromBots: 'yes' });
  // @ts-expect-error -- Type '"sideways"' is not assignable to type
  await connectCookieConsent(CookieConsent, { url: 'https://cms.example.com', guiOptions: { consentModal: { position: 'sideways' } } });
  // @ts-expect-error -- 'revision' does not exist
  await connectCookieConsent(CookieConsent, { url: 'https://cms.example.com', revision: 3 });
}
