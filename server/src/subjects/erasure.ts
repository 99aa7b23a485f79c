type Row = Record<string, any>;

/**
 * What an erasure keeps of a consent event's evidence: what proves it, nothing the person wrote.
 * The database guard of consent records (guards/consent-record.ts) lets evidence change only
 * into this form, so both read it from here.
 */
export const KEPT_EVIDENCE = ['list', 'method', 'previousStatus', 'erasedAt'] as const;
/** Of a sent message, only what identifies it: its text named the address. */
export const KEPT_MESSAGE = ['messageId', 'sha256'] as const;

export function erasedEvidence(evidence: Row | null | undefined, erasedAt: string): Row {
  const kept: Row = Object.fromEntries(Object.entries(evidence ?? {}).filter(([key]) => (KEPT_EVIDENCE as readonly string[]).includes(key)));
  if (evidence?.message && typeof evidence.message === 'object') {
    // The message's hash and id prove what was sent; its text (which named the address) goes.
    const { messageId, sha256 } = evidence.message;
    kept.message = { messageId: messageId ?? null, sha256: sha256 ?? null };
  }
  return { ...kept, erasedAt: kept.erasedAt ?? erasedAt };
}
