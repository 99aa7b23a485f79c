import * as React from 'react';
import { FetchError, attemptTokenRefresh, useAuth } from '@strapi/strapi/admin';

import { fileNameFrom, saveFile } from '../utils/download';
import { useNotifyApiError } from './useApi';

/** Where the admin API is (the fetch client reads the same value). */
const backendURL = () => (window as unknown as { strapi: { backendURL: string } }).strapi.backendURL;

/**
 * Downloads the file a POST answers (the data-subject export and the evidence bundle: the person
 * is named in the body, never in a URL). The admin's fetch client parses every POST answer as
 * JSON and drops the headers, so this sends the request itself, with the admin's token, and hands
 * the bytes the server sent to the browser unchanged, under the server's file name. An expired
 * token is renewed once, as the fetch client would. The server audits every download.
 */
export const usePostDownload = () => {
  const token = useAuth('PrivacyCentre', (state) => state.token);
  const notifyError = useNotifyApiError();
  const [busy, setBusy] = React.useState<string | null>(null);

  const download = async (key: string, url: string, body: unknown, fallbackName: string) => {
    if (busy) return false;
    setBusy(key);
    try {
      const send = (bearer: string | null) =>
        fetch(`${backendURL()}${url}`, {
          method: 'POST',
          credentials: 'include',
          headers: { Accept: 'application/json', 'Content-Type': 'application/json', Authorization: `Bearer ${bearer}` },
          body: JSON.stringify(body),
        });
      let response = await send(token);
      if (response.status === 401) response = await send(await attemptTokenRefresh(token));
      if (!response.ok) {
        // Strapi's error shape, so the notification gives the server's own message.
        const answer = await response.json().catch(() => null);
        const error = new FetchError(answer?.error?.message ?? `${response.status} ${response.statusText}`, answer ? { data: answer } : undefined);
        error.status = response.status;
        throw error;
      }
      saveFile(await response.blob(), fileNameFrom(response.headers, fallbackName));
      return true;
    } catch (error) {
      notifyError(error);
      return false;
    } finally {
      setBusy(null);
    }
  };

  return { busy, download };
};
