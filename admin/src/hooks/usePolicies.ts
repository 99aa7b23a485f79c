import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';

import { API, type PoliciesResponse } from '../api';
import { useApiData } from './useApi';

/**
 * Every policy document with its versions (`GET /policies`, needs `policies.read`). Mount it
 * only for users holding that action: it asks the server at once.
 */
export const usePolicies = () => {
  const { get } = useFetchClient();
  const load = React.useCallback(async () => (await get<PoliciesResponse>(API.policies)).data, [get]);
  return useApiData(load);
};
