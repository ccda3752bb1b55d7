import type { Rules } from '../config/rules.js';
import type { KommuneData } from '../domain/kommune.js';
import type { Lot, ScoredLot } from '../domain/lot.js';
import { formatEngineSummary } from '../engine/format-summary.js';
import { findLots } from '../engine/find-lots.js';
import { constraintLayersOf } from '../scoring/lot/constraint-zones.js';
import { formatScoreReport } from '../scoring/lot/report.js';
import { scoreLots } from '../scoring/lot/score-lots.js';
import { LotScoreStream, type RecordedLot } from '../scoring/lot/score-stream.js';
import type { LotSources } from '../lot-record/lot-record.js';
import { stableJson } from '../util/stable-json.js';
import { loadExtraLayers } from '../sources/constraint-layers.js';
import { enturStopSource } from '../sources/entur/entur-runtime.js';
import { bundledSampleStops, freshKeptStops, loadTransitStops } from '../sources/entur/transit-stops.js';
import type { StopPlaceSource } from '../sources/entur/stop-places.js';
import type { TransitData } from '../domain/transit.js';
import type { CentreData } from '../domain/tettsted.js';
import { freshKept } from '../sources/kept-fetch.js';
import { bundledSampleCentre, loadKommuneCentre } from '../sources/tettsted/kommune-centre.js';
import type { TettstedSource } from '../sources/tettsted/tettsted-client.js';
import { ssbTettstedSource } from '../sources/tettsted/tettsted-runtime.js';
import { fileInputVersion, statsOf } from '../sources/files/input-version.js';
import { loadKommuneData } from '../sources/kommune-data.js';
import { configuredSources, type SampleKommune } from '../sources/sample-kommune.js';
import { createSourceRuntime, type SourceRuntime } from '../sources/source-runtime.js';
import { createKommuneRankingStore } from '../store/kommune-ranking.js';
import { ownerCountsOfKommune } from '../store/owners.js';
import type { Pipeline, PipelineContext, PipelineFactory } from './nightly-stages.js';
import { lotInputVersion } from './input-version.js';
import { NationalLayersStage } from './national-layers-stage.js';
import { planEvidenceOfRun } from './plan-evidence-of-run.js';

/** What each kommune's stages found worth printing after a run, kept per kommune. */
class RunReport {
  private readonly lines = new Map<string, string[]>();
  start(kommunenummer: string): void {
    this.lines.set(kommunenummer, []);
  }
  add(kommunenummer: string, ...lines: string[]): void {
    this.lines.set(kommunenummer, [...(this.lines.get(kommunenummer) ?? []), ...lines]);
  }
  all(): string[] {
    return [...this.lines.values()].flat();
  }
}

/**
 * The nightly pipeline as production runs it: sources (SOURCES_FILE, with the last good data as
 * fallback, and the kommune's extra constraint layers) → lot engine → lot score (kommune score
 * from the ranking store, owner counts from past lookups). With neither a SOURCES_FILE nor NAP
 * credentials, the bundled sample kommune is served from its files and is the kommune a run
 * covers when KOMMUNER is not set: the embedded default.
 */
export const productionPipeline: PipelineFactory = async (context) => {
  const { file, sample } = configuredSources(context.env);
  const runtime = createSourceRuntime(context.env, file);
  const stops = enturStopSource(context.env);
  const tettsteder = ssbTettstedSource(context.env);
  const report = new RunReport();
  const national = new NationalLayersStage(context, runtime, sample);
  const filesSeen = new Map<string, string | null>();
  const streams = new Map<string, LotScoreStream>();
  const recorded = new WeakMap<ScoredLot[], { navn: string; sources: LotSources; records: RecordedLot[] }>();
  if (sample)
    context.logger.info(
      `No SOURCES_FILE or NAP credentials: kommune ${sample.kommunenummer} comes from the bundled generated sample`,
    );
  const pipeline: Pipeline = {
    sampleKommune: sample?.kommunenummer ?? null,
    stages: {
      loadKommuneData: (kommunenummer, options) =>
        load(kommunenummer, {
          context,
          runtime,
          stops,
          tettsteder,
          report,
          sample,
          national,
          signal: options?.signal,
        }),
      findLots: (data, options) =>
        find(data, options?.signal, { context, report, national, streams, recorded }),
      scoreLots: (lots, loaded) => score(lots, loaded, { context, report, national, streams, recorded }),
      lotRecords: (scored, kommune) => {
        const made = recorded.get(scored);
        const same =
          made && made.navn === kommune.navn && stableJson(made.sources) === stableJson(kommune.sources);
        return same ? made.records : null;
      },
      inputVersion: (kommunenummer) =>
        inputVersion(kommunenummer, { context, runtime, sample, national, filesSeen }),
    },
    report: () => report.all(),
    close: async () => {
      for (const stream of streams.values()) stream.dispose();
      await national.close();
      await runtime.close();
      await stops.close();
      await tettsteder.close();
    },
  };
  return pipeline;
};

/** What the engine and scoring stages share: the run's report, the national layers, the score streams. */
interface StageParts {
  context: PipelineContext;
  report: RunReport;
  national: NationalLayersStage;
  /** Lots scored while the engine finds them, by kommune, until its scoring stage takes them. */
  streams: Map<string, LotScoreStream>;
  /** The records the streams made with the scores, by the array of scored lots they belong to. */
  recorded: WeakMap<ScoredLot[], { navn: string; sources: LotSources; records: RecordedLot[] }>;
}

/**
 * The engine on a kommune's data. Its lots are scored as its batches finish unless scoring needs
 * them all first (then the kommune's figures and known owners are read as the engine starts).
 */
async function find(data: KommuneData, signal: AbortSignal | undefined, parts: StageParts) {
  const { context, report, national, streams } = parts;
  const asOf = new Date().toISOString().slice(0, 10);
  const kommunenummer = data.kommune.kommunenummer;
  streams.get(kommunenummer)?.dispose();
  const stream = national.needsLots(kommunenummer)
    ? null
    : await LotScoreStream.start(scoreContext(data, context));
  if (stream) streams.set(kommunenummer, stream);
  const result = await findLots(data, context.rules.engine, {
    progress: context.progress,
    asOf,
    signal,
    ...(stream ? { onLots: stream.add, lotAnnotator: stream.onThreads() } : {}),
  }).catch((error: unknown) => {
    stream?.dispose();
    streams.delete(kommunenummer);
    throw error;
  });
  report.add(kommunenummer, ...formatEngineSummary(result.summary));
  const years = context.rules.engine.planEvidenceYears;
  return { ...result, planEvidence: planEvidenceOfRun(result.summary, data, { date: asOf, years }) };
}

/** The kommune's lots scored: from its stream when scoring added nothing to the data, else all here. */
async function score(lots: Lot[], loaded: KommuneData, parts: StageParts): Promise<ScoredLot[]> {
  const { context, report, national, streams } = parts;
  const kommunenummer = loaded.kommune.kommunenummer;
  const stream = streams.get(kommunenummer);
  streams.delete(kommunenummer);
  let scored: ScoredLot[] | null = null;
  let data = loaded;
  try {
    const before = await national.beforeScoring(lots, loaded);
    data = before.data;
    reportProblems(context, report, kommunenummer, before.problems);
    if (before.summary) report.add(kommunenummer, before.summary);
    // The stream scored against the data as loaded.
    if (stream && data === loaded) scored = await stream.finish(lots);
    const records = scored && stream?.records(scored);
    if (scored && records)
      parts.recorded.set(scored, { navn: loaded.kommune.navn, sources: loaded.sources, records });
  } finally {
    stream?.dispose();
  }
  scored ??= await scoreLots(lots, scoreContext(data, context));
  report.add(kommunenummer, formatScoreReport(scored));
  return scored;
}

async function load(
  kommunenummer: string,
  parts: {
    context: PipelineContext;
    runtime: SourceRuntime;
    stops: StopPlaceSource;
    tettsteder: TettstedSource;
    report: RunReport;
    sample: SampleKommune | null;
    national: NationalLayersStage;
    signal: AbortSignal | undefined;
  },
): Promise<KommuneData> {
  const { context, runtime, stops, tettsteder, report, sample, national, signal } = parts;
  report.start(kommunenummer); // a new run of this kommune: its report starts over
  const data = await loadKommuneData(kommunenummer, {
    sources: runtime.registry,
    lastGood: runtime.lastGood,
    logger: context.logger,
    progress: context.progress,
    signal,
  });
  for (const part of data.report.parts)
    if (part.status === 'fallback')
      report.add(
        kommunenummer,
        `Kommune ${kommunenummer}: ${part.part} from the last good copy of ${part.fetchedAt} (${part.reason})`,
      );
  const extra = await loadExtraLayers(data, extraLayerRules(context.rules, kommunenummer), runtime.registry);
  reportProblems(context, report, kommunenummer, extra.problems);
  // The sample's generated town is not where kommuneinfo's point for the real kommune is, nor its stops.
  const isSample = sample?.kommunenummer === kommunenummer;
  const centre = isSample ? sample.centre : data.centre;
  const transit = isSample
    ? bundledSampleStops(sample.dir)
    : await loadTransitStops(kommunenummer, data.boundary, {
        source: stops,
        store: runtime.lastGood,
        refreshDays: context.env.TRANSIT_REFRESH_DAYS,
        marginM: context.rules.lotScore.sentralitet.transit.zeroScoreM,
        departures: context.rules.lotScore.sentralitet.transit.departures,
        signal,
      });
  const tettsted = isSample
    ? await bundledSampleCentre(sample.dir, data.boundary)
    : await loadKommuneCentre(kommunenummer, data.boundary, {
        source: tettsteder,
        store: runtime.lastGood,
        refreshDays: context.env.CENTRE_REFRESH_DAYS,
        signal,
      });
  const problems = [transitProblem(kommunenummer, transit), centreProblem(kommunenummer, tettsted)];
  reportProblems(
    context,
    report,
    kommunenummer,
    problems.filter((p): p is string => p !== null),
  );
  const withLayers = await national.load(
    { ...data, centre, extraLayers: extra.layers, transit, tettsted },
    signal,
  );
  reportProblems(context, report, kommunenummer, withLayers.problems);
  return withLayers.data;
}

function reportProblems(
  context: PipelineContext,
  report: RunReport,
  kommunenummer: string,
  problems: string[],
) {
  for (const problem of problems) {
    context.logger.warn(problem);
    report.add(kommunenummer, problem);
  }
}

/** A line for the log and the run report when the stops are old or missing; null when fine. */
function transitProblem(kommunenummer: string, transit: TransitData): string | null {
  if (transit.status === 'stale')
    return `Kommune ${kommunenummer}: stops from the copy of ${transit.fetchedAt} (${transit.reason})`;
  if (transit.status === 'unavailable')
    return `Kommune ${kommunenummer}: no stop data, Sentralitet from the centre alone (${transit.reason})`;
  return null;
}

/** A line for the log and the run report when the kommune's centre is old or missing; null when fine. */
function centreProblem(kommunenummer: string, tettsted: CentreData): string | null {
  if (tettsted.status === 'stale')
    return `Kommune ${kommunenummer}: centre from the choice of ${tettsted.fetchedAt} (${tettsted.reason})`;
  if (tettsted.status === 'unavailable')
    return `Kommune ${kommunenummer}: no tettsted data, the centre is the representative point (${tettsted.reason})`;
  return null;
}

/**
 * Only for kommuner read from files, without extra constraint layers, and whose stops and
 * national layers are bundled or kept fresh enough not to be fetched this run
 * (`jobs/input-version.ts`). The bundled sample's version covers its whole folder (stops, centre
 * and layer files as well as plans and parcels), so `npm run sample` alone forces a rerun.
 */
function inputVersion(
  kommunenummer: string,
  parts: {
    context: PipelineContext;
    runtime: SourceRuntime;
    sample: SampleKommune | null;
    national: NationalLayersStage;
    /** The files' version when last asked this run: files that changed while being read give no version. */
    filesSeen: Map<string, string | null>;
  },
): string | null {
  const { context, runtime, sample, national, filesSeen } = parts;
  if (extraLayerRules(context.rules, kommunenummer).length > 0) return null;
  const files = fileInputVersion(runtime.registry, kommunenummer);
  const seen = filesSeen.get(kommunenummer);
  filesSeen.set(kommunenummer, files);
  if (seen !== undefined && seen !== files) return null;
  const isSample = sample?.kommunenummer === kommunenummer;
  // The sample's stops, centre and layers are files in its folder.
  const bundled = isSample ? `bundled ${statsOf(sample.dir).join(';')}` : null;
  const transit = bundled ?? keptTransit(kommunenummer, context, runtime);
  const centre = bundled ?? keptCentre(kommunenummer, context, runtime);
  const layers = national.keptVersion(kommunenummer);
  if (files === null || transit === null || centre === null || layers === null) return null;
  return lotInputVersion({
    inputs: `${files};transit ${transit};centre ${centre};layers ${layers}`,
    rules: { engine: context.rules.engine, lotScore: context.rules.lotScore },
    kommune: createKommuneRankingStore(context.db).kommuneFigures(kommunenummer),
    ownerCounts: ownerCountsOfKommune(context.db, kommunenummer),
    asOf: new Date().toISOString().slice(0, 10),
  });
}

/** When the kept stops are young enough to be used as they are, their fetch time; else null. */
function keptTransit(kommunenummer: string, context: PipelineContext, runtime: SourceRuntime): string | null {
  return freshKeptStops(runtime.lastGood, kommunenummer, context.env.TRANSIT_REFRESH_DAYS)?.savedAt ?? null;
}

/** When the kept centre is young enough to be used as it is, its lookup time; else null. */
function keptCentre(kommunenummer: string, context: PipelineContext, runtime: SourceRuntime): string | null {
  const refreshDays = context.env.CENTRE_REFRESH_DAYS;
  return freshKept(runtime.lastGood, kommunenummer, 'centre', refreshDays, new Date())?.savedAt ?? null;
}

const extraLayerRules = (rules: Rules, kommunenummer: string) =>
  rules.lotScore.constraints.extraLayers[kommunenummer] ?? [];

function scoreContext(data: KommuneData, context: PipelineContext) {
  const kommunenummer = data.kommune.kommunenummer;
  return {
    data,
    kommune: createKommuneRankingStore(context.db).kommuneFigures(kommunenummer),
    rules: context.rules.lotScore,
    ownerCounts: ownerCountsOfKommune(context.db, kommunenummer),
    extraLayers: [
      ...constraintLayersOf(extraLayerRules(context.rules, kommunenummer), data.extraLayers ?? []),
      ...(data.nationalLayers ?? []),
    ],
    fallbackPrecisionM: context.rules.engine.fallbackPrecisionM,
    progress: context.progress,
  };
}
