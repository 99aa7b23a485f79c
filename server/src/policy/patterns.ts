// The one definition of the names a policy is addressed by. Pure (no Node or Strapi APIs): the
// content-type schema, the services, the controllers, the fast path and the admin all import it.
// Every pattern is linear (no nested or overlapping quantifiers; tests/unit/redos.test.ts checks).

/** A policy document's slug: lowercase letters and digits in words joined by single dashes. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MAX_LENGTH = 64;
export const SLUG_RULE = 'slug must be lowercase letters, digits and dashes (at most 64), e.g. "privacy-policy"';

export const isSlug = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= SLUG_MAX_LENGTH && SLUG_PATTERN.test(value);

/** A locale code as Strapi's i18n writes them: "en", "fi", "pt-BR", "zh-Hans". */
export const LOCALE_PATTERN = /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;
/** The longest locale code Strapi's document service accepts. */
export const LOCALE_MAX_LENGTH = 35;
export const LOCALE_RULE = 'locale must be a locale code such as "en", "fi" or "pt-BR"';

export const isLocaleCode = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= LOCALE_MAX_LENGTH && LOCALE_PATTERN.test(value);

/** A published version's number in a URL: a positive whole number without leading zeros. */
export const VERSION_PATTERN = /^[1-9][0-9]{0,8}$/;

// An instant with an explicit zone, e.g. 2027-01-01T00:00:00Z or 2027-01-01T02:00:00.5+02:00.
// A zone is required: "2027-01-01T00:00" would be read in the server's own time zone.
const INSTANT_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

export const INSTANT_RULE = 'must be an ISO 8601 date-time with a time zone, e.g. 2027-01-01T00:00:00Z or 2027-01-01T00:00:00+02:00';

/** Parses an ISO 8601 instant with a zone; null for anything else (including 2027-02-30). */
export function parseInstant(value: unknown): Date | null {
  if (typeof value !== 'string' || value.length > 40) return null;
  const m = INSTANT_PATTERN.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((part) => Number(part ?? 0));
  const fraction = m[7] ?? '';
  const [sign, zoneHours, zoneMinutes] = [m[8], m[9], m[10]];
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 59) return null;
  if (sign && (Number(zoneHours) > 23 || Number(zoneMinutes) > 59)) return null;
  const local = Date.UTC(y, mo - 1, d, h, mi, s, Number(fraction.padEnd(3, '0').slice(0, 3)));
  // Date.UTC rolls 30 February over into March: the calendar day must survive the round trip.
  if (new Date(local).getUTCDate() !== d) return null;
  const offset = sign ? (sign === '+' ? 1 : -1) * (Number(zoneHours) * 60 + Number(zoneMinutes)) * 60_000 : 0;
  const instant = new Date(local - offset);
  // Stored as a fixed-width ISO string (see the schema), which sorts in time order for these years only.
  return instant.getTime() >= EARLIEST_INSTANT && instant.getTime() <= LATEST_INSTANT ? instant : null;
}

const EARLIEST_INSTANT = Date.UTC(2000, 0, 1);
const LATEST_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** An absolute http(s) URL, as the WHATWG URL parser reads it. */
export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 2048) return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/**
 * Text every database stores as it was sent: no NUL character (PostgreSQL refuses it) and no
 * lone UTF-16 surrogate (PostgreSQL and MySQL refuse it as invalid UTF-8).
 */
export const isCleanText = (value: unknown): boolean =>
  typeof value !== 'string' || (!value.includes('\u0000') && (value as string & { isWellFormed(): boolean }).isWellFormed());

export const CLEAN_TEXT_RULE = '${path} holds a NUL character or a broken UTF-16 surrogate';

/**
 * Orders strings by UTF-16 code units, the same on every server: `localeCompare` follows the
 * server's language (Estonian sorts z after s), which would change a frozen snapshot's order
 * and the order in which instances take locks.
 */
export const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
