/**
 * An app's own global middleware, as an IP block list or a bot filter would be: it refuses a
 * request carrying `x-test-block: 1` with a 403, and says in `x-test-routed` whether Strapi's
 * router answered the others (a fast path answers without it). Listed by config/middlewares.ts
 * when APP_TEST_BLOCK is set (tests/integration/app-middlewares.test.ts).
 */
export default () => async (ctx: any, next: () => Promise<void>) => {
  if (ctx.get('x-test-block') === '1') {
    // The app's answer, not the plugin's: the contract check leaves it alone.
    ctx.state.answeredByApp = true;
    ctx.status = 403;
    ctx.body = { data: null, error: { status: 403, name: 'ForbiddenError', message: 'Refused by the app', details: {} } };
    return;
  }
  await next();
  ctx.set('x-test-routed', ctx.state.route ? 'yes' : 'no');
};
