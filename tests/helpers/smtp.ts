import { createHash } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface ReceivedMail {
  /** The bytes as the SMTP server received them. */
  raw: Buffer;
  parsed: ParsedMail;
  envelopeTo: string[];
}

/**
 * A real SMTP server on loopback, keeping every message it receives. `refuse` (settable while it
 * runs) may answer a message with an SMTP error instead (e.g. 451: try again later); a refused
 * message is not kept.
 */
export async function startSmtp() {
  const received: ReceivedMail[] = [];
  const control: { refuse: (mail: ReceivedMail) => { code: number; message: string } | null } = { refuse: () => null };
  const waiting: Array<{ test: (m: ReceivedMail) => boolean; resolve: (m: ReceivedMail) => void }> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    // No reverse DNS lookup of 127.0.0.1 per connection (it can take a long time where DNS is slow).
    disableReverseLookup: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks);
        const mail = { raw, parsed: await simpleParser(raw), envelopeTo: session.envelope.rcptTo.map((r) => r.address) };
        const refusal = control.refuse(mail);
        if (refusal) {
          const error = new Error(refusal.message) as Error & { responseCode: number };
          error.responseCode = refusal.code;
          return callback(error);
        }
        received.push(mail);
        for (const w of [...waiting]) {
          if (w.test(mail)) {
            waiting.splice(waiting.indexOf(w), 1);
            w.resolve(mail);
          }
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    received,
    control,
    /** The next (or an already received) message to `address` matching `test`, within `ms`. */
    waitFor(address: string, test: (m: ReceivedMail) => boolean = () => true, ms = 15_000): Promise<ReceivedMail> {
      const match = (m: ReceivedMail) => m.envelopeTo.includes(address) && test(m);
      const found = received.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no message to ${address} within ${ms} ms`)), ms);
        waiting.push({ test: match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      });
    },
    messagesTo: (address: string) => received.filter((m) => m.envelopeTo.includes(address)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The message without the DKIM-Signature header the transport put on top of it. */
export function withoutDkimHeader(raw: Buffer): Buffer {
  const text = raw.toString('latin1');
  if (!/^DKIM-Signature:/i.test(text)) return raw;
  // The header and its folded continuation lines (starting with space or tab).
  let end = text.indexOf('\r\n');
  while (text[end + 2] === ' ' || text[end + 2] === '\t') end = text.indexOf('\r\n', end + 2);
  return Buffer.from(text.slice(end + 2), 'latin1');
}

/** A header of a raw message as sent (unfolded), or undefined: mailparser reshapes the List-* ones. */
export function rawHeader(raw: Buffer, name: string): string | undefined {
  const head = raw.toString('utf8').split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}
