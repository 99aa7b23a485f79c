import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { createAdmin } from '../helpers/admin';
import { ensureLocales, sampleLocales } from '../helpers/policies';
import { rawHeader, startSmtp } from '../helpers/smtp';

/**
 * Link tokens stay out of the request log. The app runs with the log level at `http`, where
 * Strapi's own request logger (`strapi::logger`) writes every request's URL; every line a
 * transport writes is kept. Real links from real messages are followed (newsletter confirm and
 * unsubscribe, GET and POST, one-click; a data-subject request's confirmation): each works, and no
 * line holds any part of a token.
 */
const MESSAGE = Symbol.for('message');
let app: TestStrapi;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
const written: string[] = [];

beforeAll(async () => {
  smtp = await startSmtp();
  app = await bootStrapi(
    { STRAPI_LOG_LEVEL: 'http', SMTP_PORT: String(smtp.port) },
    {
      beforeLoad: (strapi) => {
        for (const transport of (strapi.log as any).transports) {
          transport.on('logged', (info: any) => written.push(String(info[MESSAGE] ?? info.message)));
        }
      },
    }
  );
  await ensureLocales(app, ['fi']);
  const { token } = await createAdmin(app);
  const auth = { Authorization: `Bearer ${token}` };
  const draft = await app.http().post('/privacy-centre/policies/drafts').set(auth).send({ slug: 'privacy-policy', locales: sampleLocales('l') });
  expect((await app.http().post(`/privacy-centre/policies/drafts/${draft.body.data.documentId}/publish`).set(auth).send({})).status).toBe(200);
});
afterAll(async () => {
  await app?.close();
  await smtp?.close();
});

const api = () => app.http();
const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;
const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;
const linkIn = (text: string, path: string) => new RegExp(`https?://\\S+/${path}\\?token=[A-Za-z0-9_.-]+`).exec(text)![0];
const settle = () => new Promise((resolve) => setTimeout(resolve, 100)); // transports report on the next turn
const status = async (email: string) => (await app.strapi.plugin('privacy-centre').service('newsletter').subscriptionOf(email, 'default'))?.status;

/** Every token of `urls`, and each of its dot-separated parts, is absent from everything written. */
async function expectNoTokenWritten(urls: string[]) {
  await settle();
  const log = written.join('\n');
  for (const url of urls) {
    const token = tokenOf(url);
    expect(token.length).toBeGreaterThan(20);
    for (const part of [token, ...token.split('.')]) expect(log).not.toContain(part);
  }
}

describe('the request log at level http', () => {
  const email = 'log.reader@example.fi';
  let confirmUrl: string;
  let unsubscribeUrl: string;

  it('writes request lines (the logger is on), with the sign-up link tokens of the message redacted', async () => {
    expect((await api().post('/api/privacy-centre/newsletter/subscribe').send({ email })).status).toBe(202);
    const message = await smtp.waitFor(email);
    confirmUrl = linkIn(message.parsed.text!, 'newsletter/confirm');
    unsubscribeUrl = /<(https?:[^>]+)>/.exec(rawHeader(message.raw, 'List-Unsubscribe')!)![1];

    const page = await api().get(pathOf(confirmUrl));
    expect(page.status).toBe(200);
    expect(page.text).toContain('<button');
    // A POST may carry the token in its URL (as one-click does), not only in the form.
    const confirmed = await api().post(pathOf(confirmUrl)).type('form').send({});
    expect(confirmed.status).toBe(200);
    expect(await status(email)).toBe('subscribed');

    await settle();
    expect(written.join('\n')).toContain('POST /api/privacy-centre/newsletter/subscribe');
    expect(written.some((line) => line.includes('GET /api/privacy-centre/newsletter/confirm?token=[redacted]') && / 200/.test(line))).toBe(true);
    expect(written.some((line) => line.includes('POST /api/privacy-centre/newsletter/confirm?token=[redacted]'))).toBe(true);
    await expectNoTokenWritten([confirmUrl, unsubscribeUrl]);
  });

  it('one-click unsubscribe (RFC 8058) and its page: they work, and their token is not written', async () => {
    expect((await api().get(pathOf(unsubscribeUrl))).status).toBe(200);
    const oneClick = await api().post(pathOf(unsubscribeUrl)).type('form').send('List-Unsubscribe=One-Click');
    expect(oneClick.status).toBe(200);
    expect(await status(email)).toBe('unsubscribed');
    // A case-changed path and a percent-encoded name reach the same route with the same token.
    const encoded = pathOf(unsubscribeUrl).replace('/newsletter/', '/NEWSLETTER/').replace('?token=', '?%74oken=');
    expect((await api().get(encoded)).status).toBe(200);
    await settle();
    expect(written.some((line) => line.includes('?%74oken=[redacted]'))).toBe(true);
    await expectNoTokenWritten([unsubscribeUrl]);
  });

  it('a data-subject request link: it works, and its token is not written', async () => {
    const asker = 'log.asker@example.fi';
    expect((await api().post('/api/privacy-centre/requests').send({ email: asker, type: 'access' })).status).toBe(202);
    const message = await smtp.waitFor(asker, (m) => /requests\/confirm/.test(m.parsed.text ?? ''));
    const link = linkIn(message.parsed.text!, 'requests/confirm');
    expect((await api().get(pathOf(link))).status).toBe(200);
    const done = await api().post(pathOf(link)).type('form').send({});
    expect(done.status).toBe(200);
    await settle();
    expect(written.some((line) => line.includes('POST /api/privacy-centre/requests/confirm?token=[redacted]'))).toBe(true);
    await expectNoTokenWritten([link]);
  });

  it('a bad token is refused as before (a 400), and not written either', async () => {
    const bad = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB';
    const answer = await api().post(`/api/privacy-centre/newsletter/unsubscribe?token=${bad}`).send({});
    expect(answer.status).toBe(400);
    await expectNoTokenWritten([`http://x/?token=${bad}`]);
  });
});
