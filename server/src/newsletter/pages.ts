// The small pages behind the links in the plugin's e-mails: one message and at most one button,
// no script, readable without CSS, in the visitor's language. Pure.
import { escapeHtml, fill, PAGE_TEXTS, textLocale } from './texts';

export interface PageForm {
  /** Where the button posts (same origin). */
  action: string;
  /** The link's token (e-mailed links); absent on pages no link token opens. */
  token?: string;
  /** Other hidden fields the button sends (name → value). */
  hidden?: Record<string, string>;
  button: string;
  /** A label: the form also asks for an optional reason. */
  reasonLabel?: string;
  /** A label: the form also asks for an optional e-mail address. */
  emailLabel?: string;
}

export interface Page {
  locale: string;
  title: string;
  body: string;
  form?: PageForm;
}

/** The texts of one page in a locale, filled with the given values. */
export function pageTexts(locale: string, keys: { title: string; body: string }, values: Record<string, string>) {
  const texts = PAGE_TEXTS[textLocale(locale)];
  return { title: fill(texts[keys.title], values), body: fill(texts[keys.body], values), texts };
}

export function renderPage({ locale, title, body, form }: Page): string {
  const lang = escapeHtml(textLocale(locale));
  const formHtml = form
    ? `<form method="post" action="${escapeHtml(form.action)}">
${Object.entries({ ...(form.token !== undefined ? { token: form.token } : {}), ...(form.hidden ?? {}) })
  .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">\n`)
  .join('')}${form.emailLabel ? `<p><label for="email">${escapeHtml(form.emailLabel)}</label><br><input id="email" name="email" type="email" maxlength="254" autocomplete="email"></p>\n` : ''}${form.reasonLabel ? `<p><label for="reason">${escapeHtml(form.reasonLabel)}</label><br><textarea id="reason" name="reason" rows="3" cols="40" maxlength="500"></textarea></p>\n` : ''}<p><button type="submit">${escapeHtml(form.button)}</button></p>
</form>`
    : '';
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1f1f1f}button{font-size:1rem;padding:.6rem 1.4rem;cursor:pointer}textarea{width:100%;font:inherit}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body.split('\n\n').map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n')}
${formHtml}
</main>
</body>
</html>
`;
}
