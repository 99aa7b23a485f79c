// Consent records and receipts: pure shapes, shared by the server and the admin.
import type { ConsentMode } from '../cookies/types';

export type ConsentAction = 'given' | 'updated' | 'withdrawn';

/**
 * What `POST /api/privacy-centre/consents` answers (201) and the browser keeps: everything that
 * was recorded about the decision, signed (HMAC-SHA256 over the canonical JSON of every other
 * field, with the plugin's secret).
 */
export interface Receipt {
  consentId: string;
  subjectId: string;
  action: ConsentAction;
  /** Category key → granted. Required categories are always true. */
  state: Record<string, boolean>;
  consentMode: ConsentMode;
  /**
   * Whether the request carried `Sec-GPC: 1`, the categories that signal refused, and whether it
   * was honoured as the opt-out of sale/share an opt-out law makes it (absent on receipts from
   * before regions).
   */
  gpc: { signal: boolean; refused: string[]; honoured?: boolean };
  givenAt: string;
  expiresAt: string;
  previousConsentId: string | null;
  policy: { slug: string; version: number; hash: string } | null;
  declaration: { revision: number; hash: string };
  /** The jurisdiction the server resolved for the request and its model (absent before regions). */
  jurisdiction?: { code: string; model: 'opt-in' | 'opt-out' | 'notice' };
  signature: string;
}

/** `GET /api/privacy-centre/consents/:consentId`. */
export interface ConsentStatus {
  /** The receipt as recorded, without `subjectId` and `signature` (see services/consents `status`). */
  receipt: Omit<Receipt, 'subjectId' | 'signature'>;
  /** valid; expired (past expiresAt); superseded (a later decision replaced it); withdrawn. */
  status: 'valid' | 'expired' | 'superseded' | 'withdrawn';
  /** Whether the visitor must be asked again, and why. */
  askAgain: boolean;
  reasons: Array<'expired' | 'superseded' | 'withdrawn' | 'declaration-changed' | 'policy-changed'>;
  /** The current declaration revision and the policy version in force, for the frontend. */
  current: { declarationRevision: number | null; policyVersion: number | null };
}

/** `POST /consents/verify`. */
export interface ReceiptVerification {
  authentic: boolean;
  matchesRecord: boolean;
  reason: 'ok' | 'malformed' | 'bad-signature' | 'unknown-consent' | 'differs-from-record';
}

/** A consent record as the admin's consent log shows it (never shown publicly: IP prefix, user agent). */
export interface ConsentRecordView extends Omit<Receipt, 'signature'> {
  signature: string;
  ipPrefix: string | null;
  userAgent: string | null;
  source: string | null;
  language: string | null;
  /** How the frontend sent it: the plugin's shape, cookieconsent v3's or c15t's. */
  via: 'plugin' | 'cookieconsent' | 'c15t' | 'do-not-sell';
}

/** `GET /privacy-centre/consents/stats?from=&to=`: daily rollups. */
export interface ConsentStats {
  days: Array<{
    day: string;
    total: number;
    acceptedAll: number;
    refusedAll: number;
    chose: number;
    categories: Record<string, { granted: number; refused: number }>;
  }>;
}
