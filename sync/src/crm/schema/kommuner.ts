import { choices, isoDate, precision, type TableSpec } from './types.js';

/**
 * Field names of the Kommuner table. The per-factor fields (raw value, year, 0–1 value for each
 * of the seven SSB factors) are listed by the kommune ranking (scoring/kommune), which owns them.
 */
export const KommunerField = {
  kommunenummer: 'Kommunenummer',
  kommune: 'Kommune',
  fylke: 'Fylke',
  score: 'Score',
  rangering: 'Rangering',
  topp50: 'Topp 50',
  konfidens: 'Konfidens',
  manglendeFaktorer: 'Manglende faktorer',
  oppdatert: 'Oppdatert',
  prioritet: 'Prioritet',
  notater: 'Notater',
} as const;

const F = KommunerField;

export const kommunerBaseFields: TableSpec = {
  name: 'Kommuner',
  description:
    'Alle 357 kommuner rangert 0–100 fra SSB-statistikk (Tomtejakt). Prioritet og Notater er teamets felt.',
  primary: { name: F.kommunenummer, type: 'singleLineText', owner: 'sync' },
  fields: [
    { name: F.kommune, type: 'singleLineText', owner: 'sync' },
    { name: F.fylke, type: 'singleLineText', owner: 'sync' },
    { name: F.score, type: 'number', options: precision(0), owner: 'sync' },
    { name: F.rangering, type: 'number', options: precision(0), owner: 'sync' },
    { name: F.topp50, type: 'checkbox', options: { color: 'greenBright', icon: 'check' }, owner: 'sync' },
    { name: F.konfidens, type: 'singleSelect', options: choices('Høy', 'Middels', 'Lav'), owner: 'sync' },
    { name: F.manglendeFaktorer, type: 'singleLineText', owner: 'sync' },
    { name: F.oppdatert, type: 'date', options: isoDate, owner: 'sync' },
    {
      name: F.prioritet,
      type: 'singleSelect',
      options: choices('Høy', 'Middels', 'Lav', 'Ikke aktuell'),
      owner: 'team',
    },
    { name: F.notater, type: 'multilineText', owner: 'team' },
  ],
};
