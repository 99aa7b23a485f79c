// Reads a zod failure as the API's error message: every problem in words a frontend developer
// understands, in the order of the fields, joined by "; " (the style of the plugin since 0.1).
import type { z } from '@strapi/utils';

/** One problem, and the top-level field it is about ('' for the body as a whole). */
export interface Problem {
  field: string;
  message: string;
}

const unknownFields = (keys: string[]) => `unknown field${keys.length > 1 ? 's' : ''}: ${keys.slice(0, 5).join(', ')}`;

/** The message of one issue: `{path}` in a schema's message is the field's dotted path. */
function messageOf(issue: z.core.$ZodIssue): string {
  // Unknown fields of the body; in a nested object, that object's own message says what it takes.
  if (issue.code === 'unrecognized_keys' && issue.path.length === 0) return unknownFields(issue.keys);
  // A record key that is refused: its own schema's message says which key.
  if (issue.code === 'invalid_key' && issue.issues.length) return messageOf(issue.issues[0] as z.core.$ZodIssue);
  if (issue.code === 'invalid_union' && issue.errors.length) {
    // `x | ''`: the first branch's words, which name what is expected.
    const first = issue.errors[0]?.[0];
    if (first) return messageOf(first as z.core.$ZodIssue);
  }
  return issue.message.replace('{path}', issue.path.map(String).join('.'));
}

/**
 * The problems of a zod failure, sorted by `order` (field names; unknown fields first), each
 * message once. A field whose problems include a `limit` message (e.g. "names more than 50
 * categories") reports that alone: past a limit, what is beyond it is not looked at.
 */
export function problemsOf(error: z.ZodError, order: readonly string[], limits: RegExp = /names more than/): Problem[] {
  const problems: Problem[] = error.issues.map((issue) => ({
    field: issue.code === 'unrecognized_keys' && issue.path.length === 0 ? '' : String(issue.path[0] ?? ''),
    message: messageOf(issue),
  }));
  const limited = new Set(problems.filter((p) => limits.test(p.message)).map((p) => p.field));
  return sortProblems(problems.filter((p) => !limited.has(p.field) || limits.test(p.message)), order);
}

/** Sorts problems by field (stable within one), dropping repeats. */
export function sortProblems(problems: Problem[], order: readonly string[]): Problem[] {
  const rank = (field: string) => (field === '' ? -1 : order.includes(field) ? order.indexOf(field) : order.length);
  const seen = new Set<string>();
  return problems
    .map((problem, index) => ({ problem, index }))
    .sort((a, b) => rank(a.problem.field) - rank(b.problem.field) || a.index - b.index)
    .map(({ problem }) => problem)
    .filter((problem) => (seen.has(problem.message) ? false : (seen.add(problem.message), true)));
}

export const joinProblems = (problems: Problem[]) => problems.map((p) => p.message).join('; ');
