import {
  formatArea,
  formatInteger,
  formatKroner,
  formatKronerRange,
  formatPercent,
  formatPoints,
} from '../util/norwegian-format.js';
import type { LotView } from './lot-view.js';

export interface PanelRow {
  label: string;
  value: string;
  href?: string;
}

export interface PanelSection {
  title: string;
  rows: PanelRow[];
}

/** The estimated value, when there is one: an estimate with its method, never part of the score. */
function valueRows(lot: LotView): PanelRow[] {
  if (lot.estimertSalgsverdi === null) return [];
  const rows: PanelRow[] = [{ label: 'Salgsverdi', value: formatKroner(lot.estimertSalgsverdi) }];
  if (lot.tomteverdiLav !== null && lot.tomteverdiHoy !== null)
    rows.push({
      label: 'Tomteverdi',
      value:
        lot.tomteverdiLav === lot.tomteverdiHoy
          ? formatKroner(lot.tomteverdiLav)
          : formatKronerRange(lot.tomteverdiLav, lot.tomteverdiHoy),
    });
  if (lot.verdigrunnlag) rows.push({ label: 'Grunnlag', value: lot.verdigrunnlag });
  return rows;
}

/**
 * The lot's side panel as data (Norwegian), rendered by the map page (DOM) and the extension
 * (React) alike, so both show the same facts in the same words.
 */
export function lotPanelSections(lot: LotView): PanelSection[] {
  const sections: PanelSection[] = [];
  if (lot.underTerskel)
    sections.push({
      title: 'Under terskel',
      rows: [
        {
          label: 'Hvorfor',
          value:
            'Tomten er under grensen for hva som legges inn i Airtable. Posten beholdes og oppdateres fordi den fantes fra før.',
        },
      ],
    });
  const facts: PanelRow[] = [
    { label: 'Tomt-ID', value: lot.tomtId },
    { label: 'Kommune', value: [lot.kommunenummer, lot.kommune].filter(Boolean).join(' ') || '–' },
    { label: 'Matrikkelnummer', value: lot.matrikkelnummer ?? '–' },
    { label: 'Areal', value: lot.arealM2 === null ? '–' : formatArea(lot.arealM2) },
  ];
  if (lot.eiendomArealM2 !== null)
    facts.push({ label: 'Eiendommens areal', value: formatArea(lot.eiendomArealM2) });
  facts.push(
    {
      label: 'Formål i kommuneplanen',
      value: [lot.arealformal, lot.arealbruksstatus].filter(Boolean).join(', ') || '–',
    },
    {
      label: 'Estimerte boliger',
      value:
        lot.estimerteBoliger === null
          ? '–'
          : `${formatInteger(lot.estimerteBoliger)}${lot.kapasitetsmetode ? ` (${lot.kapasitetsmetode})` : ''}`,
    },
    { label: 'Status', value: lot.status ?? '–' },
  );
  sections.push({ title: 'Tomt', rows: facts });
  const value = valueRows(lot);
  if (value.length) sections.push({ title: 'Anslått verdi (ikke en del av scoren)', rows: value });

  const scoreRows: PanelRow[] = [
    {
      label: 'Score',
      value:
        lot.score === null
          ? 'Ikke beregnet'
          : `${formatInteger(lot.score)}${lot.klasse ? ` (klasse ${lot.klasse})` : ''}`,
    },
    { label: 'Konfidens', value: lot.konfidens ?? '–' },
  ];
  for (const factor of lot.details?.factors ?? []) {
    // A factor without data still carries assumed points (lot-score.md: never more than the lot's average).
    scoreRows.push({
      label: factor.label,
      value: `${formatPoints(factor.points)} av ${factor.weight} poeng${factor.value === null ? ' (uten data)' : ''} – ${factor.reason}`,
    });
  }
  sections.push({ title: 'Score', rows: scoreRows });

  const constraints = (lot.details?.constraints ?? []).filter((c) => c.fraction > 0);
  sections.push({
    title: 'Begrensninger',
    rows: constraints.length
      ? constraints.map((c) => ({
          label: c.label,
          value: `${formatPercent(c.fraction)} av tomten${c.severe ? ' (alvorlig)' : ''}`,
        }))
      : [
          {
            label: 'Ingen registrert',
            value: 'Ingen hensynssoner eller båndlegginger berører tomten i dataene vi har',
          },
        ],
  });

  sections.push({
    title: 'Planarbeid',
    rows: lot.planarbeidPagar.length
      ? lot.planarbeidPagar.map((id) => ({ label: 'Plan under arbeid', value: id }))
      : [{ label: 'Ingen', value: 'Ingen kjente planer under arbeid berører tomten' }],
  });

  const ownerRows: PanelRow[] = [{ label: 'Eieroppslag', value: lot.eieroppslag ?? 'Ikke bestilt' }];
  if (lot.eieroppslagMelding) ownerRows.push({ label: 'Melding', value: lot.eieroppslagMelding });
  if (lot.antallEiere !== null)
    ownerRows.push({ label: 'Antall eiere', value: formatInteger(lot.antallEiere) });
  sections.push({ title: 'Eiere', rows: ownerRows });

  const links: PanelRow[] = [];
  if (lot.seeiendom)
    links.push({ label: 'Se eiendom', value: 'seeiendom.kartverket.no', href: lot.seeiendom });
  if (lot.norgeskart) links.push({ label: 'Norgeskart', value: 'norgeskart.no', href: lot.norgeskart });
  if (links.length) sections.push({ title: 'Lenker', rows: links });
  return sections;
}
