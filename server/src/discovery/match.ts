// Matching observed names against the declaration and ignore rules. Pure.

/** A definition of the declaration as matching needs it. */
export interface DeclaredName {
  /** A name, or a pattern where `*` stands for any run of characters (`_ga_*`). */
  name: string;
  category: string;
  storageType: string;
}

/**
 * Whether `name` matches `pattern`, where `*` is any run of characters (also none) and every other
 * character is itself. No regular expression: a pattern with many stars would backtrack
 * polynomially; the leftmost match of each middle part is enough for `*` and linear to find.
 */
export function globMatches(pattern: string, name: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === name;
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (name.length < first.length + last.length || !name.startsWith(first) || !name.endsWith(last)) return false;
  let position = first.length;
  const end = name.length - last.length;
  for (const part of parts.slice(1, -1)) {
    if (!part) continue;
    const at = name.indexOf(part, position);
    if (at < 0 || at + part.length > end) return false;
    position = at + part.length;
  }
  return true;
}

/**
 * Matches names against a list of names and patterns: exact names by a Map, patterns in their
 * order (a declaration has a few). The first entry that matches wins; an exact name before any
 * pattern.
 */
export function nameMatcher<T extends { name: string }>(entries: readonly T[]): (name: string) => T | null {
  const exact = new Map<string, T>();
  const patterns: T[] = [];
  for (const entry of entries) {
    if (entry.name.includes('*')) patterns.push(entry);
    else if (!exact.has(entry.name)) exact.set(entry.name, entry);
  }
  return (name) => {
    const found = exact.get(name);
    if (found) return found;
    for (const entry of patterns) if (globMatches(entry.name, name)) return entry;
    return null;
  };
}

/** Whether `name` matches the name or pattern `rule` (ignore rules, "declared but not seen"). */
export const matchesName = (rule: string, name: string) => globMatches(rule, name);
