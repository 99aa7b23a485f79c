import * as yup from 'yup';

/**
 * The plugin's configuration (`config/plugins.ts` → `'privacy-centre': { config: {...} }`).
 * Every key is documented in the README's configuration reference; keep both in step.
 */
export interface PrivacyCentreConfig {
  /** Signs receipts and newsletter tokens. Required in production. */
  secret?: string;
  /** Earlier secrets still accepted when verifying (key rotation). */
  previousSecrets: string[];
  /** Public base URL of the Strapi server, used in links sent by e-mail. */
  publicUrl?: string;
  controller: { name: string; address: string; email: string; url: string };
  /** Seconds a cached `current` policy answer may be served before it is rebuilt. */
  cacheTtlSeconds: number;
  ipTruncation: { ipv4PrefixLength: number; ipv6PrefixLength: number };
  consentValidityDays: number;
  retention: { consentRecordDays: number; auditEventDays: number; pendingSubscriptionDays: number };
  newsletter: { doubleOptIn: boolean; confirmationTokenHours: number; lists: string[]; from?: string };
  rateLimit: { enabled: boolean; windowSeconds: number; max: number };
  cron: { enabled: boolean };
}

export const defaultConfig: PrivacyCentreConfig = {
  secret: undefined,
  previousSecrets: [],
  publicUrl: undefined,
  controller: { name: '', address: '', email: '', url: '' },
  cacheTtlSeconds: 30,
  ipTruncation: { ipv4PrefixLength: 24, ipv6PrefixLength: 48 },
  consentValidityDays: 365,
  retention: { consentRecordDays: 365, auditEventDays: 730, pendingSubscriptionDays: 30 },
  newsletter: { doubleOptIn: true, confirmationTokenHours: 48, lists: ['default'], from: undefined },
  rateLimit: { enabled: true, windowSeconds: 60, max: 120 },
  cron: { enabled: true },
};

const positiveInt = () => yup.number().strict().integer().min(1);

const schema = yup
  .object({
    secret: yup.string().strict().min(32, '${path} must be at least 32 characters').nullable().notRequired(),
    previousSecrets: yup.array(yup.string().strict().min(32)).strict(),
    // yup's url() refuses http://localhost, which every development setup uses.
    publicUrl: yup
      .string()
      .strict()
      .notRequired()
      .test('http-url', '${path} must be an absolute http(s) URL', (value) => {
        if (value === undefined || value === null) return true;
        try {
          return ['http:', 'https:'].includes(new URL(value).protocol);
        } catch {
          return false;
        }
      }),
    controller: yup
      .object({
        name: yup.string().strict(),
        address: yup.string().strict(),
        email: yup.string().strict(),
        url: yup.string().strict(),
      })
      .noUnknown(true, 'has an unknown key: ${unknown}')
      .strict(),
    cacheTtlSeconds: yup.number().strict().integer().min(0),
    ipTruncation: yup
      .object({
        ipv4PrefixLength: yup.number().strict().integer().min(0).max(24),
        ipv6PrefixLength: yup.number().strict().integer().min(0).max(64),
      })
      .noUnknown(true, 'has an unknown key: ${unknown}')
      .strict(),
    consentValidityDays: positiveInt().max(3650),
    retention: yup
      .object({
        consentRecordDays: positiveInt(),
        auditEventDays: positiveInt(),
        pendingSubscriptionDays: positiveInt(),
      })
      .noUnknown(true, 'has an unknown key: ${unknown}')
      .strict(),
    newsletter: yup
      .object({
        doubleOptIn: yup.boolean().strict(),
        confirmationTokenHours: positiveInt(),
        lists: yup.array(yup.string().strict().matches(/^[a-z0-9][a-z0-9_-]*$/)).strict().min(1),
        from: yup.string().strict().notRequired(),
      })
      .noUnknown(true, 'has an unknown key: ${unknown}')
      .strict(),
    rateLimit: yup
      .object({ enabled: yup.boolean().strict(), windowSeconds: positiveInt(), max: positiveInt() })
      .noUnknown(true, 'has an unknown key: ${unknown}')
      .strict(),
    cron: yup
      .object({ enabled: yup.boolean().strict() })
      .noUnknown(true, 'has an unknown key: ${unknown}')
      .strict(),
  })
  .noUnknown(true, 'has an unknown key: ${unknown}')
  .strict();

/**
 * Strapi calls this at boot with the merged configuration; throwing stops Strapi.
 * The message names the key and what it expects, e.g.
 * `privacy-centre config: cacheTtlSeconds must be a `number` type …`.
 */
export function validateConfig(config: unknown): void {
  try {
    schema.validateSync(config, { abortEarly: false, strict: true });
  } catch (error) {
    if (error instanceof yup.ValidationError) {
      const problems = error.errors.map((message) =>
        message.startsWith('this ') ? message.replace(/^this /, '(root) ') : message
      );
      throw new Error(`privacy-centre config is invalid:\n  - ${problems.join('\n  - ')}`);
    }
    throw error;
  }
  const { secret } = config as PrivacyCentreConfig;
  if (!secret && process.env.NODE_ENV === 'production') {
    throw new Error(
      'privacy-centre config is invalid:\n  - secret is required in production (at least 32 random characters, e.g. env("PRIVACY_CENTRE_SECRET"))'
    );
  }
}

export default {
  default: defaultConfig,
  validator: validateConfig,
};
