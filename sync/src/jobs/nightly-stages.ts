import type { Env } from '../config/env.js';
import type { Rules } from '../config/rules.js';
import type { KommuneData } from '../domain/kommune.js';
import type { Lot, ScoredLot } from '../domain/lot.js';
import type { Db } from '../store/database.js';
import { ConfigError } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import type { Progress } from '../util/progress.js';

/**
 * The three stages of the nightly pipeline built elsewhere (sources, engine, scoring), as the
 * job calls them. Rules and scoring context are bound by whoever builds the stages.
 */
export interface PipelineStages {
  loadKommuneData(kommunenummer: string): Promise<KommuneData>;
  findLots(data: KommuneData): FoundLots | Promise<FoundLots>;
  scoreLots(lots: Lot[], data: KommuneData): ScoredLot[] | Promise<ScoredLot[]>;
}

export interface FoundLots {
  lots: Lot[];
  summary?: unknown;
}

export interface Pipeline {
  stages: PipelineStages;
  /** What the stages found worth printing after a run (engine summaries, score reports). */
  report?(): string[];
  /** Releases what the stages hold (HTTP clients). */
  close?(): Promise<void>;
  /**
   * The kommune run when KOMMUNER is not set (the bundled sample kommune), and the first start's
   * kommune with an empty store and no Airtable.
   */
  sampleKommune: string | null;
}

export interface PipelineContext {
  env: Env;
  rules: Rules;
  logger: Logger;
  /** The store the run writes to (the stages read the kommune ranking and known owners from it). */
  db: Db;
  progress?: Progress;
}

export type PipelineFactory = (context: PipelineContext) => Promise<Pipeline>;

/** Which kommuner a run covers: the command line, else KOMMUNER, else the sample kommune. */
export function kommunerToRun(options: {
  requested?: string[];
  env: Pick<Env, 'KOMMUNER'>;
  sampleKommune: string | null;
}): string[] {
  if (options.requested?.length) return options.requested;
  if (options.env.KOMMUNER?.length) return options.env.KOMMUNER;
  if (options.sampleKommune) return [options.sampleKommune];
  throw new ConfigError('KOMMUNER', 'no kommuner to run: set KOMMUNER (e.g. 3207,3218) or pass --kommune');
}
