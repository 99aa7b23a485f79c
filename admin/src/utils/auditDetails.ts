/** An audit event's details as stored, pretty-printed; empty objects say nothing and are not shown. */
export const formatDetails = (details: unknown) => {
  if (details === null || details === undefined) return '';
  if (typeof details === 'string') return details;
  if (typeof details === 'object' && Object.keys(details as object).length === 0) return '';
  return JSON.stringify(details, null, 2);
};
