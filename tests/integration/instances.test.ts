import { startChild, startInstances, type Instances } from '../helpers/instances';
import { adminClient, createAdmin } from '../helpers/admin';
import { ensureLocales, sampleLocales } from '../helpers/policies';
import { startSmtp } from '../helpers/smtp';
import { randomUUID } from 'node:crypto';
import type { ChildInstance } from '../helpers/instances';

/**
 * Two instances on one database (README "Running several instances"): `a` in this process, `b`
 * a `strapi start` child process. Answers are cached for an hour (cacheTtlSeconds 3600), so when
 * `b` serves a change made on `a`, only the cross-instance invalidation can explain it. The
 * latencies are printed, never asserted (bench/instances.js measures them). Jobs: a lease of a
 * few seconds, renewed while the job runs, taken over once its instance is killed.
 */
const LEASE_SECONDS = 3;
/** Notices: 60 recipients at 20 a second between all instances. */
const RATE = 20;
const RECIPIENTS = 60;
const shared = { instances: { pollMilliseconds: 500, listen: true, jobLeaseSeconds: LEASE_SECONDS }, notice: { days: 30, list: 'default', ratePerSecond: RATE, maxAttempts: 3, retrySeconds: 60 } };
/** The third instance's config: it runs the purge on its own, every two seconds, a row per statement. */
const purging = JSON.stringify({ ...shared, retention: { batchSize: 1 }, cron: { enabled: true, retentionRule: '*/2 * * * * *' } });
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let c: ChildInstance | undefined;
let run: Instances;
let admin: ReturnType<typeof adminClient>;
const latencies: Array<{ what: string; ms: number }> = [];
/** topic → counter in the shared table; `baseline` as it stood before the tests' changes. */
const generations = async () =>
  new Map<string, number>((await run.a.strapi.db.connection('privacy_centre_generations').select('topic', 'generation')).map((r: any) => [r.topic, Number(r.generation)]));
let baseline: Map<string, number>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  smtp = await startSmtp();
  run = await startInstances({ PRIVACY_CENTRE_CACHE_TTL: '3600', PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify(shared), SMTP_PORT: String(smtp.port), SMTP_POOL: 'true' });
  admin = adminClient(run.a, (await createAdmin(run.a)).token);
  await ensureLocales(run.a, ['fi']);
  baseline = await generations();
}, 180_000);
afterAll(async () => {
  if (latencies.length) {
    const sorted = latencies.map((l) => l.ms).sort((x, y) => x - y);
    const p99 = sorted[Math.ceil(0.99 * sorted.length) - 1];
    console.log(
      `[instances] ${run?.database.client}: ${sorted.length} changes on one instance applied on another after p50 ${sorted[Math.floor(sorted.length / 2)]} ms, ` +
        `p99 ${p99} ms, max ${sorted[sorted.length - 1]} ms (information only; bench/instances.js measures it)`
    );
  }
  await c?.stop();
  await run?.close();
  await smtp?.close();
});

/** b's answer, fetched with no cache of the client's own. */
const onB = async (path: string) => {
  const response = await fetch(`${run.b.url}/api/privacy-centre${path}`, { headers: { 'Cache-Control': 'no-cache' } });
  return { status: response.status, body: response.status === 200 ? ((await response.json()) as any) : null };
};

/**
 * Makes a change on a (`change`), then reads b until `served` holds; records how long it took.
 * b's answer before the change was cached (read just before), and the TTL is an hour: only the
 * invalidation can make b serve the change. 15 s is a hang guard, far above any poll interval.
 */
async function servedByB(what: string, path: string, change: () => Promise<void>, served: (answer: { status: number; body: any }) => boolean) {
  const before = await onB(path);
  expect(served(before)).toBe(false);
  expect(served(await onB(path))).toBe(false); // a cached answer, still the old one
  await change();
  const changedAt = Date.now();
  for (;;) {
    const answer = await onB(path);
    if (served(answer)) break;
    if (Date.now() - changedAt > 15_000) throw new Error(`b still serves the old answer of ${path} 15 s after ${what} on a:\n${run.b.output().slice(-2000)}`);
    await sleep(10);
  }
  latencies.push({ what, ms: Date.now() - changedAt });
}

async function publish(slug: string, tag: string, effectiveAt?: string) {
  const draft = await admin.post('/policies/drafts', { slug, locales: sampleLocales(tag) });
  expect(draft.status).toBe(201);
  const published = await admin.post(`/policies/drafts/${draft.body.data.documentId}/publish`, effectiveAt ? { effectiveAt } : {});
  expect(published.status).toBe(200);
  return published.body.data as { documentId: string; version: number };
}

describe('a change on one instance is served by the other without waiting for the TTL', () => {
  it('a publication', async () => {
    await publish('privacy-policy', 'v0');
    for (let i = 1; i <= 6; i++) {
      await servedByB(
        'a publication',
        '/policies/privacy-policy/current',
        async () => void (await publish('privacy-policy', `v${i}`)),
        (answer) => answer.body?.data?.title === `Privacy policy v${i}`
      );
    }
  });

  it('a withdrawal of a scheduled version', async () => {
    const tomorrow = new Date(Date.now() + 24 * 3600 * 1000).toISOString();
    await publish('terms', 't0');
    for (let i = 1; i <= 4; i++) {
      let scheduled: { documentId: string; version: number } | undefined;
      await servedByB(
        'a scheduled publication',
        '/policies/terms/upcoming',
        async () => void (scheduled = await publish('terms', `t${i}`, tomorrow)),
        (answer) => answer.status === 200 && answer.body.data.title === `Privacy policy t${i}`
      );
      await servedByB(
        'a withdrawal',
        '/policies/terms/upcoming',
        async () => expect((await admin.post(`/policies/versions/${scheduled!.documentId}/withdraw`)).status).toBe(200),
        (answer) => answer.status === 404
      );
    }
  });

  it('a cookie declaration publication', async () => {
    expect((await admin.post('/cookies/publish')).status).toBe(200);
    for (let i = 1; i <= 3; i++) {
      const { body } = await onB('/cookies');
      const revision = body.data.revision as number;
      await servedByB(
        'a declaration publication',
        '/cookies',
        async () => {
          expect((await admin.post('/cookies/definitions', { name: `_inst_${i}`, category: 'statistics', provider: 'Test' })).status).toBe(201);
          expect((await admin.post('/cookies/publish')).status).toBe(200);
        },
        (answer) => answer.body?.data?.revision === revision + 1
      );
    }
  });

  it('a settings change (the regions table)', async () => {
    const { table } = (await admin.get('/regions')).body.data;
    for (const model of ['opt-out', 'notice', 'opt-in']) {
      await servedByB(
        'a regions change',
        '/cookies',
        async () => expect((await admin.put('/regions', { ...table, models: { ...table.models, GDPR: model } })).status).toBe(200),
        (answer) => answer.body?.data?.jurisdiction?.model === model
      );
    }
  });

  it('every change bumped its topic once, and on PostgreSQL a NOTIFY woke the poll', async () => {
    const now = await generations();
    const of = (topic: string) => (now.get(topic) ?? 0) - (baseline.get(topic) ?? 0);
    expect(of('policy:privacy-policy')).toBe(7);
    expect(of('policy:terms')).toBe(9); // t0, then four scheduled and four withdrawn
    expect(of('declaration')).toBe(4);
    expect(of('settings')).toBe(3);
    // A settings save is one more bump of the same topic.
    expect((await admin.put('/settings', { controller: (await admin.get('/settings')).body.data.settings.controller })).status).toBe(200);
    expect((await generations()).get('settings')! - (baseline.get('settings') ?? 0)).toBe(4);
    const stats = run.a.strapi.plugin('privacy-centre').service('generations').stats();
    expect(stats.polls).toBeGreaterThan(0);
    if (run.database.client === 'postgres') expect(stats.notified).toBeGreaterThan(0);
    else console.log(`[instances] ${run.database.client}: no LISTEN/NOTIFY (PostgreSQL only): polling alone`);
  });

  it('the table is not in the Content Manager', async () => {
    const model = run.a.strapi.contentTypes['plugin::privacy-centre.generation' as any] as any;
    expect(model.pluginOptions['content-manager'].visible).toBe(false);
  });
});

describe('a key rotation by another instance', () => {
  it('is known here once that instance bumps `keys`, without waiting for the minute re-read', async () => {
    const { openKeyring, rotateKeyring } = require('../../server/src/keys/keyring');
    const knex = run.a.strapi.db.connection;
    const keys = run.a.strapi.plugin('privacy-centre').service('keys');
    const generations = run.a.strapi.plugin('privacy-centre').service('generations');
    // What an instance booting with a new secret does (services/keys settle): rotate, then bump.
    const secret = 'privacy-centre-test-secret-0123456789abcdef';
    const row = await knex('strapi_core_store_settings').where({ key: 'plugin_privacy-centre_keyring' }).first();
    const stored = JSON.parse(row.value);
    const opening = openKeyring(stored, [secret]);
    expect(opening.ok).toBe(true);
    const rotated = rotateKeyring(stored, opening.keys, ['another-instance-new-secret-0123456789abcdef', secret], new Date().toISOString());
    const kid = rotated.keys.signing.kid;
    await knex('strapi_core_store_settings').where({ id: row.id }).update({ value: JSON.stringify(rotated.stored) });
    const applied = generations.stats().applied;
    await knex('privacy_centre_generations').where({ topic: 'keys' }).update({ generation: knex.raw('?? + 1', ['generation']) }).then(async (n: number) => {
      if (!Number(n)) await knex('privacy_centre_generations').insert({ topic: 'keys', generation: 1, document_id: 'instkeys0000000000000000', created_at: new Date(), updated_at: new Date(), published_at: new Date() });
    });
    const changedAt = Date.now();
    while (!keys.jwks().keys.some((k: { kid: string }) => k.kid === kid)) {
      if (Date.now() - changedAt > 15_000) throw new Error('the rotated key is still unknown here 15 s after the bump');
      await sleep(10);
    }
    latencies.push({ what: 'a key rotation', ms: Date.now() - changedAt });
    expect(generations.stats().applied).toBeGreaterThan(applied); // the poll saw the bump and applied it
  });
});

describe('a data transfer (`strapi transfer` into a, or `strapi import`)', () => {
  it('out of a (an export, a pull: lifecycles off and on, no transaction) bumps nothing', async () => {
    const db = run.a.strapi.db as any;
    const transfers = run.a.strapi.plugin('privacy-centre').service('generations').stats().transfers;
    const before = await generations();
    // Off and on in one tick: no transaction of a's own (its notice outbox) can begin between.
    db.lifecycles.disable();
    db.lifecycles.enable();
    await sleep(1000);
    expect(Object.fromEntries(await generations())).toEqual(Object.fromEntries(before));
    expect(run.a.strapi.plugin('privacy-centre').service('generations').stats().transfers).toBe(transfers);
  });

  it('a row put back with the counter b last read, but another time, still counts as a change', async () => {
    const knex = run.a.strapi.db.connection;
    // The regions table as 'a settings change' above left it in Strapi's store.
    const row = await knex('strapi_core_store_settings').where({ key: 'plugin_privacy-centre_regions' }).first();
    expect(row).toBeDefined();
    const stored = JSON.parse(row.value);
    const model = (await onB('/cookies')).body.data.jurisdiction.model === 'notice' ? 'opt-out' : 'notice';
    const before = await generations();
    await servedByB(
      'a restored generations row',
      '/cookies',
      async () => {
        // What a restore may bring back: the content changed, the counter the same as before.
        await knex('strapi_core_store_settings').where({ id: row.id }).update({ value: JSON.stringify({ ...stored, models: { ...stored.models, GDPR: model } }) });
        await knex('privacy_centre_generations').where({ topic: 'settings' }).update({ updated_at: new Date(Date.now() - 86_400_000) });
      },
      (answer) => answer.body?.data?.jurisdiction?.model === model
    );
    expect((await generations()).get('settings')).toBe(before.get('settings'));
  });

  it('is served by b once its transaction commits, though none of the plugin’s services wrote it', async () => {
    const db = run.a.strapi.db as any;
    const generationsService = run.a.strapi.plugin('privacy-centre').service('generations');
    const transfers = generationsService.stats().transfers;
    const row = await db.connection('strapi_core_store_settings').where({ key: 'plugin_privacy-centre_regions' }).first();
    const stored = row ? JSON.parse(row.value) : null;
    const model = (await onB('/cookies')).body.data.jurisdiction.model === 'notice' ? 'opt-out' : 'notice';
    let before!: Map<string, number>;
    await servedByB(
      'a data transfer',
      '/cookies',
      async () => {
        // What Strapi's data transfer does: lifecycles off, every write in one transaction, and
        // lifecycles back on just before that transaction commits.
        db.lifecycles.disable();
        let commit!: () => void;
        const held = new Promise<void>((resolve) => (commit = resolve));
        let trx: any;
        const opened = new Promise<void>((resolve) => {
          void db
            .transaction(async ({ trx: transaction }: any) => {
              trx = transaction;
              resolve();
              await held;
            })
            .then(() => undefined);
        });
        await opened;
        try {
          before = new Map((await trx('privacy_centre_generations').select('topic', 'generation')).map((r: any) => [r.topic, Number(r.generation)]));
          const table = { ...(stored ?? { areas: { FR: 'GDPR' } }), models: { ...(stored?.models ?? {}), GDPR: model } };
          if (row) await trx('strapi_core_store_settings').where({ id: row.id }).update({ value: JSON.stringify(table) });
          else await trx('strapi_core_store_settings').insert({ key: 'plugin_privacy-centre_regions', value: JSON.stringify(table), type: 'object' });
          db.lifecycles.enable();
          // Nothing is bumped while the transfer's transaction is open (b would read the tables
          // before its commit, and cache them for the TTL again). On SQLite, whose one
          // connection the transaction holds, the bumps could not run before the commit anyway:
          // PostgreSQL and MySQL are where this can fail.
          await sleep(1500);
          const during = await trx('privacy_centre_generations').select('topic', 'generation');
          expect(during.map((r: any) => [r.topic, Number(r.generation)])).toEqual(during.map((r: any) => [r.topic, before.get(r.topic)]));
          expect(generationsService.stats().transfers).toBe(transfers);
        } finally {
          db.lifecycles.enable(); // again, if what came before it threw
          commit(); // else the open transaction holds the app's shutdown
        }
      },
      (answer) => answer.body?.data?.jurisdiction?.model === model
    );
    // Every topic was bumped once: the fixed ones and every policy's (b may have been served
    // after the first of them).
    for (const startedAt = Date.now(); generationsService.stats().transfers === transfers; await sleep(10)) {
      if (Date.now() - startedAt > 15_000) throw new Error('the bumps after the data transfer did not end within 15 s');
    }
    const after = await generations();
    for (const topic of new Set(['settings', 'declaration', 'keys', 'policy:privacy-policy', ...before.keys()])) {
      expect([topic, after.get(topic)]).toEqual([topic, (before.get(topic) ?? 0) + 1]);
    }
    expect(generationsService.stats().transfers).toBe(transfers + 1);
  });
});

describe('jobs run on one instance at a time and survive its death', () => {
  const OBSERVATIONS = 'privacy_centre_cookie_observations';
  const knex = () => run.a.strapi.db.connection;
  const retention = () => run.a.strapi.plugin('privacy-centre').service('retention');
  const claimRow = () => knex()('privacy_centre_job_claims').where({ job: 'retention' }).first();
  const TOTAL = 3000;
  const left = async () => Number((await knex()(OBSERVATIONS).count({ n: '*' }))[0].n);

  it('the notice outbox across two processes: nobody is sent twice, and the rate is shared', async () => {
    if (run.database.client === 'sqlite') {
      // Both processes would write their outcomes at once; SQLite refuses one of two writers
      // ("database is locked") rather than queue it, which this test is not about.
      console.log('[instances] sqlite: the two-process notice outbox runs on PostgreSQL and MySQL only (SQLite refuses concurrent writers from two processes)');
      return;
    }
    const plugin = run.a.strapi.plugin('privacy-centre');
    const now = new Date().toISOString();
    for (let i = 0; i < RECIPIENTS; i++) {
      const email = `reader${i}@example.net`;
      await run.a.strapi.db.query('plugin::privacy-centre.newsletter-subscription').create({
        data: { documentId: randomUUID().replace(/-/g, '').slice(0, 24), email, emailHash: plugin.service('keys').pseudonyms('newsletter-address', email)[0], list: 'default', status: 'subscribed', language: 'en', requestedAt: now, confirmedAt: now },
      });
    }
    const draft = await admin.post('/policies/drafts', { slug: 'privacy-policy', materialChange: true, locales: sampleLocales('notice') });
    expect(draft.status).toBe(201);
    const documentId = draft.body.data.documentId;
    const effectiveAt = new Date(Date.now() + 40 * 24 * 3600 * 1000).toISOString();
    expect((await admin.post(`/policies/drafts/${documentId}/publish`, { effectiveAt })).status).toBe(200);
    // The window opens now (it would in ten days); a sends the first ten...
    await run.a.strapi.db.query('plugin::privacy-centre.notice').update({ where: { versionDocumentId: documentId }, data: { opensAt: new Date(Date.now() - 1000).toISOString() } });
    const opened = Date.now();
    await plugin.service('notices').work({ limit: 10 });
    // ...then a second process starts (an instance resumes the outbox at boot, before it answers)
    // and a goes on beside it.
    const second = (c = await startChild(run.database, { PRIVACY_CENTRE_EXTRA_CONFIG: purging, SMTP_PORT: String(smtp.port), SMTP_POOL: 'true' }));
    plugin.service('notices').kick();
    const notice = await run.a.strapi.db.query('plugin::privacy-centre.notice').findOne({ where: { versionDocumentId: documentId } });
    const rows = () => knex()('privacy_centre_notice_deliveries').select('status', 'claimed_by', 'sent_at').where({ notice_id: notice.id });
    const deadline = Date.now() + 60_000;
    while ((await rows()).some((r: any) => r.status === 'pending')) {
      if (Date.now() > deadline) throw new Error(`the outbox did not finish:\n${second.output().slice(-2000)}`);
      await sleep(200);
    }
    await plugin.service('notices').idle();
    const sent = await rows();
    expect(sent.every((r: any) => r.status === 'sent')).toBe(true);
    const recipients = smtp.received.flatMap((m) => m.envelopeTo).filter((to) => to.startsWith('reader'));
    expect(recipients).toHaveLength(RECIPIENTS);
    expect(new Set(recipients).size).toBe(RECIPIENTS);
    // More than one process sent (a claim names its host and process): a and c at least, and b
    // too if its minute's pass came round meanwhile.
    const senders = new Set(sent.map((r: any) => String(r.claimed_by).split(':').slice(0, 2).join(':')));
    expect(senders.size).toBeGreaterThanOrEqual(2);
    // One slot row for all: every message took a slot 1/RATE s after the one before, so the next
    // free slot is at least RECIPIENTS / RATE seconds after the window opened, whoever sent.
    const slot = await knex()('privacy_centre_job_claims').where({ job: 'notice-rate' }).first();
    expect(Date.parse(slot.claimed_until) - opened).toBeGreaterThanOrEqual((RECIPIENTS * 1000) / RATE - 5);
    const times = sent.map((r: any) => Date.parse(r.sent_at)).sort((x: number, y: number) => x - y);
    console.log(`[instances] ${run.database.client}: ${RECIPIENTS} notices by ${senders.size} processes at ${((RECIPIENTS - 1) / ((times[times.length - 1] - times[0]) / 1000)).toFixed(1)}/s together (configured ${RATE}/s)`);
  });

  it('an instance dies mid-purge holding the job: a is refused until the lease ends, then finishes it', async () => {
    // Cookie discovery's counters of long ago: the purge deletes them, one per statement on b.
    const now = new Date();
    const rows = Array.from({ length: TOTAL }, (_, i) => ({
      document_id: `instobs${String(i).padStart(17, '0')}`,
      key: `inst-${i}`,
      day: '2019-01-01',
      name: `_old_${i}`,
      storage: 'cookie',
      phase: 'before-consent',
      refused: false,
      count: 1,
      created_at: now,
      updated_at: now,
      published_at: now,
    }));
    for (let i = 0; i < rows.length; i += 100) await knex()(OBSERVATIONS).insert(rows.slice(i, i + 100));
    // A third instance runs the purge on its own (every two seconds, a row per statement) and is
    // killed while it holds the job. (Not b: its writes would contend with a's on SQLite.)
    const dying = (c ??= await startChild(run.database, { PRIVACY_CENTRE_EXTRA_CONFIG: purging, SMTP_PORT: String(smtp.port), SMTP_POOL: 'true' }));
    // Its cron takes the job within two seconds; wait until it has deleted some and renewed its
    // lease (its heartbeat), still holding the claim.
    const deadline = Date.now() + 30_000;
    let claim: any;
    let firstSeen: any;
    for (;;) {
      claim = await claimRow();
      const remaining = await left();
      const holding = claim?.claimed_by && claim.claimed_until > new Date().toISOString() && remaining < TOTAL;
      if (holding && !firstSeen) firstSeen = claim;
      if (holding && claim.claimed_by === firstSeen.claimed_by && claim.claimed_until > firstSeen.claimed_until && remaining > 0) break;
      if (Date.now() > deadline) {
        throw new Error(`c did not take the purge (claim ${JSON.stringify(claim)}, ${remaining} left):\n${dying.output().slice(-2000)}`);
      }
      await sleep(50);
    }
    await dying.kill();
    const stranded = await left();
    expect(stranded).toBeGreaterThan(0); // killed mid-run
    const held = await claimRow();
    expect(held.claimed_by).toBe(claim.claimed_by); // its claim outlives it...
    expect(held.claimed_until > new Date().toISOString()).toBe(true);
    expect(await retention().run()).toBeNull(); // ...and a is refused while the lease holds
    // The lease is a few seconds (not the 15 minutes of before): a takes over once it ends.
    let result: any = null;
    let refusals = 1;
    while (!(result = await retention().run())) {
      refusals++;
      if (refusals > 200) throw new Error('a never took over the purge');
      await sleep(100);
    }
    expect(new Date().toISOString() >= held.claimed_until).toBe(true);
    expect(result.cookieObservations).toBe(stranded);
    expect(await left()).toBe(0);
  });

  it('two runs at once: one works, the other is refused; the winner releases its claim', async () => {
    const [first, second] = await Promise.all([retention().run(), retention().run()]);
    expect([first, second].filter((r) => r === null)).toHaveLength(1);
    const row = await claimRow();
    // Released at the end: its lease ends now, not LEASE_SECONDS later.
    expect(row.claimed_until <= new Date().toISOString()).toBe(true);
  });
});
