import type { ConsentFilters } from '../api';

/** The filters the consent log keeps in its URL, in the order the form shows them. */
export const FILTER_KEYS = ['from', 'to', 'action', 'category', 'granted', 'gpc', 'revision'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

/** The filters in a URL's query (dates as the browser's calendar days, YYYY-MM-DD). */
export const readFilters = (params: URLSearchParams): ConsentFilters =>
  Object.fromEntries(FILTER_KEYS.map((key) => [key, params.get(key) ?? '']).filter(([, value]) => value !== ''));

/**
 * The query the server takes: a day typed as "from" starts at local midnight, one typed as "to"
 * ends at its last millisecond, both sent as ISO instants (the server wants a zone). A category
 * is granted or refused only together with a category. Built here and encoded, because the admin's
 * fetch client joins `params` without encoding them (a `+` in a zone would arrive as a space).
 */
export const consentQuery = (filters: ConsentFilters, extra: Record<string, string | number> = {}) => {
  const query = new URLSearchParams();
  const instant = (day: string, time: string) => {
    const date = new Date(`${day}T${time}`);
    return Number.isNaN(date.getTime()) ? null : date.toISOString();
  };
  const from = filters.from ? instant(filters.from, '00:00:00.000') : null;
  const to = filters.to ? instant(filters.to, '23:59:59.999') : null;
  if (from) query.set('from', from);
  if (to) query.set('to', to);
  if (filters.action) query.set('action', filters.action);
  if (filters.category) {
    query.set('category', filters.category);
    if (filters.granted) query.set('granted', filters.granted);
  }
  if (filters.gpc) query.set('gpc', filters.gpc);
  if (filters.revision) query.set('revision', filters.revision);
  for (const [key, value] of Object.entries(extra)) query.set(key, String(value));
  return query.toString();
};
