// The newsletter form: one call to the client. The plugin answers the same 202 whatever the
// address (nobody learns who subscribes) and mails a confirmation link (double opt-in).
import { createPrivacyCentre } from 'strapi-plugin-privacy-centre/client';
import { STRAPI_URL, esc, failure, locale, show } from './site.js';

const pc = createPrivacyCentre({ url: STRAPI_URL });
const form = document.getElementById('subscribe');

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const email = form.elements.email.value.trim();
  const button = form.querySelector('button');
  button.disabled = true;
  try {
    await pc.newsletter.subscribe({ email, locale, source: window.location.href });
    show(`<p class="ok">Thank you. If <strong>${esc(email)}</strong> can receive the newsletter, a message with a confirmation link is on its way.</p>`);
    form.reset();
  } catch (error) {
    show(failure(error));
  } finally {
    button.disabled = false;
  }
});
