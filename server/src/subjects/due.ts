// Art. 12(3) GDPR: answer "without undue delay and in any event within one month of receipt",
// extendable "by two further months where necessary". Calendar months (31 January + 1 month is
// the last day of February), as date-fns counts them. Pure.
import addMonths from 'date-fns/addMonths';

export const ANSWER_MONTHS = 1;
export const MAX_EXTENSION_MONTHS = 2;

export const dueDate = (receivedAt: string, extensionMonths = 0) =>
  addMonths(new Date(receivedAt), ANSWER_MONTHS + extensionMonths).toISOString();

/** The extension so far, in whole months, of a request due at `dueAt`. */
export function extensionMonthsOf(receivedAt: string, dueAt: string): number {
  for (let months = 0; months <= MAX_EXTENSION_MONTHS; months += 1) if (dueDate(receivedAt, months) === dueAt) return months;
  return MAX_EXTENSION_MONTHS;
}
