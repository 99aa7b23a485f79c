/**
 * The links in the newsletter's e-mails, followed in Debian's Chromium as a subscriber would:
 * a real `strapi start` of tests/app (tests/helpers/e2e-app.ts) sending through a real SMTP
 * server started here (tests/helpers/smtp.ts), links taken from the message as received.
 *
 *   1. A sign-up through `POST /api/privacy-centre/newsletter/subscribe` sends a confirmation
 *      e-mail; its confirm link (HTML part, the same as in the text part) opens a page with one
 *      Confirm button, and opening it changes nothing; the button confirms.
 *   2. The unsubscribe link (the `List-Unsubscribe` header, the same as in the body) opens a page
 *      with an optional reason and one button, and opening it changes nothing; the button
 *      unsubscribes, and the `withdrawn` event says `page` and keeps the reason.
 *   3. The pages are basic accessible HTML (`lang`, one `<main>`, one `<h1>`, a labelled button and
 *      field) in the subscription's language, whatever the browser's (German here, browser in
 *      English), served under the app's real security headers.
 *
 * State is read through the admin API (`/privacy-centre/newsletter/subscriptions`), as the
 * Newsletter page reads it. Screenshots: tests/artifacts/e2e/newsletter-*.png.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { startApp, type RunningApp } from '../helpers/e2e-app';
import { api, launchBrowser, newPage, registerSuperAdmin, screenshot } from '../helpers/e2e-browser';
import { rawHeader, startSmtp, type ReceivedMail } from '../helpers/smtp';

let app: RunningApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let browser: Browser;
let token: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  smtp = await startSmtp();
  [app, browser] = await Promise.all([startApp({ SMTP_PORT: String(smtp.port) }), launchBrowser()]);
  token = await registerSuperAdmin(app, 'ada@northwind.example');
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await app?.stop();
  await smtp?.close();
});

async function subscribe(email: string, locale: string) {
  const response = await fetch(`${app.url}/api/privacy-centre/newsletter/subscribe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, locale, source: 'https://northwind.example/news' }),
  });
  expect(response.status).toBe(202);
}

/** The subscription and its consent events, as the admin's Newsletter page gets them. */
async function subscription(email: string) {
  const { data: rows } = await api(app, 'GET', `/privacy-centre/newsletter/subscriptions?q=${encodeURIComponent(email)}`, token);
  expect(rows).toHaveLength(1);
  return (await api(app, 'GET', `/privacy-centre/newsletter/subscriptions/${rows[0].documentId}`, token)).data;
}

const decode = (href: string) => href.replace(/&amp;/g, '&');
/** Every link to `path` in the HTML part (hrefs) and in the text part: they must agree. */
function linksOf(mail: ReceivedMail, path: 'confirm' | 'unsubscribe') {
  const pattern = new RegExp(`https?://[^\\s"<>]+/api/privacy-centre/newsletter/${path}\\?token=[^\\s"<>]+`, 'g');
  const html = [...String(mail.parsed.html).matchAll(/<a href="([^"]+)"/g)].map((m) => decode(m[1])).filter((href) => href.match(pattern));
  const text = mail.parsed.text!.match(pattern) ?? [];
  return { html, text };
}

/** The page's accessibility basics; answers its heading. */
async function expectPlainPage(page: Page, lang: string) {
  await expect(page.locator('html').getAttribute('lang')).resolves.toBe(lang);
  await expect(page.locator('main').count()).resolves.toBe(1);
  await expect(page.locator('h1').count()).resolves.toBe(1);
  expect((await page.title()).trim()).not.toBe('');
  return (await page.locator('main h1').textContent())!.trim();
}

interface Words {
  subject: string;
  confirmTitle: string;
  confirmButton: string;
  confirmedTitle: string;
  unsubscribeTitle: string;
  reasonLabel: string;
  unsubscribeButton: string;
  unsubscribedTitle: string;
}

/** The whole round trip for one address; `reason` is typed on the unsubscribe page when given. */
async function roundTrip(email: string, locale: string, words: Words, reason: string | null, shots: string | null) {
  const { page, errors } = await newPage(browser, contexts);
  await subscribe(email, locale);
  const mail = await smtp.waitFor(email);
  expect(mail.parsed.subject).toBe(words.subject);

  // The confirm link, from the HTML part; the text part has the same one.
  const confirm = linksOf(mail, 'confirm');
  expect(confirm.html).toHaveLength(1);
  expect(confirm.text).toEqual(confirm.html);
  const confirmUrl = confirm.html[0];
  expect(new URL(confirmUrl).origin).toBe(app.url);

  // Opening it (twice, as a scanner and then the person would) shows a page and changes nothing.
  for (let i = 0; i < 2; i += 1) {
    const response = await page.goto(confirmUrl);
    expect(response!.status()).toBe(200);
    expect(response!.headers()['content-type']).toMatch(/^text\/html/);
  }
  await expect(expectPlainPage(page, locale)).resolves.toBe(words.confirmTitle);
  const confirmButton = page.getByRole('button', { name: words.confirmButton, exact: true });
  await expect(page.getByRole('button').count()).resolves.toBe(1);
  await expect(confirmButton.count()).resolves.toBe(1);
  if (shots) await screenshot(page, `${shots}-01-confirm`);
  let row = await subscription(email);
  expect(row).toMatchObject({ status: 'pending', language: locale, confirmedAt: null });
  expect(row.events.map((e: any) => e.action)).toEqual(['requested']);

  // The button confirms: a form POST from the page, answered with a page.
  const posted = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().startsWith(`${app.url}/api/privacy-centre/newsletter/confirm`));
  await confirmButton.click();
  expect((await posted).status()).toBe(200);
  await page.getByRole('heading', { level: 1, name: words.confirmedTitle }).waitFor();
  await expect(expectPlainPage(page, locale)).resolves.toBe(words.confirmedTitle);
  await expect(page.getByRole('button').count()).resolves.toBe(0);
  if (shots) await screenshot(page, `${shots}-02-confirmed`);
  row = await subscription(email);
  expect(row).toMatchObject({ status: 'subscribed' });
  expect(row.confirmedAt).not.toBeNull();
  expect(row.events.map((e: any) => e.action)).toEqual(['requested', 'confirmed']);
  expect(row.events[1]).toMatchObject({ ipPrefix: '127.0.0.0/24' });
  expect(row.events[1].userAgent).toMatch(/Chrome\//);

  // The unsubscribe link: the List-Unsubscribe header's, the same as the body's (text and HTML).
  const header = rawHeader(mail.raw, 'List-Unsubscribe');
  expect(header).toMatch(/^<https?:\/\/[^>]+>$/);
  expect(rawHeader(mail.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
  const unsubscribeUrl = header!.slice(1, -1);
  expect(new URL(unsubscribeUrl).origin).toBe(app.url);
  const unsubscribe = linksOf(mail, 'unsubscribe');
  expect(unsubscribe.text).toEqual([unsubscribeUrl]);
  expect(unsubscribe.html).toEqual([unsubscribeUrl]);

  for (let i = 0; i < 2; i += 1) expect((await page.goto(unsubscribeUrl))!.status()).toBe(200);
  await expect(expectPlainPage(page, locale)).resolves.toBe(words.unsubscribeTitle);
  const reasonField = page.getByLabel(words.reasonLabel, { exact: true });
  await expect(reasonField.count()).resolves.toBe(1);
  const unsubscribeButton = page.getByRole('button', { name: words.unsubscribeButton, exact: true });
  await expect(page.getByRole('button').count()).resolves.toBe(1);
  await expect(unsubscribeButton.count()).resolves.toBe(1);
  await expect(subscription(email)).resolves.toMatchObject({ status: 'subscribed', unsubscribedAt: null });

  if (reason) await reasonField.fill(reason);
  if (shots) await screenshot(page, `${shots}-03-unsubscribe`);
  const left = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().startsWith(`${app.url}/api/privacy-centre/newsletter/unsubscribe`));
  await unsubscribeButton.click();
  expect((await left).status()).toBe(200);
  await page.getByRole('heading', { level: 1, name: words.unsubscribedTitle }).waitFor();
  await expect(expectPlainPage(page, locale)).resolves.toBe(words.unsubscribedTitle);
  if (shots) await screenshot(page, `${shots}-04-unsubscribed`);
  row = await subscription(email);
  expect(row).toMatchObject({ status: 'unsubscribed', unsubscribeReason: reason });
  expect(row.events.map((e: any) => e.action)).toEqual(['requested', 'confirmed', 'withdrawn']);
  expect(row.events[2].evidence).toEqual({ method: 'page', list: 'default', previousStatus: 'subscribed', ...(reason ? { reason } : {}) });
  expect(row.events[2]).toMatchObject({ ipPrefix: '127.0.0.0/24' });

  // The link again: the page says so, with no button; nothing more is recorded.
  await page.goto(unsubscribeUrl);
  await expect(expectPlainPage(page, locale)).resolves.toBe(words.unsubscribedTitle);
  await expect(page.getByRole('button').count()).resolves.toBe(0);
  expect((await subscription(email)).events).toHaveLength(3);

  expect(errors).toEqual([]);
}

test('confirm and unsubscribe through the links of the received e-mail, in English', async () => {
  await roundTrip(
    'rower@northwind.example',
    'en',
    {
      subject: 'Please confirm your subscription',
      confirmTitle: 'Confirm your subscription',
      confirmButton: 'Confirm',
      confirmedTitle: 'Subscription confirmed',
      unsubscribeTitle: 'Unsubscribe',
      reasonLabel: 'Why are you leaving? (optional)',
      unsubscribeButton: 'Unsubscribe',
      unsubscribedTitle: 'You are unsubscribed',
    },
    'Too many e-mails, sorry',
    'newsletter-en'
  );
}, 60_000);

test("the pages speak the subscription's language (German), not the browser's (English)", async () => {
  await roundTrip(
    'ruderin@northwind.example',
    'de',
    {
      subject: 'Bitte bestätigen Sie Ihr Abonnement',
      confirmTitle: 'Abonnement bestätigen',
      confirmButton: 'Bestätigen',
      confirmedTitle: 'Abonnement bestätigt',
      unsubscribeTitle: 'Abbestellen',
      reasonLabel: 'Warum gehen Sie? (freiwillig)',
      unsubscribeButton: 'Abbestellen',
      unsubscribedTitle: 'Sie sind abgemeldet',
    },
    null,
    'newsletter-de'
  );
}, 60_000);
