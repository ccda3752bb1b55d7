import { readFileSync } from 'node:fs';

const REFERENCE = new URL('../../fixtures/reference/ssb/', import.meta.url);
const ASSETS = new URL('../../../sync/assets/ssb/', import.meta.url);

function rows(url: URL): string[][] {
  return readFileSync(url, 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => line.split(','));
}

export interface KommuneRow {
  nr: string;
  navn: string;
}

/** The 357 kommuner of 2024 (sync/assets/ssb/kommuner-2024.csv). */
export function kommuner2024(): KommuneRow[] {
  return rows(new URL('kommuner-2024.csv', ASSETS)).map(([nr, navn]) => ({ nr: nr!, navn: navn! }));
}

/** Real population 1 January 2014–2026 per 2024 kommune (SSB 07459 via valg_analyser). */
export function population(): Map<string, Map<number, number>> {
  const result = new Map<string, Map<number, number>>();
  for (const [nr, , year, people] of rows(new URL('befolkning-07459-2014-2026.csv', REFERENCE))) {
    const byYear = result.get(nr!) ?? new Map<number, number>();
    byYear.set(Number(year), Number(people));
    result.set(nr!, byYear);
  }
  return result;
}

/** Real 2023 kommunestyrevalg votes per 2024 kommune and party (SSB 01180 via valg_analyser). */
export function votes2023(): Map<string, Map<string, number>> {
  const result = new Map<string, Map<string, number>>();
  for (const [nr, , , party, votes] of rows(new URL('kommunestyrevalg-01180-2023.csv', REFERENCE))) {
    const byParty = result.get(nr!) ?? new Map<string, number>();
    byParty.set(party!, Number(votes));
    result.set(nr!, byParty);
  }
  return result;
}

/** Real 2023 kommunestyrevalg votes per 2024 kommune and list code, every list (SSB 01180, the snapshot's extract). */
export function votes2023AllLists(): Map<string, Map<string, number>> {
  const result = new Map<string, Map<string, number>>();
  for (const [nr, party, votes] of rows(new URL('snapshot/01180-2023.csv', ASSETS))) {
    const unquote = (text: string) => text.replace(/^"(.*)"$/, '$1');
    const byParty = result.get(unquote(nr!)) ?? new Map<string, number>();
    byParty.set(unquote(party!), Number(votes));
    result.set(unquote(nr!), byParty);
  }
  return result;
}

export interface ReformRow {
  oldCode: string;
  newCode: string;
  oldName: string;
  year: number;
}

/** The bundled old→new mapping (sync/assets/ssb/kommunereform-mapping.csv). */
export function reformMapping(): ReformRow[] {
  return rows(new URL('kommunereform-mapping.csv', ASSETS)).map(([oldCode, newCode, oldName, , year]) => ({
    oldCode: oldCode!,
    newCode: newCode!,
    oldName: oldName!,
    year: Number(year),
  }));
}
