#!/usr/bin/env node
/**
 * `npm run demo`: builds what is needed, starts tests/app on SQLite (tests/app/.tmp/demo.db)
 * with the plugin and sample content, and prints the admin URL, the login and public URLs.
 * Seeding is idempotent (src/seed/demo.ts), and includes a month of consent decisions and
 * newsletter sign-ups (src/seed/demo-month.ts) so the overview's charts show trends. Also serves
 * the example site (scripts/example-site.js) on a second port: EXAMPLE_PORT, else the first free
 * one after PORT. Honours PORT, HOST, EXAMPLE_PORT, DEMO_ADMIN_EMAIL and DEMO_ADMIN_PASSWORD. E-mail goes to a small SMTP server inside this process that writes
 * every message to tests/app/.tmp/mail/*.eml and prints its links: no mail server needed.
 */
const fs = require('node:fs');
const path = require('node:path');
const { SMTPServer } = require('smtp-server');
const { simpleParser } = require('mailparser');
const { APP_DIR, DEMO_REGIONS, ensurePluginBuilt, ensureAdminBuilt, freePort, startApp } = require('./app-runner');
const { startExampleSite } = require('./example-site');

const host = process.env.HOST || '127.0.0.1';
const port = Number(process.env.PORT || 1337);
const email = process.env.DEMO_ADMIN_EMAIL || 'admin@example.com';
const password = process.env.DEMO_ADMIN_PASSWORD || 'Privacy-Demo-2026';
const mailDir = path.join(APP_DIR, '.tmp', 'mail');
const say = (line) => console.log(`[demo] ${line}`);
const SUBSCRIBER = 'reader@example.com';
const DEMO_SUBJECT = 'demo-reader-browser';
/** The site user (users-permissions) the seed creates: they must accept the privacy policy. */
const MEMBER_EMAIL = 'member@example.com';
const MEMBER_PASSWORD = 'Member-Demo-2026';
/** Every message the catcher received in this run, parsed, and who waits for the next one. */
const received = [];
const waiting = [];

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
        received.push(mail);
        waiting.splice(0).forEach((wake) => wake());
        callback();
      });
    },
  });
  const smtpPort = await freePort();
  await new Promise((resolve) => server.listen(smtpPort, '127.0.0.1', resolve));
  return { server, smtpPort };
}

/** Resolves with the first message to `to` that arrives within `ms`, or null. */
async function mailTo(to, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    const mail = received.find((m) => (m.to?.text || '').includes(to));
    if (mail || Date.now() > deadline) return mail || null;
    await new Promise((resolve) => {
      waiting.push(resolve);
      setTimeout(resolve, 250);
    });
  }
}

/** The https link of a message's List-Unsubscribe header (`<https://…>, <mailto:…>`). */
const unsubscribeLinkOf = (mail) => {
  const line = (mail.headerLines || []).find((h) => h.key === 'list-unsubscribe')?.line ?? '';
  return (line.match(/https?:\/\/[^\s<>",]+/) || [null])[0];
};

/**
 * A confirmed subscriber, the way a reader becomes one: signs up through the public route, and
 * confirms with the token from the e-mail that arrives. Returns the unsubscribe link. On a
 * later run the address is already subscribed (no mail is sent), so the link comes from the
 * first run's saved message.
 */
async function seedSubscriber(api, receipt) {
  await fetch(`${api}/newsletter/subscribe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', referer: 'http://127.0.0.1/newsletter' },
    // The demo consent's receipt proves the browser: the Data subjects page finds both for this address.
    body: JSON.stringify({ email: SUBSCRIBER, locale: 'en', ...(receipt ? { receipt } : {}) }),
  });
  const mail = await mailTo(SUBSCRIBER, 8000);
  if (mail) {
    const token = ((mail.text || '').match(/confirm\?token=([^\s&<>"]+)/) || [])[1];
    if (token) {
      await fetch(`${api}/newsletter/confirm`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: decodeURIComponent(token) }),
      });
    }
    return unsubscribeLinkOf(mail);
  }
  for (const file of fs.readdirSync(mailDir).sort().reverse()) {
    const saved = await simpleParser(fs.readFileSync(path.join(mailDir, file)));
    if ((saved.to?.text || '').includes(SUBSCRIBER)) return unsubscribeLinkOf(saved);
  }
  return null;
}

/**
 * Schedules a material change of the privacy policy two weeks ahead (less than the 30 days of
 * notice, so with a reason): its notice goes out at once to the confirmed subscribers, and the
 * message lands in the mail folder. Returns the link to the changes; on a later run, when a
 * version is already scheduled, nothing is published again.
 */
async function scheduleMaterialChange(appUrl) {
  const api = `${appUrl}/api/privacy-centre/policies/privacy-policy`;
  const upcoming = await fetch(`${api}/upcoming`);
  if (upcoming.ok) {
    const { data } = await upcoming.json();
    return `${api}/versions/${data.version}/changes`;
  }
  const login = await fetch(`${appUrl}/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  }).then((r) => r.json());
  const token = login?.data?.token;
  if (!token) return null;
  const admin = (method, url, body) =>
    fetch(`${appUrl}/privacy-centre${url}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    }).then((r) => r.json());
  const locales = {};
  for (const code of ['en', 'fi']) {
    const { data } = await fetch(`${api}/current?locale=${code}`).then((r) => r.json());
    if (!data || data.locale !== code) continue;
    const sections = data.sections.map(({ anchor, heading, markdown }) => ({ anchor, heading, markdown }));
    const last = sections[sections.length - 1];
    last.markdown += code === 'fi' ? '\n\nSuostumustiedot poistetaan nyt 6 kuukauden kuluttua.' : '\n\nConsent records are now erased after 6 months.';
    locales[code] = {
      title: data.title,
      summary: code === 'fi' ? 'Suostumustietojen säilytysaika lyhenee 6 kuukauteen.' : 'Consent records are kept for 6 months instead of 12.',
      sections,
    };
  }
  const draft = await admin('POST', '/policies/drafts', { slug: 'privacy-policy', materialChange: true, locales });
  if (!draft?.data?.documentId) return null;
  const published = await admin('POST', `/policies/drafts/${draft.data.documentId}/publish`, {
    effectiveAt: new Date(Date.now() + 14 * 24 * 3600 * 1000).toISOString(),
    noticeReason: 'Demo: two weeks of notice instead of the 30 days configured',
  });
  return published?.data?.version ? `${api}/versions/${published.data.version}/changes` : null;
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
      // The benches' switches never reach the demo, even from a shell that exported one (with
      // APP_BENCH_UNWRITTEN the app would answer consents without recording them).
      APP_BENCH_UNWRITTEN: '',
      APP_BENCH_FLOOR: '',
      DEMO_ADMIN_EMAIL: email,
      DEMO_ADMIN_PASSWORD: password,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtpPort),
      // As behind Cloudflare with its visitor location headers: the only headers trusted for regions.
      DEMO_MEMBER_EMAIL: MEMBER_EMAIL,
      DEMO_MEMBER_PASSWORD: MEMBER_PASSWORD,
      // The demo's site users must accept the privacy policy, with no grace period.
      PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({ regions: DEMO_REGIONS, acceptance: { required: ['privacy-policy'], graceDays: 0 } }),
    },
    onOutput: (chunk) => process.stdout.write(chunk),
  });

  const api = `${app.url}/api/privacy-centre`;
  // A visitor's consent, as a site's cookie banner would send it, to show a receipt.
  const consent = await fetch(`${api}/consents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', referer: `${app.url}/` },
    body: JSON.stringify({ state: { statistics: true, marketing: false }, locale: 'en', subjectId: DEMO_SUBJECT }),
  }).then((r) => r.json());
  const consentId = consent?.data?.consentId;
  const unsubscribeLink = await seedSubscriber(api, consent?.data);
  // A self-service access request by the subscriber: it waits in the register, and its
  // confirmation link is printed with the mail log (a second run within 10 minutes sends none).
  await fetch(`${api}/requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: SUBSCRIBER, type: 'access', locale: 'en' }),
  });
  let requestLink = null;
  for (const deadline = Date.now() + 8000; !requestLink && Date.now() < deadline; ) {
    const mail = received.find((m) => (m.text || '').includes('/requests/confirm?token='));
    requestLink = mail ? (mail.text.match(/https?:\/\/\S+\/requests\/confirm\?token=\S+/) || [null])[0] : null;
    if (!requestLink) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  // The member signs in as a site's frontend would: a JWT for the acceptance routes.
  const memberJwt = await fetch(`${app.url}/api/auth/local`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identifier: MEMBER_EMAIL, password: MEMBER_PASSWORD }),
  })
    .then((r) => r.json())
    .then((body) => body.jwt || null)
    .catch(() => null);
  // A material change scheduled with its advance notice: the message arrives in the mail folder.
  const changesLink = await scheduleMaterialChange(app.url);
  let noticeMail = null;
  for (const deadline = Date.now() + 8000; changesLink && !noticeMail && Date.now() < deadline; ) {
    noticeMail = received.find((m) => (m.text || '').includes('/changes?locale='));
    if (!noticeMail) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  say('bundling the example site…');
  const site = await startExampleSite({
    strapiUrl: app.url,
    host,
    port: process.env.EXAMPLE_PORT ? Number(process.env.EXAMPLE_PORT) : undefined,
    firstPort: port + 1,
  });
  const pageLines = site.pages
    .map(({ path: page, title }) => `    ${`${site.url}${page}`.padEnd(34)} ${title}${site.notes[title] ? `: NOT AVAILABLE in this build: ${site.notes[title]}` : ''}`)
    .join('\n');
  console.log(`
  Privacy Centre demo is running.

  Admin:     ${app.url}/admin
  Login:     ${email} / ${password}
  The overview shows a month of seeded consent decisions and newsletter sign-ups.

  Example site (another origin, using the plugin as a site would):
${pageLines}

  Cookie discovery: open the example site's home page, then the admin's Cookies → Discovery tab
  (${app.url}/admin/plugins/privacy-centre/cookies?tab=discovery): the page's stray tag sets
  _hjid, which the declaration does not name; it is listed as undeclared, with the Open Cookie
  Database's suggestion (Hotjar), one action away from the declaration or an ignore rule.

  Public API:
    ${api}/policies/privacy-policy/current
    ${api}/policies/privacy-policy/current?locale=fi
    ${api}/policies/privacy-policy/versions
    ${api}/policies/privacy-policy/versions/1
    ${api}/policies/privacy-policy/upcoming
    ${api}/cookies
    ${api}/cookies?locale=fi
    ${consentId ? `${api}/consents/${consentId}   (the status of a consent the demo just recorded)` : '(recording a demo consent failed)'}
    ${api}/keys   (the public keys that check every receipt, seal and evidence bundle: a JWKS)

  Regions (admin → Settings → Regions holds the table; this demo trusts CF-IPCountry and
  CF-Region-Code, as behind Cloudflare). The same GET /cookies, as a CDN would mark a visitor
  from Germany and one from California:
    curl -s ${api}/cookies -H 'CF-IPCountry: DE'
        (jurisdiction GDPR, opt-in: "defaults" refuse every optional category; no doNotSell)
    curl -s ${api}/cookies -H 'CF-IPCountry: US' -H 'CF-Region-Code: CA'
        (jurisdiction CCPA, opt-out: "defaults" grant them; "doNotSell" links the page below)
    curl -s ${api}/cookies -H 'CF-IPCountry: US' -H 'CF-Region-Code: CA' -H 'Sec-GPC: 1'
        (Global Privacy Control honoured: marketing, the sale/share category, refused)
    ${api}/do-not-sell   (the "Do Not Sell or Share" page: a GET changes nothing)
    ${api}/cookies/consent-mode?format=script   (Google Consent Mode defaults per region)

  Record a consent (what a cookie banner sends; the answer is a signed receipt):
    curl -X POST ${api}/consents -H 'Content-Type: application/json' \\
      -d '{"state":{"preferences":true,"statistics":false,"marketing":false}}'

  Newsletter (${SUBSCRIBER} is a confirmed subscriber: the demo signed up and clicked the
  confirmation link it was mailed, so the double opt-in evidence is in the admin):
    ${unsubscribeLink ? `${unsubscribeLink}   (unsubscribe page: the GET changes nothing)` : '(no unsubscribe link: see the mail log above)'}
  Subscribe (always the same 202; a confirmation e-mail is sent and saved below):
    curl -X POST ${api}/newsletter/subscribe -H 'Content-Type: application/json' -d '{"email":"you@example.com"}'
  One-click unsubscribe (RFC 8058), as a mail client sends it:
    curl -X POST '${unsubscribeLink || `${api}/newsletter/unsubscribe?token=…`}' -d 'List-Unsubscribe=One-Click'

  Advance notice of a material change: version 2 of the privacy policy is scheduled two weeks
  ahead (less than the 30 days of notice, so with a reason, kept in the audit log); its notice
  went out to the confirmed subscribers${noticeMail ? ` ("${noticeMail.subject}", in the mail folder)` : ''}. The version's
  page in the admin shows the notice's progress. What changed:
    ${changesLink || '(scheduling failed: see the log above)'}

  Data subjects (admin → Privacy Centre → Data-subject requests): search ${SUBSCRIBER} (or
  ${DEMO_SUBJECT}) to see the subscription, the cookie consent and the request, open the evidence
  file, export or erase. The subscriber's self-service access request waits in the register:
    ${requestLink ? `${requestLink}   (its page: one button; pressing it e-mails the export)` : '(its confirmation link is in the mail log above)'}
  Ask for one yourself (always the same 202; the link is e-mailed and saved below):
    curl -X POST ${api}/requests -H 'Content-Type: application/json' -d '{"email":"you@example.com","type":"access"}'

  Policy acceptance by signed-in users (Settings → General requires the privacy policy): the site
  user ${MEMBER_EMAIL} / ${MEMBER_PASSWORD} has not accepted it yet.
    curl -s ${api}/acceptances/me -H 'Authorization: Bearer ${memberJwt || '<POST /api/auth/local answers a jwt>'}'
        (mustAccept: true; current names the version, its hash and its public URL)
    curl -s ${app.url}/api/member-area -H 'Authorization: Bearer ${memberJwt || '…'}'
        (a route with the policy policies-accepted: 403 PolicyAcceptanceRequired until accepted)
  Accept it with the version and hash that acceptances/me names:
    curl -X POST ${api}/acceptances -H 'Authorization: Bearer ${memberJwt || '…'}' -H 'Content-Type: application/json' \\
      -d '{"slug":"privacy-policy","version":1,"hash":"<current.hash>"}'

  Mail sent by the plugin is saved under ${path.relative(process.cwd(), mailDir)}/.
  Press Ctrl+C to stop.
`);

  const shutdown = async () => {
    say('stopping…');
    await site.close();
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
