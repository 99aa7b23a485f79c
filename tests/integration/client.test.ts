import type { AddressInfo } from 'node:net';

import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { createAdmin } from '../helpers/admin';
import { ensureLocales, sampleLocales } from '../helpers/policies';
import { createPrivacyCentre, PrivacyCentreError, type ConsentReceipt, type PrivacyCentreOptions } from '../../server/src/client';

/**
 * The typed client (`strapi-plugin-privacy-centre/client`) against the real test app: every
 * method, Strapi's errors as PrivacyCentreError, and its retries. Where a test needs an answer
 * the server would rarely give (a 503, a lost answer), a `fetch` passed to the client scripts
 * that one answer and lets every other request through to the app: what is tested is the
 * client's own handling of it.
 */
const RECORD = 'plugin::privacy-centre.consent-record';
let app: TestStrapi;
let url: string;
let token: string;

type Fetch = NonNullable<PrivacyCentreOptions['fetch']>;
type Step = (input: string, init?: RequestInit) => Promise<Response>;

/** A fetch that runs `steps` for the first requests, then the real one; it keeps what was asked, and when. */
function scripted(...steps: Step[]) {
  const calls: Array<{ url: string; method: string; body: unknown; at: number }> = [];
  const fetchImpl: Fetch = (input, init) => {
    calls.push({ url: input, method: init?.method ?? 'GET', body: init?.body ? JSON.parse(String(init.body)) : undefined, at: performance.now() });
    const step = steps.shift();
    return step ? step(input, init) : fetch(input, init);
  };
  return { fetch: fetchImpl, calls };
}
const answer = (status: number, headers: Record<string, string> = {}, body: unknown = { data: null, error: { status, name: 'ServiceUnavailableError', message: 'scripted' } }): Step =>
  async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
/** The request reaches the server (and is recorded), but its answer is lost on the way back. */
const answerLost: Step = async (input, init) => {
  await (await fetch(input, init)).arrayBuffer();
  throw new TypeError('fetch failed');
};
const unreachable: Step = async () => {
  throw new TypeError('fetch failed');
};

/** What the client threw (a test fails when it did not throw). */
async function thrown(promise: Promise<unknown>): Promise<PrivacyCentreError> {
  const error = await promise.then(
    (value) => {
      throw new Error(`expected a PrivacyCentreError, got ${JSON.stringify(value)}`);
    },
    (error) => error
  );
  expect(error).toBeInstanceOf(PrivacyCentreError);
  return error;
}

const raw = async (path: string, body?: unknown) => {
  const response = await fetch(`${url}/api/privacy-centre${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
};
const recordsOf = (subjectId: string) => app.strapi.db.query(RECORD).findMany({ where: { subjectId } });

beforeAll(async () => {
  app = await bootStrapi();
  url = `http://127.0.0.1:${(app.strapi.server.httpServer.address() as AddressInfo).port}`;
  await ensureLocales(app, ['fi']);
  token = (await createAdmin(app)).token;
  const auth = { Authorization: `Bearer ${token}` };
  const publish = async (effectiveAt?: string) => {
    const draft = await app.http().post('/privacy-centre/policies/drafts').set(auth).send({ slug: 'privacy-policy', locales: sampleLocales(effectiveAt ? 'v2' : 'v1') });
    const published = await app.http().post(`/privacy-centre/policies/drafts/${draft.body.data.documentId}/publish`).set(auth).send(effectiveAt ? { effectiveAt } : {});
    expect(published.status).toBe(200);
  };
  await publish();
  await publish(new Date(Date.now() + 30 * 86_400_000).toISOString());
  expect((await app.http().post('/privacy-centre/cookies/publish').set(auth)).status).toBe(200);
});
afterAll(async () => {
  await app?.close();
});

describe("the plugin's 429 (first: the rate limit's counters start empty)", () => {
  it('throws a RateLimitError at once when Retry-After is longer than a visitor should wait', async () => {
    const config = app.strapi.config.get('plugin::privacy-centre') as any;
    const saved = { ...config.rateLimit };
    Object.assign(config.rateLimit, { max: 1, windowSeconds: 600 });
    try {
      const { fetch, calls } = scripted();
      const pc = createPrivacyCentre({ url, fetch });
      expect((await thrown(pc.consents.status('AAAAAAAAAAAAAAAAAAAAAB'))).status).toBe(404);
      const error = await thrown(pc.consents.status('AAAAAAAAAAAAAAAAAAAAAB'));
      expect(error).toMatchObject({ status: 429, name: 'RateLimitError', details: { retryAfter: expect.any(Number) } });
      expect(error.message).toMatch(/Too many requests/);
      expect(calls).toHaveLength(2); // one each: a ten-minute wait is not retried
    } finally {
      Object.assign(config.rateLimit, saved);
    }
  });
});

describe('policies', () => {
  const pc = () => createPrivacyCentre({ url });

  it('current, upcoming, versions and version answer the `data` of the routes', async () => {
    const current = await pc().policies.current('privacy-policy', { locale: 'fi' });
    expect(current).toMatchObject({ slug: 'privacy-policy', version: 1, status: 'in-force', locale: 'fi', fallback: false, title: 'Tietosuojaseloste v1' });
    expect(current).toEqual((await raw('/policies/privacy-policy/current?locale=fi')).body.data);

    await expect(pc().policies.upcoming('privacy-policy')).resolves.toMatchObject({ version: 2, status: 'scheduled', locale: 'en', title: 'Privacy policy v2' });
    const changelog = await pc().policies.versions('privacy-policy');
    expect(changelog.slug).toBe('privacy-policy');
    expect(changelog.versions.map((v) => v.version)).toEqual([2, 1]);
    await expect(pc().policies.version('privacy-policy', 1, { locale: 'en' })).resolves.toMatchObject({ version: 1, locale: 'en', title: 'Privacy policy v1' });
  });

  it("a 404 and a 400 are thrown with Strapi's status, name, message and details", async () => {
    const missing = await thrown(pc().policies.current('no-such-policy'));
    const expected = (await raw('/policies/no-such-policy/current')).body.error;
    expect(missing).toMatchObject({ status: 404, name: 'NotFoundError', message: expected.message });
    expect(missing.details).toEqual(expected.details);

    const bad = await thrown(pc().policies.current('privacy-policy', { locale: 'not a locale!' }));
    const expected400 = (await raw('/policies/privacy-policy/current?locale=not%20a%20locale!')).body.error;
    expect(bad).toMatchObject({ status: 400, name: 'ValidationError', message: expected400.message });
    expect(bad.details).toEqual(expected400.details);
    expect(bad.details).toBeDefined();
  });

  it('a slug is sent as one path segment, whatever it holds', async () => {
    const { fetch, calls } = scripted();
    await thrown(createPrivacyCentre({ url, fetch }).policies.current('../cookies'));
    expect(calls[0].url).toBe(`${url}/api/privacy-centre/policies/..%2Fcookies/current`);
  });
});

describe('cookies and consents', () => {
  const pc = (options: Partial<PrivacyCentreOptions> = {}) => createPrivacyCentre({ url, ...options });
  let receipt: ConsentReceipt;

  it('declaration answers the published revision in the locale asked', async () => {
    const declaration = await pc().cookies.declaration({ locale: 'en' });
    expect(declaration).toMatchObject({ revision: 1, locale: 'en' });
    expect(declaration.categories.map((c) => c.key)).toEqual(['necessary', 'preferences', 'statistics', 'marketing']);
  });

  it('record answers the receipt, sent with a requestId when it names its browser', async () => {
    const { fetch, calls } = scripted();
    receipt = await pc({ fetch }).consents.record({ state: { statistics: true, preferences: false, marketing: false }, subjectId: 'client-subject-1', source: 'https://site.example/' });
    expect(receipt).toMatchObject({ subjectId: 'client-subject-1', action: 'given', state: { necessary: true, statistics: true, marketing: false }, declaration: { revision: 1 } });
    expect((calls[0].body as any).requestId).toMatch(/^[0-9a-f-]{36}$/);
    const [row] = await recordsOf('client-subject-1');
    expect(row.requestId).toBe((calls[0].body as any).requestId);
  });

  it('a lost answer is retried with the same requestId: one record, the first receipt', async () => {
    const { fetch, calls } = scripted(answerLost);
    const again = await pc({ fetch }).consents.record({ state: { statistics: false }, subjectId: 'client-subject-2' });
    expect(calls).toHaveLength(2);
    expect(calls[1].body).toEqual(calls[0].body);
    const rows = await recordsOf('client-subject-2');
    expect(rows).toHaveLength(1);
    expect(again.consentId).toBe(rows[0].consentId);
  });

  it('a decision that names no browser is sent once: a repeat could record it twice', async () => {
    const { fetch, calls } = scripted(answerLost);
    const error = await thrown(pc({ fetch }).consents.record({ state: { statistics: true } }));
    expect(error).toMatchObject({ status: 0, name: 'NetworkError' });
    expect(calls).toHaveLength(1);
    expect((calls[0].body as any).requestId).toBeUndefined();
  });

  it("cookieconsent v3's shape is recorded too, its consentId being the browser's", async () => {
    const cookie = await pc().consents.record({ consentId: 'a3e0c6a4-0000-4000-8000-000000000001', revision: 1, acceptType: 'custom', acceptedCategories: ['necessary', 'statistics'], rejectedCategories: ['preferences', 'marketing'], languageCode: 'en' });
    expect(cookie).toMatchObject({ subjectId: 'a3e0c6a4-0000-4000-8000-000000000001', state: { statistics: true, preferences: false } });
    const next = await pc().consents.record({ consentId: cookie.subjectId, revision: 1, acceptType: 'necessary', acceptedCategories: ['necessary'], rejectedCategories: ['preferences', 'statistics', 'marketing'], previousConsentId: cookie.consentId });
    expect(next).toMatchObject({ action: 'withdrawn', previousConsentId: cookie.consentId });
  });

  it('a refused decision throws the 400 with what is wrong, and records nothing', async () => {
    const body = { state: { statistics: true, unknown_category: true }, subjectId: 'client-subject-3' };
    const error = await thrown(pc().consents.record(body));
    const expected = (await raw('/consents', body)).body.error;
    expect(error).toMatchObject({ status: 400, name: 'ValidationError', message: expected.message });
    expect(error.details).toEqual(expected.details);
    await expect(recordsOf('client-subject-3')).resolves.toEqual([]);
  });

  it('status and verify prove the receipt', async () => {
    await expect(pc().consents.status(receipt.consentId)).resolves.toMatchObject({ status: 'valid', askAgain: false, receipt: { consentId: receipt.consentId } });
    await expect(pc().consents.verify(receipt)).resolves.toEqual({ authentic: true, matchesRecord: true, reason: 'ok' });
    await expect(pc().consents.verify({ ...receipt, state: { ...receipt.state, marketing: true } })).resolves.toMatchObject({ authentic: false, reason: 'bad-signature' });
    expect((await thrown(pc().consents.status('AAAAAAAAAAAAAAAAAAAAAA'))).status).toBe(404);
  });

  it("beacon hands a text/plain body to navigator.sendBeacon, and says whether it was queued", async () => {
    const global = globalThis as any;
    const saved = Object.getOwnPropertyDescriptor(global, 'navigator');
    const sent: Array<Promise<Response>> = [];
    let type = '';
    // Node has no beacon: this one forwards the Blob with fetch, as a browser would send it.
    Object.defineProperty(global, 'navigator', {
      configurable: true,
      value: {
        sendBeacon(target: string, data: Blob) {
          type = data.type;
          sent.push(fetch(target, { method: 'POST', headers: { 'content-type': data.type }, body: data }));
          return true;
        },
      },
    });
    try {
      expect(pc().consents.beacon({ state: { marketing: true }, subjectId: 'client-subject-4' })).toBe(true);
      const response = await sent[0];
      expect(response.status).toBe(201);
      expect(type).toBe('text/plain');
      await expect(recordsOf('client-subject-4')).resolves.toMatchObject([{ state: { necessary: true, marketing: true }, via: 'plugin' }]);

      Object.defineProperty(global, 'navigator', { configurable: true, value: {} });
      expect(pc().consents.beacon({ state: { marketing: true } })).toBe(false);
    } finally {
      if (saved) Object.defineProperty(global, 'navigator', saved);
      else delete global.navigator;
    }
  });
});

describe('retries', () => {

  it('a 503 is retried after the Retry-After it names', async () => {
    const { fetch, calls } = scripted(answer(503, { 'retry-after': '1' }));
    await expect(createPrivacyCentre({ url, fetch }).cookies.declaration()).resolves.toMatchObject({ revision: 1 });
    expect(calls).toHaveLength(2);
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(990);
  });

  it('a 429 with an HTTP-date Retry-After, and a network failure, are retried too', async () => {
    const when = new Date(Date.now() + 2000).toUTCString(); // a whole second, at least 1 s away
    const { fetch, calls } = scripted(answer(429, { 'retry-after': when }), unreachable);
    await expect(createPrivacyCentre({ url, fetch }).policies.versions('privacy-policy')).resolves.toMatchObject({ slug: 'privacy-policy' });
    expect(calls).toHaveLength(3);
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(990);
  });

  it('retries are bounded: the last 503 is thrown, in Strapi error shape', async () => {
    const { fetch, calls } = scripted(answer(503), answer(503), answer(503), answer(503));
    const error = await thrown(createPrivacyCentre({ url, fetch }).consents.verify({} as ConsentReceipt));
    expect(error).toMatchObject({ status: 503, name: 'ServiceUnavailableError', message: 'scripted' });
    expect(calls).toHaveLength(3);
  });

  it('a Retry-After longer than 10 s is not waited for', async () => {
    const { fetch, calls } = scripted(answer(503, { 'retry-after': '30' }));
    expect((await thrown(createPrivacyCentre({ url, fetch }).cookies.declaration())).status).toBe(503);
    expect(calls).toHaveLength(1);
  });

  it('sign-ups and requests are never repeated (each would send another e-mail)', async () => {
    for (const call of [
      (pc: ReturnType<typeof createPrivacyCentre>) => pc.newsletter.subscribe({ email: 'ada@example.com' }),
      (pc: ReturnType<typeof createPrivacyCentre>) => pc.requests.create({ email: 'ada@example.com', type: 'access' }),
    ]) {
      const { fetch, calls } = scripted(answer(503, { 'retry-after': '0' }));
      expect((await thrown(call(createPrivacyCentre({ url, fetch })))).status).toBe(503);
      expect(calls).toHaveLength(1);
    }
  });

  it('an answer that is not JSON is thrown with its HTTP status', async () => {
    const { fetch } = scripted(async () => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    expect(await thrown(createPrivacyCentre({ url, fetch }).cookies.declaration())).toMatchObject({ status: 502, name: 'HttpError', message: '502 Bad Gateway' });
  });
});

describe('newsletter and requests', () => {
  const pc = () => createPrivacyCentre({ url: `${url}/`, apiPrefix: 'api/' });

  it('subscribe and unsubscribe', async () => {
    await expect(pc().newsletter.subscribe({ email: 'grace@example.com', locale: 'fi', source: 'https://site.example/news' })).resolves.toEqual({
      status: 'accepted',
      message: expect.any(String),
    });
    const newsletter = app.strapi.plugin('privacy-centre').service('newsletter');
    let link = '';
    for (let i = 0; i < 50 && !link; i += 1) {
      link = await newsletter.unsubscribeUrl('grace@example.com').catch(() => '');
      if (!link) await new Promise((resolve) => setTimeout(resolve, 100)); // sign-ups are processed after the answer
    }
    const unsubscribeToken = new URL(link).searchParams.get('token')!;
    await expect(pc().newsletter.unsubscribe({ token: unsubscribeToken, reason: 'too many' })).resolves.toEqual({ status: 'unsubscribed' });

    expect(await thrown(pc().newsletter.unsubscribe({ token: 'forged' }))).toMatchObject({ status: 400, name: 'InvalidLinkError' });
    expect(await thrown(pc().newsletter.subscribe({ email: 'not an address' }))).toMatchObject({ status: 400, name: 'ValidationError', message: expect.stringContaining('email') });
  });

  it('requests.create', async () => {
    await expect(pc().requests.create({ email: 'grace@example.com', type: 'access', locale: 'en' })).resolves.toMatchObject({ status: 'accepted' });
    expect(await thrown(pc().requests.create({ email: 'grace@example.com', type: 'deletion' as 'erasure' }))).toMatchObject({ status: 400, message: expect.stringContaining('type must be') });
  });
});
