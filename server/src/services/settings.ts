import type { Core } from '@strapi/strapi';
import * as yup from 'yup';
import { errors } from '@strapi/utils';
import { acceptanceSlugs, MAX_GRACE_DAYS, type PrivacyCentreConfig } from '../config';
import { CLEAN_TEXT_RULE, isCleanText, isHttpUrl, isLocaleCode } from '../policy/patterns';
import { controllerSchema, problemsOf } from '../policy/validation';
import type { EmailTemplate } from '../newsletter/texts';
import { isAddrSpec } from '../newsletter/email';

/** What an administrator may change about the newsletter at run time (config gives the defaults). */
export interface NewsletterSettings {
  doubleOptIn: boolean;
  /** The sender of the plugin's e-mails (`Name <address>` or an address); empty: the email plugin's default. */
  from: string;
  /** An address for `List-Unsubscribe: <mailto:…>`; empty: the https link only. */
  mailto: string;
  /** Frontend pages showing the confirm / unsubscribe button themselves; empty: the plugin's pages. */
  confirmRedirectUrl: string;
  unsubscribeRedirectUrl: string;
  /** The confirmation e-mail per locale, overriding the plugin's own texts. */
  templates: Record<string, EmailTemplate>;
}

/**
 * The editable part of the settings, kept in Strapi's store; config/plugins.ts gives the
 * defaults. Only what an administrator may change at run time lives here.
 */
export interface EditableSettings {
  controller: PrivacyCentreConfig['controller'];
  newsletter: NewsletterSettings;
  /** Self-service data-subject requests wait for an administrator's approval once verified. */
  subjects: { selfServiceApproval: boolean };
  /** Policies signed-in users must accept, and the days they may go on without (see config). */
  acceptance: PrivacyCentreConfig['acceptance'];
  /** Advance notice of a material change: days before it takes effect, and the newsletter list told. */
  notice: { days: number; list: string };
}

const text = () => yup.string().strict().test('clean-text', CLEAN_TEXT_RULE, isCleanText);
/** One header line: a CR or LF in it would let a value add headers of its own. */
const headerValue = (max: number) => text().max(max).test('one-line', '${path} must be one line', (v) => !v || !/[\r\n]/.test(v));
const optional = (test: (v: string) => boolean, message: string) =>
  text().max(2048).test('format', message, (v) => !v || test(v));

const newsletterSchema = yup
  .object({
    doubleOptIn: yup.boolean().strict(),
    from: headerValue(320).test(
      'sender',
      '${path} must be an e-mail address, or a name and an address as Name <address>',
      (v) => !v || isAddrSpec(v) || /^[^<>]{0,200}<[^\s<>@]+@[^\s<>@.]+(?:\.[^\s<>@.]+)+>$/.test(v)
    ),
    mailto: optional(isAddrSpec, '${path} must be empty or a bare e-mail address (local@domain, nothing around it)'),
    confirmRedirectUrl: optional(isHttpUrl, '${path} must be empty or an absolute http(s) URL'),
    unsubscribeRedirectUrl: optional(isHttpUrl, '${path} must be empty or an absolute http(s) URL'),
    templates: yup.lazy((value) =>
      yup
        .object(
          Object.fromEntries(
            Object.keys(value ?? {}).map((code) => [
              code,
              yup
                .object({
                  subject: headerValue(200).required('${path} is required'),
                  text: text()
                    .max(10_000)
                    .required('${path} is required')
                    .test('links', '${path} must contain {{confirmUrl}} and {{unsubscribeUrl}}', (v) =>
                      Boolean(v?.includes('{{confirmUrl}}') && v.includes('{{unsubscribeUrl}}'))
                    ),
                })
                .strict()
                .noUnknown(true, 'a template has an unknown key: ${unknown}'),
            ])
          )
        )
        .strict()
        .test('locales', 'templates must be keyed by locale codes such as "en"', (v) => Object.keys(v ?? {}).every(isLocaleCode))
    ),
  })
  .strict()
  .noUnknown(true, 'newsletter has an unknown key: ${unknown}');

const subjectsSchema = yup
  .object({ selfServiceApproval: yup.boolean().strict() })
  .strict()
  .noUnknown(true, 'subjects has an unknown key: ${unknown}');

const acceptanceSchema = yup
  .object({
    required: acceptanceSlugs(),
    graceDays: yup.number().strict().integer('${path} must be a whole number of days').min(0).max(MAX_GRACE_DAYS),
  })
  .strict()
  .noUnknown(true, 'acceptance has an unknown key: ${unknown}');

/** `lists`: the configured newsletter lists, the only ones a notice may go to. */
const noticeSchema = (lists: string[]) =>
  yup
    .object({
      days: yup.number().strict().integer().min(0, '${path} must be 0 or more').max(365, '${path} must be at most 365'),
      list: yup.string().strict().oneOf(lists, '${path} must be one of the configured newsletter lists: ' + lists.join(', ')),
    })
    .strict()
    .noUnknown(true, 'notice has an unknown key: ${unknown}');

const editableSchema = (lists: string[]) => yup
  .object({
    controller: controllerSchema.required('controller is required'),
    newsletter: newsletterSchema.default(undefined),
    subjects: subjectsSchema.default(undefined),
    acceptance: acceptanceSchema.default(undefined),
    notice: noticeSchema(lists).default(undefined),
  })
  .noUnknown(true, 'unknown setting: ${unknown}')
  .strict();

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const store = () => strapi.store({ type: 'plugin', name: 'privacy-centre' });
  const config = () => strapi.config.get('plugin::privacy-centre') as PrivacyCentreConfig;

  const service = {
    async get(): Promise<EditableSettings> {
      const saved = ((await store().get({ key: 'settings' })) ?? {}) as Partial<{
        controller: EditableSettings['controller'];
        newsletter: Partial<NewsletterSettings>;
        subjects: Partial<EditableSettings['subjects']>;
        acceptance: Partial<EditableSettings['acceptance']>;
        notice: Partial<EditableSettings['notice']>;
      }>;
      const { newsletter, subjects, acceptance, notice } = config();
      return {
        controller: { ...config().controller, ...(saved.controller ?? {}) },
        newsletter: {
          doubleOptIn: newsletter.doubleOptIn,
          from: newsletter.from ?? '',
          mailto: newsletter.mailto ?? '',
          confirmRedirectUrl: newsletter.confirmRedirectUrl ?? '',
          unsubscribeRedirectUrl: newsletter.unsubscribeRedirectUrl ?? '',
          templates: {},
          ...(saved.newsletter ?? {}),
        },
        subjects: { selfServiceApproval: subjects.selfServiceApproval, ...(saved.subjects ?? {}) },
        acceptance: { required: [...acceptance.required], graceDays: acceptance.graceDays, ...(saved.acceptance ?? {}) },
        notice: { days: notice.days, list: notice.list, ...(saved.notice ?? {}) },
      };
    },

    /** When the settings were last saved (null: never), for `Last-Modified` of answers that show them. */
    async changedAt(): Promise<Date | null> {
      const saved = (await store().get({ key: 'settings-changed-at' })) as string | null;
      return saved ? new Date(saved) : null;
    },

    async update(input: unknown): Promise<EditableSettings> {
      const problems = problemsOf(editableSchema(config().newsletter.lists), input);
      if (problems.length) throw new errors.ValidationError(problems.join('; '));
      const { controller, newsletter, subjects, acceptance, notice } = input as {
        controller: EditableSettings['controller'];
        newsletter?: Partial<NewsletterSettings>;
        subjects?: Partial<EditableSettings['subjects']>;
        acceptance?: Partial<EditableSettings['acceptance']>;
        notice?: Partial<EditableSettings['notice']>;
      };
      const saved = ((await store().get({ key: 'settings' })) ?? {}) as Record<string, unknown>;
      await store().set({
        key: 'settings',
        value: {
          ...saved,
          controller,
          ...(newsletter ? { newsletter: { ...((saved.newsletter as object) ?? {}), ...newsletter } } : {}),
          ...(subjects ? { subjects: { ...((saved.subjects as object) ?? {}), ...subjects } } : {}),
          ...(acceptance ? { acceptance: { ...((saved.acceptance as object) ?? {}), ...acceptance } } : {}),
          ...(notice ? { notice: { ...((saved.notice as object) ?? {}), ...notice } } : {}),
        },
      });
      await store().set({ key: 'settings-changed-at', value: new Date().toISOString() });
      // Also what the acceptance checks watch: which policies are required may have changed.
      // Every instance drops its answers (services/generations), this one at once.
      await strapi.plugin('privacy-centre').service('generations').bump('settings');
      return service.get();
    },

    /** Read-only configuration shown on the settings page; the secret is never returned. */
    describeConfig() {
      const { secret, previousSecrets, rateLimit, ...rest } = config();
      // The Redis connection may carry a password (in its URL or options): only whether one is set.
      const { redis, ...limits } = rateLimit;
      return { ...rest, rateLimit: { ...limits, redis: redis ? 'configured' : null }, secretConfigured: Boolean(secret), previousSecrets: previousSecrets.length };
    },
  };
  return service;
};
