/** The 15 fylker from 2024-01-01 (navikt/paw-arbeidssoekerregisteret fylker.ts; ssb.md §2). */
export const FYLKER_2024: Record<string, string> = {
  '03': 'Oslo',
  '11': 'Rogaland',
  '15': 'Møre og Romsdal',
  '18': 'Nordland',
  '31': 'Østfold',
  '32': 'Akershus',
  '33': 'Buskerud',
  '34': 'Innlandet',
  '39': 'Vestfold',
  '40': 'Telemark',
  '42': 'Agder',
  '46': 'Vestland',
  '50': 'Trøndelag',
  '55': 'Troms',
  '56': 'Finnmark',
};

export function fylkeOf(kommunenummer: string): { fylkesnummer: string; fylkesnavn: string | null } {
  const fylkesnummer = kommunenummer.slice(0, 2);
  return { fylkesnummer, fylkesnavn: FYLKER_2024[fylkesnummer] ?? null };
}
