import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { createAdmin } from '../helpers/admin';
import { ensureLocales, sampleLocales } from '../helpers/policies';

/**
 * The public answers of policies: a cache bounded by the content (not by what clients send),
 * correct validators and caching headers, and a fast path that answers exactly as the route.
 * This app runs with a custom REST prefix (`/v2`), which the routes and the fast path follow.
 */
const PREFIX = '/v2';
let app: TestStrapi;
let token: string;

beforeAll(async () => {
  app = await bootStrapi({ API_PREFIX: PREFIX, PRIVACY_CENTRE_CACHE_TTL: '30' });
  await ensureLocales(app, ['fi']);
  token = (await createAdmin(app)).token;
});
afterAll(async () => {
  await app?.close();
});

const plugin = () => {
  const auth = { Authorization: `Bearer ${token}` };
  return {
    post: (url: string, body: object = {}) => app.http().post(`/privacy-centre${url}`).set(auth).send(body),
  };
};
const api = (url: string) => app.http().get(`${PREFIX}/privacy-centre${url}`);
const service = (name: string) => app.strapi.plugin('privacy-centre').service(name);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function publish(slug: string, tag: string, effectiveAt?: string) {
  const draft = await plugin().post('/policies/drafts', { slug, locales: sampleLocales(tag) });
  const published = await plugin().post(`/policies/drafts/${draft.body.data.documentId}/publish`, effectiveAt ? { effectiveAt } : {});
  expect(published.status).toBe(200);
  return published.body.data;
}

describe('the answer cache is bounded by the content', () => {
  beforeAll(async () => {
    await publish('privacy-policy', 'one');
    service('answer-cache').clear();
  });

  it('3,000 distinct requested locales leave one entry per real locale', async () => {
    const codes = Array.from({ length: 3_000 }, (_, i) => `zz-${i.toString(36).padStart(4, '0')}`);
    // fetch keeps its connections alive: thousands of requests take seconds, not a minute.
    const { port } = app.strapi.server.httpServer.address() as { port: number };
    const texts = new Set<string>();
    for (let i = 0; i < codes.length; i += 50) {
      const answers = await Promise.all(
        codes.slice(i, i + 50).map(async (code) => {
          const response = await fetch(`http://127.0.0.1:${port}${PREFIX}/privacy-centre/policies/privacy-policy/current?locale=${code}`);
          return { status: response.status, text: await response.text() };
        })
      );
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        texts.add(answer.text);
      }
    }
    // Every unknown code gets the same bytes: the default locale, marked as a fallback.
    expect(texts.size).toBe(1);
    expect(JSON.parse([...texts][0]).data).toMatchObject({ locale: 'en', fallback: true });
    await api('/policies/privacy-policy/current?locale=fi');
    await api('/policies/privacy-policy/current?locale=en');
    await api('/policies/privacy-policy/current');
    // en, fi, no locale named (the default, whichever it is), and one for every unknown code.
    expect(service('answer-cache').size()).toBe(4);
    expect(service('answer-cache').bytes()).toBeLessThan(100_000);
  });

  it('unknown slugs are never cached', async () => {
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => api(`/policies/nothing-${i}/current`)));
    expect(answers.every((a) => a.status === 404)).toBe(true);
    expect(service('answer-cache').size()).toBe(4);
  });
});

describe('an answer built before a publication is not cached after it', () => {
  it('the generation of the slug decides', async () => {
    await publish('raced-cache', 'old');
    service('answer-cache').clear();
    const versions = service('policy-versions');
    const currentRows = versions.currentRows;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    versions.currentRows = async (...args: any[]) => {
      const rows = await currentRows(...args); // rows read before the publication below
      await gate;
      return rows;
    };
    try {
      const stale = api('/policies/raced-cache/current').then((response) => response); // sent now
      await sleep(200);
      await publish('raced-cache', 'new'); // invalidates the slug while the read above is held
      release();
      expect((await stale).body.data.version).toBe(1);
    } finally {
      versions.currentRows = currentRows;
    }
    expect((await api('/policies/raced-cache/current')).body.data.version).toBe(2);
  });
});

describe('headers', () => {
  it('appends Accept-Encoding to the Vary that CORS set, never replaces it', async () => {
    await api('/policies/privacy-policy/current'); // cached now: the fast path answers the next one
    for (const url of ['/policies/privacy-policy/current', '/policies/privacy-policy/versions/1']) {
      const response = await api(url).set('Origin', 'https://site.example');
      const vary = String(response.headers.vary).split(/\s*,\s*/);
      expect(vary).toEqual(expect.arrayContaining(['Origin', 'Accept-Encoding']));
    }
  });

  it('a scheduled version is not immutable until it takes effect, then it is', async () => {
    // Five seconds ahead: on a loaded CI machine two publications have taken more than two.
    const effectiveAt = new Date(Date.now() + 5000).toISOString();
    await publish('scheduled-cache', 'v1');
    await publish('scheduled-cache', 'v2', effectiveAt);
    const sentAt = Date.now();
    const remaining = Date.parse(effectiveAt) - sentAt;
    if (remaining <= 0) throw new Error(`publishing took past the effective time (${-remaining} ms late): the scheduled case was not reached`);
    const scheduled = await api('/policies/scheduled-cache/versions/2');
    expect(scheduled.status).toBe(200);
    expect(scheduled.headers['cache-control']).not.toMatch(/immutable/);
    // Never cached past the moment it takes effect (the TTL is 30 s here).
    expect(Number(/max-age=(\d+)/.exec(scheduled.headers['cache-control'])![1])).toBeLessThanOrEqual(Math.ceil(remaining / 1000));
    const before = await api('/policies/scheduled-cache/current');
    // A consent given now names v1 (and the consents service keeps v1 as the version in force)…
    expect((await plugin().post('/cookies/publish')).status).toBe(200);
    const consent = (body: object) => app.http().post(`${PREFIX}/privacy-centre/consents`).send({ state: {}, policy: { slug: 'scheduled-cache' }, ...body });
    const earlier = await consent({});
    expect(earlier.status).toBe(201);
    expect(earlier.body.data.policy).toMatchObject({ slug: 'scheduled-cache', version: 1 });
    await sleep(Date.parse(effectiveAt) - Date.now() + 100);
    // …and one given once v2 is in force names v2 at once, not after the TTL (30 s here).
    const later = await consent({});
    expect(later.status).toBe(201);
    expect(later.body.data.policy).toMatchObject({ slug: 'scheduled-cache', version: 2 });
    const effective = await api('/policies/scheduled-cache/versions/2?locale=en');
    expect(effective.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // Without a locale named, i18n's default decides which locale is served: not immutable.
    expect((await api('/policies/scheduled-cache/versions/2')).headers['cache-control']).not.toMatch(/immutable/);
    // Last-Modified of `current` moves with the version it serves.
    const after = await api('/policies/scheduled-cache/current');
    expect(after.body.data.version).toBe(2);
    expect(after.headers['last-modified']).not.toBe(before.headers['last-modified']);
    expect(after.headers.etag).not.toBe(before.headers.etag);
  });

  it('304 on If-None-Match through the fast path and the route alike', async () => {
    const first = await api('/policies/privacy-policy/current?locale=fi');
    const again = await api('/policies/privacy-policy/current?locale=fi').set('If-None-Match', first.headers.etag);
    expect(again.status).toBe(304);
  });
});

describe('the fast path, put in place by the plugin', () => {
  it('sits right before strapi::body, after every middleware the app lists ahead of it', () => {
    const names = (app.strapi.config.get('middlewares') as any[]).map((m) => (typeof m === 'string' ? m : m.name));
    const at = names.indexOf('plugin::privacy-centre.current-policy');
    expect(names.slice(at, at + 4)).toEqual(['plugin::privacy-centre.current-policy', 'plugin::privacy-centre.body-guard', 'plugin::privacy-centre.consent-fast-path', 'strapi::body']);
    expect(at).toBeGreaterThan(names.indexOf('strapi::poweredBy'));
  });

  it('answers cached requests before the router, under the custom prefix', async () => {
    await api('/policies/privacy-policy/current?locale=fi'); // cached by the route
    const publicPolicies = service('policy-public');
    const current = publicPolicies.current;
    let routed = 0;
    publicPolicies.current = (...args: any[]) => {
      routed += 1;
      return current(...args);
    };
    try {
      const hit = await api('/policies/privacy-policy/current?locale=fi');
      expect(hit.status).toBe(200);
      expect(routed).toBe(0);
      await api('/policies/privacy-policy/current?locale=fi&x=1'); // not a query the fast path reads
      expect(routed).toBe(1);
    } finally {
      publicPolicies.current = current;
    }
    expect((await app.http().get('/api/privacy-centre/policies/privacy-policy/current')).status).toBe(404);
  });

  it.each([
    ['?locale=', 400],
    ['?locale=EN', 400],
    ['?locale[$ne]=x', 400],
    ['?locale=en&locale=fi', 400],
    ['?locale=fi&x=1', 200],
    ['?Locale=fi', 200],
    ['', 200],
  ])('answers %p exactly as the route does (%i)', async (query, status) => {
    await api('/policies/privacy-policy/current'); // a cached answer is there to be misused
    const response = await api(`/policies/privacy-policy/current${query}`);
    expect(response.status).toBe(status);
    service('answer-cache').clear();
    const routed = await api(`/policies/privacy-policy/current${query}`); // built by the route
    expect(routed.status).toBe(status);
    expect(routed.text).toBe(response.text);
  });
});

describe('found by the attack review', () => {
  it('a version reads the same in every time zone (instants are stored as UTC strings)', async () => {
    const zone = process.env.TZ;
    try {
      process.env.TZ = 'Europe/Helsinki';
      // Inside the hour that Helsinki repeats when summer time ends.
      const effectiveAt = '2030-10-27T01:30:00.000Z';
      const draft = await plugin().post('/policies/drafts', { slug: 'zoned-policy', locales: sampleLocales('z') });
      const published = await plugin().post(`/policies/drafts/${draft.body.data.documentId}/publish`, { effectiveAt });
      expect(published.body.data).toMatchObject({ effectiveAt, integrity: 'ok' });
      const here = await api('/policies/zoned-policy/upcoming');
      process.env.TZ = 'Asia/Tokyo';
      service('answer-cache').clear();
      const there = await api('/policies/zoned-policy/upcoming');
      expect(there.status).toBe(200);
      expect(there.body.data.effectiveAt).toBe(effectiveAt);
      expect(there.text).toBe(here.text);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('a new default locale moves Last-Modified of the answers that follow it, not of those that name a locale', async () => {
    const before = await api('/policies/privacy-policy/current');
    const named = await api('/policies/privacy-policy/current?locale=en');
    await sleep(1100); // Last-Modified counts seconds
    await app.strapi.plugin('i18n').service('locales').setDefaultLocale({ code: 'fi' });
    try {
      const after = await api('/policies/privacy-policy/current');
      expect(after.body.data.locale).toBe('fi');
      expect(after.headers.etag).not.toBe(before.headers.etag);
      expect(Date.parse(after.headers['last-modified'])).toBeGreaterThan(Date.parse(before.headers['last-modified']));
      const stillNamed = await api('/policies/privacy-policy/current?locale=en');
      expect(stillNamed.text).toBe(named.text);
      expect(stillNamed.headers['last-modified']).toBe(named.headers['last-modified']);
    } finally {
      await app.strapi.plugin('i18n').service('locales').setDefaultLocale({ code: 'en' });
    }
  });

  it('a GET carrying a body gets the same answer from the fast path as from the route', async () => {
    const body = 'x'.repeat(20_000);
    service('answer-cache').clear();
    const routed = await api('/policies/privacy-policy/current').set('Content-Type', 'text/plain').send(body);
    await api('/policies/privacy-policy/current'); // cached now
    const again = await api('/policies/privacy-policy/current').set('Content-Type', 'text/plain').send(body);
    expect(again.status).toBe(routed.status);
  });
});
