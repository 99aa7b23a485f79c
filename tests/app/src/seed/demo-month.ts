import { randomBytes } from 'node:crypto';

/**
 * A month of history for the demo (only the demo database: seedDemo calls it, tests ask for it),
 * so that the admin overview's charts show trends on the first run instead of one point:
 *
 * - about 1,500 cookie-consent decisions over the last 30 days, acceptance of statistics growing
 *   from about a third to about two thirds, some later changed or withdrawn. Each goes through the
 *   plugin's own `consents.record` (its only concession: `recordedAt`, which no route passes), so
 *   the record, its daily rollups and its signed receipt are exactly what a real request makes;
 * - a few dozen newsletter sign-ups confirmed on different days and a few unsubscribes. The
 *   newsletter's own paths cannot be dated back (its links expire by the real clock and every
 *   sign-up sends mail), so those rows are written here as its service writes them: the
 *   subscription, its signed events and their rollups in one transaction.
 *
 * Deterministic (one pseudo-random sequence) and idempotent: every decision carries a requestId,
 * so recording it again returns the first receipt; a subscription whose address exists is left
 * alone; and once complete, a store flag skips the whole month.
 */

const DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;
const SUBSCRIPTION_UID = 'plugin::privacy-centre.newsletter-subscription';
const ROLLUP_UID = 'plugin::privacy-centre.consent-rollup';
const POLICY_UID = 'plugin::privacy-centre.policy-version';
/** Every seeded visitor's subjectId starts with this: the test and the idempotency check find them by it. */
export const MONTH_SUBJECT_PREFIX = 'demo-month-';
/** Seeded subscribers' addresses end with this. */
export const MONTH_EMAIL_DOMAIN = 'rowers.example';
const STORE = { type: 'app', name: 'privacy-centre-demo' } as const;
const STORE_KEY = 'month-seeded';

/** mulberry32: a small seeded generator, so every run plans the same month. */
function generator(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
];
const PAGES = ['/', '/', '/', '/training', '/regatta-2026', '/membership', '/news/spring-launch'];
const SITE = 'https://northwind.example';

interface Decision {
  visitor: number;
  generation: number;
  at: Date;
  choices: Record<string, boolean>;
  locale: string;
  facts: { ip: string; userAgent: string; gpc: boolean; referer: string };
}

/** The month's decisions, oldest visitor first; a visitor's later decisions follow its first. */
export function planConsents(now: Date): Decision[] {
  const random = generator(2026);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const latest = now.getTime() - 60_000;
  const decisions: Decision[] = [];
  let visitor = 0;
  for (let d = 0; d < DAYS; d += 1) {
    const dayStart = today - (DAYS - 1 - d) * DAY_MS;
    const t = d / (DAYS - 1);
    const weekend = [0, 6].includes(new Date(dayStart).getUTCDay());
    // Traffic grows a little over the month, and dips at weekends.
    const visitors = Math.round((40 + 20 * t) * (weekend ? 0.7 : 1) + (random() - 0.5) * 12);
    // Today is not over: its visitors arrive before now.
    const span = Math.max(0, Math.min(DAY_MS, latest - dayStart));
    for (let v = 0; v < visitors; v += 1) {
      visitor += 1;
      const at = new Date(dayStart + Math.floor(random() * span));
      // The banner was redesigned: "accept all" grows and "necessary only" falls over the month.
      const roll = random();
      const acceptAll = roll < 0.25 + 0.25 * t;
      const refuseAll = !acceptAll && roll < 0.25 + 0.25 * t + (0.4 - 0.2 * t);
      const choices = acceptAll
        ? { preferences: true, statistics: true, marketing: true }
        : refuseAll
          ? { preferences: false, statistics: false, marketing: false }
          : { preferences: random() < 0.7, statistics: random() < 0.45 + 0.35 * t, marketing: random() < 0.15 };
      const ip = random() < 0.8 ? `203.0.113.${1 + Math.floor(random() * 250)}` : `2001:db8:${Math.floor(random() * 65535).toString(16)}::${Math.floor(random() * 65535).toString(16)}`;
      const facts = { ip, userAgent: pick(USER_AGENTS), gpc: random() < 0.04, referer: `${SITE}${pick(PAGES)}` };
      const locale = random() < 0.65 ? 'en' : 'fi';
      decisions.push({ visitor, generation: 0, at, choices, locale, facts });
      // Some visitors come back and change their mind (from the cookie settings link), a few
      // later withdraw everything optional; only what has happened by now is recorded. Every
      // number is drawn whether or not it is used, so the plan of one day does not depend on the
      // hour it is made at.
      let last = { at, choices };
      const changes = random() < 0.12 ? (random() < 0.25 ? 2 : 1) : random() < 0.03 ? 1 : 0;
      let happened = true;
      for (let g = 1; g <= changes; g += 1) {
        const later = new Date(last.at.getTime() + 3600_000 + Math.floor(random() * 6 * DAY_MS));
        const withdraw = g === 2 || (changes === 1 && random() < 0.3);
        const keepStatistics = random() < 0.8;
        const addMarketing = random() < 0.3;
        const next = withdraw
          ? { preferences: false, statistics: false, marketing: false }
          : { preferences: true, statistics: !last.choices.statistics || keepStatistics, marketing: !last.choices.marketing && addMarketing };
        happened = happened && later.getTime() <= latest;
        if (happened) decisions.push({ visitor, generation: g, at: later, choices: next, locale, facts });
        last = { at: later, choices: next };
      }
    }
  }
  return decisions;
}

const subjectOf = (visitor: number) => `${MONTH_SUBJECT_PREFIX}${String(visitor).padStart(5, '0')}`;

/** Records the month's decisions through the plugin; returns how many were new. */
async function seedConsents(strapi: any, now: Date): Promise<number> {
  const consents = strapi.plugin('privacy-centre').service('consents');
  const plan = planConsents(now);
  const receipts = new Map<string, string>(); // `${visitor}:${generation}` → consentId
  let created = 0;
  // Generation by generation: a change continues the receipt before it. Within one, in batches
  // the group-commit writer takes at once.
  for (let generation = 0; generation <= 2; generation += 1) {
    const wave = plan.filter((d) => d.generation === generation);
    for (let i = 0; i < wave.length; i += 200) {
      const answers = await Promise.all(
        wave.slice(i, i + 200).map((d) =>
          consents.record(
            {
              state: d.choices,
              locale: d.locale,
              subjectId: subjectOf(d.visitor),
              requestId: `demo-month-${d.visitor}-${d.generation}`,
              ...(generation ? { previousConsentId: receipts.get(`${d.visitor}:${generation - 1}`) } : {}),
            },
            d.facts,
            { recordedAt: d.at }
          )
        )
      );
      answers.forEach(({ receipt, created: isNew }, j) => {
        const d = wave[i + j];
        receipts.set(`${d.visitor}:${d.generation}`, receipt.consentId);
        if (isNew) created += 1;
      });
    }
  }
  return created;
}

interface Subscriber {
  email: string;
  language: string;
  requestedAt: Date;
  confirmedAt: Date | null;
  unsubscribedAt: Date | null;
  method: 'one-click' | 'page';
  reason: string | null;
  ips: string[];
}

/** About forty sign-ups over the month, most confirmed within a day, a few unsubscribed later. */
export function planSubscribers(now: Date): Subscriber[] {
  const random = generator(1337);
  const latest = now.getTime() - 60_000;
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (DAYS - 1) * DAY_MS;
  const subscribers: Subscriber[] = [];
  const names = ['aino', 'eero', 'helmi', 'ilmari', 'kaisa', 'lauri', 'maija', 'oskari', 'saara', 'ville', 'anna', 'jussi'];
  for (let n = 1; n <= 44; n += 1) {
    // More sign-ups later in the month: the regatta announcement.
    const requestedAt = new Date(start + Math.floor(Math.sqrt(random()) * (latest - start)));
    const confirms = random() < 0.85;
    const confirmedMs = requestedAt.getTime() + 5 * 60_000 + Math.floor(random() * random() * 30 * 3600_000);
    const confirmedAt = confirms && confirmedMs <= latest ? new Date(confirmedMs) : null;
    const unsubscribedMs = confirmedAt ? confirmedAt.getTime() + DAY_MS + Math.floor(random() * 14 * DAY_MS) : Infinity;
    const leaves = random() < 0.3;
    const unsubscribedAt = leaves && unsubscribedMs <= latest ? new Date(unsubscribedMs) : null;
    const ip = () => `198.51.100.${1 + Math.floor(random() * 250)}`;
    subscribers.push({
      email: `${names[n % names.length]}.${String(n).padStart(2, '0')}@${MONTH_EMAIL_DOMAIN}`,
      language: random() < 0.6 ? 'en' : 'fi',
      requestedAt,
      confirmedAt,
      unsubscribedAt,
      method: random() < 0.6 ? 'one-click' : 'page',
      reason: random() < 0.5 ? 'Too many e-mails' : null,
      ips: [ip(), ip(), ip()],
    });
  }
  return subscribers;
}

/**
 * The newsletter's sign-ups, written as its service writes them (services/newsletter.ts: the
 * subscription row, one consent-record event per change with its signature over the same proof
 * as newsletterEventProof, and the `newsletter:*` rollups), one transaction per address.
 */
async function seedSubscribers(strapi: any, now: Date): Promise<number> {
  const plugin = strapi.plugin('privacy-centre');
  const keys = plugin.service('keys');
  const newsletter = plugin.service('newsletter');
  const list = (strapi.config.get('plugin::privacy-centre') as { newsletter: { lists: string[] } }).newsletter.lists[0];
  const { ipv4PrefixLength } = (strapi.config.get('plugin::privacy-centre') as { ipTruncation: { ipv4PrefixLength: number } }).ipTruncation;
  const prefixOf = (ip: string) => {
    // The documentation range 198.51.100.0/24 under the configured IPv4 prefix (24 by default).
    const octets = ip.split('.').map(Number);
    const bits = Math.min(32, Math.max(0, ipv4PrefixLength));
    const value = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
    const masked = bits === 0 ? 0 : (value & (~0 << (32 - bits))) >>> 0;
    return `${[24, 16, 8, 0].map((s) => (masked >>> s) & 255).join('.')}/${bits}`;
  };
  const policy = await strapi.db.query(POLICY_UID).findOne({
    select: ['slug', 'version', 'hash'],
    where: { slug: 'privacy-policy', lifecycle: 'published', version: { $notNull: true }, effectiveAt: { $lte: now.toISOString() } },
    orderBy: [{ version: 'desc' }],
  });
  let created = 0;
  for (const s of planSubscribers(now)) {
    const [emailHash] = newsletter.addressHashes(s.email);
    if (await strapi.db.query(SUBSCRIPTION_UID).findOne({ select: ['id'], where: { emailHash, list } })) continue;
    const [mailboxHash] = newsletter.addressHashes(s.email.toLowerCase());
    const iso = (d: Date | null) => (d ? d.toISOString() : null);
    const source = `${SITE}/newsletter`;
    await strapi.db.transaction(async ({ trx }: { trx: any }) => {
      const row = await strapi.db.query(SUBSCRIPTION_UID).create({
        data: {
          emailHash,
          mailboxHash,
          email: s.email,
          list,
          status: s.unsubscribedAt ? 'unsubscribed' : s.confirmedAt ? 'subscribed' : 'pending',
          language: s.language,
          source,
          subjectId: null,
          requestedAt: iso(s.requestedAt),
          confirmedAt: iso(s.confirmedAt),
          unsubscribedAt: iso(s.unsubscribedAt),
          unsubscribeReason: s.unsubscribedAt ? s.reason : null,
          lastConfirmationSentAt: iso(s.requestedAt),
          pseudonymisedAt: null,
        },
      });
      // The message the sign-up was sent (composed by the plugin, not sent: it is history).
      const message = await newsletter.confirmationMessage(row);
      const events = [
        { action: 'requested', at: s.requestedAt, ip: s.ips[0], evidence: { message: { subject: message.subject, text: message.text, messageId: message.messageId, sha256: message.sha256 } } },
        ...(s.confirmedAt ? [{ action: 'confirmed', at: s.confirmedAt, ip: s.ips[1], evidence: { method: 'double-opt-in', requestedAt: iso(s.requestedAt) } }] : []),
        ...(s.unsubscribedAt
          ? [{ action: 'withdrawn', at: s.unsubscribedAt, ip: s.ips[2], evidence: { method: s.method, ...(s.reason ? { reason: s.reason } : {}), previousStatus: 'subscribed' } }]
          : []),
      ];
      for (const e of events) {
        const givenAt = e.at.toISOString();
        const consentId = randomBytes(16).toString('base64url');
        const state = { [list]: e.action !== 'withdrawn' };
        const evidence = { list, ...e.evidence };
        const message = (evidence as { message?: { messageId: string; sha256: string } }).message;
        // The fields newsletterEventProof signs, in its shape.
        const proof = {
          consentId,
          kind: 'newsletter',
          action: e.action,
          subjectRef: emailHash,
          subjectId: null,
          state,
          policy: policy ? { slug: policy.slug, version: policy.version, hash: policy.hash } : null,
          language: s.language,
          via: 'newsletter',
          givenAt,
          list,
          method: (evidence as { method?: string }).method ?? null,
          message: message ? { messageId: message.messageId, sha256: message.sha256 } : null,
        };
        const stamp = new Date();
        await trx('privacy_centre_consent_records').insert({
          document_id: randomBytes(12).toString('hex').slice(0, 24),
          created_at: stamp,
          updated_at: stamp,
          published_at: stamp,
          consent_id: consentId,
          kind: 'newsletter',
          action: e.action,
          subject_ref: emailHash,
          subject_id: null,
          state: JSON.stringify(state),
          policy_slug: policy?.slug ?? null,
          policy_version: policy?.version ?? null,
          policy_hash: policy?.hash ?? null,
          ip_prefix: prefixOf(e.ip),
          user_agent: USER_AGENTS[created % USER_AGENTS.length],
          source_url: source,
          language: s.language,
          via: 'newsletter',
          given_at: givenAt,
          evidence: JSON.stringify(evidence),
          signature: keys.signJson('newsletter-event', proof),
        });
        const metric = `newsletter:${e.action === 'requested' ? 'requested' : e.action === 'withdrawn' ? 'unsubscribed' : 'subscribed'}:${list}`;
        await addToRollup(strapi, givenAt.slice(0, 10), metric);
      }
    });
    created += 1;
  }
  return created;
}

/** Adds one to a daily counter (inside the caller's transaction: Strapi's queries join it). */
async function addToRollup(strapi: any, day: string, metric: string) {
  const rollups = strapi.db.query(ROLLUP_UID);
  const row = await rollups.findOne({ select: ['id', 'count'], where: { day, metric } });
  if (row) await rollups.update({ where: { id: row.id }, data: { count: row.count + 1 } });
  else await rollups.create({ data: { day, metric, count: 1 } });
}

/** Seeds the month unless it was seeded already; returns what it added. */
export async function seedMonth(strapi: any, now = new Date()): Promise<{ consents: number; subscribers: number }> {
  const store = strapi.store(STORE);
  if (await store.get({ key: STORE_KEY })) return { consents: 0, subscribers: 0 };
  const started = Date.now();
  const consents = await seedConsents(strapi, now);
  const subscribers = await seedSubscribers(strapi, now);
  await store.set({ key: STORE_KEY, value: now.toISOString() });
  if (consents || subscribers) {
    strapi.log.info(
      `[demo] seeded a month of history: ${consents} consent decisions, ${subscribers} newsletter sign-ups (${((Date.now() - started) / 1000).toFixed(1)} s)`
    );
  }
  return { consents, subscribers };
}

/** For the test: forget that the month was seeded (the next seedMonth checks every item again). */
export async function forgetMonthSeeded(strapi: any) {
  await strapi.store(STORE).delete({ key: STORE_KEY });
}

