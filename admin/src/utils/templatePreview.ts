// The server's own texts and filler (server/src/newsletter/texts.ts is pure): the preview fills
// the placeholders exactly as the confirmation e-mail will.
import { CONFIRMATION_EMAIL, fill, PLACEHOLDERS, TEXT_LOCALES, textLocale, type EmailTemplate } from '../../../server/src/newsletter/texts';
import { withoutTrailingSlashes } from '../../../server/src/middlewares/paths';
import type { Controller, DescribedConfig } from '../api';

export { CONFIRMATION_EMAIL, PLACEHOLDERS, TEXT_LOCALES };

/** What the e-mail of `locale` uses without an override: the plugin's text for its language. */
export const defaultTemplate = (locale: string): EmailTemplate => CONFIRMATION_EMAIL[textLocale(locale)];

/** Sample values for every placeholder, as a real message would carry them (the tokens are made up). */
export const sampleValues = (config: DescribedConfig, controller: Controller, origin: string): Record<string, string> => {
  // Not /\/+$/: quadratic on a long run of slashes (the ReDoS sweep in tests/unit finds it).
  const base = `${withoutTrailingSlashes(config.publicUrl || origin)}/api/privacy-centre/newsletter`;
  return {
    confirmUrl: `${base}/confirm?token=sample-confirmation-token`,
    unsubscribeUrl: `${base}/unsubscribe?token=sample-unsubscribe-token`,
    list: config.newsletter?.lists?.[0] ?? 'default',
    hours: String(config.newsletter?.confirmationTokenHours ?? 48),
    controllerName: controller.name,
    controllerAddress: controller.address,
    controllerEmail: controller.email,
  };
};

/** The template as the recipient would read it; a subject stays one line, as the server makes it. */
export const renderTemplate = (template: EmailTemplate, values: Record<string, string>): EmailTemplate => ({
  subject: fill(template.subject, values).replace(/[\r\n]+/g, ' '),
  text: fill(template.text, values),
});

/** `{{name}}` placeholders the server does not know: they would reach the reader as typed. */
export const unknownPlaceholders = (template: EmailTemplate) =>
  [...new Set([...`${template.subject}\n${template.text}`.matchAll(/\{\{([a-zA-Z]+)\}\}/g)].map((m) => m[1]))].filter(
    (name) => !(PLACEHOLDERS as readonly string[]).includes(name)
  );

/** The links the server requires in every template's text (services/settings.ts). */
export const missingLinks = (template: EmailTemplate) => ['confirmUrl', 'unsubscribeUrl'].filter((name) => !template.text.includes(`{{${name}}}`));
