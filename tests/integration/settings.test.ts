import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { createAdmin } from '../helpers/admin';
import { actionUid } from '../../server/src/permissions/actions';

let app: TestStrapi;
let editor: string;
let reader: string;

beforeAll(async () => {
  app = await bootStrapi();
  editor = (await createAdmin(app, [actionUid('settings', 'read'), actionUid('settings', 'update')])).token;
  reader = (await createAdmin(app, [actionUid('settings', 'read')])).token;
});
afterAll(async () => {
  await app?.close();
});

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const controller = {
  name: 'Example Oy',
  address: 'Katu 2, 00100 Helsinki',
  email: 'dpo@example.fi',
  url: 'https://example.fi',
};

describe('settings', () => {
  it('starts from config/plugins.ts and never returns the secret', async () => {
    const response = await app.http().get('/privacy-centre/settings').set(auth(reader));
    expect(response.status).toBe(200);
    expect(response.body.data.settings.controller.name).toBe('Northwind Rowing Club ry');
    expect(response.body.data.config.secretConfigured).toBe(true);
    expect(JSON.stringify(response.body)).not.toContain('privacy-centre-test-secret');
  });

  it('saves the controller identity and writes an audit event', async () => {
    const response = await app.http().put('/privacy-centre/settings').set(auth(editor)).send({ controller });
    expect(response.status).toBe(200);
    expect(response.body.data.settings.controller).toEqual(controller);
    const again = await app.http().get('/privacy-centre/settings').set(auth(reader));
    expect(again.body.data.settings.controller).toEqual(controller);
    const events = await app.strapi.db.query('plugin::privacy-centre.audit-event').findMany({
      where: { action: 'settings.update' },
    });
    expect(events).toHaveLength(1);
    expect(events[0].actor).toMatch(/<admin\d+\.\d+@example\.com>/);
  });

  it.each([
    ['an unknown key', { controller, colour: 'red' }],
    ['a wrong type', { controller: { ...controller, name: 42 } }],
    ['a bad e-mail', { controller: { ...controller, email: 'not-an-email' } }],
    ['a missing controller', {}],
    ['an array', [1, 2]],
  ])('refuses %s with 400 and changes nothing', async (_label, body) => {
    const response = await app.http().put('/privacy-centre/settings').set(auth(editor)).send(body as object);
    expect(response.status).toBe(400);
    expect(response.body.error.name).toBe('ValidationError');
    const again = await app.http().get('/privacy-centre/settings').set(auth(reader));
    expect(again.body.data.settings.controller).toEqual(controller);
  });

  it('refuses an update from a reader', async () => {
    const response = await app.http().put('/privacy-centre/settings').set(auth(reader)).send({ controller });
    expect(response.status).toBe(403);
  });
});

describe('audit log', () => {
  it('lists events newest first and validates paging', async () => {
    const { token } = await createAdmin(app, [actionUid('audit', 'read')]);
    const list = await app.http().get('/privacy-centre/audit-events?pageSize=10').set(auth(token));
    expect(list.status).toBe(200);
    expect(list.body.results[0].action).toBe('settings.update');
    const bad = await app.http().get('/privacy-centre/audit-events?page=-1').set(auth(token));
    expect(bad.status).toBe(400);
  });
});
