/** What strapi::security did to a response's headers, call by call: a value set, or a name removed. */
export type HeaderChanges = Array<[name: string, value: number | string | string[]] | [name: string]>;

/** What the replay of strapi::security's headers did (middlewares/security-replay.ts): counts, and the routes recorded as replayable. */
export type ReplayCounts = { recorded: number; replayed: number; routes: Set<string> };

/**
 * The counts of the replay of strapi::security's headers on the fast paths, for the tests and
 * the bench. The recorded headers themselves belong to each instance of strapi::security.
 */
export default () => {
  const counts: ReplayCounts = { recorded: 0, replayed: 0, routes: new Set() };
  return {
    counts,
    stats() {
      return { recorded: counts.recorded, replayed: counts.replayed, routes: [...counts.routes] };
    },
  };
};
