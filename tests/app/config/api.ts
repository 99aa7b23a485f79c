export default ({ env }) => ({
  // API_PREFIX lets a test prove the plugin's routes and fast path follow a custom prefix.
  rest: { prefix: env('API_PREFIX', '/api'), defaultLimit: 25, maxLimit: 100, withCount: true },
});
