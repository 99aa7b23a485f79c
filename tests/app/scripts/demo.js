#!/usr/bin/env node
/**
 * `npm run demo`: builds what is needed, starts tests/app on SQLite (tests/app/.tmp/demo.db)
 * with the plugin and sample content, and prints the admin URL, the login and public URLs.
 * Seeding is idempotent (src/seed/demo.ts). Honours PORT, HOST, DEMO_ADMIN_EMAIL and
 * DEMO_ADMIN_PASSWORD. E-mail goes to a small SMTP server inside this process that writes
 * every message to tests/app/.tmp/mail/*.eml and prints its links: no mail server needed.
 */
const fs = require('node:fs');
const path = require('node:path');
const { SMTPServer } = require('smtp-server');
const { simpleParser } = require('mailparser');
const { APP_DIR, ensurePluginBuilt, ensureAdminBuilt, freePort, startApp } = require('./app-runner');

const host = process.env.HOST || '127.0.0.1';
const port = Number(process.env.PORT || 1337);
const email = process.env.DEMO_ADMIN_EMAIL || 'admin@example.com';
const password = process.env.DEMO_ADMIN_PASSWORD || 'Privacy-Demo-2026';
const mailDir = path.join(APP_DIR, '.tmp', 'mail');
const say = (line) => console.log(`[demo] ${line}`);

async function startMailCatcher() {
  fs.mkdirSync(mailDir, { recursive: true });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    banner: 'privacy-centre demo mail catcher',
    onData(stream, _session, callback) {
      const chunks = [];
      stream.on('data', (chunk) => chunks.push(chunk));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks);
        const file = path.join(mailDir, `${new Date().toISOString().replace(/[:.]/g, '-')}.eml`);
        fs.writeFileSync(file, raw);
        const mail = await simpleParser(raw);
        const links = new Set((mail.text || '').match(/https?:\/\/[^\s<>"]+/g) || []);
        say(`mail to ${mail.to?.text}: "${mail.subject}" saved as ${path.relative(process.cwd(), file)}`);
        for (const link of links) say(`  link: ${link}`);
        callback();
      });
    },
  });
  const smtpPort = await freePort();
  await new Promise((resolve) => server.listen(smtpPort, '127.0.0.1', resolve));
  return { server, smtpPort };
}

async function main() {
  say('building what is needed (the first run builds the admin panel: about a minute or two)…');
  ensurePluginBuilt({ log: say });
  ensureAdminBuilt({ log: say });

  const { server: smtp, smtpPort } = await startMailCatcher();
  say('starting Strapi on SQLite (tests/app/.tmp/demo.db)…');
  const app = await startApp({
    host,
    port,
    env: {
      DATABASE_CLIENT: 'sqlite',
      DATABASE_FILENAME: '.tmp/demo.db',
      PRIVACY_CENTRE_DEMO_SEED: '1',
      DEMO_ADMIN_EMAIL: email,
      DEMO_ADMIN_PASSWORD: password,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtpPort),
    },
    onOutput: (chunk) => process.stdout.write(chunk),
  });

  const api = `${app.url}/api/privacy-centre`;
  // A visitor's consent, as a site's cookie banner would send it, to show a receipt.
  const consent = await fetch(`${api}/consents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', referer: `${app.url}/` },
    body: JSON.stringify({ state: { statistics: true, marketing: false }, locale: 'en' }),
  }).then((r) => r.json());
  const consentId = consent?.data?.consentId;
  console.log(`
  Privacy Centre demo is running.

  Admin:     ${app.url}/admin
  Login:     ${email} / ${password}

  Public API:
    ${api}/policies/privacy-policy/current
    ${api}/policies/privacy-policy/current?locale=fi
    ${api}/policies/privacy-policy/versions
    ${api}/policies/privacy-policy/versions/1
    ${api}/policies/privacy-policy/upcoming
    ${api}/cookies
    ${api}/cookies?locale=fi
    ${consentId ? `${api}/consents/${consentId}   (the receipt of a consent the demo just recorded)` : '(recording a demo consent failed)'}

  Record a consent (what a cookie banner sends; the answer is a signed receipt):
    curl -X POST ${api}/consents -H 'Content-Type: application/json' \\
      -d '{"state":{"preferences":true,"statistics":false,"marketing":false}}'

  Mail sent by the plugin is saved under ${path.relative(process.cwd(), mailDir)}/.
  Press Ctrl+C to stop.
`);

  const shutdown = async () => {
    say('stopping…');
    await app.stop();
    smtp.close();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  app.child.on('exit', (code) => {
    say(`Strapi exited (${code})`);
    smtp.close();
    process.exit(code ?? 1);
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
