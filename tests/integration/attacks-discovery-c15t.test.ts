import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { createAdmin } from '../helpers/admin';

/**
 * An attacker's review of the public routes of cookie discovery and c15t: races of one subject's
 * saves, one subject reaching another's, personal data in a reported path, memory and database
 * work an anonymous report can cause, content-type confusion and forged headers. One Strapi; the
 * discovery writer flushes only when a test asks.
 */
const RECORD = 'plugin::privacy-centre.consent-record';
const TABLE = 'privacy_centre_cookie_observations';
const C15T = '/api/privacy-centre/c15t';
const OBSERVATIONS = '/api/privacy-centre/cookies/observations';
let app: TestStrapi;
let token: string;
let counter = 0;

beforeAll(async () => {
  app = await bootStrapi({
    PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({ discovery: { flushMilliseconds: 60_000, flushNames: 50 } }),
  });
  token = (await createAdmin(app)).token;
  expect((await app.http().post('/privacy-centre/cookies/publish').set('Authorization', `Bearer ${token}`).send({})).status).toBe(200);
});
afterAll(async () => {
  await app?.close();
});

const records = () => app.strapi.db.query(RECORD);
/** A fresh c15t subject id (sub_ + base58). */
const newSubject = () => `sub_Atk${'ABCDEFGHJK'[counter % 10]}${(counter++).toString(36).replace(/[0lIO]/g, 'x')}zz9pqr`;
const banner = (subjectId: string, overrides: Record<string, unknown> = {}) => ({
  type: 'cookie_banner',
  subjectId,
  domain: 'site.example',
  preferences: { necessary: true, measurement: true, marketing: false },
  givenAt: Date.now(),
  ...overrides,
});
const save = (body: unknown) => app.http().post(`${C15T}/subjects`).send(body as object);
const flush = () => app.strapi.plugin('privacy-centre').service('discovery').flush();
const observe = (body: unknown) => app.http().post(OBSERVATIONS).send(body as object);

/** A subject's records form one chain: one root, each other record continues the one before. */
async function expectOneChain(subjectId: string, length: number) {
  const rows = await records().findMany({ where: { subjectId, kind: 'cookie' }, orderBy: [{ id: 'asc' }] });
  expect(rows.length).toBe(length);
  expect(rows.filter((r: any) => r.previousConsentId === null).map((r: any) => r.action)).toEqual(['given']);
  const ids = new Set(rows.map((r: any) => r.consentId));
  const previous = rows.filter((r: any) => r.previousConsentId !== null).map((r: any) => r.previousConsentId);
  expect(previous.every((p: string) => ids.has(p))).toBe(true);
  expect(new Set(previous).size).toBe(previous.length);
  return rows;
}

describe('c15t: two saves of one subject at the same moment', () => {
  it('first saves racing: one chain (given, then updated), every answered save recorded once', async () => {
    for (let round = 0; round < 3; round += 1) {
      const subjectId = newSubject();
      const now = Date.now();
      const answers = await Promise.all([
        save(banner(subjectId, { givenAt: now })),
        save(banner(subjectId, { givenAt: now + 1, preferences: { necessary: true, measurement: false, marketing: true } })),
      ]);
      const statuses = answers.map((a) => a.status).sort();
      // Each answered 201, or 409 (save again); never a 5xx.
      expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
      const recorded = statuses.filter((s) => s === 201).length;
      expect(recorded).toBeGreaterThanOrEqual(1);
      await expectOneChain(subjectId, recorded);
    }
  });

  it('later saves racing: one chain, no fork, no duplicate, no lost answered save', async () => {
    const subjectId = newSubject();
    expect((await save(banner(subjectId))).status).toBe(201);
    let recorded = 1;
    for (let round = 0; round < 3; round += 1) {
      const now = Date.now() + round * 10;
      const answers = await Promise.all([
        save(banner(subjectId, { givenAt: now })),
        save(banner(subjectId, { givenAt: now + 1, preferences: { necessary: true } })),
        save(banner(subjectId, { givenAt: now + 2, preferences: { necessary: true, marketing: true } })),
      ]);
      for (const a of answers) expect([201, 409]).toContain(a.status);
      recorded += answers.filter((a) => a.status === 201).length;
      await expectOneChain(subjectId, recorded);
    }
  });

  it('a retry racing its own first save: one record, both answered with it', async () => {
    const subjectId = newSubject();
    const body = banner(subjectId);
    const [a, b] = await Promise.all([save(body), save(body)]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.consentId).toBe(b.body.consentId);
    await expectOneChain(subjectId, 1);
  });
});
