import { readFileSync } from 'node:fs';
import { compactKommuneBoundaries } from '../presentation/kommune-boundaries.js';
import type { KommuneRankingInput } from '../presentation/kommune-dashboard.js';
import type { KommuneHistoryInput } from '../presentation/kommune-detail.js';
import { kommuneRulesSchema, type KommuneRules } from '../config/kommune-rules.js';
import { explainKommune, explanationContext, figuresSource } from '../scoring/kommune/explanation.js';
import { FACTORS } from '../scoring/kommune/factors.js';
import type { KommuneReader } from '../server/kommuner-api.js';
import { BUNDLED_KOMMUNE_BOUNDARIES } from '../sources/kommuneinfo/bundled-kommuner.js';
import type { Db } from '../store/database.js';
import type { Logger } from '../util/logger.js';
import { createKommuneRankingStore, type StoredRanking } from '../store/kommune-ranking.js';

/**
 * The kommune dashboard's ranking, read from the store. The newest ranking is read once per
 * refresh (kept until a newer successful refresh exists), so the server renders it once.
 */
export function storeKommuneReader(
  db: Db,
  rules: KommuneRules = kommuneRulesSchema.parse({}),
): KommuneReader {
  const store = createKommuneRankingStore(db);
  let cached: { id: number; input: KommuneRankingInput } | null = null;
  return {
    latest() {
      const last = store.lastSuccessful();
      if (!last) return null;
      if (cached?.id !== last.id) {
        const ranking = store.latestRanking();
        if (!ranking) return null;
        cached = { id: ranking.refresh.id, input: rankingInput(ranking, rules) };
      }
      return cached.input;
    },
    history(kommunenummer) {
      const factors = new Map<number, Record<string, { raw: number | null; points: number }>>();
      for (const f of store.factorHistory(kommunenummer)) {
        const of = factors.get(f.refreshId) ?? {};
        of[f.factor] = { raw: f.raw, points: f.points };
        factors.set(f.refreshId, of);
      }
      return store
        .history(kommunenummer)
        .map((h): KommuneHistoryInput => ({ ...h, factors: factors.get(h.refreshId) ?? {} }));
    },
  };
}

/**
 * The stored ranking as the dashboard reads it: the method's factor order and units, and each
 * kommune's explanation as the CLI and Airtable give it.
 */
function rankingInput(ranking: StoredRanking, rules: KommuneRules): KommuneRankingInput {
  const explain = explanationContext(ranking.kommuner, rules, figuresSource(ranking.refresh));
  return {
    refreshId: ranking.refresh.id,
    updatedAt: ranking.refresh.finishedAt,
    factorInfo: FACTORS.map((f) => ({ key: f.key, unit: f.unit })),
    kommuner: ranking.kommuner.map((k) => ({ ...k, explanation: explainKommune(k, explain) })),
  };
}

let boundaries: string | undefined;

/** Makes the compact boundaries in the background after start, so the first visitor does not wait. */
export function warmKommuneBoundaries(logger: Logger): void {
  setImmediate(() => {
    try {
      bundledKommuneBoundaries();
    } catch (error) {
      logger.warn('Kommune boundaries for the dashboard could not be read', {
        error: (error as Error).message,
      });
    }
  });
}

/**
 * The bundled kommune boundaries (sync/data, 1.26 MB) as the dashboard map needs them: rounded
 * to 0.001°, 0.53 MB and 155 kB gzipped. Made once per process (a third of a second), on first use.
 */
export function bundledKommuneBoundaries(): string {
  boundaries ??= JSON.stringify(
    compactKommuneBoundaries(
      JSON.parse(readFileSync(BUNDLED_KOMMUNE_BOUNDARIES, 'utf8')) as Parameters<
        typeof compactKommuneBoundaries
      >[0],
    ),
  );
  return boundaries;
}
