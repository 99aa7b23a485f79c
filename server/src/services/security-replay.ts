/** What strapi::security did to a response's headers, call by call: a value set, or a name removed. */
export type HeaderChanges = Array<[name: string, value: number | string | string[]] | [name: string]>;

/**
 * The headers strapi::security gives each fast-path route, recorded at the route's first request
 * and replayed for the next ones (middlewares/security-replay.ts says why and when). Keyed by
 * method and route, never by anything a request chooses: a handful of entries at most.
 */
export default () => {
  /** null: strapi::security changed the route's headers otherwise than by setHeader/removeHeader. */
  const recorded = new Map<string, HeaderChanges | null>();
  const stats = { recorded: 0, replayed: 0 };
  return {
    /** The changes recorded for `route`, counted as a replay; undefined before its first request, null when not replayable. */
    replay(route: string): HeaderChanges | null | undefined {
      const changes = recorded.get(route);
      if (changes) stats.replayed += 1;
      return changes;
    },

    record(route: string, changes: HeaderChanges | null) {
      recorded.set(route, changes);
      stats.recorded += 1;
    },

    /** For the tests and the bench: how many were recorded and replayed, and for which routes. */
    stats() {
      return { ...stats, routes: [...recorded].filter(([, changes]) => changes).map(([route]) => route) };
    },
  };
};
