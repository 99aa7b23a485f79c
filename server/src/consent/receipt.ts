// Receipts: what was recorded about a consent decision, signed so that the copy a browser keeps
// can be shown to be the one recorded and unaltered. Pure (signing/ only).
import { signJson, verifyJson } from '../signing';
import type { Receipt } from './types';

/** Everything a receipt's signature covers: every field but the signature. */
export const unsigned = (receipt: Receipt): Omit<Receipt, 'signature'> => {
  const { signature: _signature, ...rest } = receipt;
  return rest;
};

export const signReceipt = (key: string, body: Omit<Receipt, 'signature'>): Receipt => ({
  ...body,
  signature: signJson(key, 'consent-receipt', body),
});

/** Whether a receipt's signature was made by one of `keys` over exactly its other fields. */
export function receiptIsAuthentic(keys: readonly string[], receipt: Receipt): boolean {
  try {
    return verifyJson(keys, 'consent-receipt', unsigned(receipt), receipt.signature) >= 0;
  } catch {
    return false; // not JSON data (e.g. a number too large to be canonical)
  }
}
