import { type TableSpec } from './types.js';

/** Field names of the Rapporter table: one record per weekly report (issue 15). */
export const RapporterField = {
  uke: 'Uke',
  sammendrag: 'Sammendrag',
  lenke: 'Lenke',
  pdf: 'PDF',
  laget: 'Laget',
} as const;

const F = RapporterField;

export const rapporterTable: TableSpec = {
  name: 'Rapporter',
  description:
    'Ukerapportene fra Tomtejakt, én per uke: sammendraget, lenken til rapporten og PDF-en når tjenesten kan nås utenfra.',
  primary: { name: F.uke, type: 'singleLineText', owner: 'sync', description: 'ISO-uke, f.eks. 2026-W49' },
  fields: [
    { name: F.sammendrag, type: 'multilineText', owner: 'sync' },
    {
      name: F.lenke,
      type: 'url',
      owner: 'sync',
      description: 'Rapporten i nettleseren (krever innlogging på kartet)',
    },
    {
      name: F.pdf,
      type: 'multipleAttachments',
      owner: 'sync',
      description: 'Rapporten som PDF (bare når PUBLIC_BASE_URL lar Airtable hente den)',
    },
    {
      name: F.laget,
      type: 'dateTime',
      options: { dateFormat: { name: 'iso' }, timeFormat: { name: '24hour' }, timeZone: 'Europe/Oslo' },
      owner: 'sync',
    },
  ],
};
