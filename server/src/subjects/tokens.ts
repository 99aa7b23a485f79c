// The signed link of a self-service request: HMAC-SHA256 with the plugin's secret (rotated
// secrets still verify), one purpose, expiring. Pure.
import { signText, verifyText } from '../signing';

export interface RequestToken {
  /** The request (its documentId). */
  r: string;
  /** When the link expires (epoch seconds). */
  e: number;
}

export function makeRequestToken(key: string, payload: RequestToken): string {
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${body}.${signText(key, 'subject-request', body)}`;
}

export type RequestTokenReading = { ok: true; payload: RequestToken } | { ok: false; reason: 'invalid' | 'expired' };

export function readRequestToken(keys: readonly string[], token: unknown, now = Date.now()): RequestTokenReading {
  if (typeof token !== 'string' || token.length > 512) return { ok: false, reason: 'invalid' };
  const dot = token.indexOf('.');
  if (dot < 1 || dot !== token.lastIndexOf('.')) return { ok: false, reason: 'invalid' };
  const body = token.slice(0, dot);
  if (verifyText(keys, 'subject-request', body, token.slice(dot + 1)) < 0) return { ok: false, reason: 'invalid' };
  let payload: RequestToken;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (typeof payload?.r !== 'string' || typeof payload.e !== 'number') return { ok: false, reason: 'invalid' };
  if (payload.e * 1000 < now) return { ok: false, reason: 'expired' };
  return { ok: true, payload: { r: payload.r, e: payload.e } };
}
