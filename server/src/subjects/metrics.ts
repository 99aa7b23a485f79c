// The yearly metrics of the request register that CCPA Regulations § 7102(a) asks a business
// to disclose: per calendar year and request type, how many requests were received, complied
// with in whole or in part, and denied, and the median and mean number of days taken to
// respond. Pure: rows of the register go in. A request counts in the year it was received.

export interface MetricsInput {
  type: string;
  status: string;
  receivedAt: string;
  completedAt?: string | null;
  /** How identity was verified; none on a refused request: denied as not verifiable. */
  verification?: string | null;
}

export interface MetricsRow {
  type: string;
  received: number;
  /** Completed: the plugin records no partial answer apart, so "in whole or in part". */
  compliedWith: number;
  denied: number;
  /** Of the denied, those whose person was never verified (§ 7102(a)(2) lets a business say so). */
  deniedUnverified: number;
  /** Still open when the metrics were made. */
  open: number;
  /** Days from receipt to the answer (completed or denied), one decimal; null with none answered. */
  medianDays: number | null;
  meanDays: number | null;
}

export const METRICS_COLUMNS: Array<keyof MetricsRow> = ['type', 'received', 'compliedWith', 'denied', 'deniedUnverified', 'open', 'medianDays', 'meanDays'];

const DAY = 24 * 3600_000;
const oneDecimal = (value: number) => Math.round(value * 10) / 10;

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** One row per type in `types` (in that order, zeros included: a report lists every kind). */
export function requestMetrics(rows: MetricsInput[], types: readonly string[]): MetricsRow[] {
  return types.map((type) => {
    const own = rows.filter((row) => row.type === type);
    const answered = own.filter((row) => (row.status === 'completed' || row.status === 'refused') && row.completedAt);
    const days = answered.map((row) => Math.max(0, (Date.parse(row.completedAt!) - Date.parse(row.receivedAt)) / DAY));
    const denied = own.filter((row) => row.status === 'refused');
    const middle = median(days);
    return {
      type,
      received: own.length,
      compliedWith: own.filter((row) => row.status === 'completed').length,
      denied: denied.length,
      deniedUnverified: denied.filter((row) => !row.verification).length,
      open: own.filter((row) => row.status !== 'completed' && row.status !== 'refused').length,
      medianDays: middle === null ? null : oneDecimal(middle),
      meanDays: days.length ? oneDecimal(days.reduce((sum, d) => sum + d, 0) / days.length) : null,
    };
  });
}

/** The instants bounding a calendar year (UTC), for a query on `receivedAt`. */
export const yearBounds = (year: number) => ({ from: `${year}-01-01T00:00:00.000Z`, to: `${year + 1}-01-01T00:00:00.000Z` });
