import { createHash, randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
// nodemailer's composer builds the exact MIME message, so that what is kept as evidence (its
// Message-ID and SHA-256) is what is sent; Strapi's email plugin then sends those bytes (`raw`).
import MailComposer from 'nodemailer/lib/mail-composer';
import { escapeHtml, fill, type EmailTemplate } from '../newsletter/texts';

export interface ComposedMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  messageId: string;
  /** SHA-256 (hex) of the whole message as composed: the bytes handed to the email plugin. */
  sha256: string;
  raw: Buffer;
  headers: Record<string, string>;
}

/** Text to HTML: escaped, line breaks kept, links made clickable. */
const htmlOf = (text: string) =>
  `<div style="font-family:system-ui,sans-serif;line-height:1.5">${escapeHtml(text)
    .replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`)
    .replace(/\n/g, '<br>\n')}</div>`;

/** The address part of a sender (`Name <a@b.c>` → `a@b.c`). */
const addressOf = (sender: string) => {
  const open = sender.lastIndexOf('<');
  return open >= 0 ? sender.slice(open + 1, sender.lastIndexOf('>')) : sender.trim();
};

/**
 * Composes and sends the plugin's e-mails through Strapi's email plugin, so any provider works.
 * With the nodemailer provider (SMTP) the exact composed bytes are sent; with a provider that
 * takes no raw MIME, it builds its own message from the same subject, text, html and headers, and
 * the evidence describes the message as composed.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async compose(input: {
    from: string;
    to: string;
    template: EmailTemplate;
    values: Record<string, string>;
    headers: Record<string, string>;
    /** Files sent along (a data-subject's export). */
    attachments?: Array<{ filename: string; content: string | Buffer; contentType: string }>;
  }): Promise<ComposedMessage> {
    const subject = fill(input.template.subject, input.values).replace(/[\r\n]+/g, ' ');
    const text = fill(input.template.text, input.values);
    const domain = addressOf(input.from).split('@')[1] || 'localhost';
    const messageId = `<${randomBytes(12).toString('hex')}@${domain}>`;
    const raw: Buffer = await new Promise((resolve, reject) =>
      new MailComposer({
        from: input.from,
        to: input.to,
        subject,
        text,
        html: htmlOf(text),
        messageId,
        date: new Date(),
        headers: input.headers,
        attachments: input.attachments,
      })
        .compile()
        .build((error: Error | null, message: Buffer) =>
          // SMTP sends every line ending as CRLF: the bytes kept as evidence are the ones that travel.
          error ? reject(error) : resolve(Buffer.from(message.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1'))
        )
    );
    return {
      from: input.from,
      to: input.to,
      subject,
      text,
      messageId,
      sha256: createHash('sha256').update(raw).digest('hex'),
      raw,
      headers: input.headers,
    };
  },

  /** Hands a composed message to Strapi's email plugin. */
  async send(message: ComposedMessage) {
    await strapi.plugin('email').service('email').send({
      from: message.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: htmlOf(message.text),
      headers: message.headers,
      messageId: message.messageId,
      raw: message.raw,
      envelope: { from: addressOf(message.from), to: [message.to] },
    });
  },

  /** The sender: the newsletter's own, else the email plugin's default. */
  defaultSender(configured: string): string {
    if (configured) return configured;
    const settings = strapi.config.get('plugin::email.settings') as { defaultFrom?: string } | undefined;
    return settings?.defaultFrom || 'no-reply@localhost';
  },
});
