import { readFileSync } from 'node:fs';
import type { Kommune } from '../../domain/kommune.js';
import { fylkeOf } from './fylker.js';
import type { CodeChange } from './klass.js';

/** sync/assets/ssb, from both sync/src/sources/ssb and sync/dist/sources/ssb. */
const ASSETS = new URL('../../../assets/ssb/', import.meta.url);

function readCsv(file: string): string[][] {
  return readFileSync(new URL(file, ASSETS), 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => line.split(','));
}

/** The 357 kommuner of 2024, bundled (see sync/assets/ssb/SOURCES.md): the fallback when KLASS fails. */
export function bundledKommuner(): Kommune[] {
  return readCsv('kommuner-2024.csv').map(([kommunenummer, navn]) => ({
    kommunenummer: kommunenummer!,
    navn: navn!,
    ...fylkeOf(kommunenummer!),
  }));
}

/** The bundled old→new mapping of the 2020 and 2024 reforms (incomplete for 2024; KLASS is the source). */
export function bundledKommuneChanges(): CodeChange[] {
  return readCsv('kommunereform-mapping.csv').map(([oldCode, newCode, , , year]) => ({
    oldCode: oldCode!,
    newCode: newCode!,
    changeOccurred: `${year}-01-01`,
  }));
}
