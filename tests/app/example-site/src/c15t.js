// c15t's headless runtime in hosted mode, its backend being the plugin. c15t draws nothing: the
// banner is this page's, shown while c15t's state says `activeUI: 'banner'`.
import { getOrCreateConsentRuntime } from 'c15t';
import { STRAPI_URL, esc, locale, show } from './site.js';

const { consentStore } = getOrCreateConsentRuntime({
  mode: 'hosted',
  backendURL: `${STRAPI_URL}/api/privacy-centre/c15t`,
  consentCategories: ['necessary', 'functionality', 'measurement', 'marketing'],
  overrides: { language: locale },
});

const banner = document.createElement('div');
banner.id = 'c15t-banner';
banner.setAttribute('role', 'dialog');
banner.setAttribute('aria-labelledby', 'c15t-banner-title');
banner.hidden = true;
document.body.appendChild(banner);
const reopen = document.getElementById('c15t-reopen');
reopen.addEventListener('click', () => consentStore.getState().setActiveUI('banner', { force: true }));

/** c15t's texts for the page's language, filled by the backend's /init from the declaration. */
const texts = (state) => {
  const config = state.translationConfig ?? {};
  return config.translations?.[locale] ?? config.translations?.[config.defaultLanguage] ?? {};
};

const render = (state) => {
  const t = texts(state);
  banner.innerHTML = `
    <h2 id="c15t-banner-title">${esc(t.cookieBanner?.title ?? 'We value your privacy')}</h2>
    <p>${esc(t.cookieBanner?.description ?? 'This site uses cookies.')}</p>
    <div class="actions">
      <button type="button" data-save="all">${esc(t.common?.acceptAll ?? 'Accept all')}</button>
      <button type="button" class="secondary" data-save="necessary">${esc(t.common?.rejectAll ?? 'Reject all')}</button>
    </div>`;
  banner.hidden = state.activeUI !== 'banner';
  reopen.hidden = !state.hasConsented?.();
  const granted = Object.entries(state.consents ?? {}).filter(([, on]) => on).map(([key]) => key);
  const where = state.locationInfo ? `${state.locationInfo.countryCode ?? '?'}${state.locationInfo.regionCode ? `-${state.locationInfo.regionCode}` : ''}` : 'unknown';
  show(`
    <p>Jurisdiction: <strong>${esc(state.locationInfo?.jurisdiction ?? state.jurisdiction ?? 'unknown')}</strong> · location ${esc(where)} ·
      consent model: ${esc(state.model ?? 'unknown')}</p>
    <p>${state.hasConsented?.() ? `<span class="ok">Saved through the plugin. Granted: <strong>${esc(granted.join(', ') || 'none')}</strong>.</span>` : 'No choice saved yet.'}</p>`);
};

banner.addEventListener('click', (event) => {
  const choice = event.target.closest('[data-save]')?.dataset.save;
  if (choice) void consentStore.getState().saveConsents(choice);
});
consentStore.subscribe(render);
render(consentStore.getState());
