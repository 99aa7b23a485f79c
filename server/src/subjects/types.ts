// The kinds of data-subject request the register knows. Pure: config, service and admin share it.

/**
 * GDPR art. 15-21 (access, portability, erasure, rectification, objection), and the CCPA's
 * requests to opt out of sale or sharing (Cal. Civ. Code § 1798.120) and to limit the use of
 * sensitive personal information (§ 1798.121).
 */
export const REQUEST_TYPES = ['access', 'portability', 'erasure', 'rectification', 'objection', 'opt-out-sale-share', 'limit-sensitive'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];
