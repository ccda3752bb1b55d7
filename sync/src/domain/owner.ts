import { formatMatrikkelnummer, type Matrikkelnummer } from './parcel.js';

/** Who holds the title: a natural person, an organisation (orgnr), or something else (another property). */
export type OwnerKind = 'person' | 'organisation' | 'other';

/**
 * How the owner relates to the lot's parcel. A festegrunn (leasehold, festenummer > 0) has its own
 * holders (`fester`); the grunneiendom it is leased from is owned by the `bortfester`. Both have to
 * agree before a leasehold lot can be developed, so both are reported.
 */
export type OwnerRole = 'hjemmelshaver' | 'fester' | 'bortfester';

export interface OwnerShare {
  teller: number;
  nevner: number;
}

/**
 * A current registered owner of one matrikkelenhet. Personal data: names and organisation
 * numbers only. National identity numbers are never requested, parsed or kept.
 */
export interface Owner {
  /** The Matrikkel API's internal object id of the person/organisation (not an identity number). */
  matrikkelPersonId: string;
  kind: OwnerKind;
  name: string;
  organisasjonsnummer: string | null;
  share: OwnerShare | null;
  /** The matrikkelenhet this ownership is registered on. */
  parcel: Matrikkelnummer;
  role: OwnerRole;
  /** Registered in Grunnboka (tinglyst) rather than only noted in the Matrikkel. */
  registered: boolean;
}

/** One parcel of a lot and what the Matrikkel says about its owners. */
export interface ParcelOwners {
  parcel: Matrikkelnummer;
  matrikkelenhetId: string;
  unitType: 'grunneiendom' | 'festegrunn' | 'seksjon' | 'jordsameie' | 'annen';
  owners: Owner[];
}

/** The stable id of an ownership across lookups: kommune, parcel and the Matrikkel person id. */
export function ownershipId(owner: Pick<Owner, 'parcel' | 'matrikkelPersonId'>): string {
  return `${parcelLabel(owner.parcel)}-${owner.matrikkelPersonId}`;
}

/** "3218-12/34" or "3218-12/34/1" (kommune-gnr/bnr[/fnr[/snr]]). */
export function parcelLabel(parcel: Matrikkelnummer): string {
  return `${parcel.kommunenummer}-${formatMatrikkelnummer(parcel)}`;
}

/** "1/2"; null when the Matrikkel gives no share (sole owner without a registered fraction). */
export function formatShare(share: OwnerShare | null): string | null {
  return share ? `${share.teller}/${share.nevner}` : null;
}

/** Distinct owners (by Matrikkel person id) across parcels: the figure that feeds Eierstruktur. */
export function countDistinctOwners(parcels: ParcelOwners[]): number {
  return new Set(parcels.flatMap((p) => p.owners.map((o) => o.matrikkelPersonId))).size;
}

/** One row per (parcel, owner) for a lot: what goes to the store and to Airtable's Eiere. */
export interface LotOwnership {
  id: string;
  owner: Owner;
  /** Added up when the Matrikkel lists the same owner twice on one parcel (two registered shares). */
  share: OwnerShare | null;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

export function addShares(a: OwnerShare | null, b: OwnerShare | null): OwnerShare | null {
  if (!a || !b) return a ?? b;
  const teller = a.teller * b.nevner + b.teller * a.nevner;
  const nevner = a.nevner * b.nevner;
  const divisor = gcd(teller, nevner) || 1;
  return { teller: teller / divisor, nevner: nevner / divisor };
}

/** Flattens a lookup into ownerships, merging repeated entries for the same owner and parcel. */
export function lotOwnerships(parcels: ParcelOwners[]): LotOwnership[] {
  const byId = new Map<string, LotOwnership>();
  for (const owner of parcels.flatMap((p) => p.owners)) {
    const id = ownershipId(owner);
    const seen = byId.get(id);
    if (seen) seen.share = addShares(seen.share, owner.share);
    else byId.set(id, { id, owner, share: owner.share });
  }
  return [...byId.values()];
}
