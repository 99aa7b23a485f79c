// Google Consent Mode v2 defaults per region: the `gtag('consent', 'default', …)` commands a tag
// manager runs before any tag, one per jurisdiction of the regions table (its areas as
// `region`, ISO 3166 codes as Google reads them) and one global default. Pure.
import { consentModeOf } from '../cookies/snapshot';
import type { DeclarationSnapshot } from '../cookies/types';
import { defaultsFor, modelIn, type RegionTable } from '.';
import { modelCategory } from './categories';
import { byCodeUnits } from '../policy/patterns';

export type ConsentModeCommand = ['consent', 'default', Record<string, string | string[]>];

export function consentModeDefaults(snapshot: DeclarationSnapshot, table: RegionTable): ConsentModeCommand[] {
  const categories = snapshot.categories.map(modelCategory);
  // Before any choice, no GPC known: what a banner of that model starts from.
  const signalsOf = (code: string) => consentModeOf(snapshot, defaultsFor(modelIn(table, code), categories, false));
  const areasOf = new Map<string, string[]>();
  for (const [area, code] of Object.entries(table.areas)) {
    if (!areasOf.has(code)) areasOf.set(code, []);
    areasOf.get(code)!.push(area);
  }
  const regional = [...areasOf.entries()]
    .sort(([a], [b]) => byCodeUnits(a, b))
    .map(([code, areas]): ConsentModeCommand => ['consent', 'default', { ...signalsOf(code), region: areas.sort(byCodeUnits) }]);
  return [...regional, ['consent', 'default', { ...signalsOf(table.defaultJurisdiction) }]];
}

/** The same commands as a script a page includes before its tags (gtag's own two lines first). */
export function consentModeScript(commands: ConsentModeCommand[]): string {
  return [
    'window.dataLayer = window.dataLayer || [];',
    'function gtag(){dataLayer.push(arguments);}',
    // JSON of fixed words and area codes (AREA_PATTERN): nothing that can close the script.
    ...commands.map((command) => `gtag(${command.map((part) => JSON.stringify(part)).join(', ')});`),
    '',
  ].join('\n');
}
