// Cells of the plugin's CSV exports. Pure.

/**
 * A text cell a spreadsheet will not run as a formula (CSV injection, CWE-1236): what visitors
 * wrote (a user agent, an e-mail address, a reason) may start with `=`, `+`, `@` or `-` and be
 * read as one when the DPO opens the export. Such a cell is prefixed with `'`, as OWASP
 * recommends; an id that merely starts with `-` (letters, digits, `_ . : -` only) is left alone.
 */
export function spreadsheetSafe(value: string): string {
  if (/^[=+@\t\r]/.test(value) || (value.startsWith('-') && /[^A-Za-z0-9_.:-]/.test(value))) return `'${value}`;
  return value;
}

/** csv-stringify's `cast` for every export: booleans as words, objects as JSON, safe text. */
export const CSV_CAST = {
  boolean: (value: boolean) => String(value),
  object: (value: object) => JSON.stringify(value),
  string: (value: string) => spreadsheetSafe(value),
};
