import { Layouts, Page } from '@strapi/strapi/admin';
import { Navigate, Route, Routes } from 'react-router-dom';

import { PrivacyNav } from '../components/PrivacyNav';
import { READ_PERMISSIONS } from '../permissions';
import { BASE_PATH } from './routes';
import { AuditPage } from './AuditPage';
import { ConsentRecordPage } from './ConsentRecordPage';
import { ConsentsPage } from './ConsentsPage';
import { CookieRevisionPage } from './CookieRevisionPage';
import { CookiesPage } from './CookiesPage';
import { NewsletterPage } from './NewsletterPage';
import { NewsletterSubscriptionPage } from './NewsletterSubscriptionPage';
import { OverviewPage } from './OverviewPage';
import { PoliciesPage } from './PoliciesPage';
import { PolicyVersionPage } from './PolicyVersionPage';
import { SettingsPage } from './SettingsPage';
import { SubjectEvidencePage } from './SubjectEvidencePage';
import { SubjectsPage } from './SubjectsPage';

/**
 * The plugin's root, mounted by Strapi at /admin/plugins/privacy-centre/*. The outer guard
 * mirrors the menu entry (any read action); each page then checks its own area.
 */
const App = () => (
  <Page.Protect permissions={READ_PERMISSIONS}>
    <Layouts.Root sideNav={<PrivacyNav />}>
      <Routes>
        <Route index element={<OverviewPage />} />
        <Route path="policies" element={<PoliciesPage />} />
        <Route path="policies/:documentId" element={<PolicyVersionPage />} />
        <Route path="cookies" element={<CookiesPage />} />
        <Route path="cookies/revisions/:revision" element={<CookieRevisionPage />} />
        <Route path="consents" element={<ConsentsPage />} />
        <Route path="consents/:consentId" element={<ConsentRecordPage />} />
        <Route path="newsletter" element={<NewsletterPage />} />
        <Route path="newsletter/:documentId" element={<NewsletterSubscriptionPage />} />
        <Route path="subjects" element={<SubjectsPage />} />
        <Route path="subjects/evidence" element={<SubjectEvidencePage />} />
        <Route path="audit" element={<AuditPage />} />
        <Route path="settings" element={<SettingsPage />} />
        {/* An unknown sub-path (an old bookmark) goes to the overview rather than a blank page. */}
        <Route path="*" element={<Navigate to={BASE_PATH} replace />} />
      </Routes>
    </Layouts.Root>
  </Page.Protect>
);

export default App;
export { App };
