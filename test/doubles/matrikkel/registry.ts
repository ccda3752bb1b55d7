/**
 * Synthetic owners for the Matrikkel double. Every name, national identity number and
 * organisation number here is generated: none belongs to a real person or company.
 *
 * Any parcel of any kommune gets deterministic owners (seeded by its number), so the sample
 * kommune's lots all resolve. Parcels with gnr 900 and 999 are hand-made cases:
 *   900/1   shared ownership: two persons, 1/2 each
 *   900/2   a company (AS), 1/1
 *   900/3   no registered owner
 *   900/4   grunneiendom owned by a company; 900/4/1 is a festegrunn (leasehold) on it, held by a person
 *   900/5   one current owner, one ended ownership (datoTil in the past), one Kontaktinstans
 *   900/6   three heirs, 1/3 each
 *   900/7   a jordsameie owned by the properties 900/1 and 900/2 (1/2 each)
 *   999/999 does not exist (FinderException)
 */
import { hashString, seeded } from '../../../scripts/sample/random.js';

export type PersonType = 'FysiskPerson' | 'JuridiskPerson';

export interface DoublePerson {
  id: string;
  type: PersonType;
  navn: string;
  fornavn?: string;
  etternavn?: string;
  /** FysiskPerson: a synthetic 11-digit fødselsnummer (what the real API returns); JuridiskPerson: orgnr. */
  nummer: string;
  adresselinje1: string;
  postnummer: string;
}

export type OwnershipType =
  | 'PersonTinglystEierforhold'
  | 'JuridiskPersonTinglystEierforhold'
  | 'PersonIkkeTinglystEierforhold'
  | 'MatrikkelenhetTinglystEierforhold'
  | 'Kontaktinstans';

export interface DoubleOwnership {
  type: OwnershipType;
  ownerId: string;
  ownerIdType: 'FysiskPersonId' | 'JuridiskPersonId' | 'MatrikkelenhetId';
  andel?: [number, number];
  datoFra: string;
  datoTil?: string;
}

export type UnitType = 'Grunneiendom' | 'Festegrunn' | 'Jordsameie';

export interface DoubleUnit {
  id: string;
  type: UnitType;
  kommunenummer: string;
  gnr: number;
  bnr: number;
  fnr: number;
  snr: number;
  bruksnavn: string;
  ownerships: DoubleOwnership[];
  festetPa: string[];
}

const FIRST = [
  'Kari',
  'Ola',
  'Ingrid',
  'Per',
  'Solveig',
  'Lars',
  'Marit',
  'Knut',
  'Astrid',
  'Jon',
  'Liv',
  'Arne',
  'Randi',
  'Bjørn',
  'Turid',
  'Svein',
  'Eli',
  'Geir',
  'Hilde',
  'Tor',
];
const LAST = [
  'Synthesen',
  'Prøvestad',
  'Testrud',
  'Eksemplum',
  'Dobbeltvik',
  'Fiktivsen',
  'Lånedal',
  'Skisseberg',
  'Modellhaug',
  'Utkastmo',
  'Kladdeby',
  'Attrapås',
  'Mockerud',
  'Simulsen',
  'Stubbetun',
];
const STREETS = ['Prøvevegen', 'Testgata', 'Eksempelveien', 'Dobbeltstien'];

/** A 9-digit number passing the Brønnøysund modulus-11 check, starting with 9 (synthetic). */
function organisasjonsnummer(seed: number): string {
  const weights = [3, 2, 7, 6, 5, 4, 3, 2];
  for (let attempt = 0; ; attempt++) {
    const body = `9${String((seed + attempt * 7919) % 10_000_000).padStart(7, '0')}`;
    const sum = [...body].reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
    const check = 11 - (sum % 11);
    if (check === 10) continue;
    return body + String(check === 11 ? 0 : check);
  }
}

function fodselsnummer(rand: () => number): string {
  const day = String(1 + Math.floor(rand() * 28)).padStart(2, '0');
  const month = String(1 + Math.floor(rand() * 12)).padStart(2, '0');
  const year = String(40 + Math.floor(rand() * 60)).padStart(2, '0');
  return `${day}${month}${year}${String(Math.floor(rand() * 100_000)).padStart(5, '0')}`;
}

export class MatrikkelRegistry {
  readonly units = new Map<string, DoubleUnit>();
  readonly persons = new Map<string, DoublePerson>();
  private readonly byIdent = new Map<string, string>();
  private nextId = 5_000_000_001;

  identKey(kommunenummer: string, gnr: number, bnr: number, fnr: number, snr: number): string {
    return `${kommunenummer}-${gnr}/${bnr}/${fnr}/${snr}`;
  }

  /** The unit for a parcel number, created on first use; null for numbers that do not exist. */
  unitFor(kommunenummer: string, gnr: number, bnr: number, fnr: number, snr: number): DoubleUnit | null {
    if (gnr === 999 || gnr <= 0 || bnr <= 0) return null;
    const key = this.identKey(kommunenummer, gnr, bnr, fnr, snr);
    const known = this.byIdent.get(key);
    if (known) return this.units.get(known)!;
    if (gnr === 900) return this.special(kommunenummer, bnr, fnr);
    if (fnr !== 0 || snr !== 0) return null;
    return this.synthetic(kommunenummer, gnr, bnr);
  }

  person(kommunenummer: string, index: number, type: PersonType = 'FysiskPerson'): DoublePerson {
    const id = String(
      7_000_000_000 + Number(kommunenummer) * 100_000 + index * 2 + (type === 'JuridiskPerson' ? 1 : 0),
    );
    const existing = this.persons.get(id);
    if (existing) return existing;
    const rand = seeded(hashString(id));
    const last = LAST[Math.floor(rand() * LAST.length)]!;
    const address = {
      adresselinje1: `${STREETS[Math.floor(rand() * STREETS.length)]} ${1 + Math.floor(rand() * 90)}`,
      postnummer: String(1000 + Math.floor(rand() * 8000)),
    };
    const person: DoublePerson =
      type === 'JuridiskPerson'
        ? { id, type, navn: `${last} Eiendom AS`, nummer: organisasjonsnummer(hashString(id)), ...address }
        : (() => {
            const first = FIRST[Math.floor(rand() * FIRST.length)]!;
            return {
              id,
              type,
              navn: `${last} ${first}`,
              fornavn: first,
              etternavn: last,
              nummer: fodselsnummer(rand),
              ...address,
            };
          })();
    this.persons.set(id, person);
    return person;
  }

  private add(unit: Omit<DoubleUnit, 'id'>): DoubleUnit {
    const id = String(this.nextId++);
    const full = { ...unit, id };
    this.units.set(id, full);
    this.byIdent.set(this.identKey(unit.kommunenummer, unit.gnr, unit.bnr, unit.fnr, unit.snr), id);
    return full;
  }

  private base(kommunenummer: string, gnr: number, bnr: number, fnr = 0): Omit<DoubleUnit, 'id'> {
    return {
      type: fnr ? 'Festegrunn' : 'Grunneiendom',
      kommunenummer,
      gnr,
      bnr,
      fnr,
      snr: 0,
      bruksnavn: `Bruk ${gnr}/${bnr}`,
      ownerships: [],
      festetPa: [],
    };
  }

  private owns(
    person: DoublePerson,
    andel: [number, number] | undefined,
    datoFra = '2004-06-01',
  ): DoubleOwnership {
    const organisation = person.type === 'JuridiskPerson';
    return {
      type: organisation ? 'JuridiskPersonTinglystEierforhold' : 'PersonTinglystEierforhold',
      ownerId: person.id,
      ownerIdType: organisation ? 'JuridiskPersonId' : 'FysiskPersonId',
      ...(andel ? { andel } : {}),
      datoFra,
    };
  }

  private synthetic(kommunenummer: string, gnr: number, bnr: number): DoubleUnit {
    const rand = seeded(hashString(`${kommunenummer}-${gnr}/${bnr}`));
    const pick = rand();
    // A pool of 400 synthetic people per kommune, so neighbouring parcels sometimes share an owner.
    const personIndex = () => Math.floor(rand() * 400);
    const unit = this.base(kommunenummer, gnr, bnr);
    if (pick < 0.7) {
      unit.ownerships = [this.owns(this.person(kommunenummer, personIndex()), [1, 1])];
    } else if (pick < 0.85) {
      unit.ownerships = [personIndex(), personIndex() + 400].map((i) =>
        this.owns(this.person(kommunenummer, i), [1, 2]),
      );
    } else {
      unit.ownerships = [this.owns(this.person(kommunenummer, personIndex(), 'JuridiskPerson'), [1, 1])];
    }
    return this.add(unit);
  }

  private special(kommunenummer: string, bnr: number, fnr: number): DoubleUnit | null {
    const p = (i: number, type: PersonType = 'FysiskPerson') => this.person(kommunenummer, 10_000 + i, type);
    if (fnr !== 0 && !(bnr === 4 && fnr === 1)) return null;
    switch (bnr) {
      case 1:
        return this.add({
          ...this.base(kommunenummer, 900, 1),
          ownerships: [this.owns(p(1), [1, 2]), this.owns(p(2), [1, 2])],
        });
      case 2:
        return this.add({
          ...this.base(kommunenummer, 900, 2),
          ownerships: [this.owns(p(3, 'JuridiskPerson'), [1, 1])],
        });
      case 3:
        return this.add({ ...this.base(kommunenummer, 900, 3), ownerships: [] });
      case 4: {
        const grunn =
          this.units.get(this.byIdent.get(this.identKey(kommunenummer, 900, 4, 0, 0)) ?? '') ??
          this.add({
            ...this.base(kommunenummer, 900, 4),
            ownerships: [this.owns(p(4, 'JuridiskPerson'), [1, 1])],
          });
        if (fnr === 0) return grunn;
        return this.add({
          ...this.base(kommunenummer, 900, 4, 1),
          ownerships: [this.owns(p(5), [1, 1], '2011-03-15')],
          festetPa: [grunn.id],
        });
      }
      case 5:
        return this.add({
          ...this.base(kommunenummer, 900, 5),
          ownerships: [
            this.owns(p(6), [1, 1], '2021-09-01'),
            {
              type: 'PersonIkkeTinglystEierforhold',
              ownerId: p(7).id,
              ownerIdType: 'FysiskPersonId',
              andel: [1, 1],
              datoFra: '1998-01-01',
              datoTil: '2021-08-31',
            },
            {
              type: 'Kontaktinstans',
              ownerId: p(8).id,
              ownerIdType: 'FysiskPersonId',
              datoFra: '2021-09-01',
            },
          ],
        });
      case 6:
        return this.add({
          ...this.base(kommunenummer, 900, 6),
          ownerships: [9, 10, 11].map((i) => this.owns(p(i), [1, 3], '2023-02-10')),
        });
      case 7: {
        const a = this.unitFor(kommunenummer, 900, 1, 0, 0)!;
        const b = this.unitFor(kommunenummer, 900, 2, 0, 0)!;
        return this.add({
          ...this.base(kommunenummer, 900, 7),
          type: 'Jordsameie',
          ownerships: [a, b].map((owner) => ({
            type: 'MatrikkelenhetTinglystEierforhold' as const,
            ownerId: owner.id,
            ownerIdType: 'MatrikkelenhetId' as const,
            andel: [1, 2] as [number, number],
            datoFra: '1950-01-01',
          })),
        });
      }
      default:
        return null;
    }
  }

  /** Every name and identity number the double could hand out so far (for "never stored" checks). */
  personalData(): { names: string[]; identityNumbers: string[]; addresses: string[] } {
    const people = [...this.persons.values()];
    return {
      names: people.flatMap((p) => [p.navn, ...(p.fornavn ? [`${p.fornavn} ${p.etternavn}`] : [])]),
      identityNumbers: people.filter((p) => p.type === 'FysiskPerson').map((p) => p.nummer),
      addresses: people.map((p) => p.adresselinje1),
    };
  }
}
