import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';

import {
  API,
  type PoliciesResponse,
  type PolicyDocument,
  type PolicyLocales,
  type PolicyVersion,
  type PolicyVersionResponse,
} from '../api';
import { useApiData } from './useApi';

/** What a version's page needs: the version, the locales, its slug's entry and the version in force. */
export interface LoadedVersion {
  version: PolicyVersion;
  locales: PolicyLocales;
  /** The slug's entry in the list: its versions (for the next number) and the one in force. */
  doc: PolicyDocument | undefined;
  inForce: PolicyVersion | null;
}

/**
 * One version (`GET /policies/versions/:documentId`) with what its page compares it with: the
 * slug's versions and the version in force (`GET /policies`, then that version unless it is this one).
 */
export const usePolicyVersion = (documentId: string) => {
  const { get } = useFetchClient();
  const load = React.useCallback(async (): Promise<LoadedVersion> => {
    const [{ data: one }, { data: list }] = await Promise.all([
      get<PolicyVersionResponse>(API.policyVersion(documentId)),
      get<PoliciesResponse>(API.policies),
    ]);
    const version = one.data;
    const doc = list.data.find((d) => d.slug === version.slug);
    const inForceId = doc?.inForceDocumentId ?? null;
    let inForce: PolicyVersion | null = null;
    if (inForceId === version.documentId) inForce = version;
    else if (inForceId) inForce = (await get<PolicyVersionResponse>(API.policyVersion(inForceId))).data.data;
    return { version, locales: list.meta, doc, inForce };
  }, [documentId, get]);
  return useApiData(load);
};

/**
 * The translation to show: the one asked for in the URL if the site has that locale, else the
 * default locale if the version has it, else the version's first.
 */
export const chooseLocale = ({ version, locales }: LoadedVersion, wanted: string | null) => {
  if (wanted && locales.codes.includes(wanted)) return wanted;
  if (version.locales[locales.defaultLocale]) return locales.defaultLocale;
  return Object.keys(version.locales)[0] ?? locales.defaultLocale;
};
