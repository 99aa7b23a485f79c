/**
 * The person a data-subject page is about: an e-mail address, a visitor id, a consent id or a
 * pasted receipt. It is personal data, so it never goes into a URL (browser history, server
 * logs, Referer headers): the search keeps it in this tab's sessionStorage, so it survives
 * paging the register and coming back from the evidence file; the evidence file gets it in the
 * router's state. Both are gone when the tab is closed.
 */
export interface SubjectSearch {
  query: string;
}

const KEY = 'privacy-centre.subjects.search';

export const readStoredSearch = (): SubjectSearch | null => {
  try {
    const value = JSON.parse(window.sessionStorage.getItem(KEY) ?? 'null');
    return value && typeof value.query === 'string' && value.query.trim() ? (value as SubjectSearch) : null;
  } catch {
    return null;
  }
};

export const storeSearch = (search: SubjectSearch | null) => {
  try {
    if (search) window.sessionStorage.setItem(KEY, JSON.stringify(search));
    else window.sessionStorage.removeItem(KEY);
  } catch {
    // Storage refused (private mode, quota): the search still works, it is just not kept.
  }
};

/** The router state the evidence file is opened with. */
export interface EvidenceState {
  query: string;
}

export const evidenceQueryOf = (state: unknown): string | null => {
  const query = (state as Partial<EvidenceState> | null)?.query;
  return typeof query === 'string' && query.trim() ? query : null;
};
