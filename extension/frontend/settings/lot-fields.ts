import { FieldType } from '@airtable/blocks/models';
import { TomterField } from '@tomtejakt/sync/crm/schema';

/**
 * The Tomter fields the extension reads, and nothing more (useRecords loads exactly these).
 * Keys are those of the shared `TomterField`, so the shared panel code reads them unchanged.
 */
export const LOT_FIELD_KEYS = [
  'tomtId',
  'kommunenummer',
  'kommune',
  'matrikkelnummer',
  'arealM2',
  'eiendomArealM2',
  'arealformal',
  'arealbruksstatus',
  'score',
  'klasse',
  'konfidens',
  'estimerteBoliger',
  'kapasitetsmetode',
  'estimertSalgsverdi',
  'tomteverdiLav',
  'tomteverdiHoy',
  'verdigrunnlag',
  'scoredetaljer',
  'planarbeidPagar',
  'status',
  'eieroppslag',
  'eieroppslagMelding',
  'antallEiere',
  'eiere',
  'seeiendom',
  'norgeskart',
  'geometri',
  'senterLat',
  'senterLon',
  'underTerskel',
] as const satisfies ReadonlyArray<keyof typeof TomterField>;

export type LotFieldKey = (typeof LOT_FIELD_KEYS)[number];

/** What the map and filters need for every lot; the rest is read only for the lot in the panel. */
export const SUMMARY_FIELD_KEYS = [
  'tomtId',
  'kommunenummer',
  'kommune',
  'matrikkelnummer',
  'score',
  'klasse',
  'konfidens',
  'planarbeidPagar',
  'status',
  'eieroppslag',
  'geometri',
  'senterLat',
  'senterLon',
  'underTerskel',
] as const satisfies ReadonlyArray<LotFieldKey>;

/** Without a geometry there is no map; every other field only leaves a "–" in the panel. */
export const REQUIRED_FIELD_KEYS: ReadonlyArray<LotFieldKey> = ['geometri'];

const TEXT = [FieldType.SINGLE_LINE_TEXT, FieldType.MULTILINE_TEXT, FieldType.RICH_TEXT, FieldType.FORMULA];
const NUMBER = [
  FieldType.NUMBER,
  FieldType.PERCENT,
  FieldType.CURRENCY,
  FieldType.FORMULA,
  FieldType.ROLLUP,
  FieldType.COUNT,
];
const CHOICE = [FieldType.SINGLE_SELECT, FieldType.SINGLE_LINE_TEXT, FieldType.FORMULA];
const LINK = [FieldType.URL, FieldType.SINGLE_LINE_TEXT, FieldType.FORMULA];

/** Field types a base may map to each key in the settings screen. */
export const ALLOWED_FIELD_TYPES: Record<LotFieldKey, FieldType[]> = {
  tomtId: TEXT,
  kommunenummer: TEXT,
  kommune: TEXT,
  matrikkelnummer: TEXT,
  arealM2: NUMBER,
  eiendomArealM2: NUMBER,
  arealformal: CHOICE,
  arealbruksstatus: CHOICE,
  score: NUMBER,
  klasse: CHOICE,
  konfidens: CHOICE,
  estimerteBoliger: NUMBER,
  kapasitetsmetode: TEXT,
  estimertSalgsverdi: NUMBER,
  tomteverdiLav: NUMBER,
  tomteverdiHoy: NUMBER,
  verdigrunnlag: TEXT,
  scoredetaljer: [FieldType.MULTILINE_TEXT, FieldType.SINGLE_LINE_TEXT],
  planarbeidPagar: [FieldType.MULTILINE_TEXT, FieldType.SINGLE_LINE_TEXT],
  status: CHOICE,
  // Written by "Finn eier": a single select (as setup-base makes it) or plain text.
  eieroppslag: [FieldType.SINGLE_SELECT, FieldType.SINGLE_LINE_TEXT],
  eieroppslagMelding: TEXT,
  antallEiere: NUMBER,
  eiere: [FieldType.MULTIPLE_RECORD_LINKS],
  seeiendom: LINK,
  norgeskart: LINK,
  geometri: [FieldType.MULTILINE_TEXT, FieldType.SINGLE_LINE_TEXT],
  senterLat: NUMBER,
  senterLon: NUMBER,
  underTerskel: [FieldType.CHECKBOX, FieldType.FORMULA],
};

export const defaultFieldName = (key: LotFieldKey): string => TomterField[key];
