import type { Owner, OwnerRole, ParcelOwners } from '../../domain/owner.js';
import type { Matrikkelnummer } from '../../domain/parcel.js';
import { SourceError } from '../../util/errors.js';
import { uniqueBy } from '../../util/collections.js';
import { MatrikkelFaultError } from './fault.js';
import {
  findMatrikkelenhetIdForIdent,
  getObject,
  getObjects,
  getPaloggetBruker,
  harLesEierforholdRettighet,
} from './operations.js';
import {
  idTypes,
  isCurrentOwnership,
  parseMatrikkelenhet,
  parsePerson,
  type MatrikkelenhetObject,
  type Ownership,
  type PersonObject,
} from './objects.js';
import type { MatrikkelSoapClient } from './soap-client.js';

export interface OwnerLookupResult {
  parcels: ParcelOwners[];
  /** Parcel numbers the Matrikkel does not know (renumbered or merged since the lot was made). */
  missing: Matrikkelnummer[];
}

export interface MatrikkelOwnerSource {
  /**
   * Current owners of each parcel. `knownId` is the lot's MatrikkelenhetId from the teig data,
   * used for a single-parcel lot to save the ident lookup.
   */
  ownersOf(
    parcels: Matrikkelnummer[],
    options?: { knownId?: string | null; signal?: AbortSignal },
  ): Promise<OwnerLookupResult>;
  /** Throws a SourceError('auth') unless the credentials may read ownerships. Cached after success. */
  checkAccess(options?: { signal?: AbortSignal }): Promise<void>;
}

const ACCESS_CHECK_TTL_MS = 60 * 60 * 1000;

/**
 * Parcel number → MatrikkelenhetId → the Matrikkelenhet's current ownerships (StoreService) →
 * the persons and organisations behind them, fetched together in one getObjects call. A
 * festegrunn also gets the owners of the grunneiendom it is leased from (role "bortfester").
 */
export function createMatrikkelOwnerSource(
  client: MatrikkelSoapClient,
  options: { now?: () => Date } = {},
): MatrikkelOwnerSource {
  const now = options.now ?? (() => new Date());
  let accessCheckedAt = -Infinity;

  async function checkAccess(opts: { signal?: AbortSignal } = {}): Promise<void> {
    if (now().getTime() - accessCheckedAt < ACCESS_CHECK_TTL_MS) return;
    const brukerId = await getPaloggetBruker(client, opts);
    if (!(await harLesEierforholdRettighet(client, brukerId, opts))) {
      throw new SourceError(
        'auth',
        'the Matrikkel user may not read ownerships (harLesEierforholdRettighet is false); ask Kartverket to add the right',
        { source: 'matrikkel' },
      );
    }
    accessCheckedAt = now().getTime();
  }

  async function unitById(id: string, signal: AbortSignal | undefined): Promise<MatrikkelenhetObject | null> {
    try {
      return parseMatrikkelenhet(
        await getObject(client, { value: id, type: idTypes.matrikkelenhet }, { signal }),
      );
    } catch (error) {
      if (error instanceof MatrikkelFaultError && error.faultKind === 'not-found') return null;
      throw error;
    }
  }

  /**
   * The matrikkelenhet of a parcel. An id the cadastre map gave (the teig's matrikkelenhetId) saves
   * a call, but is only trusted when it still resolves to this parcel number: ids outlive
   * renumbering, and owners of the wrong property must never be shown. Otherwise the number decides.
   */
  async function unitFor(
    parcel: Matrikkelnummer,
    knownId: string | null,
    signal: AbortSignal | undefined,
  ): Promise<MatrikkelenhetObject | null> {
    if (knownId) {
      const unit = await unitById(knownId, signal);
      if (unit && sameNumber(unit, parcel)) return unit;
    }
    let id: string;
    try {
      id = await findMatrikkelenhetIdForIdent(client, parcel, { signal });
    } catch (error) {
      if (error instanceof MatrikkelFaultError && error.faultKind === 'not-found') return null;
      throw error;
    }
    return unitById(id, signal);
  }

  async function ownersOf(
    parcels: Matrikkelnummer[],
    opts: { knownId?: string | null; signal?: AbortSignal } = {},
  ): Promise<OwnerLookupResult> {
    const { signal } = opts;
    const today = now().toISOString().slice(0, 10);
    const knownId = parcels.length === 1 ? (opts.knownId ?? null) : null;
    const units = await Promise.all(parcels.map((parcel) => unitFor(parcel, knownId, signal)));

    // A festegrunn is leased from one or more matrikkelenheter; their owners are the bortfestere.
    const leasedFromIds = [
      ...new Set(units.flatMap((u) => (u?.type === 'Festegrunn' ? u.festetMatrikkelenhetIds : []))),
    ];
    const leasedFrom = new Map(
      (
        await getObjects(
          client,
          leasedFromIds.map((value) => ({ value, type: idTypes.matrikkelenhet })),
          { signal },
        )
      )
        .map(parseMatrikkelenhet)
        .map((unit) => [unit.id, unit] as const),
    );

    type Holding = { parcel: Matrikkelnummer; ownership: Ownership; role: OwnerRole };
    const holdingsPerParcel = parcels.map((parcel, index): Holding[] => {
      const unit = units[index];
      if (!unit) return [];
      const own = current(unit, today).map((ownership) => ({
        parcel,
        ownership,
        role: (unit.type === 'Festegrunn' ? 'fester' : 'hjemmelshaver') as OwnerRole,
      }));
      const lessors =
        unit.type === 'Festegrunn'
          ? unit.festetMatrikkelenhetIds.flatMap((id) => {
              const lessor = leasedFrom.get(id);
              if (!lessor) return [];
              const lessorParcel = numberOf(lessor, parcel.kommunenummer) ?? { ...parcel, fnr: 0, snr: 0 };
              return current(lessor, today).map((ownership) => ({
                parcel: lessorParcel,
                ownership,
                role: 'bortfester' as OwnerRole,
              }));
            })
          : [];
      return [...own, ...lessors];
    });

    const holdings = holdingsPerParcel.flat();
    const personIds = uniqueBy(
      holdings.filter((h) => h.ownership.holder === 'person').map((h) => h.ownership.ownerId),
      (id) => id.value,
    );
    const unitIds = uniqueBy(
      holdings.filter((h) => h.ownership.holder === 'matrikkelenhet').map((h) => h.ownership.ownerId),
      (id) => id.value,
    );
    const [personObjects, ownerUnits] = await Promise.all([
      getObjects(client, personIds, { signal }),
      getObjects(client, unitIds, { signal }),
    ]);
    const persons = new Map<string, PersonObject>(personObjects.map(parsePerson).map((p) => [p.id, p]));
    const unitsById = new Map(ownerUnits.map(parseMatrikkelenhet).map((u) => [u.id, u]));

    const toOwner = (holding: Holding): Owner => {
      const { ownership, parcel, role } = holding;
      const id = ownership.ownerId.value;
      const base = { parcel, role, registered: ownership.registered, share: ownership.share };
      if (ownership.holder === 'matrikkelenhet') {
        const unit = unitsById.get(id);
        const number = unit ? numberOf(unit, parcel.kommunenummer) : null;
        const label = number ? `${number.gnr}/${number.bnr}` : id;
        return {
          ...base,
          matrikkelPersonId: `M${id}`,
          kind: 'other',
          name: `Eiendom ${label}`,
          organisasjonsnummer: null,
        };
      }
      const person = persons.get(id);
      if (!person) {
        throw new SourceError('malformed', `getObjects: no person object returned for owner id ${id}`, {
          source: 'matrikkel',
        });
      }
      return {
        ...base,
        matrikkelPersonId: id,
        kind: person.kind,
        name: person.name,
        organisasjonsnummer: person.organisasjonsnummer,
      };
    };

    const result: OwnerLookupResult = { parcels: [], missing: [] };
    parcels.forEach((parcel, index) => {
      const unit = units[index];
      if (!unit) {
        result.missing.push(parcel);
        return;
      }
      result.parcels.push({
        parcel,
        matrikkelenhetId: unit.id,
        unitType: unitTypeOf(unit.type),
        owners: holdingsPerParcel[index]!.map(toOwner),
      });
    });
    return result;
  }

  return { ownersOf, checkAccess };
}

function current(unit: MatrikkelenhetObject, today: string): Ownership[] {
  return unit.ownerships.filter((o) => isCurrentOwnership(o, today));
}

function numberOf(unit: MatrikkelenhetObject, kommunenummer: string): Matrikkelnummer | null {
  if (unit.gnr === null || unit.bnr === null) return null;
  return { kommunenummer, gnr: unit.gnr, bnr: unit.bnr, fnr: unit.fnr ?? 0, snr: unit.snr ?? 0 };
}

function unitTypeOf(type: string): ParcelOwners['unitType'] {
  switch (type) {
    case 'Grunneiendom':
      return 'grunneiendom';
    case 'Festegrunn':
      return 'festegrunn';
    case 'Seksjon':
      return 'seksjon';
    case 'Jordsameie':
      return 'jordsameie';
    default:
      return 'annen';
  }
}

/** Whether a matrikkelenhet carries the parcel's number (fields the object leaves out are not held against it). */
function sameNumber(unit: MatrikkelenhetObject, parcel: Matrikkelnummer): boolean {
  const agrees = (value: number | null, expected: number) => value === null || value === expected;
  return (
    agrees(unit.gnr, parcel.gnr) &&
    agrees(unit.bnr, parcel.bnr) &&
    agrees(unit.fnr, parcel.fnr) &&
    agrees(unit.snr, parcel.snr)
  );
}
