#!/usr/bin/env node
/**
 * bench/policy: how fast is the plugin's `current` policy route, against Strapi's own routes
 * in the same run, on the same app (tests/app, production mode, SQLite)?
 *
 *   /_health                                   Strapi's cheapest route (the ceiling)
 *   /api/privacy-centre/policies/<slug>/current the plugin, a 40-section policy (~30 KB JSON)
 *   /api/policy-page                           Strapi's REST route for a single type holding
 *                                              the same content
 *
 * The app lists the plugin's optional fast-path middleware (README, "Hot path");
 * BENCH_FAST_PATH=false measures the route without it.
 *
 * Each route: a 2 s warm-up, then BENCH_SECONDS (default 10) at BENCH_CONNECTIONS (default 20)
 * with autocannon. Prints requests/s, p99 latency and the ratios; writes bench/results/policy.json.
 * Targets (issue 3): plugin >= 0.7 x /_health and >= 8 x the REST route. Never asserted in tests.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const autocannon = require('autocannon');
const { ensurePluginBuilt, compileApp, startApp } = require('../tests/app/scripts/app-runner');

const seconds = Number(process.env.BENCH_SECONDS || 10);
const connections = Number(process.env.BENCH_CONNECTIONS || 20);
const slug = 'bench-policy';

/** 40 original sections of plausible policy prose and tables: about 30 KB of JSON served. */
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

async function json(url, { method = 'GET', token, body } = {}) {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : {};
}

async function seed(url) {
  const { data } = await json(`${url}/admin/register-admin`, {
    method: 'POST',
    body: { email: 'bench@example.com', password: 'Bench-Passw0rd!', firstname: 'Bench', lastname: 'Admin' },
  });
  const token = data.token;
  const sections = benchSections();
  const draft = await json(`${url}/privacy-centre/policies/drafts`, {
    method: 'POST',
    token,
    body: { slug, locales: { en: { title: 'Benchmark privacy policy', summary: 'Forty sections.', sections } } },
  });
  await json(`${url}/privacy-centre/policies/drafts/${draft.data.documentId}/publish`, { method: 'POST', token, body: {} });
  // The same content in a plain single type, through the Content Manager as an editor would.
  await json(`${url}/content-manager/single-types/api::policy-page.policy-page`, {
    method: 'PUT',
    token,
    body: { title: 'Benchmark privacy policy', sections: draft.data.locales.en.sections },
  });
}

function run(url, title) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, duration: seconds, title }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

async function measure(url) {
  await new Promise((resolve, reject) =>
    autocannon({ url, connections, duration: 2 }, (error) => (error ? reject(error) : resolve()))
  );
  const result = await run(url);
  if (result.non2xx || result.errors) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p99Ms: result.latency.p99,
    bytesPerResponse: Math.round(result.throughput.total / Math.max(result.requests.total, 1)),
  };
}

async function main() {
  ensurePluginBuilt({ log: console.log });
  compileApp({ log: console.log });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'privacy-centre-bench-'));
  const app = await startApp({
    env: {
      DATABASE_CLIENT: 'sqlite',
      DATABASE_FILENAME: path.join(tmp, 'bench.db'),
      SERVE_ADMIN: 'false',
      NODE_ENV: 'production',
      // Strapi's request logger writes a line per request: off for all three routes alike.
      STRAPI_LOG_LEVEL: 'warn',
      // BENCH_FAST_PATH=false measures the plain route, without the optional middleware.
      PRIVACY_CENTRE_FAST_PATH: process.env.BENCH_FAST_PATH === 'false' ? 'false' : 'true',
    },
  });
  try {
    await seed(app.url);
    const routes = {
      health: `${app.url}/_health`,
      plugin: `${app.url}/api/privacy-centre/policies/${slug}/current`,
      rest: `${app.url}/api/policy-page`,
    };
    const results = {};
    for (const [name, url] of Object.entries(routes)) {
      results[name] = await measure(url);
      console.log(`${name.padEnd(7)} ${url}\n        ${results[name].requestsPerSecond} req/s, p99 ${results[name].p99Ms} ms, ${results[name].bytesPerResponse} B/response`);
    }
    const ratios = {
      pluginVsHealth: +(results.plugin.requestsPerSecond / results.health.requestsPerSecond).toFixed(2),
      pluginVsRest: +(results.plugin.requestsPerSecond / results.rest.requestsPerSecond).toFixed(2),
    };
    console.log(`\nfast path middleware: ${process.env.BENCH_FAST_PATH === 'false' ? 'off' : 'on'}`);
    console.log(`plugin / _health = ${ratios.pluginVsHealth} (target >= 0.7)`);
    console.log(`plugin / REST single type = ${ratios.pluginVsRest} (target >= 8)`);
    const out = path.join(__dirname, 'results');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(
      path.join(out, 'policy.json'),
      JSON.stringify({ date: new Date().toISOString(), seconds, connections, fastPath: process.env.BENCH_FAST_PATH !== 'false', cpus: os.cpus().length, results, ratios }, null, 2)
    );
  } finally {
    await app.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
