// The evidence bundle: one self-contained JSON document that a third party can check with
// SHA-256 and the site's published keys alone: each policy version's hash over its sealed content,
// each declaration revision's hash over its snapshot, the bundle's own hash over the canonical JSON
// (RFC 8785) of its evidence, and Ed25519 signatures (receipts, newsletter events, policy seals,
// declaration revisions, the bundle itself) that the public keys at `GET /keys` check. Pure.
import { canonicalJson, hashContent } from '../policy/canonical';
import { sealedText } from '../policy/seal';
import { kidOfSignature, type ProofVerifier } from '../signing';
import { receiptIsAuthentic } from '../consent/receipt';

export const BUNDLE_FORMAT = 'privacy-centre-evidence/1';

export interface EvidenceBundle {
  format: typeof BUNDLE_FORMAT;
  generatedAt: string;
  evidence: Record<string, any>;
  /** SHA-256 (hex) of the canonical JSON of `evidence`. */
  sha256: string;
  /** Ed25519 (`kid.signature`) over the canonical JSON of `{format, generatedAt, sha256}`. */
  signature: string;
}

/** What the bundle's signature covers (its sha256 covers the evidence). */
export const bundleSigned = (bundle: Pick<EvidenceBundle, 'format' | 'generatedAt' | 'sha256'>) =>
  canonicalJson({ format: bundle.format, generatedAt: bundle.generatedAt, sha256: bundle.sha256 });

export function bundleOf(evidence: Record<string, any>, generatedAt: string, sign: (text: string) => string): EvidenceBundle {
  const unsigned = { format: BUNDLE_FORMAT, generatedAt, evidence, sha256: hashContent(evidence) } as const;
  return { ...unsigned, signature: sign(bundleSigned(unsigned)) };
}

/**
 * Checks every hash in a bundle, and with `verify` (the published keys) every signature; the
 * problems found, none when it is intact.
 */
export function checkBundle(bundle: unknown, verify?: ProofVerifier): string[] {
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
  // A signature made before 0.3 (an HMAC, no `kid.`) only the site can check: the bundle's own
  // signature vouches for the site's `authentic` verdict on it.
  const check = (signature: unknown, valid: () => boolean) => !verify || kidOfSignature(signature) === null || valid();
  // The bundle's own signature is always Ed25519 (bundles were never signed otherwise).
  if (verify && !verify('evidence-bundle', bundleSigned(b), b.signature)) {
    problems.push('the bundle signature does not verify with the published keys');
  }
  for (const [index, entry] of (Array.isArray(b.evidence.records) ? b.evidence.records : []).entries()) {
    const { policy, declaration, record, receipt } = entry ?? {};
    const signed = receipt?.signed;
    if (receipt && receipt.authentic !== true) problems.push(`record ${index}: the site found its signature does not verify`);
    if (verify && signed) {
      const valid =
        record?.kind === 'cookie'
          ? check(signed.signature, () => receiptIsAuthentic(verify, signed))
          : check(signed.signature, () => {
              const { signature, ...proof } = signed;
              return verify('newsletter-event', canonicalJson(proof), signature);
            });
      if (!valid) problems.push(`record ${index}: its signature does not verify with the published keys`);
      if (signed.consentId !== record?.consentId) problems.push(`record ${index}: the signed record is another one`);
    }
    if (verify && policy?.seal && !check(policy.seal.signature, () => verify('policy-version', sealedText(policy.hash, policy.seal.lifecycle), policy.seal.signature))) {
      problems.push(`record ${index}: the policy version's seal does not verify with the published keys`);
    }
    if (verify && declaration && !check(declaration.signature, () => verify('cookie-declaration', declaration.hash, declaration.signature))) {
      problems.push(`record ${index}: the declaration revision's signature does not verify with the published keys`);
    }
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
