// How the regions read a declaration's categories. Pure; shared with the admin.
import { c15tTypeOf } from '../c15t/consent-types';
import type { ModelCategory } from '.';

/**
 * Whether a category sells or shares personal information: as an editor chose, else true for
 * the categories that stand for marketing (c15t type marketing: the usual keys marketing,
 * advertising, ads), the one purpose the opt-out laws name.
 */
export const saleShareOf = (category: { key: string; required: boolean; c15tType?: string; saleShare?: boolean }): boolean =>
  // A required category is never refused, so it is never one an opt-out refuses either: an
  // editor's saleShare on it (the admin API takes it) would only make the answers contradict
  // themselves (a banner dropping a category it must keep).
  !category.required && (category.saleShare ?? c15tTypeOf(category as Parameters<typeof c15tTypeOf>[0]) === 'marketing');

/** A frozen or editable category, as the models read it. */
export const modelCategory = (category: { key: string; required: boolean; refusedUnderGpc: boolean; c15tType?: string; saleShare?: boolean }): ModelCategory => ({
  key: category.key,
  required: category.required,
  refusedUnderGpc: category.refusedUnderGpc,
  saleShare: saleShareOf(category),
});
