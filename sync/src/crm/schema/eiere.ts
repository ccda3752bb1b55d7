import { ContactStatus } from './tomter.js';
import { choices, isoDate, type TableSpec } from './types.js';

/** Field names of the Eiere table (registered owners from the Matrikkel, linked to Tomter). */
export const EiereField = {
  eierId: 'Eier-ID',
  navn: 'Navn',
  type: 'Type',
  organisasjonsnummer: 'Organisasjonsnummer',
  andel: 'Andel',
  rolle: 'Rolle',
  matrikkelnummer: 'Matrikkelnummer',
  tomter: 'Tomter',
  kilde: 'Kilde',
  hentet: 'Hentet',
  eierstatus: 'Eierstatus',
  kontaktstatus: 'Kontaktstatus',
  telefon: 'Telefon',
  epost: 'E-post',
  notater: 'Notater',
  utbygger: 'Utbygger',
  naeringskode: 'Næringskode',
  organisasjonsform: 'Organisasjonsform',
  forretningsadresse: 'Forretningsadresse',
  enhetsstatus: 'Enhetsstatus',
} as const;

/** Options of the Enhetsstatus field (an organisation owner as the Enhetsregisteret has it). */
export const EnhetStatusLabel = {
  aktiv: 'Aktiv',
  konkurs: 'Konkurs',
  underAvvikling: 'Under avvikling',
  underTvangsavvikling: 'Under tvangsavvikling',
  slettet: 'Slettet',
  ikkeFunnet: 'Ikke funnet',
} as const;

const F = EiereField;

/** Options of the Type field. */
export const OwnerTypeLabel = { person: 'Person', organisation: 'Organisasjon', other: 'Annet' } as const;

/** Options of the Rolle field: a leasehold lot has festere and the bortfester of the land under it. */
export const OwnerRoleLabel = {
  hjemmelshaver: 'Hjemmelshaver',
  fester: 'Fester',
  bortfester: 'Bortfester',
} as const;

/** Options of the Eierstatus field. */
export const OwnerStatusLabel = {
  gjeldende: 'Gjeldende',
  tidligere: 'Tidligere eier',
  slettet: 'Slettet (oppbevaringstid)',
} as const;

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
      options: choices(...Object.values(OwnerTypeLabel)),
      owner: 'lookup',
    },
    { name: F.organisasjonsnummer, type: 'singleLineText', owner: 'lookup' },
    { name: F.andel, type: 'singleLineText', owner: 'lookup', description: 'Eierandel, f.eks. 1/2' },
    {
      name: F.rolle,
      type: 'singleSelect',
      options: choices(...Object.values(OwnerRoleLabel)),
      owner: 'lookup',
      description: 'Fester og bortfester gjelder festetomter (festenummer)',
    },
    {
      name: F.matrikkelnummer,
      type: 'singleLineText',
      owner: 'lookup',
      description: 'Eiendommen eierskapet gjelder: kommune-gnr/bnr[/fnr[/snr]]',
    },
    { name: F.kilde, type: 'singleLineText', owner: 'lookup' },
    { name: F.hentet, type: 'date', options: isoDate, owner: 'lookup' },
    {
      name: F.eierstatus,
      type: 'singleSelect',
      options: choices(...Object.values(OwnerStatusLabel)),
      owner: 'lookup',
      description: 'Tidligere eier: fantes ikke lenger ved siste oppslag',
    },
    {
      name: F.utbygger,
      type: 'checkbox',
      options: { color: 'orangeBright', icon: 'check' },
      owner: 'enrichment',
      description: 'Næringskoden (Enhetsregisteret) er utbygging eller oppføring av bygninger',
    },
    { name: F.naeringskode, type: 'singleLineText', owner: 'enrichment' },
    { name: F.organisasjonsform, type: 'singleLineText', owner: 'enrichment' },
    { name: F.forretningsadresse, type: 'singleLineText', owner: 'enrichment' },
    {
      name: F.enhetsstatus,
      type: 'singleSelect',
      options: choices(...Object.values(EnhetStatusLabel)),
      owner: 'enrichment',
    },
    {
      name: F.kontaktstatus,
      type: 'singleSelect',
      options: choices(...Object.values(ContactStatus)),
      owner: 'team',
    },
    { name: F.telefon, type: 'phoneNumber', owner: 'team' },
    { name: F.epost, type: 'email', owner: 'team' },
    { name: F.notater, type: 'multilineText', owner: 'team' },
  ],
};
