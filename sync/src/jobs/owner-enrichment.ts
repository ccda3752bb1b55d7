import type { DeveloperRules } from '../config/developer-rules.js';
import { enhetCells, type EnrichmentWriter, type LotMarkWrite } from '../crm/owners/enrichment-writer.js';
import { developerCode } from '../domain/developer.js';
import type { LocalLotParcelsLookup } from '../domain/lot-parcels.js';
import type { EnhetLookup } from '../sources/brreg/enhet.js';
import type { EnhetsregisterSource } from '../sources/brreg/client.js';
import type { Db } from '../store/database.js';
import { getLot, lotsOfKommune } from '../store/lots.js';
import {
  cachedEnhet,
  currentOrganisationOwnerships,
  developerMarks,
  saveDeveloperMarks,
  saveEnhet,
  type DeveloperMarkRow,
  type OrganisationOwnership,
} from '../store/owner-enrichment.js';
import { unique } from '../util/collections.js';
import { messageOf } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import { neighboursWithin, type LotShape } from './developer-neighbours.js';

export interface EnrichmentReport {
  at: string;
  organisations: number;
  /** Asked of the register now (the rest came from the cache). */
  fetched: number;
  /** Organisations the register could not be asked about, with why (they keep their last marks). */
  failed: Array<{ organisasjonsnummer: string; error: string }>;
  /** Organisation numbers with a developer NACE code. */
  developers: string[];
  marked: { eier: number; nabo: number };
  /** Eiere records written (0 without Airtable). */
  ownersWritten: number;
}

export interface OwnerEnrichmentInput {
  db: Db;
  source: EnhetsregisterSource;
  /** null without Airtable: answers and marks stay in the store. */
  writer: EnrichmentWriter | null;
  lots: LocalLotParcelsLookup;
  rules: DeveloperRules;
  now: Date;
  logger: Logger;
}

/**
 * Owner enrichment (issue 14, point 6): every organisation owning a lot now is looked up in the
 * Enhetsregisteret (cached `cacheDays`, one call at a time within the client's pace); owners with a
 * developer NACE code are "Utbygger", and a lot they own, or a lot within `neighbourMetres` of one,
 * is marked "Utbygger eier" / "Utbygger nabo" with the company.
 */
export async function runOwnerEnrichment(input: OwnerEnrichmentInput): Promise<EnrichmentReport> {
  const at = input.now.toISOString();
  const ownerships = currentOrganisationOwnerships(input.db);
  const report: EnrichmentReport = {
    at,
    organisations: 0,
    fetched: 0,
    failed: [],
    developers: [],
    marked: { eier: 0, nabo: 0 },
    ownersWritten: 0,
  };
  const answers = await answersFor(input, unique(ownerships.map((o) => o.organisasjonsnummer)), report);
  const developers = developersOf(answers, input.rules.naceCodes);
  report.developers = [...developers.keys()];
  const marks = await lotMarks(input, ownerships, developers, report);
  await writeAll(input, ownerships, answers, marks, report);
  input.logger.info('owner enrichment', {
    organisations: report.organisations,
    fetched: report.fetched,
    failed: report.failed.length,
    developers: report.developers.length,
    ...report.marked,
  });
  return report;
}

async function answersFor(
  input: OwnerEnrichmentInput,
  organisations: string[],
  report: EnrichmentReport,
): Promise<Map<string, EnhetLookup>> {
  const freshAfter = new Date(input.now.getTime() - input.rules.cacheDays * 86_400_000).toISOString();
  const answers = new Map<string, EnhetLookup>();
  report.organisations = organisations.length;
  for (const orgnr of organisations) {
    const cached = cachedEnhet(input.db, orgnr, freshAfter);
    if (cached) {
      answers.set(orgnr, cached);
      continue;
    }
    try {
      const answer = await input.source.enhet(orgnr);
      saveEnhet(input.db, orgnr, answer, input.now.toISOString());
      answers.set(orgnr, answer);
      report.fetched += 1;
    } catch (error) {
      report.failed.push({ organisasjonsnummer: orgnr, error: messageOf(error) });
      input.logger.warn('owner enrichment: the Enhetsregisteret could not be asked', {
        organisasjonsnummer: orgnr,
        error: messageOf(error),
      });
    }
  }
  return answers;
}

/** Developer organisations: "NAME (orgnr)" by organisation number. */
function developersOf(answers: Map<string, EnhetLookup>, codes: readonly string[]): Map<string, string> {
  const developers = new Map<string, string>();
  for (const [orgnr, answer] of answers)
    if (answer.kind === 'found' && developerCode(answer.enhet.naeringskoder, codes))
      developers.set(orgnr, `${answer.enhet.navn} (${orgnr})`);
  return developers;
}

async function lotMarks(
  input: OwnerEnrichmentInput,
  ownerships: OrganisationOwnership[],
  developers: Map<string, string>,
  report: EnrichmentReport,
): Promise<DeveloperMarkRow[]> {
  const owned = new Map<string, DeveloperMarkRow>();
  for (const o of ownerships) {
    const company = developers.get(o.organisasjonsnummer);
    if (company && !owned.has(o.tomtId))
      owned.set(o.tomtId, {
        tomtId: o.tomtId,
        mark: 'eier',
        organisasjonsnummer: o.organisasjonsnummer,
        company,
      });
  }
  const shapes = (ids: Iterable<string>) =>
    [...ids].flatMap((id): LotShape[] => {
      const lot = getLot(input.db, id);
      return lot ? [{ tomtId: id, geometry: lot.record.geometry }] : [];
    });
  const developerLots = shapes(owned.keys());
  const kommuner = unique(developerLots.map((l) => l.tomtId.slice(0, 4)));
  const others = kommuner.flatMap((k) =>
    lotsOfKommune(input.db, k)
      .filter((l) => l.state === 'active' && !owned.has(l.tomtId))
      .map((l) => ({ tomtId: l.tomtId, geometry: l.record.geometry })),
  );
  const near = await neighboursWithin(developerLots, others, input.rules.neighbourMetres);
  const bordering = [...near].map(([tomtId, [first]]): DeveloperMarkRow => ({
    ...owned.get(first!)!,
    tomtId,
    mark: 'nabo',
  }));
  report.marked = { eier: owned.size, nabo: bordering.length };
  return [...owned.values(), ...bordering];
}

async function writeAll(
  input: OwnerEnrichmentInput,
  ownerships: OrganisationOwnership[],
  answers: Map<string, EnhetLookup>,
  marks: DeveloperMarkRow[],
  report: EnrichmentReport,
): Promise<void> {
  const before = developerMarks(input.db);
  if (input.writer) {
    const cells = new Map<string, Record<string, unknown>>();
    for (const o of ownerships) {
      const answer = answers.get(o.organisasjonsnummer);
      if (answer) cells.set(o.ownershipId, enhetCells(answer, input.rules.naceCodes));
    }
    report.ownersWritten = await input.writer.writeOwners(cells);
    await input.writer.writeLotMarks(changedMarks(input.lots, before, marks));
  }
  saveDeveloperMarks(input.db, marks, report.at);
}

/** Lots whose mark or company changed since the last run, with their Tomter record (a mark gone is cleared). */
function changedMarks(
  lots: LocalLotParcelsLookup,
  before: Map<string, DeveloperMarkRow>,
  now: DeveloperMarkRow[],
): LotMarkWrite[] {
  const writes: LotMarkWrite[] = [];
  const nowById = new Map(now.map((m) => [m.tomtId, m]));
  for (const tomtId of unique([...before.keys(), ...nowById.keys()])) {
    const was = before.get(tomtId);
    const is = nowById.get(tomtId);
    if (was && is && was.mark === is.mark && was.company === is.company) continue;
    const recordId = lots.byTomtId(tomtId)?.recordId;
    if (recordId) writes.push({ recordId, mark: is?.mark ?? null, company: is?.company ?? null });
  }
  return writes;
}
