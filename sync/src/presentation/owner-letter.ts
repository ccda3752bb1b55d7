import type { LetterConfig } from '../config/letter-config.js';
import type { AreaGeometry } from '../domain/geometry.js';
import { formatArea } from '../util/norwegian-format.js';
import { lotOutlineSvg } from './lot-outline-svg.js';

/** One lot as the owner letter shows it: where, how large, what the plan says. Never a score. */
export interface LetterLot {
  /** "gnr. 12, bnr. 34" */
  eiendom: string;
  kommuneNavn: string;
  arealM2: number;
  /** "Boligbebyggelse" */
  arealformal: string;
  /** "Framtidig" */
  arealbruksstatus: string | null;
  /** Plans in progress touching the lot (ids). */
  planarbeid: string[];
  geometry: AreaGeometry;
}

export interface OwnerLetterModel {
  recipient: {
    name: string;
    /** Postal lines, or null when no address is known: the team writes it on the letter. */
    address: string[] | null;
  };
  lots: LetterLot[];
  /** YYYY-MM-DD */
  date: string;
  /** Our reference, e.g. "TJ-3218-0007". */
  reference: string;
}

/** What the letter prints where no address is known (and the mail-merge file flags). */
export const ADDRESS_MISSING = 'ADRESSE MANGLER – fylles inn før utsending';

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

function norwegianDate(iso: string): string {
  const months = [
    'januar',
    'februar',
    'mars',
    'april',
    'mai',
    'juni',
    'juli',
    'august',
    'september',
    'oktober',
    'november',
    'desember',
  ];
  const [y, m, d] = iso.split('-').map(Number);
  return `${d}. ${months[m! - 1]} ${y}`;
}

function planText(lot: LetterLot): string {
  const zone = lot.arealbruksstatus
    ? `${lot.arealbruksstatus.toLowerCase()} ${lot.arealformal.toLowerCase()}`
    : lot.arealformal.toLowerCase();
  const base = `Kommuneplanen viser ${zone}; området er ikke regulert ennå.`;
  return lot.planarbeid.length
    ? `${base} Det pågår planarbeid som berører området (${lot.planarbeid.join(', ')}).`
    : base;
}

function lotSection(lot: LetterLot): string {
  return `<section class="lot">
  <div class="map">${lotOutlineSvg(lot.geometry)}</div>
  <div class="facts">
    <h3>${escape(lot.eiendom)} i ${escape(lot.kommuneNavn)}</h3>
    <p>Areal: ${escape(formatArea(lot.arealM2))}</p>
    <p>${escape(planText(lot))}</p>
  </div>
</section>`;
}

const DEFAULT_CLOSING = [
  'Vi er interessert i å drøfte et mulig samarbeid om utvikling av boliger på eiendommen, for eksempel gjennom en opsjonsavtale eller et kjøp når området er regulert. Henvendelsen forplikter deg ikke til noe.',
  'Vi tar gjerne en uforpliktende prat. Ta kontakt på telefon eller e-post som vist øverst i brevet, så vil vi også følge opp med en telefon om noen dager.',
  'Opplysningene om eierskap er hentet fra Matrikkelen (Kartverket). Du kan be om innsyn i, retting eller sletting av opplysningene vi har om deg ved å kontakte oss.',
];

/** A self-contained HTML letter (Norwegian, A4) to one owner about their lots, ready for html-to-pdf. */
export function ownerLetterHtml(model: OwnerLetterModel, config: LetterConfig): string {
  const { sender, signature } = config;
  const contact = [
    sender.phone && `Telefon ${sender.phone}`,
    sender.email && `E-post ${sender.email}`,
    sender.organisasjonsnummer && `Org.nr. ${sender.organisasjonsnummer}`,
  ].filter(Boolean) as string[];
  const address = model.recipient.address
    ? model.recipient.address.map(escape).join('<br>')
    : `<span class="missing">${escape(ADDRESS_MISSING)}</span>`;
  const plural = model.lots.length > 1;
  return `<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><title>Brev til ${escape(model.recipient.name)}</title>
<style>
  body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; color: #222; line-height: 1.4; }
  header { display: flex; justify-content: space-between; border-bottom: 2px solid #9a5b00; padding-bottom: 6px; }
  header .logo svg { max-height: 48px; max-width: 160px; }
  header .sender { text-align: right; font-size: 9pt; }
  .recipient { margin: 28px 0 18px; min-height: 60px; }
  .missing { border: 1px dashed #c00; color: #c00; padding: 2px 6px; }
  .meta { text-align: right; font-size: 9pt; }
  .lot { display: flex; gap: 14px; margin: 10px 0; page-break-inside: avoid; }
  .lot h3 { margin: 0 0 4px; font-size: 11pt; }
  .lot p { margin: 2px 0; }
  .signature { margin-top: 28px; }
</style></head>
<body>
<header>
  <div class="logo">${sender.logoSvg ?? ''}<div><strong>${escape(sender.name)}</strong></div></div>
  <div class="sender">${sender.address.map(escape).join('<br>')}${contact.length ? `<br>${contact.map(escape).join('<br>')}` : ''}</div>
</header>
<div class="recipient">${escape(model.recipient.name)}<br>${address}</div>
<div class="meta">${config.place ? `${escape(config.place)}, ` : ''}${escape(norwegianDate(model.date))}<br>Vår referanse: ${escape(model.reference)}</div>
<h2>Henvendelse om ${plural ? 'eiendommene dine' : 'eiendommen din'}</h2>
<p>Vi arbeider med å finne tomter for nye boliger. ${plural ? 'Disse områdene' : 'Dette området'}, som du står oppført som eier av, er i kommuneplanen satt av til boligformål:</p>
${model.lots.map(lotSection).join('\n')}
${(config.closing ?? DEFAULT_CLOSING).map((p) => `<p>${escape(p)}</p>`).join('\n')}
<div class="signature">Med vennlig hilsen<br><br><strong>${escape(signature.name)}</strong>${signature.title ? `<br>${escape(signature.title)}` : ''}<br>${escape(sender.name)}</div>
</body></html>`;
}
