// The privacy policy, rendered from the plugin with the typed client: the version in force, its
// effective date, its sections, and the changelog of every version.
import { createPrivacyCentre } from 'strapi-plugin-privacy-centre/client';
import { STRAPI_URL, esc, failure, formatDate, locale, show } from './site.js';

const pc = createPrivacyCentre({ url: STRAPI_URL });
const SLUG = 'privacy-policy';

try {
  const [policy, versions] = await Promise.all([pc.policies.current(SLUG, { locale }), pc.policies.versions(SLUG)]);
  // Newest first; a version that failed its integrity check is listed by number only.
  const changelog = versions.versions
    .map(
      (v) => `<tr><td>${esc(v.version)}</td><td>${v.effectiveAt ? esc(formatDate(v.effectiveAt)) : ''}</td><td>${esc(v.status ?? v.integrity ?? '')}</td>
        <td>${esc(v.summary ?? '')}${v.materialChange ? ' <strong>(material change)</strong>' : ''}</td></tr>`
    )
    .join('');
  show(`
    <h1>${esc(policy.title)}</h1>
    <p class="meta" id="policy-meta">Version <strong data-version>${esc(policy.version)}</strong>, in force since
      <time datetime="${esc(policy.effectiveAt)}">${esc(formatDate(policy.effectiveAt))}</time>${policy.fallback ? ` (shown in ${esc(policy.locale)}: no ${esc(locale)} text)` : ''}.</p>
    ${policy.summary ? `<p class="lead">${esc(policy.summary)}</p>` : ''}
    ${policy.sections.map((s) => `<section>${s.heading ? `<h2>${esc(s.heading)}</h2>` : ''}${s.html}</section>`).join('\n')}
    <div class="card">
      <h2>Changelog</h2>
      <table><thead><tr><th>Version</th><th>In force from</th><th>Status</th><th>What changed</th></tr></thead><tbody>${changelog}</tbody></table>
    </div>`);
} catch (error) {
  show(failure(error));
}
