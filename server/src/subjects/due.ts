// When a data-subject request is due, by the law it falls under. Pure: the deadlines table
// (config `subjects.deadlines`), the holidays (`subjects.holidays`) and the request go in; the
// acknowledgement and answer deadlines come out. The README's "Request register" section lists
// each default with its source.
//
// Months are calendar months (31 January + 1 month is the last day of February), as date-fns
// counts them; days are calendar days; business days skip Saturdays, Sundays and the configured
// holidays (CCPA Regs § 7001(d): "Monday through Friday, excluding state holidays"). Every
// deadline keeps the time of day of the receipt.
import addMonths from 'date-fns/addMonths';

/** A length of time in exactly one unit. */
export type Period = { months: number } | { days: number } | { businessDays: number };

export interface DeadlineRule {
  /** Time to answer, from receipt. */
  answer: Period;
  /** One extension step (added to the answer); null or absent: the law allows none. */
  extension?: Period | null;
  /** How many steps of `extension` a request may take in all. */
  maxExtensions?: number;
  /** Time to acknowledge receipt, from receipt; null or absent: no acknowledgement deadline. */
  acknowledge?: Period | null;
  /** The provision the rule follows, shown when a request is refused an extension. */
  source?: string;
  /** Request type → a rule of its own (its missing fields mean "none", not the parent's). */
  types?: Record<string, Omit<DeadlineRule, 'types'>>;
}

/** Jurisdiction code (or `default`) → rule. */
export type DeadlineTable = Record<string, DeadlineRule>;

/** GDPR art. 12(3); the UK GDPR's is the same article. */
const ONE_MONTH_PLUS_TWO: DeadlineRule = {
  answer: { months: 1 },
  extension: { months: 1 },
  maxExtensions: 2,
  source: 'GDPR art. 12(3): one month, extendable by two further months',
};

/** CCPA Regs § 7026(f): a request to opt out of sale or sharing, whatever the US law. */
const OPT_OUT_15_BUSINESS_DAYS = { answer: { businessDays: 15 }, source: 'CCPA Regulations § 7026(f)(1): 15 business days' };

const US_STATE: DeadlineRule = {
  answer: { days: 45 },
  extension: { days: 45 },
  maxExtensions: 1,
  source: 'the state law’s consumer-request section (e.g. Va. Code § 59.1-577(B), C.R.S. § 6-1-1306(2)): 45 days, extendable once by 45',
  types: { 'opt-out-sale-share': OPT_OUT_15_BUSINESS_DAYS },
};

/** The US state laws besides California's (the regions table's codes). */
export const US_STATE_CODES = [
  'CPA', 'CTDPA', 'VCDPA', 'UCPA', 'TDPSA', 'OCPA', 'MTCDPA', 'IACDPA', 'DPDPA', 'NEDPA', 'NHPA', 'NJDPA', 'TIPA', 'MNCDPA', 'MODPA', 'INCDPA', 'KCDPA', 'RIDTPPA',
] as const;

export const DEFAULT_DEADLINES: DeadlineTable = {
  GDPR: ONE_MONTH_PLUS_TWO,
  UK_GDPR: { ...ONE_MONTH_PLUS_TWO, source: 'UK GDPR art. 12(3): one month, extendable by two further months' },
  CCPA: {
    answer: { days: 45 },
    extension: { days: 45 },
    maxExtensions: 1,
    acknowledge: { businessDays: 10 },
    source: 'Cal. Civ. Code § 1798.130(a)(2); CCPA Regulations § 7021(a)-(b): confirm receipt within 10 business days, answer within 45 calendar days, extendable once by 45',
    types: {
      'opt-out-sale-share': OPT_OUT_15_BUSINESS_DAYS,
      'limit-sensitive': { answer: { businessDays: 15 }, source: 'CCPA Regulations § 7027(g)(1): 15 business days' },
    },
  },
  ...Object.fromEntries(US_STATE_CODES.map((code) => [code, US_STATE])),
  PIPEDA: { answer: { days: 30 }, extension: { days: 30 }, maxExtensions: 1, source: 'PIPEDA s. 8(3)-(4): 30 days, extendable by at most 30' },
  QC_LAW25: { answer: { days: 30 }, source: 'Act respecting the protection of personal information in the private sector, s. 32: 30 days' },
  LGPD: { answer: { days: 15 }, source: 'LGPD art. 19 II: 15 days' },
  default: { ...ONE_MONTH_PLUS_TWO, source: 'the default: one month, extendable by two (as GDPR art. 12(3))' },
};

/** Rows from before jurisdictions were recorded fell under the only clock there was. */
export const LEGACY_JURISDICTION = 'GDPR';

const DAY = 24 * 3600_000;
const HOLIDAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `value` is a real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !HOLIDAY.test(value)) return false;
  const day = new Date(`${value}T00:00:00.000Z`);
  // 2026-13-01 is no date at all; 2026-02-30 would roll over into March.
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value;
}

/** The rule of a request: its type's own under its jurisdiction, else the jurisdiction's, else `default`. */
export function ruleFor(table: DeadlineTable, jurisdiction: string | null | undefined, type: string): DeadlineRule {
  const rule = table[jurisdiction ?? LEGACY_JURISDICTION] ?? table.default ?? DEFAULT_DEADLINES.default;
  const own = rule.types?.[type];
  return own ? { extension: null, maxExtensions: 0, acknowledge: null, ...own } : rule;
}

const unitOf = (period: Period): 'months' | 'days' | 'businessDays' => Object.keys(period)[0] as 'months' | 'days' | 'businessDays';
const amountOf = (period: Period): number => Object.values(period)[0] as number;

/** `count` business days after `from` (the day of receipt itself does not count), same time of day. */
export function addBusinessDays(from: Date, count: number, holidays: ReadonlySet<string> = new Set()): Date {
  let at = from.getTime();
  let left = count;
  while (left > 0) {
    at += DAY;
    const day = new Date(at);
    const weekday = day.getUTCDay();
    if (weekday !== 0 && weekday !== 6 && !holidays.has(day.toISOString().slice(0, 10))) left -= 1;
  }
  return new Date(at);
}

const add = (from: Date, unit: 'months' | 'days' | 'businessDays', amount: number, holidays: ReadonlySet<string>): Date => {
  if (unit === 'months') return addMonths(from, amount);
  if (unit === 'days') return new Date(from.getTime() + amount * DAY);
  return addBusinessDays(from, amount, holidays);
};

/** The end of a period after `receivedAt`, as an ISO instant. */
export const after = (receivedAt: string, period: Period, holidays: readonly string[] = []) =>
  add(new Date(receivedAt), unitOf(period), amountOf(period), new Set(holidays)).toISOString();

/**
 * The answer deadline of a rule after `extensions` steps. Steps in the answer's own unit add up
 * (one month + two months is three months from receipt, not month by month: 31 January → 30 April).
 */
export function dueUnder(rule: DeadlineRule, receivedAt: string, extensions = 0, holidays: readonly string[] = []): string {
  const set = new Set(holidays);
  const from = new Date(receivedAt);
  const unit = unitOf(rule.answer);
  if (!extensions || !rule.extension) return add(from, unit, amountOf(rule.answer), set).toISOString();
  if (unitOf(rule.extension) === unit) return add(from, unit, amountOf(rule.answer) + extensions * amountOf(rule.extension), set).toISOString();
  const answered = add(from, unit, amountOf(rule.answer), set);
  return add(answered, unitOf(rule.extension), extensions * amountOf(rule.extension), set).toISOString();
}

/** The acknowledgement deadline of a rule, or null where it has none. */
export const acknowledgeUnder = (rule: DeadlineRule, receivedAt: string, holidays: readonly string[] = []): string | null =>
  rule.acknowledge ? after(receivedAt, rule.acknowledge, holidays) : null;

/**
 * Why a request under `rule`, extended `already` steps, cannot take `steps` more; null if it can.
 * The sentence names the rule's source.
 */
export function extensionRefusal(rule: DeadlineRule, jurisdiction: string, already: number, steps: number): string | null {
  const max = rule.extension ? rule.maxExtensions ?? 1 : 0;
  const why = rule.source ? ` (${rule.source})` : '';
  if (max === 0) return `this request cannot be extended: ${jurisdiction} allows no extension for it${why}`;
  if (already + steps > max) {
    const months = unitOf(rule.extension!) === 'months';
    const total = months ? max * amountOf(rule.extension!) : max;
    const unit = months ? (total === 1 ? 'month' : 'months') : total === 1 ? 'extension' : 'extensions';
    const taken = months ? `${already * amountOf(rule.extension!)} month(s)` : `${already} extension(s)`;
    return `a ${jurisdiction} request may be extended by at most ${total} ${unit} in all${why}; it is extended by ${taken} already`;
  }
  return null;
}

/** Describes a period in words (README, admin, actions): "1 month", "45 days", "10 business days". */
export function describePeriod(period: Period): string {
  const amount = amountOf(period);
  const unit = unitOf(period);
  const word = unit === 'months' ? 'month' : unit === 'days' ? 'day' : 'business day';
  return `${amount} ${word}${amount === 1 ? '' : 's'}`;
}

// ---- config validation ---------------------------------------------------------------------

const periodProblem = (value: unknown, path: string): string | null => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${path} must be { months }, { days } or { businessDays }`;
  const keys = Object.keys(value);
  if (keys.length !== 1 || !['months', 'days', 'businessDays'].includes(keys[0])) return `${path} must have exactly one of months, days, businessDays`;
  const amount = (value as Record<string, unknown>)[keys[0]];
  const max = keys[0] === 'months' ? 12 : 366;
  if (!Number.isInteger(amount) || (amount as number) < 1 || (amount as number) > max) return `${path}.${keys[0]} must be a whole number from 1 to ${max}`;
  return null;
};

const RULE_KEYS = ['answer', 'extension', 'maxExtensions', 'acknowledge', 'source', 'types'];

const ruleProblems = (value: unknown, path: string, nested: boolean): string[] => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path} must be an object { answer, extension?, maxExtensions?, acknowledge?, source? }`];
  const rule = value as Record<string, unknown>;
  const problems: string[] = [];
  const unknown = Object.keys(rule).filter((key) => !RULE_KEYS.includes(key) || (nested && key === 'types'));
  if (unknown.length) problems.push(`${path} has an unknown key: ${unknown.join(', ')}`);
  const answer = periodProblem(rule.answer, `${path}.answer`);
  if (answer) problems.push(answer);
  for (const key of ['extension', 'acknowledge']) {
    if (rule[key] === undefined || rule[key] === null) continue;
    const problem = periodProblem(rule[key], `${path}.${key}`);
    if (problem) problems.push(problem);
  }
  if (rule.maxExtensions !== undefined && !(Number.isInteger(rule.maxExtensions) && (rule.maxExtensions as number) >= 0 && (rule.maxExtensions as number) <= 12)) {
    problems.push(`${path}.maxExtensions must be a whole number from 0 to 12`);
  }
  if (rule.source !== undefined && (typeof rule.source !== 'string' || rule.source.length > 500)) problems.push(`${path}.source must be text of at most 500 characters`);
  if (!nested && rule.types !== undefined) {
    if (typeof rule.types !== 'object' || rule.types === null || Array.isArray(rule.types)) problems.push(`${path}.types must be an object of request type → rule`);
    else for (const [type, own] of Object.entries(rule.types)) problems.push(...ruleProblems(own, `${path}.types.${type}`, true));
  }
  return problems;
};

/**
 * The problems of the deadline rules config gives (each replaces a built-in rule), in words;
 * empty when they are usable:
 * `codes` are the jurisdictions a key may name besides `default`, `types` the request types.
 */
export function deadlineTableProblems(value: unknown, codes: readonly string[], types: readonly string[]): string[] {
  const path = 'subjects.deadlines';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path} must be an object of jurisdiction code → rule`];
  const problems: string[] = [];
  const table = value as Record<string, unknown>;
  for (const [code, rule] of Object.entries(table)) {
    if (code !== 'default' && !codes.includes(code)) {
      problems.push(`${path}.${code}: unknown jurisdiction (one of default, ${codes.join(', ')})`);
      continue;
    }
    problems.push(...ruleProblems(rule, `${path}.${code}`, false));
    const own = (rule as DeadlineRule | null)?.types;
    if (own && typeof own === 'object') {
      for (const type of Object.keys(own)) if (!types.includes(type)) problems.push(`${path}.${code}.types.${type}: unknown request type (one of ${types.join(', ')})`);
    }
  }
  return problems;
}

/** The problems of the holidays list (`YYYY-MM-DD` dates). */
export function holidayProblems(value: unknown): string[] {
  if (!Array.isArray(value)) return ['subjects.holidays must be a list of dates written YYYY-MM-DD'];
  if (value.length > 1000) return ['subjects.holidays holds more than 1000 dates'];
  const bad = value.filter((day) => !isIsoDate(day)).map((day) => String(day).slice(0, 20));
  return bad.length ? [`subjects.holidays must hold real dates written YYYY-MM-DD: ${bad.slice(0, 5).join(', ')}`] : [];
}

// ---- what existed before jurisdictions (GDPR), kept for the rows and callers of then ---------

export const ANSWER_MONTHS = 1;
export const MAX_EXTENSION_MONTHS = 2;

export const dueDate = (receivedAt: string, extensionMonths = 0) => addMonths(new Date(receivedAt), ANSWER_MONTHS + extensionMonths).toISOString();

/** The extension so far, in steps, of a request due at `dueAt` under `rule` (for rows that did not count them). */
export function extensionsOf(rule: DeadlineRule, receivedAt: string, dueAt: string, holidays: readonly string[] = []): number {
  const max = rule.extension ? rule.maxExtensions ?? 1 : 0;
  for (let steps = 0; steps <= max; steps += 1) if (dueUnder(rule, receivedAt, steps, holidays) === dueAt) return steps;
  return max;
}

/** The extension so far, in whole months, of a request due at `dueAt`. */
export const extensionMonthsOf = (receivedAt: string, dueAt: string): number => extensionsOf(DEFAULT_DEADLINES.GDPR, receivedAt, dueAt);
