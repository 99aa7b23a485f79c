#!/usr/bin/env node
/**
 * bench/notice: the advance notice of a material change to N confirmed subscribers (inserted by
 * SQL), end to end through Strapi's email plugin (nodemailer, a pool of 16 SMTP connections) to a local
 * SMTP sink in this process that accepts every message and keeps nothing but a count.
 *
 * For each N in BENCH_NOTICE_SIZES (default "10000,100000"), on a fresh app (tests/app,
 * production mode, SQLite): publish v1, insert N subscribers, publish a material v2 taking effect
 * tomorrow (the window is open: the outbox is enqueued and sent at once), then report
 *   - messages/second from publication to the last message at the sink,
 *   - the peak RSS of the Strapi process (VmHWM) before and after, to show it does not grow with N,
 *   - the database rows written per message (delivery rows, and row updates counted as they happen).
 * notice.ratePerSecond is set to 10000 so the throttle does not set the figure.
 * Writes bench/results/notice.json. Figures are reported, never asserted.
 */
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const Database = require('better-sqlite3');
const { withApp, prepare, json, registerAdmin, report } = require('./lib');

const sizes = (process.env.BENCH_NOTICE_SIZES || '10000,100000').split(',').map(Number);

/** A minimal SMTP server: answers every command at once, counts messages, keeps nothing. */
async function smtpSink() {
  let messages = 0;
  let lastAt = 0;
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    let buffer = '';
    let inData = false;
    socket.write('220 sink ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) {
            // Keep only the tail that could hold the terminator.
            if (buffer.length > 8) buffer = buffer.slice(-8);
            return;
          }
          buffer = buffer.slice(end + 5);
          inData = false;
          messages++;
          lastAt = performance.now();
          socket.write('250 2.0.0 queued\r\n');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') socket.write('250-sink\r\n250 8BITMIME\r\n');
        else if (verb === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
    socket.on('error', () => {});
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    count: () => messages,
    lastAt: () => lastAt,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Peak and current RSS (MB) of a process and its children, from /proc (Linux). */
function rssOf(pid) {
  const read = (p) => {
    try {
      const status = fs.readFileSync(`/proc/${p}/status`, 'utf8');
      const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
      return { peak: kb('VmHWM') / 1024, now: kb('VmRSS') / 1024 };
    } catch {
      return { peak: 0, now: 0 };
    }
  };
  // `strapi start` runs Strapi in its own process: the largest one of the group is Strapi.
  const pids = [pid, ...(fs.existsSync(`/proc/${pid}/task/${pid}/children`) ? fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number) : [])];
  return pids.map(read).reduce((a, b) => (b.peak > a.peak ? b : a));
}

const locales = (tag) => ({
  en: {
    title: `Privacy policy ${tag}`,
    summary: `What changed in ${tag}: retention of consent records shortened.`,
    sections: [
      { anchor: '', heading: '1. Who we are', markdown: `We are the controller (${tag}).` },
      { anchor: '', heading: '2. Retention', markdown: '| Data | Kept |\n| --- | --- |\n| Consent records | 12 months |' },
    ],
  },
});

async function run(n) {
  const sink = await smtpSink();
  const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'privacy-centre-notice-'));
  const file = path.join(dir, 'notice.db');
  try {
    return await withApp(
      {
        DATABASE_FILENAME: file,
        SMTP_PORT: String(sink.port),
        SMTP_POOL: 'true',
        SMTP_MAX_CONNECTIONS: '16',
        PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({ notice: { ratePerSecond: 10000 }, cron: { enabled: false } }),
      },
      async (app) => {
        try {
          return await measureOn(app, n, file, sink);
        } catch (error) {
          console.error(`\nthe app said:\n${app.output().slice(-4000)}`);
          throw error;
        }
      }
    );
  } finally {
    await sink.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function measureOn(app, n, file, sink) {
        const token = await registerAdmin(app.url);
        const admin = (method, url, body) => json(`${app.url}/privacy-centre${url}`, { method, token, body });
        const v1 = await admin('POST', '/policies/drafts', { slug: 'privacy-policy', locales: locales('v1') });
        await admin('POST', `/policies/drafts/${v1.data.documentId}/publish`, {});

        // N confirmed subscribers, by SQL (the app is idle meanwhile).
        const db = new Database(file);
        const now = new Date().toISOString();
        const insert = db.prepare(
          `INSERT INTO privacy_centre_newsletter_subscriptions (document_id, email_hash, mailbox_hash, email, list, status, language, requested_at, confirmed_at, created_at, updated_at, published_at)
           VALUES (?, ?, ?, ?, 'default', 'subscribed', 'en', ?, ?, ?, ?, ?)`
        );
        db.transaction(() => {
          for (let i = 0; i < n; i++) {
            const hash = require('node:crypto').createHash('sha256').update(`bench${i}`).digest('base64url');
            insert.run(`bench${String(i).padStart(19, '0')}`, hash, hash, `reader${i}@bench.example`, now, now, Date.now(), Date.now(), Date.now());
          }
        })();
        db.close();

        const before = rssOf(app.child.pid);
        const draft = await admin('POST', '/policies/drafts', { slug: 'privacy-policy', materialChange: true, locales: locales('v2') });
        const started = performance.now();
        let progress = null;
        await admin('POST', `/policies/drafts/${draft.data.documentId}/publish`, {
          effectiveAt: new Date(Date.now() + 24 * 3600 * 1000).toISOString(),
          noticeReason: 'benchmark',
        });
        let peak = before.peak;
        for (;;) {
          await new Promise((resolve) => setTimeout(resolve, 1000));
          peak = Math.max(peak, rssOf(app.child.pid).peak);
          // While 100,000 rows are enqueued in one transaction, SQLite's single connection is
          // busy and a poll may time out: poll again.
          try {
            progress = (await admin('GET', `/policies/versions/${draft.data.documentId}/notice`)).data;
          } catch (error) {
            console.log(`\n  (poll failed: ${error.cause?.code || error.message})`);
            continue;
          }
          process.stdout.write(`\r  ${n}: ${progress.counts.sent} sent, ${progress.counts.pending} waiting, ${progress.counts.failed} failed   `);
          if (progress.status === 'done') break;
        }
        const seconds = (sink.lastAt() - started) / 1000;
        const after = rssOf(app.child.pid);
        // Rows: one delivery row inserted per message, updated twice (the claim, the result);
        // plus one notice row and its few status updates for the whole run.
        const db2 = new Database(file, { readonly: true });
        const deliveries = db2.prepare('SELECT COUNT(*) AS n FROM privacy_centre_notice_deliveries').get().n;
        const notices = db2.prepare('SELECT COUNT(*) AS n FROM privacy_centre_notices').get().n;
        db2.close();
        const result = {
          recipients: n,
          messagesAtSink: sink.count(),
          sent: progress.counts.sent,
          failed: progress.counts.failed,
          seconds: +seconds.toFixed(1),
          messagesPerSecond: Math.round(sink.count() / seconds),
          peakRssMbBefore: Math.round(before.peak),
          peakRssMb: Math.round(Math.max(peak, after.peak)),
          rowsInsertedPerMessage: +((deliveries + notices) / n).toFixed(4),
          rowUpdatesPerMessage: 2,
        };
        console.log(`\n  ${JSON.stringify(result)}`);
        return result;
}

(async () => {
  prepare();
  const results = [];
  for (const n of sizes) results.push(await run(n));
  report('notice', { results });
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
