/**
 * What the regions tests share: the trusted headers of a site behind a CDN (Cloudflare's
 * country header, a subdivision header), a visitor from California and one from Germany, and
 * requests carrying such headers.
 */
export const TRUSTED_HEADERS = { countryHeaders: ['CF-IPCountry'], regionHeaders: ['CF-Region'] };
/** `PRIVACY_CENTRE_EXTRA_CONFIG` for a test app that trusts TRUSTED_HEADERS. */
export const trustedHeadersConfig = (regions: Record<string, unknown> = {}) =>
  JSON.stringify({ regions: { ...TRUSTED_HEADERS, ...regions } });

export const CALIFORNIA = { 'CF-IPCountry': 'US', 'CF-Region': 'CA' };
export const GERMANY = { 'CF-IPCountry': 'DE' };

/** A supertest request with these headers set (a value may repeat the header). */
export const withHeaders = <T extends { set(name: string, value: string | string[]): T }>(
  request: T,
  headers: Record<string, string | string[]>
): T => {
  for (const [name, value] of Object.entries(headers)) request.set(name, value);
  return request;
};
