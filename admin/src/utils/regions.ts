// Settings → Regions: the table as the page edits it. Pure, so unit tests need no browser.
import { AREA_PATTERN, type Model, type RegionTable } from '../../../server/src/regions';

/** What the page knows of each jurisdiction: its default model. */
type Defaults = ReadonlyArray<{ code: string; defaultModel: Model }>;

const sortedEntries = <T>(object: Record<string, T>) => Object.entries(object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * The table as it is saved: a model equal to its jurisdiction's default is no change and is
 * dropped (the server would keep it, and the audit would show a change that changes nothing).
 */
export function tableToSave(table: RegionTable, jurisdictions: Defaults): RegionTable {
  const defaultOf = new Map(jurisdictions.map((j) => [j.code, j.defaultModel]));
  return {
    areas: Object.fromEntries(sortedEntries(table.areas)),
    models: Object.fromEntries(sortedEntries(table.models).filter(([code, model]) => defaultOf.get(code) !== model)),
    defaultJurisdiction: table.defaultJurisdiction,
  };
}

/** Whether two tables say the same (key order and default-equal models aside). */
export const sameTable = (a: RegionTable, b: RegionTable, jurisdictions: Defaults) =>
  JSON.stringify(tableToSave(a, jurisdictions)) === JSON.stringify(tableToSave(b, jurisdictions));

/** How an area's entry differs from the plugin's default table. */
export type AreaChange = 'added' | 'changed' | null;
export const areaChange = (area: string, code: string, defaults: Record<string, string>): AreaChange =>
  !Object.prototype.hasOwnProperty.call(defaults, area) ? 'added' : defaults[area] !== code ? 'changed' : null;

/** The default entries the table no longer holds, sorted. */
export const removedDefaults = (areas: Record<string, string>, defaults: Record<string, string>) =>
  Object.keys(defaults)
    .filter((area) => !Object.prototype.hasOwnProperty.call(areas, area))
    .sort();

/**
 * The entries an editor looks for, sorted by area: the filter matches the area code (`US`
 * finds US-CA), the jurisdiction code, or the jurisdiction's name, ignoring case.
 */
export function filterAreas(areas: Record<string, string>, query: string, names: Record<string, string>): Array<[string, string]> {
  const wanted = query.trim().toLowerCase();
  return sortedEntries(areas).filter(
    ([area, code]) => !wanted || area.toLowerCase().includes(wanted) || code.toLowerCase().includes(wanted) || (names[code] ?? '').toLowerCase().includes(wanted)
  );
}

/** An area code as typed, the way the table keeps it: trimmed, upper case. */
export const normaliseArea = (typed: string) => typed.trim().toUpperCase();

/** Why an area cannot be added, or null when it can. */
export function newAreaProblem(area: string, areas: Record<string, string>): 'empty' | 'pattern' | 'exists' | null {
  if (!area) return 'empty';
  if (!AREA_PATTERN.test(area)) return 'pattern';
  return Object.prototype.hasOwnProperty.call(areas, area) ? 'exists' : null;
}
