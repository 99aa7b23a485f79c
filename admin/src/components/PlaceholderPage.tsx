import { Page } from '@strapi/strapi/admin';

import { readPermission, type Area } from '../permissions';
import { AREA_PAGES } from '../pages/routes';
import { getTranslation } from '../utils/getTranslation';
import { AreaPage } from './AreaPage';
import { NotBuiltYet } from './NotBuiltYet';

/** English fallbacks; the translated texts are in translations/*.json under the same ids. */
const PLANNED: Record<string, { subtitle: string; planned: string }> = {
  subjects: {
    subtitle: 'Access, portability and erasure requests',
    planned:
      'Data-subject requests will be handled here: find everything stored about an email address, export it as JSON, or erase it.',
  },
};

/**
 * A page for an area whose feature is not built yet: guarded like the real page will be, and
 * saying honestly what will appear.
 */
export const PlaceholderPage = ({ area }: { area: Exclude<Area, 'policies' | 'cookies' | 'consents' | 'newsletter' | 'audit' | 'settings'> }) => {
  const page = AREA_PAGES.find((p) => p.area === area)!;
  return (
    <Page.Protect permissions={[readPermission(area)]}>
      <AreaPage
        id={area}
        title={page.label}
        subtitle={{ id: getTranslation(`page.${area}.subtitle`), defaultMessage: PLANNED[area].subtitle }}
      >
        <NotBuiltYet id={area} planned={{ id: getTranslation(`page.${area}.planned`), defaultMessage: PLANNED[area].planned }} />
      </AreaPage>
    </Page.Protect>
  );
};
