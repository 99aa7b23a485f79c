// co-body, as the plugin's consent fast path reads a body.
import coBody from 'co-body';

/**
 * The floor of a fast path, for bench/consent.js and bench/policy.js only: listed by
 * config/middlewares.ts right before strapi::body (where the plugin puts its fast paths) when
 * APP_BENCH_FLOOR=1. It does nothing but what any answer at that place must do:
 *
 *   POST /api/bench-floor/consents  reads the JSON body and answers 201 with a constant body the
 *                                   size of a consent receipt (no validation, signature nor write)
 *   GET  /api/bench-floor/policy    answers APP_BENCH_FLOOR_BYTES (36,000) bytes of JSON from memory
 *
 * So a bench can say how much of a route's cost is the plugin's own work and how much is Strapi's
 * middlewares and HTTP, which no plugin route can go below.
 */
export default () => {
  const receipt = {
    data: {
      consentId: 'c'.repeat(22),
      subjectId: 's'.repeat(22),
      action: 'given',
      state: { necessary: true, preferences: false, statistics: true, marketing: false },
      consentMode: { ad_storage: 'denied', ad_user_data: 'denied', analytics_storage: 'granted', security_storage: 'granted' },
      gpc: { signal: false, refused: [], honoured: false },
      givenAt: new Date(0).toISOString(),
      expiresAt: new Date(0).toISOString(),
      previousConsentId: null,
      policy: { slug: 'privacy-policy', version: 1, hash: 'h'.repeat(64) },
      declaration: { revision: 1, hash: 'h'.repeat(64) },
      jurisdiction: { code: 'GDPR', model: 'opt-in' },
      signature: `key.${'k'.repeat(86)}`,
    },
  };
  const size = Number(process.env.APP_BENCH_FLOOR_BYTES || 36000);
  const policy = Buffer.from(JSON.stringify({ data: 'p'.repeat(Math.max(0, size - 11)) }));
  return async (ctx: any, next: () => Promise<void>) => {
    if (ctx.method === 'POST' && ctx.path === '/api/bench-floor/consents') {
      await coBody.json(ctx, { limit: '32kb', strict: true });
      ctx.status = 201;
      ctx.set('Cache-Control', 'no-store');
      ctx.body = receipt;
      return;
    }
    if (ctx.method === 'GET' && ctx.path === '/api/bench-floor/policy') {
      ctx.status = 200;
      ctx.set('Cache-Control', 'public, max-age=60');
      ctx.set('Content-Type', 'application/json; charset=utf-8');
      ctx.body = policy;
      return;
    }
    await next();
  };
};
