// The home page's cookie banner: cookieconsent v3 connected to the plugin as the README shows
// (three lines), plus a panel with the visitor's choice and the receipt the plugin signed for it.
// Every page view reports to cookie discovery here (a site keeps the default: one in ten).
import * as CookieConsent from 'vanilla-cookieconsent';
import { connectCookieConsent } from 'strapi-plugin-privacy-centre/cookieconsent';
import { STRAPI_URL, esc, failure, locale, show } from './site.js';

let connection = null;

/**
 * The choice, and its receipt (the adapter keeps it). After a new decision, waits for the
 * plugin's answer: the adapter records it after cookieconsent's own callback.
 */
const showChoice = async (decided) => {
  if (!CookieConsent.validConsent()) return show('<p class="meta">No choice yet: the banner is waiting.</p>');
  const { acceptedCategories = [], rejectedCategories = [] } = CookieConsent.getUserPreferences();
  const choice = `Accepted: <strong>${esc(acceptedCategories.join(', ') || 'none')}</strong>; refused: ${esc(rejectedCategories.join(', ') || 'none')}.`;
  const before = connection?.receipt()?.consentId ?? null;
  show(`<p class="meta">${choice} Recording…</p>`);
  for (let i = 0; decided && i < 50 && (connection?.receipt()?.consentId ?? null) === before; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const receipt = connection?.receipt();
  show(
    receipt
      ? `<p class="ok">${choice} Recorded in Strapi: receipt <a href="${esc(`${STRAPI_URL}/api/privacy-centre/consents/${receipt.consentId}`)}"><code>${esc(receipt.consentId)}</code></a>
         (${esc(receipt.action)}, ${esc(new Date(receipt.givenAt).toLocaleString())}), signed by the plugin.</p>`
      : `<p class="meta">${choice}</p>`
  );
};
window.addEventListener('cc:onConsent', () => void showChoice(true));
window.addEventListener('cc:onChange', () => void showChoice(true));

// A stray tag, as sites have: it sets a cookie the declaration does not name, before any choice.
// Cookie discovery reports it, and the admin's Cookies → Discovery tab lists it as undeclared,
// with the Open Cookie Database's suggestion (Hotjar).
document.cookie = '_hjid=demo-visitor; path=/; max-age=3600; samesite=lax';

try {
  connection = await connectCookieConsent(CookieConsent, {
    url: STRAPI_URL,
    locale,
    discovery: { sampleRate: 1 },
    onError: (error) => show(failure(error)),
  });
  await showChoice(false);
} catch (error) {
  show(failure(error));
}
