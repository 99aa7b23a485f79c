import { errors, type z } from '@strapi/utils';
import { joinProblems, problemsOf } from './problems';

/**
 * The value as `schema` reads it, or a ValidationError (400 in Strapi's error shape) naming every
 * problem, in the order of `order`'s fields.
 */
export function validated<T extends z.ZodType>(schema: T, value: unknown, order: readonly string[] = []): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new errors.ValidationError(joinProblems(problemsOf(result.error, order)));
}
