/**
 * The shapes the plugin's admin routes answer with (server/src/controllers). Kept by hand and
 * small: the server is the authority, these only say what the pages read.
 */
export interface Controller {
  name: string;
  address: string;
  email: string;
  url: string;
}

/** The read-only part of the configuration (`settings.describeConfig()`); the secret never leaves the server. */
export interface DescribedConfig {
  secretConfigured?: boolean;
  previousSecrets?: number;
  publicUrl?: string | null;
  cacheTtlSeconds?: number;
  consentValidityDays?: number;
  ipTruncation?: { ipv4PrefixLength: number; ipv6PrefixLength: number };
  retention?: { consentRecordDays: number; auditEventDays: number; pendingSubscriptionDays: number };
  newsletter?: { doubleOptIn: boolean; confirmationTokenHours: number; lists: string[]; from?: string | null };
  rateLimit?: { enabled: boolean; windowSeconds: number; max: number };
  cron?: { enabled: boolean };
}

export interface SettingsResponse {
  data: { settings: { controller: Controller }; config: DescribedConfig };
}

export interface AuditEvent {
  id: number;
  actor: string;
  action: string;
  target: string | null;
  details: unknown;
  occurredAt: string;
}

export interface AuditEventsResponse {
  results: AuditEvent[];
  pagination: { page: number; pageSize: number; total: number };
}

export const API = {
  settings: '/privacy-centre/settings',
  auditEvents: '/privacy-centre/audit-events',
} as const;
