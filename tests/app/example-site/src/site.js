// What every page of the example site shares. STRAPI_URL is set when the demo bundles the pages
// (scripts/example-site.js): the Strapi the demo started.
export const STRAPI_URL = process.env.STRAPI_URL;

/** The page's language: ?lang=fi, else English. */
export const locale = new URLSearchParams(window.location.search).get('lang') === 'fi' ? 'fi' : 'en';
document.documentElement.lang = locale;
/** The page's own words in its language (the plugin's texts come localised from the API). */
export const t = (en, fi) => (locale === 'fi' ? fi : en);

const escapes = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Text for HTML: whatever an API answers is shown as text, never as markup. */
export const esc = (value) => String(value ?? '').replace(/[&<>"']/g, (c) => escapes[c]);

/** Replaces the page's live region. */
export const show = (html) => {
  document.getElementById('app').innerHTML = html;
};

/** An error as the page shows it: the plugin's message (PrivacyCentreError) or the network's. */
export const failure = (error) =>
  `<p class="error">${esc(error?.status ? `${error.status} ${error.name}: ${error.message}` : `Could not reach Strapi at ${STRAPI_URL}: ${error?.message ?? error}`)}</p>`;

export const formatDate = (iso) =>
  new Intl.DateTimeFormat(locale === 'fi' ? 'fi-FI' : 'en-GB', { dateStyle: 'long' }).format(new Date(iso));
