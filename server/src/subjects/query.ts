// What an administrator typed into "find a person": an e-mail address, a subjectId, a consentId
// or a pasted receipt. Pure.
import { normaliseEmail } from '../newsletter/email';

export type SubjectQuery =
  | { kind: 'email'; email: string }
  | { kind: 'id'; id: string }
  | { kind: 'receipt'; consentId: string; receipt: Record<string, unknown> };

const ID = /^[A-Za-z0-9_-]{8,64}$/;

/** Reads a query, or returns a sentence saying what is wrong with it. */
export function parseSubjectQuery(input: unknown): SubjectQuery | string {
  let value = input;
  if (typeof value === 'string') {
    const text = value.trim();
    if (!text) return 'query must not be empty';
    if (text.length > 20_000) return 'query is too long';
    if (text.startsWith('{')) {
      try {
        value = JSON.parse(text);
      } catch {
        return 'query looks like a receipt but is not valid JSON';
      }
    } else if (text.includes('@')) {
      const email = normaliseEmail(text);
      return email ? { kind: 'email', email } : 'query is not a valid e-mail address';
    } else {
      return ID.test(text) ? { kind: 'id', id: text } : 'query must be an e-mail address, a subjectId, a consentId or a receipt';
    }
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const receipt = value as Record<string, unknown>;
    if (typeof receipt.consentId === 'string' && ID.test(receipt.consentId)) return { kind: 'receipt', consentId: receipt.consentId, receipt };
    return 'a receipt must carry a consentId';
  }
  return 'query must be an e-mail address, a subjectId, a consentId or a receipt';
}
