// The evidence bundle: one self-contained JSON document that a third party can check with
// SHA-256 alone: each policy version's hash over its sealed content, each declaration revision's
// hash over its snapshot, and the bundle's own hash over the canonical JSON (RFC 8785) of its
// evidence. Pure.
import { hashContent } from '../policy/canonical';

export const BUNDLE_FORMAT = 'privacy-centre-evidence/1';

export interface EvidenceBundle {
  format: typeof BUNDLE_FORMAT;
  generatedAt: string;
  evidence: Record<string, any>;
  /** SHA-256 (hex) of the canonical JSON of `evidence`. */
  sha256: string;
}

export const bundleOf = (evidence: Record<string, any>, generatedAt = new Date().toISOString()): EvidenceBundle => ({
  format: BUNDLE_FORMAT,
  generatedAt,
  evidence,
  sha256: hashContent(evidence),
});

/** Checks every hash in a bundle; the problems found, none when it is intact. */
export function checkBundle(bundle: unknown): string[] {
  const problems: string[] = [];
  const b = bundle as EvidenceBundle;
  if (typeof b !== 'object' || b === null || b.format !== BUNDLE_FORMAT || typeof b.evidence !== 'object' || b.evidence === null) {
    return ['not an evidence bundle'];
  }
  try {
    if (hashContent(b.evidence) !== b.sha256) problems.push('the bundle was changed: its sha256 does not match its evidence');
  } catch {
    problems.push('the evidence is not JSON data');
  }
  for (const [index, entry] of (Array.isArray(b.evidence.records) ? b.evidence.records : []).entries()) {
    const { policy, declaration, record } = entry ?? {};
    if (policy) {
      if (hashContent(policy.content) !== policy.hash) problems.push(`record ${index}: the policy text does not match its hash`);
      if (record?.policy?.hash && record.policy.hash !== policy.hash) problems.push(`record ${index}: the record names another policy version`);
    }
    if (declaration) {
      const { revision, publishedAt, snapshot } = declaration;
      if (hashContent({ revision, publishedAt, snapshot }) !== declaration.hash) problems.push(`record ${index}: the declaration snapshot does not match its hash`);
      if (record?.declaration?.hash && record.declaration.hash !== declaration.hash) problems.push(`record ${index}: the record names another declaration revision`);
    }
  }
  return problems;
}
