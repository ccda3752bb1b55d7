import { quotedCsvField } from './csv-text.js';

/** One row of the mail-merge file: one letter. */
export interface LetterCsvRow {
  fil: string;
  referanse: string;
  navn: string;
  type: string;
  organisasjonsnummer: string | null;
  /** Postal lines, or null: the team addresses the letter. */
  adresse: string[] | null;
  kommune: string;
  eiendommer: string[];
  arealM2: number;
  tomtIder: string[];
}

const HEADER = [
  'Fil',
  'Referanse',
  'Navn',
  'Type',
  'Organisasjonsnummer',
  'Adresselinje 1',
  'Adresselinje 2',
  'Adresselinje 3',
  'Adresse mangler',
  'Kommune',
  'Eiendommer',
  'Areal m²',
  'Tomt-ID',
];

/**
 * The mail-merge CSV (Norwegian Excel: UTF-8 with BOM, semicolons, CRLF). Every field is quoted and
 * made spreadsheet-safe (formulas neutralised, control characters stripped): names come from the
 * Matrikkel and the register, not from us.
 */
export function letterCsv(rows: readonly LetterCsvRow[]): string {
  const lines = [
    HEADER,
    ...rows.map((r) => {
      const address = r.adresse ?? [];
      return [
        r.fil,
        r.referanse,
        r.navn,
        r.type,
        r.organisasjonsnummer ?? '',
        address[0] ?? '',
        address[1] ?? '',
        address.slice(2).join(', '),
        r.adresse ? 'nei' : 'ja',
        r.kommune,
        r.eiendommer.join(', '),
        Math.round(r.arealM2),
        r.tomtIder.join(', '),
      ];
    }),
  ];
  return `\uFEFF${lines.map((cells) => cells.map(quotedCsvField).join(';')).join('\r\n')}\r\n`;
}
