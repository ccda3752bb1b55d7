import { choices, isoDate, type TableSpec } from './types.js';

/** Field names of the Eiere table (registered owners from the Matrikkel, linked to Tomter). */
export const EiereField = {
  eierId: 'Eier-ID',
  navn: 'Navn',
  type: 'Type',
  organisasjonsnummer: 'Organisasjonsnummer',
  andel: 'Andel',
  matrikkelnummer: 'Matrikkelnummer',
  tomter: 'Tomter',
  kilde: 'Kilde',
  hentet: 'Hentet',
  kontaktstatus: 'Kontaktstatus',
  telefon: 'Telefon',
  epost: 'E-post',
  notater: 'Notater',
} as const;

const F = EiereField;

/** The link field to Tomter is added by setup-base once both tables exist (it needs the table id). */
export const eiereTable: TableSpec = {
  name: 'Eiere',
  description:
    'Hjemmelshavere hentet fra Matrikkelen på forespørsel. Personopplysninger: bruk kun i tråd med formålet. ' +
    'Kontaktstatus, Telefon, E-post og Notater er teamets felt.',
  primary: {
    name: F.eierId,
    type: 'singleLineText',
    owner: 'lookup',
    description: 'Stabil ID: eiendom + eier',
  },
  fields: [
    { name: F.navn, type: 'singleLineText', owner: 'lookup' },
    {
      name: F.type,
      type: 'singleSelect',
      options: choices('Person', 'Organisasjon', 'Annet'),
      owner: 'lookup',
    },
    { name: F.organisasjonsnummer, type: 'singleLineText', owner: 'lookup' },
    { name: F.andel, type: 'singleLineText', owner: 'lookup', description: 'Eierandel, f.eks. 1/2' },
    { name: F.matrikkelnummer, type: 'singleLineText', owner: 'lookup' },
    { name: F.kilde, type: 'singleLineText', owner: 'lookup' },
    { name: F.hentet, type: 'date', options: isoDate, owner: 'lookup' },
    {
      name: F.kontaktstatus,
      type: 'singleSelect',
      options: choices('Ikke kontaktet', 'Brev sendt', 'Ringt', 'Møte avtalt'),
      owner: 'team',
    },
    { name: F.telefon, type: 'phoneNumber', owner: 'team' },
    { name: F.epost, type: 'email', owner: 'team' },
    { name: F.notater, type: 'multilineText', owner: 'team' },
  ],
};
