import { Page } from '@strapi/strapi/admin';

import { AreaPage } from '../components/AreaPage';
import { NotBuiltYet } from '../components/NotBuiltYet';
import { READ_PERMISSIONS } from '../permissions';
import { getTranslation } from '../utils/getTranslation';

/**
 * The landing page. It is guarded by ANY of the plugin's read actions, the same rule as the
 * menu entry: whoever can open the plugin lands here rather than on a "no permission" page.
 * It must therefore never show an area's data by itself; each summary added later is shown
 * only when the user also holds that area's read action.
 */
const OverviewPage = () => (
  <Page.Protect permissions={READ_PERMISSIONS}>
    <AreaPage
      id="overview"
      title={{ id: getTranslation('page.overview.title'), defaultMessage: 'Overview' }}
      subtitle={{ id: getTranslation('page.overview.subtitle'), defaultMessage: 'Privacy policies, consent and subscribers at a glance' }}
    >
      <NotBuiltYet
        id="overview"
        planned={{
          id: getTranslation('page.overview.planned'),
          defaultMessage:
            'This page will show the policy in force and the next scheduled one, consent rates by cookie category over time, and the trend of newsletter subscribers.',
        }}
      />
    </AreaPage>
  </Page.Protect>
);

export { OverviewPage };
