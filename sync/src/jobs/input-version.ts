import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { statsOf } from '../sources/files/input-version.js';

/** The running code (sync/src or sync/dist): a new build or release changes it, so every kommune is recomputed once. */
let code: string | null = null;
function codeVersion(): string {
  code ??= createHash('sha256')
    .update(statsOf(fileURLToPath(new URL('..', import.meta.url))).join('\n'))
    .digest('hex');
  return code;
}

/**
 * Everything a kommune's lots follow from, as one digest: its inputs' version (files and the kept
 * stop data), the rules, the kommune's figures from the ranking (Byggevilje, price, centrality),
 * the owner counts from lookups, the run's date (recent regulation is counted back from it) and
 * the code. Equal digests give equal lots, so a kommune
 * whose digest is the one stored with its lots need not be read or computed again.
 */
export function lotInputVersion(parts: {
  inputs: string;
  rules: unknown;
  kommune: unknown;
  ownerCounts: Map<string, number>;
  asOf: string;
}): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        parts.inputs,
        parts.rules,
        parts.kommune,
        [...parts.ownerCounts].sort(),
        parts.asOf,
        codeVersion(),
      ]),
    )
    .digest('hex');
}
