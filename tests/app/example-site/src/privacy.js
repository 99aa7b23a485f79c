// The privacy policy, rendered from the plugin with the typed client: the version in force, its
// effective date, its sections, and the changelog of every version.
import { createPrivacyCentre } from 'strapi-plugin-privacy-centre/client';
import { STRAPI_URL, esc, failure, formatDate, locale, show, t } from './site.js';

const pc = createPrivacyCentre({ url: STRAPI_URL });
const SLUG = 'privacy-policy';

try {
  const [policy, versions] = await Promise.all([pc.policies.current(SLUG, { locale }), pc.policies.versions(SLUG)]);
  // Newest first; a version that failed its integrity check is listed by number only.
  const changelog = versions.versions
    .map(
      (v) => `<tr><td>${esc(v.version)}</td><td>${v.effectiveAt ? esc(formatDate(v.effectiveAt)) : ''}</td><td>${esc(v.status ?? v.integrity ?? '')}</td>
        <td>${esc(v.summary ?? '')}${v.materialChange ? ` <strong>(${t('material change', 'olennainen muutos')})</strong>` : ''}</td></tr>`
    )
    .join('');
  show(`
    <h1>${esc(policy.title)}</h1>
    <p class="meta" id="policy-meta">${t('Version', 'Versio')} <strong data-version>${esc(policy.version)}</strong>, ${t('in force since', 'voimassa alkaen')}
      <time datetime="${esc(policy.effectiveAt)}">${esc(formatDate(policy.effectiveAt))}</time>${policy.fallback ? ` (${esc(policy.locale)})` : ''}.</p>
    ${policy.summary ? `<p class="lead">${esc(policy.summary)}</p>` : ''}
    ${policy.sections.map((s) => `<section>${s.heading ? `<h2>${esc(s.heading)}</h2>` : ''}${s.html}</section>`).join('\n')}
    <div class="card">
      <h2>${t('Changelog', 'Muutoshistoria')}</h2>
      <table><thead><tr><th>${t('Version', 'Versio')}</th><th>${t('In force from', 'Voimassa alkaen')}</th><th>${t('Status', 'Tila')}</th><th>${t('What changed', 'Mitä muuttui')}</th></tr></thead><tbody>${changelog}</tbody></table>
    </div>`);
} catch (error) {
  show(failure(error));
}
