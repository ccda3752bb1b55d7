import { useCallback, useState } from 'react';
import { filterStorageKey, loadFilter, saveFilter } from './filter-storage.js';
import type { LotFilter } from './lot-filter.js';

/** The user's filter, kept for their browser session (see filter-storage). */
export function useSessionFilter(baseId: string, userId: string | null): [LotFilter, (f: LotFilter) => void] {
  const key = filterStorageKey(baseId, userId);
  const [state, setState] = useState(() => ({ key, filter: loadFilter(key) }));
  const filter = state.key === key ? state.filter : loadFilter(key);
  const setFilter = useCallback(
    (next: LotFilter) => {
      saveFilter(key, next);
      setState({ key, filter: next });
    },
    [key],
  );
  return [filter, setFilter];
}
