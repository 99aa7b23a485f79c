import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

const positiveInt = (value: unknown, name: string, fallback: number) => {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new errors.ValidationError(`${name} must be a positive integer`);
  }
  return number;
};

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async find(ctx: Parameters<Core.MiddlewareHandler>[0]) {
    const page = positiveInt(ctx.query.page, 'page', 1);
    const pageSize = positiveInt(ctx.query.pageSize, 'pageSize', 50);
    ctx.body = await strapi.plugin('privacy-centre').service('audit').list({ page, pageSize });
  },
});
