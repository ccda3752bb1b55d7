import { NO_FILTER, sanitizeFilter, type LotFilter } from './lot-filter.js';

/**
 * The filter lives in sessionStorage: it survives the extension being reloaded or the user
 * switching tables, and each user (and each base) has their own, but it never becomes a setting
 * shared with the team (GlobalConfig is shared by everyone in the base).
 */
export const filterStorageKey = (baseId: string, userId: string | null) =>
  `tomtekart:filter:v1:${baseId}:${userId ?? 'anonym'}`;

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage blocked (third-party cookies off): the filter then lasts until reload
  }
}

export function loadFilter(key: string): LotFilter {
  try {
    const text = storage()?.getItem(key);
    return text ? sanitizeFilter(JSON.parse(text)) : NO_FILTER;
  } catch {
    return NO_FILTER;
  }
}

export function saveFilter(key: string, filter: LotFilter): void {
  try {
    storage()?.setItem(key, JSON.stringify(filter));
  } catch {
    // full or blocked storage only costs the memory of the filter
  }
}
