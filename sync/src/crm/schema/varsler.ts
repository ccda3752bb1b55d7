import { ALERT_TYPE_LABELS } from '../../domain/alert.js';
import { choices, isoDate, type TableSpec } from './types.js';

/** Field names of the Varsler table (change alerts, issue 15; docs/alerts.md). */
export const VarslerField = {
  varselId: 'Varsel-ID',
  type: 'Type',
  dato: 'Dato',
  tittel: 'Tittel',
  tekst: 'Tekst',
  kommunenummer: 'Kommunenummer',
  tomt: 'Tomt',
  kommune: 'Kommune',
  lest: 'Lest',
} as const;

const F = VarslerField;

/**
 * One record per alert, written once by the nightly run and never deleted; "Lest" is the team's.
 * The links to Tomter and Kommuner are added by setup-base once the tables exist.
 */
export const varslerTable: TableSpec = {
  name: 'Varsler',
  description:
    'Endringsvarsler fra Tomtejakt: nye tomter, klasse opp, tapt til regulering, planarbeid, score falt, ' +
    'topplisten og nye kommuneplaner. Lest er teamets felt; bruk Airtables varsler og automasjoner på tabellen.',
  primary: {
    name: F.varselId,
    type: 'singleLineText',
    owner: 'sync',
    description: 'Stabil nøkkel for funnet',
  },
  fields: [
    {
      name: F.type,
      type: 'singleSelect',
      options: choices(...Object.values(ALERT_TYPE_LABELS)),
      owner: 'sync',
    },
    { name: F.dato, type: 'date', options: isoDate, owner: 'sync' },
    { name: F.tittel, type: 'singleLineText', owner: 'sync' },
    { name: F.tekst, type: 'multilineText', owner: 'sync' },
    { name: F.kommunenummer, type: 'singleLineText', owner: 'sync' },
    { name: F.lest, type: 'checkbox', options: { color: 'greenBright', icon: 'check' }, owner: 'team' },
  ],
};
