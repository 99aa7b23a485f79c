// What cookie discovery accepts as an observed name and page path. Pure: the contract's schemas,
// the intake and the tests share these, and the client may filter with the same patterns.

/** Names per report (cookies and storage keys together). */
export const MAX_NAMES_PER_REPORT = 200;
export const MAX_NAME_LENGTH = 128;
export const MAX_PATH_LENGTH = 512;

/**
 * The characters of an observed name: letters, digits and `_ - . : / [ ] % $ ! # * + ^ | ~ @`.
 * It holds every name of the Open Cookie Database but four (one with a space, one with a tab,
 * one with a soft hyphen: typing slips, and `Site History`), and the RFC 6265 token characters a
 * cookie name may hold, except `&` and `'` (markup). It leaves out `=`, `;`, `,`, whitespace,
 * quotes, `<`, `>`, `\`, `{`, `}`, `` ` `` and everything outside ASCII: a cookie name cannot hold
 * the first ones, and none of the rest names a real cookie, so markup or a `name=value` pair can
 * never be stored as a name.
 */
export const OBSERVED_NAME_PATTERN = /^[A-Za-z0-9_.:/[\]%$!#*+^|~@-]{1,128}$/;
export const OBSERVED_NAME_RULE =
  'each name must be 1–128 characters of letters, digits and _ - . : / [ ] % $ ! # * + ^ | ~ @ (names only, never values)';

/**
 * A run this long of base64 characters is a value (a token, an id) reported as a name: refused,
 * so that discovery never stores one. Real names with long ids put separators in them
 * (`_hjSessionUser_1234567`, `ai_session`, UUIDs), and none in the Open Cookie Database has such
 * a run.
 */
export const VALUE_RUN = /[A-Za-z0-9+/]{40,}/;
export const VALUE_RUN_RULE = 'a name holds a run of 40 or more letters and digits: that is a value, not a name (report names only)';

/**
 * A page path as `location.pathname` gives it: starts with one `/`, only the characters a URL
 * path holds unencoded (RFC 3986 pchar, without `'`), no query, no fragment, no dot segments
 * (browsers resolve them), at most 512 characters.
 */
export const PATH_PATTERN = /^\/(?!\/)[A-Za-z0-9\-._~!$&()*+,;=:@%/]*$/;
export const PATH_RULE =
  'path must be the page path as location.pathname gives it: starting with /, at most 512 characters, without query (?), fragment (#), spaces, dot segments, e-mail addresses or tokens';
const DOT_SEGMENT = /(?:^|\/)\.{1,2}(?:\/|$)/;
/**
 * What makes a path personal: an e-mail address (`/users/jane@example.com`, also `%40`; a bare
 * `/@handle` is a site's page) or a token (a run of 40 letters and digits within a segment, as
 * VALUE_RUN refuses in names; `/` separates here). Paths are kept as samples: such a one is
 * refused like a query string, never stored.
 */
const TOKEN_IN_PATH = /[A-Za-z0-9+]{40,}/;
/** A segment with something, then `@` (or `%40`), then a dot: read segment by segment, in linear time. */
const hasEmail = (path: string) =>
  path.split('/').some((segment) => {
    const at = segment.search(/@|%40/i);
    return at > 0 && segment.indexOf('.', at) > 0;
  });

export const isObservedName = (name: string) => OBSERVED_NAME_PATTERN.test(name) && !VALUE_RUN.test(name);
export const isPagePath = (path: string) =>
  path.length <= MAX_PATH_LENGTH && PATH_PATTERN.test(path) && !DOT_SEGMENT.test(path) && !hasEmail(path) && !TOKEN_IN_PATH.test(path);
