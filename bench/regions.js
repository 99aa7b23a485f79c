#!/usr/bin/env node
/**
 * bench/regions: what answering per jurisdiction costs on the public cookie routes, against
 * Strapi's cheapest route in the same run, on the same app (tests/app, production mode, SQLite,
 * trusting CF-IPCountry and CF-Region as a site behind Cloudflare would).
 *
 *   /_health                                   Strapi's cheapest route (the ceiling)
 *   /api/privacy-centre/cookies                no location header: the default jurisdiction
 *   /api/privacy-centre/cookies (4 variants)   DE, US-CA, US-CA with Sec-GPC, US-NY, in turn
 *   /api/privacy-centre/cookies/consent-mode   the Consent Mode defaults per region
 *
 * Each: a 2 s warm-up, then BENCH_SECONDS (default 10) at BENCH_CONNECTIONS (default 20).
 * Prints requests/s, p99 latency and the ratios; writes bench/results/regions.json.
 */
const { json, registerAdmin, measure, withApp, prepare, ratio, report, print } = require('./lib');

const REGIONS = { regions: { countryHeaders: ['CF-IPCountry'], regionHeaders: ['CF-Region'] } };

async function main() {
  prepare();
  const outcome = await withApp({ PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify(REGIONS) }, async (app) => {
    const token = await registerAdmin(app.url);
    await json(`${app.url}/privacy-centre/cookies/publish`, { method: 'POST', token, body: {} });
    const cookies = `${app.url}/api/privacy-centre/cookies`;
    const variants = [
      { 'CF-IPCountry': 'DE' },
      { 'CF-IPCountry': 'US', 'CF-Region': 'CA' },
      { 'CF-IPCountry': 'US', 'CF-Region': 'CA', 'Sec-GPC': '1' },
      { 'CF-IPCountry': 'US', 'CF-Region': 'NY' },
    ];
    const results = {
      health: await measure(`${app.url}/_health`),
      cookiesDefault: await measure(cookies),
      cookiesPerJurisdiction: await measure({ url: cookies, requests: variants.map((headers) => ({ method: 'GET', path: '/api/privacy-centre/cookies', headers })) }),
      consentMode: await measure(`${app.url}/api/privacy-centre/cookies/consent-mode`),
    };
    for (const [name, result] of Object.entries(results)) print(name, name, result);
    const ratios = {
      cookiesDefaultVsHealth: ratio(results.cookiesDefault.requestsPerSecond, results.health.requestsPerSecond),
      cookiesPerJurisdictionVsHealth: ratio(results.cookiesPerJurisdiction.requestsPerSecond, results.health.requestsPerSecond),
      perJurisdictionVsDefault: ratio(results.cookiesPerJurisdiction.requestsPerSecond, results.cookiesDefault.requestsPerSecond),
      consentModeVsHealth: ratio(results.consentMode.requestsPerSecond, results.health.requestsPerSecond),
    };
    console.log(ratios);
    return { results, ratios };
  });
  report('regions', outcome);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
