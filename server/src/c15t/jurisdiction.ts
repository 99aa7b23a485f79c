// The regions of the plugin (server/src/regions) in c15t's words, for its `GET /init`.
import { jurisdictionByCode, type Model } from '../regions';

/** c15t 2.x's jurisdiction codes (its `jurisdictionCodes`). */
export const C15T_JURISDICTIONS = ['UK_GDPR', 'GDPR', 'CH', 'BR', 'PIPEDA', 'QC_LAW25', 'AU', 'APPI', 'PIPA', 'CCPA', 'NONE'] as const;
export type C15tJurisdiction = (typeof C15T_JURISDICTIONS)[number];

/** c15t's code for one of the plugin's jurisdictions (every US state law is c15t's CCPA). */
export const c15tJurisdictionOf = (code: string): C15tJurisdiction => jurisdictionByCode(code)?.c15t ?? 'GDPR';

/** c15t's name for a model: it says `none` where the plugin says `notice`. */
export const c15tModelOf = (model: Model): 'opt-in' | 'opt-out' | 'none' => (model === 'notice' ? 'none' : model);
