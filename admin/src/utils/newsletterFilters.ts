import type { SubscriptionFilters } from '../api';

/** The filters the subscriber list keeps in its URL. */
export const SUBSCRIPTION_FILTER_KEYS = ['status', 'list', 'q'] as const;

export const readSubscriptionFilters = (params: URLSearchParams): SubscriptionFilters =>
  Object.fromEntries(
    SUBSCRIPTION_FILTER_KEYS.map((key) => [key, (params.get(key) ?? '').trim()]).filter(([, value]) => value !== '')
  );

/** The query the server takes (encoded here: the admin's fetch client does not encode `params`). */
export const subscriptionQuery = (filters: SubscriptionFilters, extra: Record<string, string | number> = {}) => {
  const query = new URLSearchParams();
  for (const key of SUBSCRIPTION_FILTER_KEYS) {
    const value = filters[key]?.trim();
    if (value) query.set(key, value);
  }
  for (const [key, value] of Object.entries(extra)) query.set(key, String(value));
  return query.toString();
};
