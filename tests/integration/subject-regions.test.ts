import { parse } from 'csv-parse/sync';
import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { createAdmin } from '../helpers/admin';
import { startSmtp } from '../helpers/smtp';
import { actionUid } from '../../server/src/permissions/actions';

/**
 * Regions in the request register (issue #17): every request carries its jurisdiction (chosen
 * by an administrator, or read from the trusted headers of a self-service request), and runs on
 * that jurisdiction's clock: months, calendar days, or business days that skip weekends and the
 * configured holidays (here the end of 2025). Acknowledgement deadlines, extensions as each law
 * allows, and the CCPA § 7102 metrics with their CSV.
 */
const REQUESTS = 'plugin::privacy-centre.data-subject-request';
// The end of 2025 (requests may not be received in the future): Christmas, New Year's Eve and Day.
const HOLIDAYS = ['2025-12-24', '2025-12-25', '2025-12-31', '2026-01-01'];
let app: TestStrapi;
let token: string;
let smtp: Awaited<ReturnType<typeof startSmtp>>;

const admin = (bearer = token) => {
  const auth = { Authorization: `Bearer ${bearer}` };
  return {
    get: (url: string) => app.http().get(`/privacy-centre${url}`).set(auth),
    post: (url: string, body: object = {}) => app.http().post(`/privacy-centre${url}`).set(auth).send(body),
    put: (url: string, body: object = {}) => app.http().put(`/privacy-centre${url}`).set(auth).send(body),
    del: (url: string) => app.http().delete(`/privacy-centre${url}`).set(auth),
  };
};
const register = async (body: Record<string, unknown>) => {
  const answer = await admin().post('/subjects/requests', { email: 'someone@example.org', ...body });
  expect(answer.status).toBe(201);
  return answer.body.data;
};
const rowOf = (documentId: string) => app.strapi.db.query(REQUESTS).findOne({ where: { documentId } });
const waitUntil = async (check: () => Promise<boolean>, ms = 15_000) => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
};
const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 3600_000).toISOString();

beforeAll(async () => {
  smtp = await startSmtp();
  app = await bootStrapi({
    SMTP_PORT: String(smtp.port),
    PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({
      regions: { countryHeaders: ['CF-IPCountry'], regionHeaders: ['X-Region'], defaultJurisdiction: 'GDPR' },
      subjects: { holidays: HOLIDAYS },
      rateLimit: { enabled: false, windowSeconds: 60, max: 1000 },
    }),
  });
  token = (await createAdmin(app)).token;
});
afterAll(async () => {
  await app?.close();
  await smtp?.close();
});

describe('due dates follow the jurisdiction', () => {
  it('CCPA: acknowledge within 10 business days and answer within 45 days, across the year end and its holidays', async () => {
    const request = await register({ type: 'access', jurisdiction: 'CCPA', receivedAt: '2025-12-22T10:00:00.000Z' });
    expect(request).toMatchObject({
      type: 'access',
      jurisdiction: 'CCPA',
      receivedAt: '2025-12-22T10:00:00.000Z',
      // Mon 22 Dec: 23, (24-25 off) 26, (27-28 off) 29, 30, (31 Dec-1 Jan off) 2, (3-4 off) 5-9 January.
      acknowledgeBy: '2026-01-09T10:00:00.000Z',
      acknowledgedAt: null,
      dueAt: '2026-02-05T10:00:00.000Z',
      extension: { taken: 0, left: 1, step: { days: 45 } },
    });
    // Stored as shown.
    expect(await rowOf(request.documentId)).toMatchObject({ jurisdiction: 'CCPA', acknowledgeBy: '2026-01-09T10:00:00.000Z', dueAt: '2026-02-05T10:00:00.000Z', extensions: 0 });
  });

  it('the new types: opt-out of sale or sharing in 15 business days under any US law; limit of sensitive information under the CCPA', async () => {
    const optOut = await register({ type: 'opt-out-sale-share', jurisdiction: 'VCDPA', receivedAt: '2025-12-22T10:00:00.000Z' });
    expect(optOut).toMatchObject({ type: 'opt-out-sale-share', jurisdiction: 'VCDPA', dueAt: '2026-01-16T10:00:00.000Z', acknowledgeBy: null, extension: { left: 0, step: null } });
    const limit = await register({ type: 'limit-sensitive', jurisdiction: 'CCPA', receivedAt: '2025-12-22T10:00:00.000Z' });
    expect(limit).toMatchObject({ type: 'limit-sensitive', dueAt: '2026-01-16T10:00:00.000Z', acknowledgeBy: null });
    // The other US state laws: 45 days, no acknowledgement.
    expect(await register({ type: 'erasure', jurisdiction: 'TDPSA', receivedAt: '2025-12-22T10:00:00.000Z' })).toMatchObject({ dueAt: '2026-02-05T10:00:00.000Z', acknowledgeBy: null });
  });

  it('PIPEDA and Québec 30 days, LGPD 15, UK GDPR one month; the rest the default month', async () => {
    const on = async (jurisdiction: string) => (await register({ type: 'access', jurisdiction, receivedAt: '2026-01-31T09:30:00.000Z' })).dueAt;
    expect(await on('PIPEDA')).toBe('2026-03-02T09:30:00.000Z');
    expect(await on('QC_LAW25')).toBe('2026-03-02T09:30:00.000Z');
    expect(await on('LGPD')).toBe('2026-02-15T09:30:00.000Z');
    expect(await on('UK_GDPR')).toBe('2026-02-28T09:30:00.000Z');
    expect(await on('APPI')).toBe('2026-02-28T09:30:00.000Z');
  });

  it('without a jurisdiction, an admin-registered request takes the regions table default', async () => {
    expect(await register({ type: 'access', receivedAt: '2026-01-31T09:30:00.000Z' })).toMatchObject({ jurisdiction: 'GDPR', dueAt: '2026-02-28T09:30:00.000Z' });
    const regions = (await admin().get('/regions')).body.data.table;
    expect((await admin().put('/regions', { ...regions, defaultJurisdiction: 'PIPEDA' })).status).toBe(200);
    try {
      expect(await register({ type: 'access', receivedAt: '2026-01-31T09:30:00.000Z' })).toMatchObject({ jurisdiction: 'PIPEDA', dueAt: '2026-03-02T09:30:00.000Z' });
    } finally {
      expect((await admin().del('/regions')).status).toBe(200);
    }
  });

  it('a row from before jurisdictions reads as GDPR and extends in months', async () => {
    const legacy = await app.strapi.db.query(REQUESTS).create({
      data: { type: 'access', email: 'old@example.org', origin: 'admin', receivedAt: '2026-01-31T10:00:00.000Z', dueAt: '2026-02-28T10:00:00.000Z', status: 'received', actions: [] },
    });
    const view = (await admin().get(`/subjects/requests/${legacy.documentId}`)).body.data;
    expect(view).toMatchObject({ jurisdiction: 'GDPR', acknowledgeBy: null, extension: { taken: 0, left: 2, step: { months: 1 } } });
    const extended = await admin().post(`/subjects/requests/${legacy.documentId}/extend`, { months: 2, reason: 'Complex' });
    expect(extended.status).toBe(200);
    expect(extended.body.data).toMatchObject({ dueAt: '2026-04-30T10:00:00.000Z', extension: { taken: 2, left: 0 } });
    expect((await rowOf(legacy.documentId)).jurisdiction).toBeNull();
  });
});

describe('extensions follow the table', () => {
  it('a CCPA request is extended once by 45 days, with a reason; a second time is refused naming why, and changes nothing', async () => {
    const request = await register({ type: 'access', jurisdiction: 'CCPA', receivedAt: '2025-12-22T10:00:00.000Z' });
    const inMonths = await admin().post(`/subjects/requests/${request.documentId}/extend`, { months: 1, reason: 'Busy' });
    expect(inMonths.status).toBe(400);
    expect(inMonths.body.error.message).toMatch(/not extended in months/);
    const noReason = await admin().post(`/subjects/requests/${request.documentId}/extend`, {});
    expect(noReason.status).toBe(400);
    const extended = await admin().post(`/subjects/requests/${request.documentId}/extend`, { reason: 'Reasonably necessary: records on paper' });
    expect(extended.status).toBe(200);
    expect(extended.body.data).toMatchObject({ dueAt: '2026-03-22T10:00:00.000Z', extension: { taken: 1, left: 0 }, extensionReason: 'Reasonably necessary: records on paper' });
    expect(extended.body.data.actions.at(-1).what).toMatch(/extended by 45 days to 2026-03-22T10:00:00.000Z: Reasonably necessary/);
    const before = await rowOf(request.documentId);
    const again = await admin().post(`/subjects/requests/${request.documentId}/extend`, { reason: 'More' });
    expect(again.status).toBe(400);
    expect(again.body.error.message).toMatch(/CCPA request may be extended by at most 1 extension in all \(Cal\. Civ\. Code § 1798\.130/);
    expect(await rowOf(request.documentId)).toEqual(before);
  });

  it('a jurisdiction without extensions refuses with a 400 naming why', async () => {
    for (const [jurisdiction, type, source] of [
      ['QC_LAW25', 'access', /QC_LAW25 allows no extension for it \(.*s\. 32/],
      ['LGPD', 'erasure', /LGPD allows no extension for it \(LGPD art\. 19 II/],
      ['CCPA', 'opt-out-sale-share', /CCPA allows no extension for it \(CCPA Regulations § 7026\(f\)/],
    ] as const) {
      const request = await register({ type, jurisdiction });
      const before = await rowOf(request.documentId);
      const answer = await admin().post(`/subjects/requests/${request.documentId}/extend`, { reason: 'Busy' });
      expect(answer.status).toBe(400);
      expect(answer.body.error.message).toMatch(/cannot be extended/);
      expect(answer.body.error.message).toMatch(source);
      expect(await rowOf(request.documentId)).toEqual(before);
    }
  });
});

describe('acknowledgement and the overdue', () => {
  it('an unacknowledged CCPA request past its acknowledgement deadline is overdue until acknowledged; acknowledging is audited, once', async () => {
    const before = (await admin().get('/subjects/requests/summary')).body.data;
    const request = await register({ type: 'erasure', jurisdiction: 'CCPA', receivedAt: daysAgo(20) });
    // 20 calendar days hold at least 10 business days, whatever the weekday; 45 days are not over.
    expect(request).toMatchObject({ overdue: false, acknowledgementOverdue: true });
    const flagged = (await admin().get('/subjects/requests/summary')).body.data;
    expect(flagged.overdue).toBe(before.overdue + 1);
    expect(flagged.acknowledgementOverdue).toBe(before.acknowledgementOverdue + 1);

    const extra = await admin().post(`/subjects/requests/${request.documentId}/acknowledge`, { note: 'e-mailed', by: 'me' });
    expect(extra.status).toBe(400);
    expect((await rowOf(request.documentId)).acknowledgedAt).toBeNull();

    const acknowledged = await admin().post(`/subjects/requests/${request.documentId}/acknowledge`, { note: 'confirmed by e-mail, with how we process it' });
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body.data).toMatchObject({ acknowledgementOverdue: false, overdue: false });
    expect(Date.parse(acknowledged.body.data.acknowledgedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(acknowledged.body.data.actions.at(-1).what).toBe('receipt acknowledged to the person: confirmed by e-mail, with how we process it');
    const audit = await app.strapi.db.query('plugin::privacy-centre.audit-event').findOne({ where: { action: 'subjects.request.acknowledge', target: `request ${request.documentId}` } });
    expect(audit).toBeTruthy();
    expect(audit.details).toEqual({ late: true });
    expect((await admin().get('/subjects/requests/summary')).body.data).toMatchObject({ overdue: before.overdue, acknowledgementOverdue: before.acknowledgementOverdue });

    const twice = await admin().post(`/subjects/requests/${request.documentId}/acknowledge`, {});
    expect(twice.status).toBe(400);
    expect(twice.body.error.message).toMatch(/acknowledged already/);
  });

  it('the overdue follow their own clock: an LGPD request is overdue after 15 days, a GDPR one received then is not', async () => {
    const lgpd = await register({ type: 'access', jurisdiction: 'LGPD', receivedAt: daysAgo(20) });
    const gdpr = await register({ type: 'access', jurisdiction: 'GDPR', receivedAt: daysAgo(20) });
    const list = (await admin().get('/subjects/requests?pageSize=100')).body.data;
    expect(list.find((r: any) => r.documentId === lgpd.documentId)).toMatchObject({ overdue: true });
    expect(list.find((r: any) => r.documentId === gdpr.documentId)).toMatchObject({ overdue: false });
  });
});

describe('bad input is a 400 that changes nothing', () => {
  it('refuses an unknown jurisdiction or type, and a bad metrics query', async () => {
    const count = await app.strapi.db.query(REQUESTS).count();
    const audits = await app.strapi.db.query('plugin::privacy-centre.audit-event').count();
    for (const body of [
      { type: 'access', email: 'a@b.fi', jurisdiction: 'XX' },
      { type: 'access', email: 'a@b.fi', jurisdiction: 'gdpr' },
      { type: 'access', email: 'a@b.fi', jurisdiction: 5 },
      { type: 'access', email: 'a@b.fi', jurisdiction: ['CCPA'] },
      { type: 'sell-my-data', email: 'a@b.fi', jurisdiction: 'CCPA' },
    ]) {
      const answer = await admin().post('/subjects/requests', body);
      expect(answer.status).toBe(400);
      expect(answer.body.error.name).toBe('ValidationError');
    }
    for (const query of ['year=1999', 'year=abc', 'year=2999', 'jurisdiction=Mars', 'year=2026.5']) {
      expect((await admin().get(`/subjects/requests/metrics?${query}`)).status).toBe(400);
      expect((await admin().get(`/subjects/requests/metrics/export?${query}`)).status).toBe(400);
    }
    expect(await app.strapi.db.query(REQUESTS).count()).toBe(count);
    expect(await app.strapi.db.query('plugin::privacy-centre.audit-event').count()).toBe(audits);
  });
});

describe('self-service requests take their jurisdiction from the trusted headers only', () => {
  const ask = (email: string, headers: Record<string, string>) => {
    const call = app.http().post('/api/privacy-centre/requests');
    for (const [name, value] of Object.entries(headers)) call.set(name, value);
    return call.send({ email, type: 'access' });
  };
  const requestOf = async (email: string) => {
    await waitUntil(async () => Boolean(await app.strapi.db.query(REQUESTS).findOne({ where: { email, origin: 'self-service' } })));
    return app.strapi.db.query(REQUESTS).findOne({ where: { email, origin: 'self-service' } });
  };

  it('a configured country and region header names the jurisdiction, and its clock', async () => {
    expect((await ask('cali@example.org', { 'CF-IPCountry': 'US', 'X-Region': 'US-CA' })).status).toBe(202);
    const row = await requestOf('cali@example.org');
    expect(row.jurisdiction).toBe('CCPA');
    expect(row.acknowledgeBy).toBeTruthy();
    expect(Date.parse(row.dueAt) - Date.parse(row.receivedAt)).toBe(45 * 24 * 3600_000);
    expect((await ask('rio@example.org', { 'CF-IPCountry': 'BR' })).status).toBe(202);
    const brazil = await requestOf('rio@example.org');
    expect(brazil).toMatchObject({ jurisdiction: 'LGPD', acknowledgeBy: null });
    expect(Date.parse(brazil.dueAt) - Date.parse(brazil.receivedAt)).toBe(15 * 24 * 3600_000);
  });

  it('an untrusted header is ignored: the default jurisdiction', async () => {
    expect((await ask('spoof@example.org', { 'CloudFront-Viewer-Country': 'US', 'X-Country': 'US', 'CloudFront-Viewer-Country-Region': 'CA' })).status).toBe(202);
    const row = await requestOf('spoof@example.org');
    expect(row).toMatchObject({ jurisdiction: 'GDPR', acknowledgeBy: null });
    // A trusted header holding junk is no location either.
    expect((await ask('junk@example.org', { 'CF-IPCountry': 'XX', 'X-Region': 'US-CA' })).status).toBe(202);
    expect((await requestOf('junk@example.org')).jurisdiction).toBe('GDPR');
  });

  it('the new types stay admin-only: the public route refuses them', async () => {
    const count = await app.strapi.db.query(REQUESTS).count();
    for (const type of ['opt-out-sale-share', 'limit-sensitive']) {
      expect((await app.http().post('/api/privacy-centre/requests').send({ email: 'x@example.org', type })).status).toBe(400);
    }
    expect(await app.strapi.db.query(REQUESTS).count()).toBe(count);
  });
});

describe('CCPA § 7102 metrics', () => {
  it('per type for a calendar year: received, complied with, denied, open, median and mean days; the CSV says the same', async () => {
    const year = 2024;
    const made: Array<{ type: string; receivedAt: string; outcome: 'completed' | 'refused' | 'open'; verified: boolean }> = [
      { type: 'access', receivedAt: '2024-03-01T10:00:00.000Z', outcome: 'completed', verified: true },
      { type: 'access', receivedAt: '2024-06-01T10:00:00.000Z', outcome: 'completed', verified: true },
      { type: 'access', receivedAt: '2024-07-01T10:00:00.000Z', outcome: 'refused', verified: false },
      { type: 'erasure', receivedAt: '2024-12-31T23:59:59.000Z', outcome: 'open', verified: false },
      { type: 'opt-out-sale-share', receivedAt: '2024-02-01T10:00:00.000Z', outcome: 'completed', verified: true },
      // The year before and the year after do not count.
      { type: 'access', receivedAt: '2023-12-31T23:59:59.000Z', outcome: 'completed', verified: true },
      { type: 'access', receivedAt: '2025-01-01T00:00:00.000Z', outcome: 'completed', verified: true },
    ];
    const days: Record<string, number[]> = {};
    for (const request of made) {
      const created = await register({ type: request.type, jurisdiction: 'CCPA', receivedAt: request.receivedAt, ...(request.verified ? { verification: 'ID' } : {}) });
      if (request.outcome === 'open') continue;
      const closed = await admin().put(`/subjects/requests/${created.documentId}`, request.outcome === 'refused' ? { status: 'refused', refusalReason: 'Not verifiable' } : { status: 'completed' });
      expect(closed.status).toBe(200);
      if (request.receivedAt.startsWith(String(year))) {
        (days[request.type] ??= []).push((Date.parse(closed.body.data.completedAt) - Date.parse(request.receivedAt)) / 86_400_000);
      }
    }
    const round = (n: number) => Math.round(n * 10) / 10;
    const sorted = [...days.access].sort((a, b) => a - b);
    const answer = await admin().get(`/subjects/requests/metrics?year=${year}&jurisdiction=CCPA`);
    expect(answer.status).toBe(200);
    const { data } = answer.body;
    expect(data).toMatchObject({ year, jurisdiction: 'CCPA' });
    expect(data.years).toEqual(expect.arrayContaining([2026, 2025, 2024, 2023]));
    const byType = Object.fromEntries(data.types.map((row: any) => [row.type, row]));
    expect(Object.keys(byType)).toEqual(['access', 'portability', 'erasure', 'rectification', 'objection', 'opt-out-sale-share', 'limit-sensitive']);
    expect(byType.access).toEqual({ type: 'access', received: 3, compliedWith: 2, denied: 1, deniedUnverified: 1, open: 0, medianDays: round(sorted[1]), meanDays: round((sorted[0] + sorted[1] + sorted[2]) / 3) });
    expect(byType.erasure).toMatchObject({ received: 1, open: 1, compliedWith: 0, medianDays: null, meanDays: null });
    expect(byType['opt-out-sale-share']).toMatchObject({ received: 1, compliedWith: 1, medianDays: round(days['opt-out-sale-share'][0]) });
    expect(byType['limit-sensitive']).toMatchObject({ received: 0 });
    // Another jurisdiction's requests are not these.
    const gdpr = (await admin().get(`/subjects/requests/metrics?year=${year}&jurisdiction=GDPR`)).body.data;
    expect(gdpr.types.every((row: any) => row.received === 0)).toBe(true);

    const csv = await admin().get(`/subjects/requests/metrics/export?year=${year}&jurisdiction=CCPA`).buffer(true);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="request-metrics-${year}-CCPA.csv"`);
    const lines = parse(csv.text, { columns: true }) as Record<string, string>[];
    expect(lines).toHaveLength(7);
    expect(lines[0]).toEqual({
      year: String(year),
      jurisdiction: 'CCPA',
      type: 'access',
      received: '3',
      compliedWith: '2',
      denied: '1',
      deniedUnverified: '1',
      open: '0',
      medianDays: String(byType.access.medianDays),
      meanDays: String(byType.access.meanDays),
    });
    expect(lines[2]).toMatchObject({ type: 'erasure', received: '1', open: '1', medianDays: '', meanDays: '' });
  });

  it('needs subjects.read', async () => {
    const reader = (await createAdmin(app, [actionUid('subjects', 'read')])).token;
    expect((await admin(reader).get('/subjects/requests/metrics')).status).toBe(200);
    expect((await admin(reader).get('/subjects/requests/metrics/export')).status).toBe(200);
    // Reading is not managing: acknowledging needs subjects.manage.
    const request = await register({ type: 'access', jurisdiction: 'CCPA' });
    expect((await admin(reader).post(`/subjects/requests/${request.documentId}/acknowledge`, {})).status).toBe(403);
    const nobody = (await createAdmin(app, [actionUid('consents', 'read')])).token;
    expect((await admin(nobody).get('/subjects/requests/metrics')).status).toBe(403);
    expect((await admin(nobody).get('/subjects/requests/metrics/export')).status).toBe(403);
  });
});
