/**
 * The page script of the c15t browser test (bundled by esbuild in the test): c15t's real
 * headless runtime in hosted mode, pointed at the plugin, and a minimal banner drawn from the
 * runtime's state. The backend URL is the page's `window.C15T_BACKEND_URL`.
 */
import { getOrCreateConsentRuntime } from 'c15t';

const backendURL = window.C15T_BACKEND_URL;
const { consentStore } = getOrCreateConsentRuntime({ mode: 'hosted', backendURL });
window.c15tStore = consentStore;

const root = document.getElementById("consent-banner");

function render() {
  const state = consentStore.getState();
  if (state.activeUI !== 'banner') {
    root.hidden = true;
    root.replaceChildren();
    return;
  }
  const config = state.translationConfig;
  const texts = config.translations[config.defaultLanguage] ?? config.translations.en;
  const title = document.createElement('h2');
  title.textContent = texts.cookieBanner.title;
  const description = document.createElement('p');
  description.textContent = texts.cookieBanner.description;
  const list = document.createElement('ul');
  for (const name of state.consentCategories) {
    const item = document.createElement('li');
    item.dataset.type = name;
    item.textContent = texts.consentTypes[name]?.title ?? name;
    list.append(item);
  }
  const accept = document.createElement('button');
  accept.type = 'button';
  accept.textContent = texts.common.acceptAll;
  accept.onclick = () => void state.saveConsents('all', { uiSource: 'banner' });
  const necessary = document.createElement('button');
  necessary.type = 'button';
  necessary.textContent = texts.common.rejectAll;
  necessary.onclick = () => void state.saveConsents('necessary', { uiSource: 'banner' });
  root.replaceChildren(title, description, list, accept, necessary);
  root.dataset.language = config.defaultLanguage;
  root.hidden = false;
}

consentStore.subscribe(render);
render();
