import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TIERS_BEST_FIRST } from '../config/airtable-rules.js';
import type { LetterConfig } from '../config/letter-config.js';
import { AREALBRUKSSTATUS, zoneUseName } from '../domain/codes.js';
import type { Tier } from '../domain/lot.js';
import type { EnhetLookup } from '../sources/brreg/enhet.js';
import type { HtmlToPdf } from '../export/pdf/html-to-pdf.js';
import { letterCsv, type LetterCsvRow } from '../presentation/letter-csv.js';
import { ownerLetterHtml, type LetterLot } from '../presentation/owner-letter.js';
import type { Db } from '../store/database.js';
import { lotsOfKommune, type StoredLot } from '../store/lots.js';
import { cachedEnhet } from '../store/owner-enrichment.js';
import { currentOwnersOfLot, type StoredOwner } from '../store/owners.js';
import type { Logger } from '../util/logger.js';

export interface LettersInput {
  db: Db;
  kommunenummer: string;
  /** Lots of this tier or better. */
  tier: Tier;
  config: LetterConfig;
  pdf: HtmlToPdf;
  outDir: string;
  /** YYYY-MM-DD, the letters' date. */
  date: string;
  logger: Logger;
}

export interface LettersReport {
  dir: string;
  csv: string;
  letters: number;
  /** Letters without an address: the team addresses them (the letter and the CSV say so). */
  unaddressed: number;
  lots: number;
  /** Lots of the tier with no owners in the store yet (look them up first). */
  lotsWithoutOwners: string[];
}

interface Recipient {
  owner: StoredOwner;
  lots: StoredLot[];
}

/**
 * `owners letters`: one PDF per owner of the kommune's lots of the tier or better (all their lots
 * in one letter), and the mail-merge CSV. Owners that are other properties (jordsameie) get no
 * letter. An address is printed only for an organisation whose business address the
 * Enhetsregisteret gave (the Matrikkel lookup reads no addresses); every other letter is marked
 * for the team to address.
 */
export async function writeOwnerLetters(input: LettersInput): Promise<LettersReport> {
  const lots = lotsOfKommune(input.db, input.kommunenummer).filter(
    (l) =>
      l.state === 'active' &&
      TIERS_BEST_FIRST.indexOf(l.record.score.tier) <= TIERS_BEST_FIRST.indexOf(input.tier),
  );
  const { recipients, withoutOwners } = recipientsOf(input.db, lots);
  mkdirSync(input.outDir, { recursive: true, mode: 0o700 });
  const rows: LetterCsvRow[] = [];
  for (const [index, recipient] of recipients.entries()) {
    const reference = `TJ-${input.kommunenummer}-${String(index + 1).padStart(4, '0')}`;
    const address = addressOf(input.db, recipient.owner);
    const file = `brev-${String(index + 1).padStart(4, '0')}-${slug(recipient.owner.name)}.pdf`;
    const html = ownerLetterHtml(
      {
        recipient: { name: recipient.owner.name, address },
        lots: recipient.lots.map(letterLot),
        date: input.date,
        reference,
      },
      input.config,
    );
    writePrivate(
      path.join(input.outDir, file),
      await input.pdf.render(html, { footer: `${input.config.sender.name} · ${reference}` }),
    );
    rows.push(csvRow(recipient, { file, reference, address }));
  }
  const csv = path.join(input.outDir, 'flettefil.csv');
  writePrivate(csv, letterCsv(rows));
  const report = {
    dir: input.outDir,
    csv,
    letters: rows.length,
    unaddressed: rows.filter((r) => r.adresse === null).length,
    lots: lots.length,
    lotsWithoutOwners: withoutOwners,
  };
  input.logger.info('owner letters written', { ...report, lotsWithoutOwners: withoutOwners.length });
  return report;
}

function recipientsOf(db: Db, lots: StoredLot[]): { recipients: Recipient[]; withoutOwners: string[] } {
  const byOwner = new Map<string, Recipient>();
  const withoutOwners: string[] = [];
  for (const lot of lots) {
    const owners = currentOwnersOfLot(db, lot.tomtId);
    if (owners.length === 0) withoutOwners.push(lot.tomtId);
    for (const owner of owners.filter((o) => o.kind !== 'other')) {
      const entry = byOwner.get(owner.matrikkelPersonId) ?? { owner, lots: [] };
      if (!entry.lots.some((l) => l.tomtId === lot.tomtId)) entry.lots.push(lot);
      byOwner.set(owner.matrikkelPersonId, entry);
    }
  }
  const recipients = [...byOwner.values()].sort((a, b) => a.owner.name.localeCompare(b.owner.name, 'nb'));
  return { recipients, withoutOwners };
}

/** An organisation's business address from the Enhetsregisteret (open data), else null. */
function addressOf(db: Db, owner: StoredOwner): string[] | null {
  if (owner.kind !== 'organisation' || !owner.organisasjonsnummer) return null;
  const answer: EnhetLookup | null = cachedEnhet(db, owner.organisasjonsnummer, '0000');
  if (answer?.kind !== 'found' || !answer.enhet.forretningsadresse) return null;
  return answer.enhet.forretningsadresse.split(', ');
}

function letterLot(lot: StoredLot): LetterLot {
  const { record } = lot;
  const parcel = record.matrikkelenheter[0];
  return {
    eiendom: parcel
      ? `gnr. ${parcel.gnr}, bnr. ${parcel.bnr}${parcel.fnr ? `, fnr. ${parcel.fnr}` : ''}`
      : `eiendom ${record.matrikkelnummertekst}`,
    kommuneNavn: record.kommuneNavn,
    arealM2: record.arealM2,
    arealformal: zoneUseName(record.zone.arealformal, record.zone.arealbruk).replace(/^\d+\s+/, ''),
    arealbruksstatus: AREALBRUKSSTATUS[record.zone.arealbruksstatus] ?? null,
    planarbeid: record.planarbeidPagar,
    geometry: record.geometry,
  };
}

function csvRow(
  recipient: Recipient,
  letter: { file: string; reference: string; address: string[] | null },
): LetterCsvRow {
  const { owner, lots } = recipient;
  return {
    fil: letter.file,
    referanse: letter.reference,
    navn: owner.name,
    type: owner.kind === 'organisation' ? 'Organisasjon' : 'Person',
    organisasjonsnummer: owner.organisasjonsnummer,
    adresse: letter.address,
    kommune: lots[0]?.record.kommuneNavn ?? '',
    eiendommer: lots.map((l) => l.record.matrikkelnummertekst),
    arealM2: lots.reduce((sum, l) => sum + l.record.arealM2, 0),
    tomtIder: lots.map((l) => l.tomtId),
  };
}

/** Letters hold names: readable by the user who made them only. */
function writePrivate(file: string, content: string | Uint8Array): void {
  writeFileSync(file, content, { mode: 0o600 });
  chmodSync(file, 0o600);
}

function slug(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[æÆ]/g, 'ae')
    .replace(/[øØ]/g, 'o')
    .replace(/[åÅ]/g, 'a')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return ascii.slice(0, 40) || 'eier';
}
