#!/usr/bin/env node
/**
 * bench/newsletter: the newsletter's public routes against Strapi's cheapest route, in the same
 * run on the same app (tests/app, production mode, SQLite), with a real SMTP server in this
 * process receiving what the plugin sends:
 *
 *   /_health                                   Strapi's cheapest route (the ceiling)
 *   POST /newsletter/unsubscribe?token=…       RFC 8058 one-click, as a mailbox provider sends it
 *                                              (`List-Unsubscribe=One-Click`, URL-encoded); the
 *                                              link comes from a received message's header
 *   POST /newsletter/subscribe (one address)   the same pending address again and again: the
 *                                              answer, a lookup, no new e-mail (resend interval)
 *   POST /newsletter/subscribe (new addresses) a new address every request: the answer; each
 *                                              sign-up is then written and its confirmation sent
 *                                              after the answer (503 counted when the backlog is full)
 *
 * Then, one at a time, 20 sign-ups of new addresses: the time from the request to the message's
 * arrival at the SMTP server (median, p95, max).
 * Each route: a 2 s warm-up, then BENCH_SECONDS (default 10) at BENCH_CONNECTIONS (default 20).
 * Writes bench/results/newsletter.json. Figures are reported, never asserted.
 */
const autocannon = require('autocannon');
const { SMTPServer } = require('smtp-server');
const { simpleParser } = require('mailparser');
const { withApp, prepare, measure, ratio, report, print, seconds, connections } = require('./lib');
const { freePort } = require('../tests/app/scripts/app-runner');

/** An SMTP server that keeps every message, and tells who waits for one to a given address. */
async function mailCatcher() {
  const received = [];
  const waiters = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks = [];
      stream.on('data', (chunk) => chunks.push(chunk));
      stream.on('end', () => {
        const at = performance.now();
        const raw = Buffer.concat(chunks);
        received.push({ raw, at });
        for (const waiter of waiters.splice(0)) waiter();
        callback();
      });
    },
  });
  // A client that drops its connection (the app's pool at shutdown) is not the bench's failure.
  server.on('error', () => {});
  const port = await freePort();
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  /** The first message to `to` (matched in the raw bytes), once it arrives. */
  const waitFor = async (to, ms = 30000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = received.find((m) => m.raw.includes(Buffer.from(to)));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no message to ${to} within ${ms} ms`);
      await new Promise((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  };
  return { port, waitFor, received, close: () => new Promise((resolve) => server.close(resolve)) };
}

const subscribe = (url, email) =>
  fetch(`${url}/api/privacy-centre/newsletter/subscribe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email }),
  });

/** An autocannon run that counts non-2xx answers instead of failing on them. */
async function measureCounting(options) {
  const run = (duration) =>
    new Promise((resolve, reject) => autocannon({ ...options, connections, duration }, (error, r) => (error ? reject(error) : resolve(r))));
  await run(2);
  const r = await run(seconds);
  return {
    requestsPerSecond: Math.round(r.requests.average),
    p99Ms: r.latency.p99,
    bytesPerResponse: Math.round(r.throughput.total / Math.max(r.requests.total, 1)),
    non2xx: r.non2xx,
    errors: r.errors,
    statusCodes: r.statusCodeStats,
  };
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function main() {
  prepare();
  const smtp = await mailCatcher();
  console.log(`bench/newsletter on sqlite: ${connections} connections, ${seconds} s per route; SMTP at 127.0.0.1:${smtp.port}`);
  try {
    const outcome = await withApp(
      { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), PRIVACY_CENTRE_RATE_LIMIT_MAX: '100000000' },
      async (app) => {
        // A subscriber, and the one-click link from the header of the message it was sent.
        await subscribe(app.url, 'bench-reader@example.com');
        const mail = await simpleParser((await smtp.waitFor('bench-reader@example.com')).raw);
        const header = (mail.headerLines || []).find((h) => h.key === 'list-unsubscribe')?.line ?? '';
        const oneClickUrl = (header.match(/https?:\/\/[^\s<>,]+/) || [])[0];
        if (!oneClickUrl) throw new Error(`no https link in List-Unsubscribe: ${header}`);
        // The link names this app's public URL: send it to the app actually listening.
        const oneClick = new URL(oneClickUrl);
        const target = `${app.url}${oneClick.pathname}${oneClick.search}`;

        const results = {};
        results.health = await measure({ url: `${app.url}/_health` });
        print('health', 'GET /_health', results.health);
        results.oneClick = await measure({
          url: target,
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'List-Unsubscribe=One-Click',
        });
        print('one-click', 'POST /api/privacy-centre/newsletter/unsubscribe?token=…', results.oneClick);
        results.subscribeSame = await measure({
          url: `${app.url}/api/privacy-centre/newsletter/subscribe`,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'bench-reader@example.com' }),
        });
        print('subscribe', 'POST /api/privacy-centre/newsletter/subscribe (one address)', results.subscribeSame);
        let n = 0;
        const before = smtp.received.length;
        results.subscribeNew = await measureCounting({
          url: `${app.url}/api/privacy-centre/newsletter/subscribe`,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          requests: [{ setupRequest: (request) => ({ ...request, body: JSON.stringify({ email: `bench-${n++}@example.com` }) }) }],
        });
        print('subscribe', 'POST /api/privacy-centre/newsletter/subscribe (a new address each)', results.subscribeNew);
        console.log(`          ${results.subscribeNew.non2xx} answered non-2xx (503 when the sign-up backlog is full): ${JSON.stringify(results.subscribeNew.statusCodes)}`);
        // The answers came first; the sign-ups are processed after them. Wait for their messages
        // (up to 5 minutes) and report how fast the backlog was worked off.
        const accepted = results.subscribeNew.statusCodes?.['202']?.count ?? 0;
        const drainStarted = Date.now();
        while (smtp.received.length - before < accepted && Date.now() - drainStarted < 300_000) {
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        const arrived = smtp.received.length - before;
        results.subscribeNew.backlog = { accepted, messagesArrived: arrived, drainedAfterRunMs: Date.now() - drainStarted };
        console.log(`          backlog: ${arrived} of ${accepted} confirmation messages arrived, the last ${((Date.now() - drainStarted) / 1000).toFixed(1)} s after the run`);

        // Subscribe → message at the SMTP server, one at a time on a quiet app.
        const times = [];
        for (let i = 0; i < 20; i += 1) {
          const email = `arrival-${i}@example.com`;
          const started = performance.now();
          const answer = await subscribe(app.url, email);
          if (answer.status !== 202) throw new Error(`subscribe answered ${answer.status}`);
          const { at } = await smtp.waitFor(email);
          times.push(at - started);
        }
        times.sort((a, b) => a - b);
        const arrival = { samples: times.length, medianMs: Math.round(quantile(times, 0.5)), p95Ms: Math.round(quantile(times, 0.95)), maxMs: Math.round(times[times.length - 1]) };
        console.log(`subscribe → message at the SMTP server: median ${arrival.medianMs} ms, p95 ${arrival.p95Ms} ms, max ${arrival.maxMs} ms (${arrival.samples} sign-ups)`);

        const ratios = {
          oneClickVsHealth: ratio(results.oneClick.requestsPerSecond, results.health.requestsPerSecond),
          subscribeSameVsHealth: ratio(results.subscribeSame.requestsPerSecond, results.health.requestsPerSecond),
          subscribeNewVsHealth: ratio(results.subscribeNew.requestsPerSecond, results.health.requestsPerSecond),
        };
        console.log(`one-click / _health = ${ratios.oneClickVsHealth}; subscribe (one address) / _health = ${ratios.subscribeSameVsHealth}; subscribe (new addresses) / _health = ${ratios.subscribeNewVsHealth}`);
        return { results, ratios, arrival };
      }
    );
    report('newsletter', outcome);
  } finally {
    await smtp.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
