import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { createAdmin } from '../helpers/admin';

let app: TestStrapi;
let noPermissions: string;
let superAdmin: string;

beforeAll(async () => {
  app = await bootStrapi();
  noPermissions = (await createAdmin(app, [])).token;
  superAdmin = (await createAdmin(app)).token;
});
afterAll(async () => {
  await app?.close();
});

interface RouteDef {
  method: string;
  path: string;
  config?: { policies?: Array<string | { name: string; config: { actions: string[] } }> };
}

const adminRoutes = (): RouteDef[] => (app.strapi.plugin('privacy-centre').routes as any).admin.routes;
const concretePath = (route: RouteDef) => `/privacy-centre${route.path.replace(/:[A-Za-z]+/g, '1')}`;
const send = (method: string, path: string, token?: string) => {
  const req = (app.http() as any)[method.toLowerCase()](path);
  return token ? req.set('Authorization', `Bearer ${token}`) : req;
};

describe('every plugin admin route is guarded by its RBAC action', () => {
  it('declares admin::isAuthenticatedAdmin and one registered plugin action', () => {
    const provider = app.strapi.service('admin::permission').actionProvider;
    expect(adminRoutes().length).toBeGreaterThan(0);
    for (const route of adminRoutes()) {
      const policies = route.config?.policies ?? [];
      expect(policies).toContain('admin::isAuthenticatedAdmin');
      const check = policies.find((p) => typeof p === 'object' && p.name === 'admin::hasPermissions') as any;
      expect(check).toBeDefined();
      for (const action of check.config.actions) {
        expect(action).toMatch(/^plugin::privacy-centre\./);
        expect(provider.get(action)).toBeDefined();
      }
    }
  });

  it('answers 401 without a login and 403 to an admin without the plugin permissions', async () => {
    for (const route of adminRoutes()) {
      const path = concretePath(route);
      expect([route.method, path, (await send(route.method, path)).status]).toEqual([route.method, path, 401]);
      const denied = await send(route.method, path, noPermissions);
      expect([route.method, path, denied.status]).toEqual([route.method, path, 403]);
    }
  });

  it('lets an admin holding exactly the route action through', async () => {
    for (const route of adminRoutes().filter((r) => r.method === 'GET' && !r.path.includes(':'))) {
      const action = (route.config!.policies!.find((p) => typeof p === 'object') as any).config.actions[0];
      const { token } = await createAdmin(app, [action]);
      const response = await send('GET', concretePath(route), token);
      expect([route.path, response.status]).toEqual([route.path, 200]);
    }
  });

  it('the super admin reaches every GET route', async () => {
    for (const route of adminRoutes().filter((r) => r.method === 'GET' && !r.path.includes(':'))) {
      const response = await send('GET', concretePath(route), superAdmin);
      expect([route.path, response.status]).toEqual([route.path, 200]);
    }
  });
});
