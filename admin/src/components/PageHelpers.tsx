import * as React from 'react';
import { Page } from '@strapi/strapi/admin';

import { readPermission, type Area } from '../permissions';

/**
 * The page of one area, shown only to users holding the area's read action; anyone else gets
 * the admin's "no permission" page, also at a typed URL. `Content` mounts only then, so it never
 * asks the server for data the user may not read.
 */
export const readProtected = (area: Area, Content: React.ComponentType) => {
  const ProtectedPage = () => (
    <Page.Protect permissions={[readPermission(area)]}>
      <Content />
    </Page.Protect>
  );
  return ProtectedPage;
};

/**
 * What a page shows until it can show its data: Page.Error after a failed load (a notification
 * has given the server's reason), Page.Loading otherwise.
 */
export const PendingPage = ({ failed }: { failed: boolean }) => (failed ? <Page.Error /> : <Page.Loading />);
