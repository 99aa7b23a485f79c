import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';

import { COOKIES_API, type CookiesResponse, type DiscoveryResponse, type RevisionsResponse } from '../api';
import { useApiData } from './useApi';

/**
 * The cookie declaration as editors have it now (`GET /cookies`, needs `cookies.read`): categories
 * in order, their cookies, the latest revision and what changed since it, with the i18n locales.
 */
export const useCookies = () => {
  const { get } = useFetchClient();
  const load = React.useCallback(async () => (await get<CookiesResponse>(COOKIES_API.cookies)).data, [get]);
  return useApiData(load);
};

/** Every published revision, newest first (`GET /cookies/revisions`, needs `cookies.read`). */
export const useRevisions = () => {
  const { get } = useFetchClient();
  const load = React.useCallback(async () => (await get<RevisionsResponse>(COOKIES_API.revisions)).data.data, [get]);
  return useApiData(load);
};

/** The Discovery tab over the last `days` days (`GET /cookies/discovery`, needs `cookies.read`). */
export const useDiscovery = (days: number) => {
  const { get } = useFetchClient();
  const load = React.useCallback(
    async () => (await get<DiscoveryResponse>(`${COOKIES_API.discovery}?days=${days}`)).data.data,
    [get, days]
  );
  return useApiData(load);
};
