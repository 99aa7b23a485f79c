import * as React from 'react';
import { Button, Dialog } from '@strapi/design-system';
import { ConfirmDialog } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useBlocker, type BlockerFunction } from 'react-router-dom';

import { t } from '../utils/getTranslation';

/**
 * Keeps unsaved edits from being dropped without a word.
 *
 * - Reloading or closing the tab: the browser asks (`beforeunload`; browsers show their own text).
 * - Navigating inside the admin (a link, the side navigation, the main menu, Back): the returned
 *   `dialog` asks, through react-router's `useBlocker`. That needs a data router, which Strapi 5's
 *   admin is (`createBrowserRouter`); the plugin's pages are its descendant routes.
 *
 * Only leaving the page is stopped: a change of the query alone (the locale switcher keeps the
 * language in `?locale=`) stays on the page and keeps the edits. Call `allowLeaving()` before a
 * navigation that must not ask, e.g. after the draft itself was deleted.
 */
export const useUnsavedChangesGuard = (isDirty: boolean) => {
  const { formatMessage } = useIntl();
  const allowed = React.useRef(false);

  React.useEffect(() => {
    if (!isDirty) return undefined;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [isDirty]);

  const shouldBlock = React.useCallback<BlockerFunction>(
    ({ currentLocation, nextLocation }) => isDirty && !allowed.current && currentLocation.pathname !== nextLocation.pathname,
    [isDirty]
  );
  const blocker = useBlocker(shouldBlock);

  const allowLeaving = React.useCallback(() => {
    allowed.current = true;
  }, []);

  const dialog =
    blocker.state === 'blocked' ? (
      // Escape, the close button and "Stay" all keep the user on the page, edits intact.
      <Dialog.Root open onOpenChange={(open: boolean) => !open && blocker.reset()}>
        <ConfirmDialog
          title={formatMessage(t('policies.leave.title', 'Leave without saving?'))}
          startAction={
            <Dialog.Cancel>
              <Button fullWidth variant="tertiary" data-testid="privacy-centre-leave-stay">
                {formatMessage(t('policies.leave.stay', 'Stay and keep editing'))}
              </Button>
            </Dialog.Cancel>
          }
          endAction={
            <Button fullWidth variant="danger" onClick={() => blocker.proceed()} data-testid="privacy-centre-leave-confirm">
              {formatMessage(t('policies.leave.confirm', 'Leave without saving'))}
            </Button>
          }
        >
          {formatMessage(
            t('policies.leave.body', 'This draft has changes you have not saved. If you leave this page now, they are lost.')
          )}
        </ConfirmDialog>
      </Dialog.Root>
    ) : null;

  return { dialog, allowLeaving };
};
