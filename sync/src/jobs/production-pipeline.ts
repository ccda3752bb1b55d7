import { formatEngineSummary } from '../engine/format-summary.js';
import { findLots } from '../engine/find-lots.js';
import { formatScoreReport } from '../scoring/lot/report.js';
import { scoreLots } from '../scoring/lot/score-lots.js';
import { loadConstraintLayers } from '../sources/constraint-layers.js';
import { loadKommuneData } from '../sources/kommune-data.js';
import { configuredSources } from '../sources/sample-kommune.js';
import { createSourceRuntime } from '../sources/source-runtime.js';
import { createKommuneRankingStore } from '../store/kommune-ranking.js';
import { ownerCountsOfKommune } from '../store/owners.js';
import type { Pipeline, PipelineFactory } from './nightly-stages.js';

/**
 * The nightly pipeline as production runs it: sources (SOURCES_FILE, with the last good data as
 * fallback) → lot engine → lot score (kommune score from the ranking store, owner counts from past
 * lookups). With neither a SOURCES_FILE nor NAP credentials, the bundled sample kommune is served
 * from its files and is the kommune a run covers when KOMMUNER is not set: the embedded default.
 */
export const productionPipeline: PipelineFactory = async ({ env, rules, logger, db, progress }) => {
  const { file, sample } = configuredSources(env);
  const runtime = createSourceRuntime(env, file);
  const ranking = createKommuneRankingStore(db);
  const reports = new Map<string, string[]>();
  const reportOf = (kommunenummer: string) => {
    const lines = reports.get(kommunenummer) ?? [];
    reports.set(kommunenummer, lines);
    return lines;
  };
  if (sample)
    logger.info(
      `No SOURCES_FILE or NAP credentials: kommune ${sample.kommunenummer} comes from the bundled generated sample`,
    );

  const pipeline: Pipeline = {
    sampleKommune: sample?.kommunenummer ?? null,
    stages: {
      async loadKommuneData(kommunenummer) {
        reports.set(kommunenummer, []); // a new run of this kommune: its report starts over
        const data = await loadKommuneData(kommunenummer, {
          sources: runtime.registry,
          lastGood: runtime.lastGood,
          logger,
          progress,
        });
        for (const part of data.report.parts) {
          if (part.status === 'fallback') {
            reportOf(kommunenummer).push(
              `Kommune ${kommunenummer}: ${part.part} from the last good copy of ${part.fetchedAt} (${part.reason})`,
            );
          }
        }
        // The sample's generated town is not where kommuneinfo's point for the real kommune is.
        return sample?.kommunenummer === kommunenummer ? { ...data, centre: sample.centre } : data;
      },
      async findLots(data) {
        const result = await findLots(data, rules.engine, { progress });
        reportOf(data.kommune.kommunenummer).push(...formatEngineSummary(result.summary));
        return result;
      },
      async scoreLots(lots, data) {
        const kommunenummer = data.kommune.kommunenummer;
        const extra = await loadConstraintLayers(
          data,
          rules.lotScore.constraints.extraLayers[kommunenummer] ?? [],
          runtime.registry,
        );
        for (const problem of extra.problems) {
          logger.warn(problem);
          reportOf(kommunenummer).push(problem);
        }
        const scored = await scoreLots(lots, {
          data,
          kommuneScore: ranking.kommuneScore(kommunenummer),
          rules: rules.lotScore,
          ownerCounts: ownerCountsOfKommune(db, kommunenummer),
          extraLayers: extra.layers,
          progress,
          fallbackPrecisionM: rules.engine.fallbackPrecisionM,
        });
        reportOf(kommunenummer).push(formatScoreReport(scored));
        return scored;
      },
    },
    report: () => [...reports.values()].flat(),
    close: () => runtime.close(),
  };
  return pipeline;
};
