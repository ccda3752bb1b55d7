import type { SourceRole } from '../../../sources/sources-config.js';

/** `tomtejakt fetch`'s flags. */
export interface FetchOptions {
  kommune: string;
  source?: string;
  part?: SourceRole;
  json?: boolean;
}

/** One part of the kommune as fetched: where from, how much of the kommune, what came. */
export interface FetchedPart {
  part: string;
  source: string;
  coverage: string;
  counts: Array<[string, number]>;
  warnings: number;
  /** From the nightly path only: 'fallback' when the last good copy stood in for a failed source. */
  status?: string;
  reason?: string;
}

export interface FetchedKommune {
  /** "kommune 3218 Ås", with a note when the bundled boundary stood in. */
  kommuneLine: string;
  parts: FetchedPart[];
}
