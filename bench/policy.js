#!/usr/bin/env node
/**
 * bench/policy: how fast is the plugin's `current` policy route, against Strapi's own routes
 * in the same run, on the same app (tests/app, production mode, SQLite)?
 *
 *   /_health                                    Strapi's cheapest route (the ceiling)
 *   /api/privacy-centre/policies/<slug>/current the plugin, a 40-section policy (~36 KB JSON)
 *   /api/policy-page                            Strapi's REST route for a single type holding
 *                                               the same content
 *   /api/bench-floor/policy                     the floor: 36,000 bytes of JSON from memory, sent
 *                                               by the app's own middleware at the fast path's
 *                                               place (tests/app/src/middlewares/bench-floor.ts)
 *
 * Two installations, one after the other: the default one (the plugin puts its fast-path
 * middleware in place itself) and `installMiddlewares: false` (the plain route).
 * Each route: a 2 s warm-up, then BENCH_SECONDS (default 10) at BENCH_CONNECTIONS (default 20),
 * BENCH_ROUNDS times (default 3), the routes in turn; the median round counts.
 * Prints requests/s, p99 latency and the ratios; writes bench/results/policy.json.
 * BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each Strapi process there (bench/consent.js);
 * BENCH_PLAIN=0 runs only the default installation; BENCH_ROUTES=plugin (or a comma list of
 * health, plugin, rest, floor) runs only those, e.g. to profile one (no ratios then).
 */
const { json, registerAdmin, measureCpu, seconds, withApp, prepare, ratio, report, print, profilerEnv, rounds, medianRound } = require('./lib');

const slug = 'bench-policy';

/** 40 original sections of plausible policy prose and tables: about 36 KB of JSON served. */
function benchSections() {
  const sentence =
    'We process the personal data described in this section only for the stated purpose, keep it no longer than the retention period below, and never sell it. ';
  return Array.from({ length: 40 }, (_, i) => ({
    anchor: '',
    heading: `${i + 1}. Section ${i + 1} of the benchmark policy`,
    markdown:
      sentence.repeat(2) +
      (i % 4 === 0 ? '\n\n| Data | Purpose | Kept |\n| --- | --- | --- |\n| e-mail | newsletter | until you unsubscribe |\n| IP prefix | proof of consent | 12 months |\n' : ''),
  }));
}

async function seed(url) {
  const token = await registerAdmin(url);
  const draft = await json(`${url}/privacy-centre/policies/drafts`, {
    method: 'POST',
    token,
    body: { slug, locales: { en: { title: 'Benchmark privacy policy', summary: 'Forty sections.', sections: benchSections() } } },
  });
  await json(`${url}/privacy-centre/policies/drafts/${draft.data.documentId}/publish`, { method: 'POST', token, body: {} });
  // The same content in a plain single type, through the Content Manager as an editor would.
  await json(`${url}/content-manager/single-types/api::policy-page.policy-page`, {
    method: 'PUT',
    token,
    body: { title: 'Benchmark privacy policy', sections: draft.data.locales.en.sections },
  });
}

async function installation(title, env) {
  console.log(`\n== ${title}`);
  // BENCH_REPLAY_SECURITY=0: strapi::security runs for every request of the fast path (as before the replay).
  const replay = process.env.BENCH_REPLAY_SECURITY === '0' ? { PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({ replaySecurityHeaders: false }) } : {};
  return withApp({ APP_BENCH_FLOOR: process.env.APP_BENCH_FLOOR || '1', ...replay, ...env, ...profilerEnv() }, async (app) => {
    await seed(app.url);
    const routes = {
      health: `${app.url}/_health`,
      plugin: `${app.url}/api/privacy-centre/policies/${slug}/current`,
      rest: `${app.url}/api/policy-page`,
      // The same number of bytes from memory at the fast path's place, and nothing else.
      floor: `${app.url}/api/bench-floor/policy`,
    };
    // The routes in turn, `rounds` times; each route's median round counts (bench/consent.js).
    const only = (process.env.BENCH_ROUTES || 'health,plugin,rest,floor').split(',');
    for (const name of Object.keys(routes)) if (!only.includes(name)) delete routes[name];
    const measured = {};
    for (let round = 1; round <= rounds; round += 1) {
      for (const [name, url] of Object.entries(routes)) {
        const result = await measureCpu(url, app.child.pid);
        // Requests of the warm-up and the run, from the rate (these routes write nothing to count).
        result.strapiCpuMsPerRequest = +(result.strapiCpuMs / (result.requestsPerSecond * (seconds + 2))).toFixed(3);
        (measured[name] ??= []).push(result);
        console.log(
          `  round ${round} ${name.padEnd(6)} ${result.requestsPerSecond} req/s, p99 ${result.p99Ms} ms; Strapi ~${result.strapiCpuMsPerRequest} ms CPU/request; cores busy: Strapi ${result.strapiCoreShare}, load generator ${result.generatorCoreShare}`
        );
      }
    }
    const results = {};
    for (const [name, url] of Object.entries(routes)) {
      results[name] = medianRound(measured[name]);
      print(name, url, results[name]);
    }
    if (Object.keys(routes).length < 4) return { results, ratios: {} };
    const ratios = {
      pluginVsHealth: ratio(results.plugin.requestsPerSecond, results.health.requestsPerSecond),
      pluginVsRest: ratio(results.plugin.requestsPerSecond, results.rest.requestsPerSecond),
    };
    ratios.floorVsHealth = ratio(results.floor.requestsPerSecond, results.health.requestsPerSecond);
    ratios.pluginVsFloor = ratio(results.plugin.requestsPerSecond, results.floor.requestsPerSecond);
    console.log(`plugin / _health = ${ratios.pluginVsHealth}; plugin / REST single type = ${ratios.pluginVsRest}`);
    console.log(`floor / _health = ${ratios.floorVsHealth} (the most a route answering as many bytes can reach); plugin / floor = ${ratios.pluginVsFloor}`);
    return { results, ratios };
  });
}

async function main() {
  prepare();
  const defaultInstall = await installation('default installation (fast path put in place by the plugin)', {});
  if (process.env.BENCH_PLAIN === '0') return report('policy', { defaultInstall });
  const plainRoute = await installation('installMiddlewares: false (the plain route)', { PRIVACY_CENTRE_INSTALL_MIDDLEWARES: 'false' });
  console.log('\nsummary');
  console.log(`  default installation: plugin / _health = ${defaultInstall.ratios.pluginVsHealth}, plugin / REST = ${defaultInstall.ratios.pluginVsRest}`);
  console.log(`  plain route:          plugin / _health = ${plainRoute.ratios.pluginVsHealth}, plugin / REST = ${plainRoute.ratios.pluginVsRest}`);
  report('policy', { defaultInstall, plainRoute });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
