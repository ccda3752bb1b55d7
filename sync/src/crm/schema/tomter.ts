import { AREALBRUKSSTATUS } from '../../domain/codes.js';
import { ConfidenceLabel, TIERS } from '../../presentation/labels.js';
import { choices, isoDate, precision, type TableSpec } from './types.js';

export { ConfidenceLabel };

/** Field names of the Tomter table (Norwegian: the sales team reads them). */
export const TomterField = {
  tomtId: 'Tomt-ID',
  kommunenummer: 'Kommunenummer',
  kommune: 'Kommune',
  matrikkelnummer: 'Matrikkelnummer',
  gnr: 'Gnr',
  bnr: 'Bnr',
  fnr: 'Fnr',
  snr: 'Snr',
  arealM2: 'Areal m²',
  arealDaa: 'Areal daa',
  eiendomArealM2: 'Eiendommens areal m²',
  mulighetArealM2: 'Mulighetsområdets areal m²',
  arealformal: 'Arealformål',
  arealbruksstatus: 'Arealbruksstatus',
  kommuneplanId: 'Kommuneplan-ID',
  planarbeidPagar: 'Planarbeid pågår',
  score: 'Score',
  klasse: 'Klasse',
  scoreforklaring: 'Scoreforklaring',
  scoredetaljer: 'Scoredetaljer',
  begrensninger: 'Begrensninger',
  estimerteBoliger: 'Estimerte boliger',
  kapasitetsmetode: 'Kapasitetsmetode',
  estimertSalgsverdi: 'Estimert salgsverdi kr',
  tomteverdiLav: 'Tomteverdi lav kr',
  tomteverdiHoy: 'Tomteverdi høy kr',
  verdigrunnlag: 'Verdigrunnlag',
  konfidens: 'Konfidens',
  geometri: 'Geometri',
  senterLat: 'Senter lat',
  senterLon: 'Senter lon',
  seeiendom: 'Seeiendom',
  norgeskart: 'Norgeskart',
  kilde: 'Kilde',
  forstSett: 'Først sett',
  sistSett: 'Sist sett',
  utgattDato: 'Utgått dato',
  utgattArsak: 'Utgått årsak',
  underTerskel: 'Under terskel',
  eieroppslag: 'Eieroppslag',
  eieroppslagMelding: 'Eieroppslag melding',
  antallEiere: 'Antall eiere',
  eiere: 'Eiere',
  status: 'Status',
  notater: 'Notater',
  ansvarlig: 'Ansvarlig',
  nesteHandling: 'Neste handling',
  nesteHandlingDato: 'Neste handling dato',
  kontaktstatus: 'Kontaktstatus',
  utbygger: 'Utbygger',
  utbyggerSelskap: 'Utbygger selskap',
} as const;

/** Options of Tomter's Utbygger field: a developer owns the lot, or land bordering it. */
export const DeveloperMark = { eier: 'Utbygger eier', nabo: 'Utbygger nabo' } as const;

/** The pipeline (users-and-workflow.md), plus "Ny" for fresh lots and "Utgått" for vanished ones. */
export const LotStatus = {
  ny: 'Ny',
  identifisert: 'Identifisert',
  kontaktet: 'Kontaktet',
  dialog: 'Dialog',
  loi: 'LOI',
  opsjon: 'Opsjon',
  avvist: 'Avvist',
  ikkeAktuell: 'Ikke aktuell',
  utgatt: 'Utgått',
} as const;

export const OwnerLookupState = {
  forespurt: 'Forespurt',
  pagar: 'Pågår',
  ferdig: 'Ferdig',
  feilet: 'Feilet',
  ikkeKonfigurert: 'Ikke konfigurert',
} as const;

export const ContactStatus = {
  ikkeKontaktet: 'Ikke kontaktet',
  brevSendt: 'Brev sendt',
  ringt: 'Ringt',
  moteAvtalt: 'Møte avtalt',
} as const;

/** Arealbruksstatus a lot's zone can have: kommuneplan zones that are already built ("Nåværende") give no lots. */
export const LOT_AREALBRUKSSTATUS = [AREALBRUKSSTATUS[2]!, AREALBRUKSSTATUS[3]!];

const F = TomterField;

export const tomterTable: TableSpec = {
  name: 'Tomter',
  description:
    'Tomter fra Tomtejakt: kommuneplanens boligformål uten vedtatt reguleringsplan, delt per eiendom. ' +
    'Feltene merket «beregnet» oppdateres hver natt; Status, Notater, Ansvarlig, Neste handling og Kontaktstatus er teamets.',
  primary: {
    name: F.tomtId,
    type: 'singleLineText',
    owner: 'sync',
    description: 'Stabil ID: kommune-matrikkelnummer-sone',
  },
  fields: [
    { name: F.kommunenummer, type: 'singleLineText', owner: 'sync' },
    { name: F.kommune, type: 'singleLineText', owner: 'sync' },
    { name: F.matrikkelnummer, type: 'singleLineText', owner: 'sync', description: 'gnr/bnr[/fnr/snr]' },
    { name: F.gnr, type: 'number', options: precision(0), owner: 'sync' },
    { name: F.bnr, type: 'number', options: precision(0), owner: 'sync' },
    { name: F.fnr, type: 'number', options: precision(0), owner: 'sync' },
    { name: F.snr, type: 'number', options: precision(0), owner: 'sync' },
    {
      name: F.arealM2,
      type: 'number',
      options: precision(0),
      owner: 'sync',
      description: 'Tomtens areal (beregnet)',
    },
    { name: F.arealDaa, type: 'number', options: precision(1), owner: 'sync' },
    { name: F.eiendomArealM2, type: 'number', options: precision(0), owner: 'sync' },
    { name: F.mulighetArealM2, type: 'number', options: precision(0), owner: 'sync' },
    { name: F.arealformal, type: 'singleLineText', owner: 'sync' },
    {
      name: F.arealbruksstatus,
      type: 'singleSelect',
      options: choices(...LOT_AREALBRUKSSTATUS),
      owner: 'sync',
    },
    { name: F.kommuneplanId, type: 'singleLineText', owner: 'sync' },
    {
      name: F.planarbeidPagar,
      type: 'multilineText',
      owner: 'sync',
      description: 'Planer under arbeid (planstatus 1–2) som berører tomten',
    },
    { name: F.score, type: 'number', options: precision(0), owner: 'sync' },
    { name: F.klasse, type: 'singleSelect', options: choices(...TIERS), owner: 'sync' },
    { name: F.scoreforklaring, type: 'multilineText', owner: 'sync' },
    {
      name: F.scoredetaljer,
      type: 'multilineText',
      owner: 'sync',
      description: 'Faktorer og begrensninger som JSON',
    },
    { name: F.begrensninger, type: 'multilineText', owner: 'sync' },
    { name: F.estimerteBoliger, type: 'number', options: precision(0), owner: 'sync' },
    { name: F.kapasitetsmetode, type: 'singleLineText', owner: 'sync' },
    {
      name: F.estimertSalgsverdi,
      type: 'number',
      options: precision(0),
      owner: 'sync',
      description:
        'Anslag (beregnet), ikke takst: boliger × snittstørrelse × kommunens kvadratmeterpris (SSB 06035). Inngår ikke i scoren.',
    },
    {
      name: F.tomteverdiLav,
      type: 'number',
      options: precision(0),
      owner: 'sync',
      description:
        'Anslått tomteverdi, lav ende: en andel av salgsverdien (regelfilen). Inngår ikke i scoren.',
    },
    {
      name: F.tomteverdiHoy,
      type: 'number',
      options: precision(0),
      owner: 'sync',
      description:
        'Anslått tomteverdi, høy ende: en andel av salgsverdien (regelfilen). Inngår ikke i scoren.',
    },
    {
      name: F.verdigrunnlag,
      type: 'multilineText',
      owner: 'sync',
      description: 'Hvordan verdien er anslått, med tallene som er brukt',
    },
    {
      name: F.konfidens,
      type: 'singleSelect',
      options: choices(...Object.values(ConfidenceLabel)),
      owner: 'sync',
    },
    { name: F.geometri, type: 'multilineText', owner: 'sync', description: 'GeoJSON (lon/lat, EPSG:4326)' },
    { name: F.senterLat, type: 'number', options: precision(6), owner: 'sync' },
    { name: F.senterLon, type: 'number', options: precision(6), owner: 'sync' },
    { name: F.seeiendom, type: 'url', owner: 'sync' },
    { name: F.norgeskart, type: 'url', owner: 'sync' },
    { name: F.kilde, type: 'singleLineText', owner: 'sync' },
    { name: F.forstSett, type: 'date', options: isoDate, owner: 'sync' },
    {
      name: F.sistSett,
      type: 'date',
      options: isoDate,
      owner: 'sync',
      description:
        'Sist funnet, oppdatert når posten ellers endres og når tomten utgår. En tomt uten «Utgått dato» finnes fortsatt.',
    },
    { name: F.utgattDato, type: 'date', options: isoDate, owner: 'sync' },
    {
      name: F.utgattArsak,
      type: 'singleLineText',
      owner: 'sync',
      description: 'Hvorfor tomten ikke ble funnet igjen (f.eks. regulert, sonen endret)',
    },
    {
      name: F.underTerskel,
      type: 'checkbox',
      options: { color: 'grayBright', icon: 'check' },
      owner: 'sync',
      description:
        'Tomten har falt under klassen som legges inn i Airtable, og teamet har ikke fulgt den opp. ' +
        'Posten beholdes og oppdateres, men slike tomter opprettes ikke lenger.',
    },
    {
      name: F.eieroppslag,
      type: 'singleSelect',
      options: choices(...Object.values(OwnerLookupState)),
      owner: 'lookup',
      description: 'Sett til «Forespurt» for å hente hjemmelshavere fra Matrikkelen',
    },
    { name: F.eieroppslagMelding, type: 'singleLineText', owner: 'lookup' },
    { name: F.antallEiere, type: 'number', options: precision(0), owner: 'lookup' },
    {
      name: F.utbygger,
      type: 'singleSelect',
      options: choices(...Object.values(DeveloperMark)),
      owner: 'enrichment',
      description:
        'Et selskap med næringskode for utbygging eller bygg (Enhetsregisteret) eier tomten, eller eier nabogrunn',
    },
    {
      name: F.utbyggerSelskap,
      type: 'singleLineText',
      owner: 'enrichment',
      description: 'Navn og organisasjonsnummer',
    },
    {
      name: F.status,
      type: 'singleSelect',
      options: choices(...Object.values(LotStatus)),
      owner: 'team',
    },
    { name: F.notater, type: 'multilineText', owner: 'team' },
    { name: F.ansvarlig, type: 'singleLineText', owner: 'team' },
    { name: F.nesteHandling, type: 'singleLineText', owner: 'team' },
    { name: F.nesteHandlingDato, type: 'date', options: isoDate, owner: 'team' },
    {
      name: F.kontaktstatus,
      type: 'singleSelect',
      options: choices(...Object.values(ContactStatus)),
      owner: 'team',
    },
  ],
};
