// E-mail addresses as the newsletter keeps them. Pure; the admin may import it.
import isEmail from 'validator/lib/isEmail';

export const EMAIL_MAX_LENGTH = 254;

/**
 * The address as stored and compared: trimmed, its domain lower-cased (the local part is the
 * mailbox owner's and stays as given), or null when it is not an address validator.js accepts
 * (at most 254 characters, a domain with a TLD, no display name) or when it has a quoted local
 * part, whitespace, a control character or one of `" \ < > , ; ( ) [ ]`.
 */
export function normaliseEmail(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  const trimmed = input.trim();
  if (!trimmed || trimmed.length > EMAIL_MAX_LENGTH) return null;
  // validator.js accepts quoted local parts, whose quotes may hold CR, LF, commas and angle
  // brackets: header and recipient-list injection for any provider that does not re-encode them.
  // Nobody subscribes with one; control characters and whitespace are refused outright.
  if (/["\\\s<>,;()\[\]\u0000-\u001f\u007f]/.test(trimmed)) return null;
  const at = trimmed.lastIndexOf('@');
  if (at < 1) return null;
  const email = `${trimmed.slice(0, at)}@${trimmed.slice(at + 1).toLowerCase()}`;
  return isEmail(email, { allow_display_name: false, require_tld: true, allow_ip_domain: false, allow_utf8_local_part: true })
    ? email
    : null;
}

/**
 * Text for a log line or an error shown to an administrator, with every e-mail address in it
 * replaced (SMTP servers quote the recipient when they refuse a message).
 */
export const withoutAddresses = (text: string) => replaceAddresses(text, () => '<address>');

/**
 * `text` with every piece that may hold an address (anything with an @ between whitespace and
 * the characters that surround an address in a message or a header) replaced by `by(piece)`.
 * Linear, whatever the text (no backtracking pattern).
 */
export const replaceAddresses = (text: string, by: (piece: string) => string) =>
  text
    .split(/([\s<>"'(),;:[\]]+)/)
    .map((piece) => (piece.includes('@') ? by(piece) : piece))
    .join('');

/**
 * A bare addr-spec (`local@domain.tld`) and nothing else, as it goes into a header or a
 * `mailto:` URI: the rules of `normaliseEmail` (no display name, angle brackets, commas,
 * semicolons, quotes, whitespace or control characters), with no space around it either. A
 * value such as `x@evil.example>,<https://evil.example/u` would otherwise add a target of its own
 * to every `List-Unsubscribe`.
 */
export const isAddrSpec = (value: unknown): value is string =>
  typeof value === 'string' && value === value.trim() && normaliseEmail(value) !== null;

/**
 * An addr-spec as the address of a `mailto:` URI (RFC 6068): characters a URI may not hold, and
 * `?`, `#` and `&`, which would start its header fields or a fragment, percent-encoded.
 */
export const mailtoAddress = (address: string) => encodeURI(address).replace(/[?#&]/g, (c) => encodeURIComponent(c));
