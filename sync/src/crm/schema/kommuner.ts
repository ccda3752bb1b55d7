import type { KommuneFactorKey } from '../../scoring/kommune/types.js';
import { ConfidenceLabel } from '../../presentation/labels.js';
import { choices, isoDate, precision, type FieldSpec, type TableSpec } from './types.js';

/**
 * The team's priority of a kommune (their field). Two choices steer the nightly run (read by
 * `crm/kommuner-priorities.ts`): "Alltid med" is always scanned, "Ikke aktuell" never (unless the
 * operator names it in KOMMUNER); the other three are the team's own ordering.
 */
export const KommunePriority = {
  alltidMed: 'Alltid med',
  hoy: 'Høy',
  middels: 'Middels',
  lav: 'Lav',
  ikkeAktuell: 'Ikke aktuell',
} as const;

/**
 * Field names of the Kommuner table. The per-factor fields (raw value, year, 0–1 value for each
 * of the seven SSB factors) are in `KommuneFactorFields` below.
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
    {
      name: F.konfidens,
      type: 'singleSelect',
      options: choices(...Object.values(ConfidenceLabel)),
      owner: 'sync',
    },
    { name: F.manglendeFaktorer, type: 'singleLineText', owner: 'sync' },
    { name: F.oppdatert, type: 'date', options: isoDate, owner: 'sync' },
    {
      name: F.prioritet,
      type: 'singleSelect',
      options: choices(...Object.values(KommunePriority)),
      owner: 'team',
    },
    { name: F.notater, type: 'multilineText', owner: 'team' },
  ],
};

/** Per factor: the raw figure, the period it is for, and its 0–1 value (percentile rank across kommuner). */
export interface KommuneFactorFieldNames {
  verdi: string;
  ar: string;
  normalisert: string;
  /** What the raw figure is, shown as the field description. */
  beskrivelse: string;
  /** Decimals of the raw figure. */
  desimaler: number;
}

export const KommuneFactorFields: Record<KommuneFactorKey, KommuneFactorFieldNames> = {
  befolkningsvekst: {
    verdi: 'Befolkningsvekst %',
    ar: 'Befolkningsvekst år',
    normalisert: 'Befolkningsvekst 0–1',
    beskrivelse: 'Endring i folketallet siste 5 år, prosent (SSB 07459)',
    desimaler: 1,
  },
  framskrevetVekst: {
    verdi: 'Framskrevet vekst %',
    ar: 'Framskrevet vekst år',
    normalisert: 'Framskrevet vekst 0–1',
    beskrivelse:
      'Framskrevet endring i folketallet til 2040, hovedalternativet (MMMM), prosent (SSB 14746, ellers 14288)',
    desimaler: 1,
  },
  markedsstorrelse: {
    verdi: 'Framskrevet tilvekst personer',
    ar: 'Markedsstørrelse år',
    normalisert: 'Markedsstørrelse 0–1',
    beskrivelse:
      'Personer folketallet framskrives å øke med til 2040 (hovedalternativet). 0–1 er snittet av persentilene for denne tilveksten, tilveksten siste 5 år, boligsalg per år og fullførte boliger per år',
    desimaler: 0,
  },
  boligpris: {
    verdi: 'Boligpris kr/m²',
    ar: 'Boligpris år',
    normalisert: 'Boligpris 0–1',
    beskrivelse: 'Gjennomsnittlig kvadratmeterpris for selveierboliger, kroner (SSB 06035)',
    desimaler: 0,
  },
  boligbygging: {
    verdi: 'Boligbygging per 1 000',
    ar: 'Boligbygging år',
    normalisert: 'Boligbygging 0–1',
    beskrivelse: 'Fullførte boliger per 1 000 innbyggere per år, snitt siste 3 år (SSB 05940)',
    desimaler: 2,
  },
  inntekt: {
    verdi: 'Medianinntekt kr',
    ar: 'Medianinntekt år',
    normalisert: 'Medianinntekt 0–1',
    beskrivelse: 'Median inntekt etter skatt for alle husholdninger, kroner (SSB 06944)',
    desimaler: 0,
  },
  sysselsetting: {
    verdi: 'Sysselsettingsvekst %',
    ar: 'Sysselsettingsvekst år',
    normalisert: 'Sysselsettingsvekst 0–1',
    beskrivelse: 'Endring i antall sysselsatte (bosted) siste 5 år, prosent (SSB 07984)',
    desimaler: 1,
  },
  byggevilje: {
    verdi: 'Igangsatte boliger per 1 000',
    ar: 'Byggevilje år',
    normalisert: 'Byggevilje 0–1',
    beskrivelse:
      'Igangsatte boliger per 1 000 innbyggere per år, snitt siste 3 år: kommunens vilje til å bygge (SSB 05940)',
    desimaler: 2,
  },
  partistandpunkt: {
    verdi: 'Partistandpunkt',
    ar: 'Kommunestyrevalg år',
    normalisert: 'Partistandpunkt 0–1',
    beskrivelse:
      'Valgfritt: stemmevektet standpunkt til boligbygging ved siste kommunestyrevalg etter partistandpunktene i regelfilen, −1 til 1 (SSB 01180). Tomt når ingen standpunkter er satt',
    desimaler: 2,
  },
};

/** Further figures the ranking writes besides the factors. */
export const KommunerExtraField = {
  folketall: 'Folketall',
  underMinstegrense: 'Under minstegrense',
  tilvekst5ar: 'Tilvekst siste 5 år personer',
  omsetningerPerAr: 'Boligsalg per år',
  boligprisEndring: 'Boligpris endring 5 år %',
  forklaring: 'Forklaring',
  dataadvarsel: 'Dataadvarsel',
} as const;

const factorFields: FieldSpec[] = Object.values(KommuneFactorFields).flatMap((f) => [
  {
    name: f.verdi,
    type: 'number',
    options: precision(f.desimaler),
    owner: 'sync',
    description: f.beskrivelse,
  },
  { name: f.ar, type: 'singleLineText', owner: 'sync', description: 'Perioden tallet gjelder' },
  {
    name: f.normalisert,
    type: 'number',
    options: precision(2),
    owner: 'sync',
    description: 'Persentil blant alle kommuner: 0 lavest, 1 høyest (tom = mangler)',
  },
]);

/** The whole Kommuner table for setup-base: the base fields, the extra figures and every factor's three fields. */
export const kommunerTable: TableSpec = {
  ...kommunerBaseFields,
  fields: [
    ...kommunerBaseFields.fields.filter((f) => f.owner === 'sync'),
    { name: KommunerExtraField.folketall, type: 'number', options: precision(0), owner: 'sync' },
    {
      name: KommunerExtraField.underMinstegrense,
      type: 'checkbox',
      options: { color: 'grayBright', icon: 'check' },
      owner: 'sync',
      description:
        'Færre innbyggere enn minstegrensen for topp 50 (regelfilen, standard 10 000): rangert, men aldri topp 50',
    },
    {
      name: KommunerExtraField.tilvekst5ar,
      type: 'number',
      options: precision(0),
      owner: 'sync',
      description: 'Endring i folketallet siste 5 år, personer (SSB 07459)',
    },
    {
      name: KommunerExtraField.omsetningerPerAr,
      type: 'number',
      options: precision(0),
      owner: 'sync',
      description: 'Omsatte selveierboliger siste år, alle boligtyper (SSB 06035)',
    },
    {
      name: KommunerExtraField.boligprisEndring,
      type: 'number',
      options: precision(1),
      owner: 'sync',
      description: 'Endring i kvadratmeterprisen siste 5 år, prosent',
    },
    {
      name: KommunerExtraField.forklaring,
      type: 'multilineText',
      owner: 'sync',
      description:
        'Hvorfor kommunen er der den er: rangering, hva som løfter og trekker ned, hva som mangler og konfidensen',
    },
    {
      name: KommunerExtraField.dataadvarsel,
      type: 'multilineText',
      owner: 'sync',
      description:
        'Satt av nattkjøringen ved mistenkelig endring i plandataene: kommunens tidligere tomter beholdes til noen har sjekket kilden og kjørt «tomtejakt accept --kommune <nummer>»',
    },
    ...factorFields,
    ...kommunerBaseFields.fields.filter((f) => f.owner !== 'sync'),
  ],
};
