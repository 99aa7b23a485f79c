import * as React from 'react';
import { useAPIErrorHandler, useNotification, type FetchError } from '@strapi/strapi/admin';

/**
 * Shows a failed admin API call as a danger notification with the server's own message
 * (`error.message` of Strapi's error JSON, e.g. "controller.email must be a valid email"), which
 * names what is wrong better than anything the page could guess.
 */
export const useNotifyApiError = () => {
  const { toggleNotification } = useNotification();
  const { formatAPIError } = useAPIErrorHandler();
  return React.useCallback(
    (error: unknown) => toggleNotification({ type: 'danger', message: formatAPIError(error as FetchError) }),
    [toggleNotification, formatAPIError]
  );
};

/**
 * Data a page loads from the admin API. `load` is re-run whenever its identity changes (wrap it
 * in useCallback with what it depends on) and by `reload()`; an answer that arrives after a newer
 * load started, or after the page is gone, is dropped. The previous data stays on screen while a
 * new load runs. On failure `failed` is set (until a later load succeeds) and the server's message is shown.
 */
export function useApiData<T>(load: () => Promise<T>) {
  const notifyError = useNotifyApiError();
  const [data, setData] = React.useState<T | null>(null);
  const [failed, setFailed] = React.useState(false);
  const latest = React.useRef(0);

  const reload = React.useCallback(() => {
    const call = ++latest.current;
    load()
      .then((value) => {
        if (call !== latest.current) return;
        setData(value);
        // A page that loads again (new filters, reload) recovers from an earlier failure.
        setFailed(false);
      })
      .catch((error) => {
        if (call !== latest.current) return;
        setFailed(true);
        notifyError(error);
      });
  }, [load, notifyError]);

  React.useEffect(() => {
    reload();
    // Unmounting (or a new `load`) makes every answer still on its way stale.
    return () => {
      latest.current += 1;
    };
  }, [reload]);

  return { data, setData, failed, reload };
}

/**
 * Sends a change to the admin API, one at a time: `run` does nothing while a call is busy. On
 * failure the server's message is shown and the user may try again.
 *
 * After a success, a dialog that closes or navigates away stays busy (`holdOnSuccess`), so it
 * cannot be sent twice while it goes; a page that stays open is free again.
 */
export const useApiAction = ({ holdOnSuccess = false }: { holdOnSuccess?: boolean } = {}) => {
  const notifyError = useNotifyApiError();
  const [isBusy, setIsBusy] = React.useState(false);

  const run = async (action: () => Promise<unknown>) => {
    if (isBusy) return;
    setIsBusy(true);
    try {
      await action();
      if (!holdOnSuccess) setIsBusy(false);
    } catch (error) {
      notifyError(error);
      setIsBusy(false);
    }
  };

  return { isBusy, run };
};
