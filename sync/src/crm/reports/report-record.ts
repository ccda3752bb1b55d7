import { fieldRef, formulaString } from '../airtable/formula.js';
import type { AirtableRecordsClient } from '../airtable/types.js';
import { countWith, fitsUnderCeiling } from '../budget/record-budget.js';
import { RapporterField as F, rapporterTable } from '../schema/rapporter.js';
import { lastRecordCount, saveRecordCount } from '../../store/airtable-record-count.js';
import type { Db } from '../../store/database.js';

export interface ReportRecordInput {
  week: string;
  summary: string;
  madeAt: string;
  /** The report in the browser (PUBLIC_BASE_URL), null when the service is not reachable from outside. */
  link: string | null;
  /** Where Airtable may fetch the PDF from; null: no attachment. */
  pdfUrl: string | null;
}

export type ReportRecordResult = { recordId: string; created: boolean } | { recordId: null; skipped: string };

/**
 * The week's record in Rapporter, created or brought up to date (merged on Uke, so a report made
 * again for a week changes its one record). A new record respects the base's record budget.
 */
export async function writeReportRecord(
  client: AirtableRecordsClient,
  db: Db,
  input: ReportRecordInput,
  recordLimit: number,
): Promise<ReportRecordResult> {
  const count = lastRecordCount(db);
  const existing = await client.listAll(rapporterTable.name, {
    fields: [F.uke],
    filterByFormula: `${fieldRef(F.uke)}=${formulaString(input.week)}`,
  });
  if (!existing.length && count && !fitsUnderCeiling(count.total, 1, recordLimit))
    return {
      recordId: null,
      skipped: `the base is at its record ceiling (${count.total} of ${recordLimit}); the Rapporter record for ${input.week} was not created`,
    };
  const fields = {
    [F.uke]: input.week,
    [F.sammendrag]: input.summary,
    [F.lenke]: input.link,
    [F.laget]: input.madeAt,
    // Airtable copies the file from the URL once; an unchanged URL is not fetched again.
    ...(input.pdfUrl ? { [F.pdf]: [{ url: input.pdfUrl, filename: `tomtejakt-${input.week}.pdf` }] } : {}),
  };
  const result = await client.upsert(rapporterTable.name, [{ fields }], [F.uke], { typecast: true });
  const recordId = result.records[0]!.id;
  const created = result.createdRecords.includes(recordId);
  if (created && count) saveRecordCount(db, countWith(count, rapporterTable.name, 1));
  return { recordId, created };
}
