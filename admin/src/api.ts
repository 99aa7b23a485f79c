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

// The policy shapes are the server's own (pure types, no Strapi imports): one definition.
export type {
  PolicyStatus,
  PolicySection,
  LocaleContent as PolicyLocaleContent,
  PolicyVersionView as PolicyVersion,
} from '../../server/src/policy/types';
import type { PolicyStatus, PolicyVersionView } from '../../server/src/policy/types';

/** One version as listed on the Policies page (`GET /policies`). */
export interface PolicyVersionSummary {
  documentId: string;
  version: number | null;
  status: PolicyStatus;
  title: string;
  materialChange: boolean;
  effectiveAt: string | null;
  publishedAt: string | null;
  hash: string | null;
  locales: string[];
}

export interface PolicyDocument {
  slug: string;
  inForceDocumentId: string | null;
  versions: PolicyVersionSummary[];
}

export interface PolicyLocales {
  codes: string[];
  defaultLocale: string;
}

export interface PoliciesResponse {
  data: PolicyDocument[];
  meta: PolicyLocales;
}

export interface PolicyVersionResponse {
  data: PolicyVersionView;
}

export const API = {
  settings: '/privacy-centre/settings',
  auditEvents: '/privacy-centre/audit-events',
  policies: '/privacy-centre/policies',
  policyLocales: '/privacy-centre/policies/locales',
  policyImport: '/privacy-centre/policies/import',
  policyDrafts: '/privacy-centre/policies/drafts',
  policyDraft: (documentId: string) => `/privacy-centre/policies/drafts/${encodeURIComponent(documentId)}`,
  policyPublish: (documentId: string) => `/privacy-centre/policies/drafts/${encodeURIComponent(documentId)}/publish`,
  policyVersion: (documentId: string) => `/privacy-centre/policies/versions/${encodeURIComponent(documentId)}`,
  policyWithdraw: (documentId: string) => `/privacy-centre/policies/versions/${encodeURIComponent(documentId)}/withdraw`,
} as const;
