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
  data: {
    settings: { controller: Controller; newsletter: NewsletterSettings; subjects?: SubjectsSettings; acceptance?: AcceptanceSettings; notice?: NoticeSettings };
    config: DescribedConfig;
  };
}

/** Policies signed-in users must accept, and the days they may go on without (Settings → General). */
export interface AcceptanceSettings {
  required: string[];
  graceDays: number;
}

/** `GET /policies/versions/:documentId/acceptances`: who accepted a version, and how many must still. */
export interface AcceptancesResponse {
  data: Array<{
    consentId: string;
    version: number;
    acceptedAt: string;
    subjectRef: string;
    user: { documentId: string; username: string } | null;
  }>;
  meta: { pagination: { page: number; pageSize: number; total: number } };
  summary: { slug: string; version: number; required: boolean; askedNow: boolean; deadline: string | null; activeUsers: number; accepted: number; mustStill: number };
}

// The regions table is the server's own shape (pure types, no Strapi imports).
export type { Model as RegionModel, RegionTable } from '../../server/src/regions';
import type { Model as RegionModel, RegionTable } from '../../server/src/regions';

/** One jurisdiction as Settings → Regions lists it: its default model, the model in force, its source. */
export interface RegionJurisdiction {
  code: string;
  name: string;
  defaultModel: RegionModel;
  model: RegionModel;
  source: string;
}

/** `GET /regions` (and the answer of PUT and DELETE): the table, the jurisdictions, the defaults, the trusted headers. */
export interface RegionsResponse {
  data: {
    table: RegionTable;
    /** Whether an editor saved a table (false: the plugin's defaults). */
    edited: boolean;
    changedAt: string | null;
    jurisdictions: RegionJurisdiction[];
    defaults: { areas: Record<string, string>; defaultJurisdiction: string };
    /** From config/plugins.ts: the only headers a visitor's location is read from. */
    countryHeaders: string[];
    regionHeaders: string[];
  };
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
  ControllerIdentity,
  PolicyIntegrity,
  PolicyStatus,
  PolicySection,
  PolicyVerification,
  LocaleContent as PolicyLocaleContent,
  PolicyVersionView as PolicyVersion,
} from '../../server/src/policy/types';
import type { PolicyIntegrity, PolicyStatus, PolicyVerification, PolicyVersionView } from '../../server/src/policy/types';

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
  /** Whether the stored content still matches `hash`; null for a draft. */
  integrity: PolicyIntegrity;
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

/** `POST /policies/verify`: every frozen version re-hashed (and an audit event written). */
export interface PolicyVerificationResponse {
  data: PolicyVerification;
}

export const API = {
  settings: '/privacy-centre/settings',
  regions: '/privacy-centre/regions',
  auditEvents: '/privacy-centre/audit-events',
  policies: '/privacy-centre/policies',
  policyLocales: '/privacy-centre/policies/locales',
  policyImport: '/privacy-centre/policies/import',
  policyVerify: '/privacy-centre/policies/verify',
  policyDrafts: '/privacy-centre/policies/drafts',
  policyDraft: (documentId: string) => `/privacy-centre/policies/drafts/${encodeURIComponent(documentId)}`,
  policyPublish: (documentId: string) => `/privacy-centre/policies/drafts/${encodeURIComponent(documentId)}/publish`,
  policyVersion: (documentId: string) => `/privacy-centre/policies/versions/${encodeURIComponent(documentId)}`,
  policyWithdraw: (documentId: string) => `/privacy-centre/policies/versions/${encodeURIComponent(documentId)}/withdraw`,
  policyAcceptances: (documentId: string) => `/privacy-centre/policies/versions/${encodeURIComponent(documentId)}/acceptances`,
  policyAcceptancesExport: (documentId: string) => `/privacy-centre/policies/versions/${encodeURIComponent(documentId)}/acceptances/export`,
  policyNotice: (documentId: string) => `/privacy-centre/policies/versions/${encodeURIComponent(documentId)}/notice`,
} as const;

/** The editable settings of the advance notice of material changes. */
export interface NoticeSettings {
  days: number;
  list: string;
}

/** `GET /policies/versions/:documentId/notice`: the advance notice of a material version (null: none). */
export interface NoticeProgress {
  status: 'pending' | 'sending' | 'paused' | 'done' | 'cancelled';
  slug: string;
  version: number;
  opensAt: string;
  effectiveAt: string;
  enqueuedAt: string | null;
  doneAt: string | null;
  recipients: number;
  shortNoticeReason: string | null;
  counts: { pending: number; sent: number; failed: number; skipped: number; retrying: number };
  failures: Array<{ status: 'failed' | 'skipped'; reason: string; count: number }>;
}

// The cookie declaration and consent shapes are the server's own too (pure types).
export type {
  CategoryText,
  ConsentMode,
  ConsentModeSignal,
  CookieCategory,
  CookieDefinition,
  DeclarationChanges,
  DeclarationRevision,
  DeclarationSnapshot,
  DefinitionText,
  StorageType,
} from '../../server/src/cookies/types';
export { CONSENT_MODE_SIGNALS, STORAGE_TYPES } from '../../server/src/cookies/types';
export type { ConsentAction, ConsentRecordView, ConsentStats, ConsentStatus, Receipt, ReceiptVerification } from '../../server/src/consent/types';
import type { CookieCategory, CookieDefinition, DeclarationChanges, DeclarationRevision } from '../../server/src/cookies/types';
import type { ConsentRecordView, ConsentStats, ConsentStatus, ReceiptVerification } from '../../server/src/consent/types';

/** A revision as listed: everything but the frozen snapshot. */
export type DeclarationRevisionSummary = Omit<DeclarationRevision, 'snapshot'>;

/** `GET /cookies`: what editors have now, the latest revision and what changed since it. */
export interface CookiesResponse {
  data: {
    categories: CookieCategory[];
    definitions: CookieDefinition[];
    latest: DeclarationRevisionSummary | null;
    changes: DeclarationChanges;
    discovery: DiscoverySummary;
  };
  meta: PolicyLocales;
}

export interface RevisionsResponse {
  data: DeclarationRevisionSummary[];
}

export interface RevisionResponse {
  data: DeclarationRevision;
}

/** The filters of the consent log, as the server takes them (and as they stand in the page's URL). */
export interface ConsentFilters {
  from?: string;
  to?: string;
  action?: string;
  category?: string;
  granted?: string;
  gpc?: string;
  revision?: string;
}

/** A page of the consent log: `next` / `previous` are cursors (null at either end); the total may be an estimate. */
export interface ConsentsResponse {
  data: ConsentRecordView[];
  meta: { pagination: { pageSize: number; total: number; totalIsEstimate: boolean; next: string | null; previous: string | null } };
}

/** `GET /consents/records/:consentId`: the record with what a frontend would be told about it now. */
export interface ConsentRecordResponse {
  data: ConsentRecordView & Pick<ConsentStatus, 'status' | 'askAgain' | 'reasons'>;
}

export interface VerifyReceiptResponse {
  data: ReceiptVerification;
}

export interface ConsentStatsResponse {
  data: ConsentStats;
}

const segment = encodeURIComponent;

export const COOKIES_API = {
  cookies: '/privacy-centre/cookies',
  categories: '/privacy-centre/cookies/categories',
  category: (key: string) => `/privacy-centre/cookies/categories/${segment(key)}`,
  categoriesOrder: '/privacy-centre/cookies/categories-order',
  definitions: '/privacy-centre/cookies/definitions',
  definition: (documentId: string) => `/privacy-centre/cookies/definitions/${segment(documentId)}`,
  definitionsOrder: '/privacy-centre/cookies/definitions-order',
  revisions: '/privacy-centre/cookies/revisions',
  revision: (revision: number) => `/privacy-centre/cookies/revisions/${revision}`,
  publish: '/privacy-centre/cookies/publish',
  discovery: '/privacy-centre/cookies/discovery',
  discoveryDefinitions: '/privacy-centre/cookies/discovery/definitions',
  ignoreRules: '/privacy-centre/cookies/discovery/ignore-rules',
  ignoreRule: (documentId: string) => `/privacy-centre/cookies/discovery/ignore-rules/${segment(documentId)}`,
} as const;

/** What the Open Cookie Database says of a name; `category` is mapped onto the site's, or null. */
export interface DiscoverySuggestion {
  platform: string;
  category: string | null;
  description: string;
  retention: string;
}

/** One name of a Discovery list (server/src/services/discovery.ts `Finding`). */
export interface DiscoveryFinding {
  name: string;
  storage: string;
  count: number;
  firstSeen: string | null;
  lastSeen: string | null;
  paths: string[];
  /** The declared category, or for an undeclared name the suggestion's. */
  category: string | null;
  suggestion: DiscoverySuggestion | null;
}

export interface DiscoveryCounts {
  undeclared: number;
  beforeConsent: number;
  despiteRefusal: number;
  unseen: number;
}

export interface IgnoreRule {
  documentId: string;
  pattern: string;
  note: string;
  createdBy: string | null;
  createdAt: string;
}

/** `GET /cookies/discovery?days=`: the Discovery tab. */
export interface DiscoveryResponse {
  data: {
    days: number;
    since: string;
    revision: { revision: number; publishedAt: string | null } | null;
    undeclared: DiscoveryFinding[];
    beforeConsent: DiscoveryFinding[];
    despiteRefusal: DiscoveryFinding[];
    unseen: DiscoveryFinding[];
    flood: { count: number; days: number; maxNamesPerDay: number };
    counts: DiscoveryCounts;
    /** Findings first seen after the latest revision was published. */
    sinceRevision: Omit<DiscoveryCounts, 'unseen'>;
    ignoreRules: IgnoreRule[];
  };
}

/** The discovery counts `GET /cookies` carries for the Overview (30 days). */
export interface DiscoverySummary {
  days: number;
  counts: DiscoveryCounts;
  sinceRevision: Omit<DiscoveryCounts, 'unseen'>;
  flood: number;
}

export const CONSENTS_API = {
  consents: '/privacy-centre/consents',
  record: (consentId: string) => `/privacy-centre/consents/records/${segment(consentId)}`,
  verify: '/privacy-centre/consents/verify',
  stats: '/privacy-centre/consents/stats',
  export: '/privacy-centre/consents/export',
} as const;

// The newsletter: the admin routes of server/src/controllers/newsletter.ts.

export type SubscriptionStatus = 'pending' | 'subscribed' | 'unsubscribed';
export const SUBSCRIPTION_STATUSES: readonly SubscriptionStatus[] = ['pending', 'subscribed', 'unsubscribed'];

/** A subscription as the admin lists it (`newsletter-admin` toView). `email` is null once pseudonymised. */
export interface Subscription {
  documentId: string;
  email: string | null;
  list: string;
  status: SubscriptionStatus;
  language: string | null;
  source: string | null;
  subjectId: string | null;
  requestedAt: string | null;
  confirmedAt: string | null;
  unsubscribedAt: string | null;
  unsubscribeReason: string | null;
  pseudonymisedAt: string | null;
}

/** The confirmation message as composed and sent, kept with the `requested` event. */
export interface SentMessageEvidence {
  subject?: string;
  text?: string;
  messageId?: string;
  sha256?: string;
}

/** One consent event of a subscription's address, with what was kept as evidence. */
export interface SubscriptionEvent {
  consentId: string;
  action: 'requested' | 'confirmed' | 'given' | 'withdrawn' | string;
  givenAt: string;
  list: string | null;
  ipPrefix: string | null;
  userAgent: string | null;
  policy: { slug: string; version: number; hash: string } | null;
  via: string;
  evidence: {
    list?: string;
    method?: string;
    reason?: string;
    previousStatus?: string;
    requestedAt?: string;
    message?: SentMessageEvidence;
    [key: string]: unknown;
  };
}

export interface SubscriptionDetail extends Subscription {
  events: SubscriptionEvent[];
}

/** The filters of the subscriber list, as the server takes them (and as they stand in the URL). */
export interface SubscriptionFilters {
  status?: string;
  list?: string;
  q?: string;
}

export interface SubscriptionsResponse {
  data: Subscription[];
  meta: {
    pagination: { page: number; pageSize: number; total: number };
    /** Per list, the number of subscriptions in each status (all of them, not only the filtered). */
    counts: Record<string, Record<SubscriptionStatus, number>>;
    lists: string[];
  };
}

export interface SubscriptionResponse {
  data: SubscriptionDetail;
}

/** `GET /newsletter/stats`: per UTC day with any event, per list, the events counted. */
export interface NewsletterStats {
  days: Array<{ day: string; lists: Record<string, { requested: number; subscribed: number; unsubscribed: number }> }>;
}

export interface NewsletterStatsResponse {
  data: NewsletterStats;
}

export type { EmailTemplate } from '../../server/src/newsletter/texts';
import type { EmailTemplate } from '../../server/src/newsletter/texts';

/** The editable newsletter settings (services/settings.ts `NewsletterSettings`). */
export interface NewsletterSettings {
  doubleOptIn: boolean;
  from: string;
  mailto: string;
  confirmRedirectUrl: string;
  unsubscribeRedirectUrl: string;
  templates: Record<string, EmailTemplate>;
}

export const NEWSLETTER_API = {
  subscriptions: '/privacy-centre/newsletter/subscriptions',
  subscription: (documentId: string) => `/privacy-centre/newsletter/subscriptions/${segment(documentId)}`,
  unsubscribe: (documentId: string) => `/privacy-centre/newsletter/subscriptions/${segment(documentId)}/unsubscribe`,
  stats: '/privacy-centre/newsletter/stats',
  export: '/privacy-centre/newsletter/export',
} as const;

// Data-subject requests and what is held about a person: the admin routes of issue #9
// (server/src/controllers/subjects.ts). Emails never go into a URL: searches, exports and
// erasures are POSTs carrying `query` (an address, a visitor id, a consent id or a pasted receipt).

import type { LocaleContent } from '../../server/src/policy/types';
import { REQUEST_TYPES } from '../../server/src/subjects/types';
import type { Period } from '../../server/src/subjects/due';
import type { MetricsRow } from '../../server/src/subjects/metrics';
import type { DeclarationSnapshot } from '../../server/src/cookies/types';

export type DataSubjectRequestType = (typeof REQUEST_TYPES)[number];
export const DATA_SUBJECT_REQUEST_TYPES: readonly DataSubjectRequestType[] = REQUEST_TYPES;

export type DataSubjectRequestStatus = 'received' | 'verified' | 'in-progress' | 'completed' | 'refused';
export const DATA_SUBJECT_REQUEST_STATUSES: readonly DataSubjectRequestStatus[] = ['received', 'verified', 'in-progress', 'completed', 'refused'];

/** One data-subject request of the register. `email` is null once the person is erased. */
export interface DataSubjectRequest {
  documentId: string;
  type: DataSubjectRequestType;
  email: string | null;
  subjectId: string | null;
  origin: 'admin' | 'self-service' | 'do-not-sell';
  /** The jurisdiction whose clock the request runs on (GDPR for requests from before jurisdictions). */
  jurisdiction: string;
  receivedAt: string;
  /** The current due date, extension included. */
  dueAt: string;
  /** When receipt must be confirmed to the person (CCPA: 10 business days); null where no law asks. */
  acknowledgeBy: string | null;
  acknowledgedAt: string | null;
  /** Extensions taken and left; each adds `step` (null: the jurisdiction allows none). */
  extension: { taken: number; left: number; step: Period | null };
  extensionReason: string | null;
  extendedAt: string | null;
  status: DataSubjectRequestStatus;
  refusalReason: string | null;
  /** How the person's identity was verified. */
  verification: string | null;
  handledBy: string | null;
  actions: Array<{ at: string; by: string; what: string }>;
  /** Open and past its due date. */
  overdue: boolean;
  /** Open, past its acknowledgement deadline, and not acknowledged. */
  acknowledgementOverdue: boolean;
  /** Self-service, verified by its link, waiting for an administrator (the approval setting is on). */
  awaitingApproval: boolean;
  completedAt: string | null;
}

export type RequestStatusFilter = 'open' | 'closed' | 'all';

export interface DataSubjectRequestsResponse {
  data: DataSubjectRequest[];
  meta: { pagination: { page: number; pageSize: number; total: number } };
}

export interface DataSubjectRequestResponse {
  data: DataSubjectRequest;
}

export interface DataSubjectRequestSummary {
  open: number;
  /** Past their due date, or past their acknowledgement deadline unacknowledged. */
  overdue: number;
  acknowledgementOverdue: number;
  nextDueAt: string | null;
}

/** `GET /subjects/requests/metrics`: CCPA Regulations § 7102, per request type. */
export interface RequestMetrics {
  year: number;
  jurisdiction: string | null;
  /** The years the register holds, newest first. */
  years: number[];
  types: MetricsRow[];
}

export type SubjectQueryKind = 'email' | 'subjectId' | 'consentId' | 'receipt';

/** A cookie consent or a newsletter event as the consent log shows it. */
export type SubjectConsent = ConsentRecordView & { kind?: 'cookie' | 'newsletter'; list?: string | null; evidence?: SubscriptionEvent['evidence'] };

/** `POST /subjects/search`: everything held about one person. */
export interface SubjectFindings {
  query: { kind: SubjectQueryKind };
  subject: { emails: string[]; subjectIds: string[] };
  found: boolean;
  subscriptions: Array<SubscriptionDetail>;
  cookieConsents: SubjectConsent[];
  requests: DataSubjectRequest[];
  auditEvents: AuditEvent[];
}

export interface SubjectFindingsResponse {
  data: SubjectFindings;
}

/** `POST /subjects/erasure-plan`: what an erasure would remove and what it keeps, in sentences. */
export interface ErasurePlan {
  subject: { emails: string[]; subjectIds: string[] };
  counts: { subscriptions: number; consentRecords: number; requests: number };
  removes: string[];
  keeps: string[];
}

export interface ErasurePlanResponse {
  data: ErasurePlan;
}

export interface ErasureResponse {
  data: { erased: { subscriptions: number; consentRecords: number; requests: number } };
}

/** A stored hash beside the one recomputed from the stored content now. */
export interface CheckedHash {
  hash: string;
  recomputedHash: string;
  matches: boolean;
}

/** The policy version as sealed at publication (every language). */
export interface SealedPolicyContent {
  slug: string;
  version: number;
  effectiveAt: string | null;
  publishedAt: string | null;
  materialChange: boolean;
  controller?: unknown;
  locales: Record<string, LocaleContent>;
}

export interface EvidenceRecord {
  record: SubjectConsent;
  /** Cookie consents only: whether the record's receipt signature verifies with the site's keys. */
  receipt?: { authentic: boolean } | null;
  policy: null | (CheckedHash & { slug: string; version: number; content: SealedPolicyContent | null });
  declaration: null | (CheckedHash & { revision: number; publishedAt?: string; snapshot: DeclarationSnapshot | null });
}

/** `POST /subjects/evidence`: the proof of every consent of one person, checked now. */
export interface Evidence {
  generatedAt: string;
  query: { kind: SubjectQueryKind };
  subject?: { emails: string[]; subjectIds: string[] };
  records: EvidenceRecord[];
  newsletter: SubscriptionDetail[];
  withdrawals: SubjectConsent[];
  /** Advance notices of policy changes sent to the person (by the keyed pseudonym of their addresses). */
  notices?: Array<{
    slug: string;
    version: number;
    effectiveAt: string;
    recipientKind: 'subscriber' | 'user';
    subjectRef: string;
    status: 'pending' | 'sent' | 'failed' | 'skipped';
    sentAt: string | null;
    messageId: string | null;
    sha256: string | null;
    attempts: number;
    lastError: string | null;
  }>;
  checks: { allHashesMatch: boolean };
}

export interface EvidenceResponse {
  data: Evidence;
}

/** The editable settings of data-subject requests. */
export interface SubjectsSettings {
  selfServiceApproval: boolean;
}

export const SUBJECTS_API = {
  requests: '/privacy-centre/subjects/requests',
  summary: '/privacy-centre/subjects/requests/summary',
  request: (documentId: string) => `/privacy-centre/subjects/requests/${segment(documentId)}`,
  extend: (documentId: string) => `/privacy-centre/subjects/requests/${segment(documentId)}/extend`,
  acknowledge: (documentId: string) => `/privacy-centre/subjects/requests/${segment(documentId)}/acknowledge`,
  metrics: '/privacy-centre/subjects/requests/metrics',
  metricsExport: '/privacy-centre/subjects/requests/metrics/export',
  carryOut: (documentId: string) => `/privacy-centre/subjects/requests/${segment(documentId)}/carry-out`,
  search: '/privacy-centre/subjects/search',
  export: '/privacy-centre/subjects/export',
  erasurePlan: '/privacy-centre/subjects/erasure-plan',
  erase: '/privacy-centre/subjects/erase',
  evidence: '/privacy-centre/subjects/evidence',
  bundle: '/privacy-centre/subjects/evidence/bundle',
} as const;
