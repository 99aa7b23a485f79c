// The links in the plugin's e-mails: stateless, signed tokens (HMAC-SHA256 with the plugin's
// secret; rotated secrets still verify), each for one purpose. Pure.
import { signText, verifyText, type Purpose } from '../signing';

export type TokenPurpose = 'confirm' | 'unsubscribe';

export interface TokenPayload {
  /** The subscription (its documentId). */
  s: string;
  /** The list. */
  l: string;
  /** Confirmation: the request it confirms (its requestedAt), and when the link expires (epoch s). */
  r?: string;
  e?: number;
}

const purposeOf = (purpose: TokenPurpose): Purpose => (purpose === 'confirm' ? 'newsletter-confirm' : 'newsletter-unsubscribe');

export function makeToken(key: string, purpose: TokenPurpose, payload: TokenPayload): string {
  const body = Buffer.from(JSON.stringify({ p: purpose, ...payload }), 'utf8').toString('base64url');
  return `${body}.${signText(key, purposeOf(purpose), body)}`;
}

export type TokenReading = { ok: true; payload: TokenPayload } | { ok: false; reason: 'malformed' | 'bad-signature' | 'wrong-purpose' | 'expired' };

/** Reads a token for one purpose, checking its signature against every key, then its expiry. */
export function readToken(keys: readonly string[], purpose: TokenPurpose, token: unknown, now = Date.now()): TokenReading {
  if (typeof token !== 'string' || token.length > 1024) return { ok: false, reason: 'malformed' };
  const dot = token.indexOf('.');
  if (dot < 1 || dot !== token.lastIndexOf('.')) return { ok: false, reason: 'malformed' };
  const body = token.slice(0, dot);
  let payload: TokenPayload & { p?: unknown };
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof payload !== 'object' || payload === null || typeof payload.s !== 'string' || typeof payload.l !== 'string') {
    return { ok: false, reason: 'malformed' };
  }
  if (payload.p !== purpose) {
    // Still say "wrong purpose" only for a genuine token, so a forgery learns nothing.
    const other: TokenPurpose = purpose === 'confirm' ? 'unsubscribe' : 'confirm';
    return verifyText(keys, purposeOf(other), body, token.slice(dot + 1)) >= 0
      ? { ok: false, reason: 'wrong-purpose' }
      : { ok: false, reason: 'bad-signature' };
  }
  if (verifyText(keys, purposeOf(purpose), body, token.slice(dot + 1)) < 0) return { ok: false, reason: 'bad-signature' };
  if (purpose === 'confirm' && (typeof payload.e !== 'number' || payload.e * 1000 < now)) return { ok: false, reason: 'expired' };
  const { p: _p, ...rest } = payload;
  return { ok: true, payload: rest };
}

/**
 * A message text with every link token's signature withheld (`token=<payload>.…`): what the
 * admin shows of a confirmation message as sent. The stored evidence keeps the whole text and
 * the SHA-256 of the message, so the proof is intact; but an administrator who may only read
 * must not get working links that confirm or unsubscribe someone else.
 */
export function withholdTokenSignatures(text: string): string {
  return text.replace(/(token=[A-Za-z0-9_-]{1,4096}\.)[A-Za-z0-9_-]+/g, '$1…');
}
