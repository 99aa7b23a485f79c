// Matching observed names against the declaration and ignore rules. Pure.

/** A definition of the declaration as matching needs it. */
export interface DeclaredName {
  /** A name, or a pattern where `*` stands for any run of characters (`_ga_*`). */
  name: string;
  category: string;
  storageType: string;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `_ga_*` → /^_ga_.*$/: `*` is any run of characters (also none); everything else is literal. */
export const patternRegExp = (pattern: string) => new RegExp(`^${pattern.split('*').map(escape).join('.*')}$`);

/**
 * Matches names against a list of names and patterns: exact names by a Map, patterns in their
 * order (a declaration has a few). The first entry that matches wins; an exact name before any
 * pattern.
 */
export function nameMatcher<T extends { name: string }>(entries: readonly T[]): (name: string) => T | null {
  const exact = new Map<string, T>();
  const patterns: Array<{ regexp: RegExp; entry: T }> = [];
  for (const entry of entries) {
    if (entry.name.includes('*')) patterns.push({ regexp: patternRegExp(entry.name), entry });
    else if (!exact.has(entry.name)) exact.set(entry.name, entry);
  }
  return (name) => {
    const found = exact.get(name);
    if (found) return found;
    for (const { regexp, entry } of patterns) if (regexp.test(name)) return entry;
    return null;
  };
}

/** Whether `name` matches the name or pattern `rule` (ignore rules, "declared but not seen"). */
export const matchesName = (rule: string, name: string) => (rule.includes('*') ? patternRegExp(rule).test(name) : rule === name);
