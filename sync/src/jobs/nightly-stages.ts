import type { Env } from '../config/env.js';
import type { Rules } from '../config/rules.js';
import type { KommuneData } from '../domain/kommune.js';
import type { Lot, ScoredLot } from '../domain/lot.js';
import { ConfigError } from '../util/errors.js';
import type { Logger } from '../util/logger.js';

/**
 * The three stages of the nightly pipeline built elsewhere (sources, engine, scoring), as the
 * job calls them. Rules and scoring context are bound by whoever builds the stages.
 */
export interface PipelineStages {
  loadKommuneData(kommunenummer: string): Promise<KommuneData>;
  findLots(data: KommuneData): { lots: Lot[]; summary?: unknown };
  scoreLots(lots: Lot[], data: KommuneData): ScoredLot[] | Promise<ScoredLot[]>;
}

export interface Pipeline {
  stages: PipelineStages;
  /**
   * The kommune run when KOMMUNER is not set (the bundled sample kommune), and the first start's
   * kommune with an empty store and no Airtable.
   */
  sampleKommune: string | null;
}

export type PipelineFactory = (context: { env: Env; rules: Rules; logger: Logger }) => Promise<Pipeline>;

/**
 * The production pipeline: sources → engine → scoring. The integrator wires the real stages here
 * (loadKommuneData from sources, findLots from the engine, scoreLots from scoring, and the sample
 * kommune); the commands take it from this one place.
 */
export const productionPipeline: PipelineFactory = async () => {
  throw new ConfigError(
    'pipeline',
    'the sources, engine and scoring stages are not wired into this build (jobs/nightly-stages.ts)',
  );
};

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
