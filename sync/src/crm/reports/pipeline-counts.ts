import type { AirtableRecordsClient } from '../airtable/types.js';
import { LotStatus, TomterField as F, tomterTable } from '../schema/tomter.js';
import { touchedFormula } from '../tomter/touched.js';
import { messageOf } from '../../util/errors.js';

/** The team's pipeline as the report shows it (the shape of presentation/report's PipelineFacts). */
export type PipelineCounts =
  | { available: true; statuses: Record<string, number>; overdue: number | null }
  | { available: false; reason: string };

/** Where a lot's work is over: a next step on these is not late. */
const CLOSED: readonly string[] = [LotStatus.avvist, LotStatus.ikkeAktuell, LotStatus.utgatt];

/**
 * The Status counts of the records the team has worked (Status other than Ny/Utgått, or any team
 * field filled: one listing of three fields), and how many open ones have a "Neste handling dato"
 * before `today` (YYYY-MM-DD, the team's calendar). Nothing about owners is read.
 */
export async function readPipelineCounts(client: AirtableRecordsClient, today: string): Promise<PipelineCounts> {
  try {
    const records = await client.listAll(tomterTable.name, {
      fields: [F.status, F.nesteHandlingDato],
      filterByFormula: touchedFormula(),
    });
    const statuses: Record<string, number> = {};
    let overdue = 0;
    for (const { fields } of records) {
      const status = typeof fields[F.status] === 'string' ? (fields[F.status] as string) : LotStatus.ny;
      statuses[status] = (statuses[status] ?? 0) + 1;
      const due = fields[F.nesteHandlingDato];
      if (typeof due === 'string' && due.slice(0, 10) < today && !CLOSED.includes(status)) overdue += 1;
    }
    return { available: true, statuses, overdue };
  } catch (error) {
    return { available: false, reason: `Tomter i Airtable kunne ikke leses (${messageOf(error)})` };
  }
}
