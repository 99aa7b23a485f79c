import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { createAdmin } from '../helpers/admin';
import { ensureLocales, sampleLocales, section } from '../helpers/policies';

/**
 * Races on the write paths of policy versions. They mean most on PostgreSQL and MySQL, where
 * writes really interleave (npm test runs this file on all three databases); SQLite runs one
 * write transaction at a time.
 */
const UID = 'plugin::privacy-centre.policy-version';
let app: TestStrapi;
let token: string;

beforeAll(async () => {
  app = await bootStrapi();
  await ensureLocales(app, ['fi']);
  token = (await createAdmin(app)).token;
});
afterAll(async () => {
  await app?.close();
});

const plugin = () => {
  const auth = { Authorization: `Bearer ${token}` };
  return {
    get: (url: string) => app.http().get(`/privacy-centre${url}`).set(auth),
    post: (url: string, body: object = {}) => app.http().post(`/privacy-centre${url}`).set(auth).send(body),
    put: (url: string, body: object = {}) => app.http().put(`/privacy-centre${url}`).set(auth).send(body),
  };
};

describe('one draft per slug', () => {
  it('three concurrent createDraft calls for one slug make one draft', async () => {
    const answers = await Promise.all([1, 2, 3].map(() => plugin().post('/policies/drafts', { slug: 'raced-draft', locales: sampleLocales('r') })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 400, 400]);
    for (const refused of answers.filter((a) => a.status === 400)) expect(refused.body.error.message).toMatch(/already has a draft/);
    const rows = await app.strapi.db.query(UID).findMany({ where: { slug: 'raced-draft' } });
    expect(new Set(rows.map((r: any) => r.documentId)).size).toBe(1);
    expect(rows.map((r: any) => r.locale).sort()).toEqual(['en', 'fi']);
  });

  it('ten concurrent calls through the Content Manager and the plugin make one draft', async () => {
    const cm = `/content-manager/collection-types/${UID}?locale=en`;
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        i % 2
          ? app.http().post(cm).set('Authorization', `Bearer ${token}`).send({ slug: 'raced-cm', title: `CM ${i}`, sections: [] })
          : plugin().post('/policies/drafts', { slug: 'raced-cm', locales: { en: sampleLocales(`p${i}`).en } })
      )
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.every((a) => a.status === 201 || a.status === 400)).toBe(true);
    expect(await app.strapi.db.query(UID).count({ where: { slug: 'raced-cm', lifecycle: 'draft' } })).toBe(1);
  });
});

describe('a draft save racing its publication', () => {
  it('never seals content other than what is stored (20 rounds of publish + 3 concurrent saves)', async () => {
    for (let round = 0; round < 20; round += 1) {
      const slug = `raced-save-${round}`;
      const draft = await plugin().post('/policies/drafts', { slug, locales: sampleLocales(`before-${round}`) });
      const { documentId } = draft.body.data;
      const saves = [1, 2, 3].map((n) =>
        plugin().put(`/policies/drafts/${documentId}`, {
          locales: { en: { title: `Saved ${n}`, summary: '', sections: [section('1. Changed', `save ${n} of round ${round}`)] } },
        })
      );
      const [published, ...saved] = await Promise.all([plugin().post(`/policies/drafts/${documentId}/publish`), ...saves]);
      expect(published.status).toBe(200);
      for (const answer of saved) {
        // Either it landed before the seal (and was sealed with it) or it was refused after.
        expect([200, 400]).toContain(answer.status);
        if (answer.status === 400) expect(answer.body.error.message).toMatch(/published and frozen/);
      }
      const view = (await plugin().get(`/policies/versions/${documentId}`)).body.data;
      expect(view).toMatchObject({ status: 'in-force', integrity: 'ok', version: 1 });
      const rows = await app.strapi.db.query(UID).findMany({ where: { documentId } });
      expect(rows.every((r: any) => r.lifecycle === 'published' && r.hash === view.hash && r.draftKey === null)).toBe(true);
    }
  });
});

describe('publication and its audit event', () => {
  it('are one transaction: when the audit event cannot be written, nothing is published', async () => {
    const draft = await plugin().post('/policies/drafts', { slug: 'audited-policy', locales: sampleLocales('a') });
    const { documentId } = draft.body.data;
    const audit = app.strapi.plugin('privacy-centre').service('audit');
    const record = audit.record;
    audit.record = async () => {
      throw new Error('the audit table is unavailable');
    };
    try {
      const response = await plugin().post(`/policies/drafts/${documentId}/publish`);
      expect(response.status).toBe(500);
    } finally {
      audit.record = record;
    }
    const rows = await app.strapi.db.query(UID).findMany({ where: { documentId } });
    expect(rows.every((r: any) => r.lifecycle === 'draft' && r.version === null && r.hash === null && r.draftKey === 'audited-policy')).toBe(true);
    expect((await app.http().get('/api/privacy-centre/policies/audited-policy/current')).status).toBe(404);

    const again = await plugin().post(`/policies/drafts/${documentId}/publish`);
    expect(again.status).toBe(200);
    const events = await app.strapi.db
      .query('plugin::privacy-centre.audit-event')
      .findMany({ where: { action: 'policy.publish', target: 'audited-policy v1' } });
    expect(events).toHaveLength(1);
    expect(events[0].details).toMatchObject({ documentId, hash: again.body.data.hash });
  });

  it('three concurrent publications of three drafts of different slugs each get version 1', async () => {
    const drafts = await Promise.all(['a', 'b', 'c'].map((s) => plugin().post('/policies/drafts', { slug: `parallel-${s}`, locales: sampleLocales(s) })));
    const published = await Promise.all(drafts.map((d) => plugin().post(`/policies/drafts/${d.body.data.documentId}/publish`)));
    expect(published.map((p) => [p.status, p.body.data.version, p.body.data.integrity])).toEqual([
      [200, 1, 'ok'],
      [200, 1, 'ok'],
      [200, 1, 'ok'],
    ]);
  });
});
