import { schemas } from '../../../content-types';

/** Strapi wants `{ [singularName]: { schema } }`; the schemas themselves live in /content-types. */
export default Object.fromEntries(
  Object.entries(schemas).map(([name, schema]) => [name, { schema }])
);
