import * as React from 'react';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { API, type RegionsResponse, type RegionTable } from '../api';
import { t } from '../utils/getTranslation';
import { sameTable, tableToSave } from '../utils/regions';
import { useApiData, useNotifyApiError } from './useApi';

/** The server's message, split into its problems ("a; b" → [a, b]). */
const problemsOf = (error: unknown): string[] => {
  const message = (error as any)?.response?.data?.error?.message;
  return typeof message === 'string' && message ? message.split('; ') : [];
};

/**
 * Settings → Regions: the table as saved and as edited, and the calls that save or reset it.
 * Kept by the settings page (its header holds Save and Reset, and switching tabs keeps the edits);
 * the saved table is loaded only while `enabled` (the Regions tab is open), afresh each time.
 */
export const useRegionsEditor = (enabled: boolean, canUpdate: boolean) => {
  const { formatMessage } = useIntl();
  const { get, put, del } = useFetchClient();
  const { toggleNotification } = useNotification();
  const notifyError = useNotifyApiError();
  const load = React.useCallback(async () => (enabled ? (await get<RegionsResponse>(API.regions)).data.data : null), [enabled, get]);
  const { data: saved, setData: setSaved, failed } = useApiData(load);
  const [edits, setEdits] = React.useState<RegionTable | null>(null);
  const [problems, setProblems] = React.useState<string[]>([]);
  const [isBusy, setIsBusy] = React.useState(false);

  const table = edits ?? saved?.table ?? null;
  const isDirty = Boolean(saved && edits && !sameTable(edits, saved.table, saved.jurisdictions));
  /** An edit that brings the table back to what is saved is no edit. */
  const edit = (next: RegionTable) => saved && setEdits(sameTable(next, saved.table, saved.jurisdictions) ? null : next);

  const send = async (action: () => Promise<{ data: RegionsResponse }>, done: string) => {
    if (!canUpdate || isBusy) return;
    setIsBusy(true);
    try {
      const { data } = await action();
      setSaved(data.data);
      setProblems([]);
      setEdits(null);
      toggleNotification({ type: 'success', message: done });
    } catch (error) {
      setProblems(problemsOf(error));
      notifyError(error);
    } finally {
      setIsBusy(false);
    }
  };

  return {
    saved,
    failed,
    table,
    isDirty,
    isBusy,
    problems,
    edit,
    discard: () => {
      setEdits(null);
      setProblems([]);
    },
    save: () =>
      saved && table
        ? send(() => put<RegionsResponse>(API.regions, tableToSave(table, saved.jurisdictions)), formatMessage(t('regions.saved', 'Regions saved')))
        : undefined,
    reset: () => send(() => del<RegionsResponse>(API.regions), formatMessage(t('regions.reset.done', 'Regions reset to the defaults'))),
  };
};

export type RegionsEditor = ReturnType<typeof useRegionsEditor>;
