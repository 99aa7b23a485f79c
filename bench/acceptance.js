#!/usr/bin/env node
/**
 * bench/acceptance: what policy acceptance costs a site's signed-in routes, against Strapi's own
 * in the same run, on the same app (tests/app, production mode, SQLite; `terms` required).
 *
 *   /api/member-area/unguarded        a signed-in user's page without the route policy
 *   /api/member-area                  the same page with plugin::privacy-centre.policies-accepted
 *                                     (the user accepted: the policy lets them in from memory)
 *   /api/users/me                     users-permissions' own signed-in route
 *   /api/privacy-centre/acceptances/me  what the signed-in user must accept (reads the database)
 *
 * Each: a 2 s warm-up, then BENCH_SECONDS (default 10) at BENCH_CONNECTIONS (default 20), with
 * the user's JWT. Prints requests/s, p99 latency and the ratios; writes bench/results/acceptance.json.
 */
const { json, registerAdmin, measure, withApp, prepare, ratio, report, print } = require('./lib');

async function main() {
  prepare();
  const outcome = await withApp({ PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({ acceptance: { required: ['terms'] } }) }, async (app) => {
    const token = await registerAdmin(app.url);
    const section = { anchor: '', heading: '1. Terms', markdown: 'The terms of the service.' };
    const draft = await json(`${app.url}/privacy-centre/policies/drafts`, {
      method: 'POST',
      token,
      body: { slug: 'terms', locales: { en: { title: 'Terms of service', summary: '', sections: [section] } } },
    });
    const published = await json(`${app.url}/privacy-centre/policies/drafts/${draft.data.documentId}/publish`, { method: 'POST', token, body: {} });
    const { jwt } = await json(`${app.url}/api/auth/local/register`, {
      method: 'POST',
      body: { username: 'bench-member', email: 'member@bench.example', password: 'Bench-Member-2026' },
    });
    await json(`${app.url}/api/privacy-centre/acceptances`, {
      method: 'POST',
      token: jwt,
      body: { slug: 'terms', version: published.data.version, hash: published.data.hash },
    });
    const signedIn = (path) => ({ url: `${app.url}${path}`, headers: { authorization: `Bearer ${jwt}` } });
    const results = {
      unguarded: await measure(signedIn('/api/member-area/unguarded')),
      guarded: await measure(signedIn('/api/member-area')),
      usersMe: await measure(signedIn('/api/users/me')),
      acceptancesMe: await measure(signedIn('/api/privacy-centre/acceptances/me')),
    };
    for (const [name, result] of Object.entries(results)) print(name, name, result);
    const ratios = {
      guardedVsUnguarded: ratio(results.guarded.requestsPerSecond, results.unguarded.requestsPerSecond),
      acceptancesMeVsUsersMe: ratio(results.acceptancesMe.requestsPerSecond, results.usersMe.requestsPerSecond),
    };
    console.log(ratios);
    return { results, ratios };
  });
  report('acceptance', outcome);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
