import type { Env } from '../config/env.js';
import type { Rules } from '../config/rules.js';
import type { KommuneData } from '../domain/kommune.js';
import type { Lot, ScoredLot } from '../domain/lot.js';
import type { LotSources } from '../lot-record/lot-record.js';
import type { IncomingLot } from '../store/lot-changes.js';
import type { KommunePlanEvidence } from '../scoring/kommune/plan-evidence.js';
import type { Db } from '../store/database.js';
import type { Logger } from '../util/logger.js';
import type { Progress } from '../util/progress.js';

/**
 * The three stages of the nightly pipeline built elsewhere (sources, engine, scoring), as the
 * job calls them. Rules and scoring context are bound by whoever builds the stages.
 */
export interface PipelineStages {
  /** `signal` aborts when the kommune goes over its time limit or the run no longer wants it. */
  loadKommuneData(kommunenummer: string, options?: StageOptions): Promise<KommuneData>;
  findLots(data: KommuneData, options?: StageOptions): FoundLots | Promise<FoundLots>;
  scoreLots(lots: Lot[], data: KommuneData): ScoredLot[] | Promise<ScoredLot[]>;
  /**
   * The records and fingerprints of lots `scoreLots` returned (that very array), when it already
   * made them with the scores for this kommune name and sources; else null (the store makes them).
   */
  lotRecords?(scored: ScoredLot[], kommune: { navn: string; sources: LotSources }): IncomingLot[] | null;
  /**
   * A cheap digest of everything the kommune's lots follow from (inputs, rules, code), or null
   * when it cannot be known without reading the sources. Equal to the one stored with the
   * kommune's lots: the kommune is neither read nor computed again. Asked before reading and,
   * when null then, once more before storing: what this run fetched (stops, national layers) is
   * kept by then, so the version stored with the lots lets the next night skip the kommune.
   */
  inputVersion?(kommunenummer: string): string | null | Promise<string | null>;
}

export interface StageOptions {
  signal?: AbortSignal;
}

export interface FoundLots {
  lots: Lot[];
  summary?: unknown;
  /** What the run measured of the kommune's plans for the ranking's Byggevilje; kept with the lots. */
  planEvidence?: KommunePlanEvidence | null;
}

export interface Pipeline {
  stages: PipelineStages;
  /** What the stages found worth printing after a run (engine summaries, score reports). */
  report?(): string[];
  /** Releases what the stages hold (HTTP clients). */
  close?(): Promise<void>;
  /**
   * The bundled sample kommune when no sources are configured (the embedded default), else null.
   * Then only it has data: the run covers it unless KOMMUNER or the team's pins name others, and
   * the kommune ranking chooses nothing (`jobs/kommune-selection.ts`).
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
