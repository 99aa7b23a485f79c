import type { Core } from '@strapi/strapi';
import type { TestStrapi } from './strapi';

let counter = 0;

/**
 * Creates an active admin user and logs them in through the real /admin/login route.
 * `actions` undefined makes a super admin; an array makes a role holding exactly those actions.
 */
export async function createAdmin(
  app: TestStrapi,
  actions?: string[]
): Promise<{ token: string; user: { id: number; email: string } }> {
  const strapi: Core.Strapi = app.strapi;
  counter += 1;
  const email = `admin${counter}.${Date.now()}@example.com`;
  const password = 'Str0ngPassw0rd!';

  let roleId: number;
  if (actions === undefined) {
    roleId = (await strapi.service('admin::role').getSuperAdmin()).id;
  } else {
    const role = await strapi.service('admin::role').create({
      name: `test role ${counter} ${Date.now()}`,
      description: 'created by tests',
    });
    await strapi.service('admin::role').assignPermissions(
      role.id,
      actions.map((action) => ({ action, subject: null, conditions: [], properties: {} }))
    );
    roleId = role.id;
  }

  const user = await strapi.service('admin::user').create({
    email,
    firstname: 'Test',
    lastname: `User ${counter}`,
    password,
    isActive: true,
    registrationToken: null,
    roles: [roleId],
  });

  const response = await app.http().post('/admin/login').send({ email, password });
  if (response.status !== 200) {
    throw new Error(`admin login failed: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return { token: response.body.data.token, user: { id: user.id, email } };
}

/** The plugin's admin API (`/privacy-centre/...`) as one admin, with their token. */
export function adminClient(app: TestStrapi, token: string) {
  const auth = { Authorization: `Bearer ${token}` };
  return {
    get: (url: string) => app.http().get(`/privacy-centre${url}`).set(auth),
    post: (url: string, body: object = {}) => app.http().post(`/privacy-centre${url}`).set(auth).send(body),
    put: (url: string, body: unknown = {}) => app.http().put(`/privacy-centre${url}`).set(auth).send(body as object),
    delete: (url: string) => app.http().delete(`/privacy-centre${url}`).set(auth),
  };
}
