import { countDistinctOwners, parcelLabel, type ParcelOwners } from '../domain/owner.js';
import type { Matrikkelnummer } from '../domain/parcel.js';
import type { OwnerLookupResult } from '../sources/matrikkel/owners.js';

/** The Norwegian status lines the sales team reads in "Eieroppslag melding". */
const time = new Intl.DateTimeFormat('nb-NO', {
  timeZone: 'Europe/Oslo',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

const when = (date: Date) => time.format(date).replace(',', ' kl.');
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const labels = (parcels: Matrikkelnummer[]) => parcels.map(parcelLabel).join(', ');

export function doneMessage(result: OwnerLookupResult, fetchedAt: Date): string {
  const count = countDistinctOwners(result.parcels);
  const owners = result.parcels.flatMap((p) => p.owners);
  const kinds = [
    [owners.filter((o) => o.kind === 'person'), 'person', 'personer'],
    [owners.filter((o) => o.kind === 'organisation'), 'organisasjon', 'organisasjoner'],
    [owners.filter((o) => o.kind === 'other'), 'annen', 'andre'],
  ] as const;
  const breakdown = kinds
    .map(([list, one, many]) => [new Set(list.map((o) => o.matrikkelPersonId)).size, one, many] as const)
    .filter(([n]) => n > 0)
    .map(([n, one, many]) => plural(n, one, many))
    .join(', ');
  const parts = [
    count === 0
      ? `Ingen registrerte eiere (${labels(result.parcels.map((p) => p.parcel))})`
      : `${plural(count, 'eier', 'eiere')}${breakdown ? ` (${breakdown})` : ''} på ${labels(result.parcels.map((p) => p.parcel))}`,
  ];
  if (result.parcels.some((p: ParcelOwners) => p.unitType === 'festegrunn'))
    parts.push('Festetomt: fester og bortfester');
  if (result.missing.length > 0) parts.push(`Fant ikke ${labels(result.missing)} i Matrikkelen`);
  parts.push(`Hentet ${when(fetchedAt)}`);
  return parts.join('. ') + '.';
}

export const reusedMessage = (ownerCount: number, finishedAt: Date) =>
  `${plural(ownerCount, 'eier', 'eiere')}, hentet ${when(finishedAt)} (nylig oppslag gjenbrukt).`;

export const runningMessage = () => 'Henter hjemmelshavere fra Matrikkelen …';

export const retryMessage = (reason: string) =>
  `Matrikkelen svarte ikke som ventet (${reason}); prøver igjen.`;

export const notConfiguredMessage = () =>
  'Eieroppslag er ikke satt opp: tjenesten mangler tilgang til Matrikkelen (avtale med Kartverket).';

export const notFoundMessage = (parcels: Matrikkelnummer[]) =>
  `Fant ikke ${labels(parcels)} i Matrikkelen (omnummerert eller sammenslått?).`;

export const failedMessage = (reason: string) => `Eieroppslaget feilet: ${reason}`;
