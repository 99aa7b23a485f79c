// The home page's cookie banner: cookieconsent v3, connected to the plugin in three lines
// (the README's snippet), plus a panel showing what was chosen.
import * as CookieConsent from 'vanilla-cookieconsent';
import { connectCookieConsent } from 'strapi-plugin-privacy-centre/cookieconsent';
import { STRAPI_URL, esc, failure, locale, show } from './site.js';

const showChoice = () => {
  const { acceptedCategories = [], rejectedCategories = [] } = CookieConsent.getUserPreferences();
  if (!CookieConsent.validConsent()) return show('<p class="meta">No choice yet: the banner is waiting.</p>');
  show(`<p class="ok">Recorded in Strapi. Accepted: <strong>${esc(acceptedCategories.join(', ') || 'none')}</strong>;
    refused: ${esc(rejectedCategories.join(', ') || 'none')}.</p>`);
};
window.addEventListener('cc:onConsent', showChoice);
window.addEventListener('cc:onChange', showChoice);

try {
  await connectCookieConsent(CookieConsent, { url: STRAPI_URL, locale });
  showChoice();
} catch (error) {
  show(failure(error));
}
