import type { OwnerShare } from '../../domain/owner.js';
import { NS } from './namespaces.js';
import { at, child, children, textAt, type XmlElement } from './xml.js';

/** A bubble id with the type the StoreService needs to know what to fetch (`xsi:type`). */
export interface TypedId {
  value: string;
  type: { ns: string; local: string };
}

export const idTypes = {
  matrikkelenhet: { ns: NS.matrikkelenhet, local: 'MatrikkelenhetId' },
  person: { ns: NS.person, local: 'PersonId' },
} as const;

/** One `Eierforhold` item of a Matrikkelenhet (matrikkelenhet.xsd), reduced to what the lookup needs. */
export interface Ownership {
  /** A person/organisation owns it, or another matrikkelenhet does (e.g. a jordsameie share). */
  holder: 'person' | 'matrikkelenhet';
  ownerId: TypedId;
  /** TinglystEierforhold subtypes: registered in Grunnboka. */
  registered: boolean;
  share: OwnerShare | null;
  datoTil: string | null;
  sluttdato: string | null;
}

export interface MatrikkelenhetObject {
  id: string;
  /** The concrete type: Grunneiendom, Festegrunn, Seksjon, Jordsameie, AnnenMatrikkelenhet … */
  type: string;
  gnr: number | null;
  bnr: number | null;
  fnr: number | null;
  snr: number | null;
  ownerships: Ownership[];
  /** Festegrunn: the matrikkelenheter it is leased from. */
  festetMatrikkelenhetIds: string[];
}

/** A Person bubble. National identity numbers (`nummer` of a FysiskPerson) are never read. */
export interface PersonObject {
  id: string;
  kind: 'person' | 'organisation' | 'other';
  name: string;
  organisasjonsnummer: string | null;
}

export function bubbleIdOf(element: XmlElement | null): string | null {
  return textAt(element, 'value');
}

function typedIdOf(element: XmlElement | null, fallback: TypedId['type']): TypedId | null {
  const value = bubbleIdOf(element);
  if (!value) return null;
  return { value, type: element?.xsiType ?? fallback };
}

const int = (text: string | null): number | null =>
  text !== null && /^-?\d+$/.test(text) ? Number(text) : null;

function shareOf(element: XmlElement | null): OwnerShare | null {
  const teller = int(textAt(element, 'teller'));
  const nevner = int(textAt(element, 'nevner'));
  return teller !== null && nevner !== null && nevner > 0 ? { teller, nevner } : null;
}

/**
 * Reads one `eierforhold/item`. Kontaktinstans items (a contact for the unit, not an owner) and
 * items without an owner id are dropped.
 */
export function parseOwnership(item: XmlElement): Ownership | null {
  const type = item.xsiType?.local ?? '';
  if (type === 'Kontaktinstans') return null;
  const registered = !type.includes('IkkeTinglyst');
  const common = {
    registered,
    share: shareOf(child(item, 'andel')),
    datoTil: textAt(item, 'datoTil', 'date'),
    sluttdato: textAt(item, 'sluttdato', 'timestamp'),
  };
  if (type.startsWith('Matrikkelenhet')) {
    const ownerId = typedIdOf(child(item, 'eiendeMatrikkelenhetId'), idTypes.matrikkelenhet);
    return ownerId ? { holder: 'matrikkelenhet', ownerId, ...common } : null;
  }
  const ownerId = typedIdOf(child(item, 'eierId'), idTypes.person);
  return ownerId ? { holder: 'person', ownerId, ...common } : null;
}

/**
 * Current ownerships only: an ended one has a `datoTil` on or before today, or a `sluttdato`
 * (the version was closed). Dates are compared as ISO strings (yyyy-mm-dd).
 */
export function isCurrentOwnership(ownership: Ownership, today: string): boolean {
  if (ownership.sluttdato) return false;
  return !ownership.datoTil || ownership.datoTil.slice(0, 10) > today;
}

export function parseMatrikkelenhet(element: XmlElement): MatrikkelenhetObject {
  const nummer = child(element, 'matrikkelnummer');
  return {
    id: bubbleIdOf(child(element, 'id', NS.domain)) ?? '',
    type: element.xsiType?.local ?? 'Matrikkelenhet',
    gnr: int(textAt(nummer, 'gardsnummer')),
    bnr: int(textAt(nummer, 'bruksnummer')),
    fnr: int(textAt(nummer, 'festenummer')),
    snr: int(textAt(nummer, 'seksjonsnummer')),
    ownerships: children(child(element, 'eierforhold'), 'item')
      .map(parseOwnership)
      .filter((o): o is Ownership => o !== null),
    festetMatrikkelenhetIds: children(child(element, 'festetMatrikkelenhetIds'), 'item')
      .map((item) => bubbleIdOf(item))
      .filter((id): id is string => id !== null),
  };
}

const ORGNR = /^\d{9}$/;

export function parsePerson(element: XmlElement): PersonObject {
  const type = element.xsiType?.local ?? 'Person';
  const id = bubbleIdOf(child(element, 'id', NS.domain)) ?? '';
  const navn = textAt(element, 'navn');
  if (type === 'JuridiskPerson') {
    const nummer = textAt(element, 'nummer');
    return {
      id,
      kind: 'organisation',
      name: navn ?? '(uten navn)',
      organisasjonsnummer: nummer && ORGNR.test(nummer) ? nummer : null,
    };
  }
  if (type === 'FysiskPerson') {
    const given = [textAt(element, 'fornavn'), textAt(element, 'etternavn')].filter(Boolean).join(' ');
    return { id, kind: 'person', name: given || navn || '(uten navn)', organisasjonsnummer: null };
  }
  return { id, kind: 'other', name: navn ?? '(uten navn)', organisasjonsnummer: null };
}

/** `return` of a getObject response, `return/item`s of getObjects. */
export function returnOf(response: XmlElement): XmlElement | null {
  return child(response, 'return');
}

export function itemsOf(response: XmlElement): XmlElement[] {
  return children(at(response, 'return'), 'item');
}
