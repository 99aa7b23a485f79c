// Policy acceptance by signed-in users: which version a user must accept, by when, and the
// receipt of an acceptance. Pure (no Strapi): the service reads the rows, this decides.
import { canonicalJson, sha256Hex } from '../policy/canonical';
import type { ProofVerifier } from '../signing';

const DAY = 24 * 3600 * 1000;

/** A published version in force (one row per locale is read; these fields are shared). */
export interface VersionInForce {
  version: number;
  /** The hash of each locale of the version: a user accepts the text they were shown. */
  hashes: string[];
  /** The default locale's hash: the one `me` names. */
  hash: string;
  effectiveAt: string;
  materialChange: boolean;
}

/** What one required policy asks of every user now. */
export interface Requirement {
  slug: string;
  /** The version in force (null: none yet, nothing to accept). */
  current: VersionInForce | null;
  /**
   * The version a user must have accepted (this one or a later one): the latest version in force
   * whose change was material, or the first version. A non-material version never asks again.
   */
  target: { version: number; effectiveAt: string } | null;
  /** When users who have not accepted `target` lose access: its effectiveAt plus the grace days. */
  deadline: string | null;
}

/** Versions of one slug in force now, in any order → what it asks of users. */
export function requirementOf(slug: string, inForce: VersionInForce[], graceDays: number): Requirement {
  if (!inForce.length) return { slug, current: null, target: null, deadline: null };
  const sorted = [...inForce].sort((a, b) => a.version - b.version);
  const current = sorted[sorted.length - 1];
  const target = [...sorted].reverse().find((v) => v.materialChange) ?? sorted[0];
  return {
    slug,
    current,
    target: { version: target.version, effectiveAt: target.effectiveAt },
    deadline: new Date(new Date(target.effectiveAt).getTime() + graceDays * DAY).toISOString(),
  };
}

/** Whether a user whose latest accepted version is `accepted` (null: none) must accept now. */
export const mustAccept = (requirement: Requirement, accepted: number | null) =>
  requirement.target !== null && (accepted === null || accepted < requirement.target.version);

/** Whether that user is past the deadline (the route policy refuses them). */
export const isOverdue = (requirement: Requirement, accepted: number | null, now: number) =>
  mustAccept(requirement, accepted) && requirement.deadline !== null && now >= Date.parse(requirement.deadline);

/**
 * One acceptance per (user, slug, version), whatever races: the digest goes into a unique column.
 * `subjectRef` is the user's keyed pseudonym, so the digest says nothing of the user either.
 */
export const acceptanceKeyOf = (subjectRef: string, slug: string, version: number) => sha256Hex(`${subjectRef}\n${slug}\n${version}`);

/** What `POST /acceptances` answers and the user (or the site) may keep as proof. */
export interface AcceptanceReceipt {
  consentId: string;
  kind: 'policy';
  action: 'given';
  /** The keyed pseudonym of the user's documentId (never the e-mail). */
  subjectRef: string;
  policy: { slug: string; version: number; hash: string };
  givenAt: string;
  signature: string;
}

/** The receipt a stored record stands for. */
export const acceptanceReceiptOf = (row: Record<string, any>): AcceptanceReceipt => ({
  consentId: row.consentId,
  kind: 'policy',
  action: 'given',
  subjectRef: row.subjectRef,
  policy: { slug: row.policySlug, version: row.policyVersion, hash: row.policyHash },
  givenAt: row.givenAt,
  signature: row.signature,
});

/**
 * Signs who, what and when: not the IP prefix, user agent or source, which an erasure blanks
 * while the proof must outlive it.
 */
export const signAcceptance = (sign: (text: string) => string, body: Omit<AcceptanceReceipt, 'signature'>): AcceptanceReceipt => ({
  ...body,
  signature: sign(canonicalJson(body)),
});

export function acceptanceIsAuthentic(verify: ProofVerifier, receipt: AcceptanceReceipt): boolean {
  try {
    const { signature, ...body } = receipt;
    return verify('policy-acceptance', canonicalJson(body), signature, receipt.givenAt);
  } catch {
    return false;
  }
}
