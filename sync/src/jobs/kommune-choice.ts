import type { Env } from '../config/env.js';
import type { AirtableRecordsClient } from '../crm/airtable/types.js';
import { readKommunePriorities } from '../crm/kommuner-priorities.js';
import type { KommunePin } from '../domain/kommune.js';
import type { Db } from '../store/database.js';
import { saveKommunePins, storedKommunePins } from '../store/kommune-pins.js';
import { latestRanks } from '../store/kommune-top.js';
import { messageOf } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import { Reason, selectKommuner, type KommuneSelection, type SelectionWarning } from './kommune-selection.js';

export interface KommuneChoiceDeps {
  db: Db;
  env: Pick<Env, 'KOMMUNER'>;
  /** null: Airtable is not configured, so only the ranking and KOMMUNER apply. */
  airtable: AirtableRecordsClient | null;
  /** The ranking rules' top N (for the wording). */
  topN: number;
  /** The pipeline's sample kommune: non-null when no sources are configured (the embedded default). */
  sampleKommune: string | null;
  logger: Logger;
  now?: () => Date;
}

/**
 * The kommuner of one nightly run, with the reasons: the latest ranking's top 50 from the store,
 * KOMMUNER, and the team's Prioritet pins read from Airtable now (kept in the store; when the read
 * fails, the last pins read are used, with the warning `prioritet-read-failed`). `--kommune`
 * (`requested`) means exactly those and reads nothing. A dry run keeps nothing.
 */
export async function chooseKommuner(
  deps: KommuneChoiceDeps,
  options: { requested?: string[]; dryRun?: boolean } = {},
): Promise<KommuneSelection> {
  const ranking = latestRanks(deps.db);
  const requested = options.requested?.length ? options.requested : undefined;
  const team = requested
    ? { pins: new Map<string, KommunePin>(), warnings: [] }
    : await teamPins(deps, options);
  const selection = selectKommuner({
    requested,
    envKommuner: deps.env.KOMMUNER,
    ranking,
    topN: deps.topN,
    pins: team.pins,
    sampleKommune: deps.sampleKommune,
    warnings: team.warnings,
  });
  logSelection(deps.logger, selection);
  return selection;
}

async function teamPins(
  deps: KommuneChoiceDeps,
  options: { dryRun?: boolean },
): Promise<{ pins: ReadonlyMap<string, KommunePin>; warnings: SelectionWarning[] }> {
  if (!deps.airtable) return { pins: new Map(), warnings: [] };
  try {
    const read = await readKommunePriorities(deps.airtable);
    if (!options.dryRun) saveKommunePins(deps.db, read.pins, (deps.now?.() ?? new Date()).toISOString());
    const warnings: SelectionWarning[] = read.conflicts.map((nr) => ({
      code: 'prioritet-conflict',
      message: `kommune ${nr} is on several Kommuner records with different Prioritet: neither pin applies; merge the records in Airtable`,
    }));
    if (read.unkeyed > 0)
      warnings.push({
        code: 'prioritet-without-kommunenummer',
        message: `${read.unkeyed} Kommuner record(s) with "Alltid med" or "Ikke aktuell" have no 4-digit Kommunenummer: ignored`,
      });
    return { pins: read.pins, warnings };
  } catch (error) {
    const stored = storedKommunePins(deps.db);
    const fallback = stored
      ? `going on with the ${stored.pins.size} pin(s) last read ${stored.readAt}`
      : 'going on without pins (never read before)';
    return {
      pins: stored?.pins ?? new Map(),
      warnings: [
        {
          code: 'prioritet-read-failed',
          message: `reading Prioritet from the Airtable table Kommuner failed (${messageOf(error)}); ${fallback}`,
        },
      ],
    };
  }
}

function logSelection(logger: Logger, selection: KommuneSelection): void {
  for (const warning of selection.warnings) logger.warn(warning.message, { warning: warning.code });
  for (const note of selection.notes) logger.info(note);
  logger.info('Kommuner chosen for the run', {
    kommuner: selection.kommuner.length,
    excluded: selection.excluded.length,
  });
  // Those left out for want of sources are one note above, not a line each.
  for (const k of selection.excluded.filter((e) => !e.reasons.includes(Reason.noSources)))
    logger.info(`Kommune ${k.kommunenummer} not run`, {
      why: k.reasons.join(', '),
      candidate: k.candidateFor.join(', '),
    });
}
