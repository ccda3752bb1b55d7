import type { Kommune } from '../domain/kommune.js';
import { factorDefinition } from '../scoring/kommune/factors.js';
import {
  KOMMUNE_FACTOR_KEYS,
  type FactorResult,
  type KommuneConfidence,
  type KommuneFactorKey,
  type KommuneFigures,
  type KommuneFiguresLookup,
  type KommuneRanking,
  type KommuneScoreLookup,
  type RankedKommune,
} from '../scoring/kommune/types.js';
import type { Db } from './database.js';
import { recordTopChanges } from './kommune-top.js';

export interface RefreshTableUse {
  factor: KommuneFactorKey;
  tableId: string | null;
  lastPeriod?: string | null;
  updated?: string | null;
  problem?: string;
  /**
   * Why the factor was left out for every kommune: `table-missing` (no configured table exists,
   * or all are discontinued), `shape-changed` (the table's metadata no longer offers what the
   * factor needs: a measure, the region codelist, a period).
   */
  warning?: 'table-missing' | 'shape-changed';
}

export interface RefreshRecord {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  status: 'running' | 'ok' | 'failed';
  trigger: string;
  kommuneSource: string | null;
  requests: number;
  tables: RefreshTableUse[];
  warnings: string[];
  error: string | null;
  /** `ssb`: fetched from the SSB API; `snapshot`: ranked from the bundled SSB snapshot. */
  source: RankingSource;
  /** For a snapshot ranking, the snapshot's date (YYYY-MM-DD); null for SSB. */
  figuresDate: string | null;
}

export type RankingSource = 'ssb' | 'snapshot';

export interface StoredKommune extends RankedKommune {
  /** Rank in the previous successful refresh (null when new or unranked then). */
  previousRank: number | null;
}

export interface StoredRanking {
  refresh: RefreshRecord;
  kommuner: StoredKommune[];
}

export interface KommuneRankingStore extends KommuneScoreLookup, KommuneFiguresLookup {
  beginRefresh(startedAt: string, trigger: string): number;
  completeRefresh(
    id: number,
    ranking: KommuneRanking,
    meta: {
      finishedAt: string;
      kommuneSource: string;
      requests: number;
      tables: RefreshTableUse[];
      warnings: string[];
      rules: unknown;
      source?: RankingSource;
      figuresDate?: string | null;
    },
  ): void;
  failRefresh(
    id: number,
    meta: {
      finishedAt: string;
      requests: number;
      error: string;
      tables?: RefreshTableUse[];
      warnings?: string[];
    },
  ): void;
  /**
   * The newest successful refresh, or null; with `{ source: 'ssb' }` the newest from the SSB API
   * (what SSB_REFRESH_DAYS counts from: a snapshot ranking is never a fresh refresh).
   */
  lastSuccessful(options?: { source?: RankingSource }): RefreshRecord | null;
  refreshes(limit?: number): RefreshRecord[];
  /** The ranking of the newest successful refresh, with each kommune's rank in the one before. */
  latestRanking(): StoredRanking | null;
  /** Score and rank of one kommune in every successful refresh, newest first. */
  history(
    kommunenummer: string,
  ): Array<{ refreshId: number; finishedAt: string; score: number | null; rank: number | null }>;
  /** Every factor's figure and points for one kommune in every successful refresh, newest first. */
  factorHistory(kommunenummer: string): Array<{
    refreshId: number;
    factor: KommuneFactorKey;
    raw: number | null;
    year: string | null;
    points: number;
  }>;
}

interface RefreshRow {
  id: number;
  started_at: string;
  finished_at: string | null;
  status: RefreshRecord['status'];
  trigger: string;
  kommune_source: string | null;
  requests: number;
  tables_json: string;
  warnings_json: string;
  error: string | null;
  source: RankingSource;
  figures_date: string | null;
}

interface ScoreRow {
  kommunenummer: string;
  navn: string;
  fylkesnummer: string;
  fylkesnavn: string | null;
  score: number | null;
  rank: number | null;
  top: number;
  confidence: KommuneConfidence;
  weight_share: number;
  missing_json: string;
  previous_rank: number | null;
  population: number | null;
  below_min_population: number;
}

interface FactorRow {
  kommunenummer: string;
  factor: KommuneFactorKey;
  weight: number;
  raw: number | null;
  year: string | null;
  normalised: number | null;
  points: number;
  detail_json: string;
  missing: string | null;
}

const toRecord = (row: RefreshRow): RefreshRecord => ({
  id: row.id,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  status: row.status,
  trigger: row.trigger,
  kommuneSource: row.kommune_source,
  requests: row.requests,
  tables: JSON.parse(row.tables_json) as RefreshTableUse[],
  warnings: JSON.parse(row.warnings_json) as string[],
  error: row.error,
  source: row.source,
  figuresDate: row.figures_date,
});

/**
 * The kommune ranking's tables (migration 200): every refresh, its scores and factor figures; a
 * completed refresh also records who entered and left the top 50 (migration 210, `kommune-top.ts`).
 */
export function createKommuneRankingStore(db: Db): KommuneRankingStore {
  const insertScore = db.prepare(`INSERT INTO kommune_score
    (refresh_id, kommunenummer, navn, fylkesnummer, fylkesnavn, score, rank, top, confidence, weight_share, missing_json,
     population, below_min_population)
    VALUES (@refresh_id, @kommunenummer, @navn, @fylkesnummer, @fylkesnavn, @score, @rank, @top, @confidence, @weight_share,
     @missing_json, @population, @below_min_population)`);
  const insertFactor = db.prepare(`INSERT INTO kommune_factor
    (refresh_id, kommunenummer, factor, weight, raw, year, normalised, points, detail_json, missing)
    VALUES (@refresh_id, @kommunenummer, @factor, @weight, @raw, @year, @normalised, @points, @detail_json, @missing)`);
  const lastOk = db.prepare(`SELECT * FROM kommune_refresh WHERE status = 'ok' ORDER BY id DESC LIMIT 1`);
  const lastOkFrom = db.prepare(
    `SELECT * FROM kommune_refresh WHERE status = 'ok' AND source = ? ORDER BY id DESC LIMIT 1`,
  );
  const scoreOf = db.prepare(`SELECT s.score FROM kommune_score s
    WHERE s.kommunenummer = ? AND s.refresh_id = (SELECT MAX(id) FROM kommune_refresh WHERE status = 'ok')`);
  const factorOf = db.prepare(`SELECT f.raw, f.year, f.normalised FROM kommune_factor f
    WHERE f.kommunenummer = ? AND f.factor = ?
      AND f.refresh_id = (SELECT MAX(id) FROM kommune_refresh WHERE status = 'ok')`);
  const centralityOf = db.prepare(`SELECT klasse FROM kommune_centrality WHERE kommunenummer = ?`);

  const complete = db.transaction(
    (id: number, ranking: KommuneRanking, meta: Parameters<KommuneRankingStore['completeRefresh']>[2]) => {
      for (const k of ranking.kommuner) {
        insertScore.run({
          refresh_id: id,
          kommunenummer: k.kommune.kommunenummer,
          navn: k.kommune.navn,
          fylkesnummer: k.kommune.fylkesnummer,
          fylkesnavn: k.kommune.fylkesnavn,
          score: k.score,
          rank: k.rank,
          top: k.top ? 1 : 0,
          confidence: k.confidence,
          weight_share: k.weightShare,
          missing_json: JSON.stringify(k.missing),
          population: k.population,
          below_min_population: k.belowMinPopulation ? 1 : 0,
        });
        for (const f of Object.values(k.factors)) {
          insertFactor.run({
            refresh_id: id,
            kommunenummer: k.kommune.kommunenummer,
            factor: f.key,
            weight: f.weight,
            raw: f.raw,
            year: f.year,
            normalised: f.normalised,
            points: f.points,
            detail_json: JSON.stringify(f.detail),
            missing: f.missing,
          });
        }
      }
      db.prepare(
        `UPDATE kommune_refresh SET status = 'ok', finished_at = ?, kommune_source = ?, requests = ?,
      tables_json = ?, warnings_json = ?, rules_json = ?, source = ?, figures_date = ? WHERE id = ?`,
      ).run(
        meta.finishedAt,
        meta.kommuneSource,
        meta.requests,
        JSON.stringify(meta.tables),
        JSON.stringify(meta.warnings),
        JSON.stringify(meta.rules),
        meta.source ?? 'ssb',
        meta.figuresDate ?? null,
        id,
      );
      recordTopChanges(db, id);
    },
  );

  return {
    beginRefresh(startedAt, trigger) {
      const result = db
        .prepare(`INSERT INTO kommune_refresh (started_at, status, trigger) VALUES (?, 'running', ?)`)
        .run(startedAt, trigger);
      return Number(result.lastInsertRowid);
    },
    completeRefresh(id, ranking, meta) {
      complete(id, ranking, meta);
    },
    failRefresh(id, meta) {
      db.prepare(
        `UPDATE kommune_refresh SET status = 'failed', finished_at = ?, requests = ?, error = ?,
        tables_json = ?, warnings_json = ? WHERE id = ?`,
      ).run(
        meta.finishedAt,
        meta.requests,
        meta.error,
        JSON.stringify(meta.tables ?? []),
        JSON.stringify(meta.warnings ?? []),
        id,
      );
    },
    lastSuccessful(options) {
      const row = (options?.source ? lastOkFrom.get(options.source) : lastOk.get()) as RefreshRow | undefined;
      return row ? toRecord(row) : null;
    },
    refreshes(limit = 20) {
      return (
        db.prepare(`SELECT * FROM kommune_refresh ORDER BY id DESC LIMIT ?`).all(limit) as RefreshRow[]
      ).map(toRecord);
    },
    latestRanking() {
      const latest = lastOk.get() as RefreshRow | undefined;
      if (!latest) return null;
      const previous = db
        .prepare(`SELECT id FROM kommune_refresh WHERE status = 'ok' AND id < ? ORDER BY id DESC LIMIT 1`)
        .get(latest.id) as { id: number } | undefined;
      const scores = db
        .prepare(
          `SELECT s.*, p.rank AS previous_rank FROM kommune_score s
          LEFT JOIN kommune_score p ON p.refresh_id = ? AND p.kommunenummer = s.kommunenummer
          WHERE s.refresh_id = ? ORDER BY s.rank IS NULL, s.rank, s.kommunenummer`,
        )
        .all(previous?.id ?? -1, latest.id) as ScoreRow[];
      const factorRows = db
        .prepare(`SELECT * FROM kommune_factor WHERE refresh_id = ?`)
        .all(latest.id) as FactorRow[];
      const factorsBy = new Map<string, Record<KommuneFactorKey, FactorResult>>();
      const known = new Set<string>(KOMMUNE_FACTOR_KEYS);
      // Rows of factors since renamed (Lokalpolitikk `politikk` before issue 12) are not read back.
      for (const row of factorRows.filter((r) => known.has(r.factor))) {
        const map = factorsBy.get(row.kommunenummer) ?? ({} as Record<KommuneFactorKey, FactorResult>);
        map[row.factor] = {
          key: row.factor,
          label: factorDefinition(row.factor)?.label ?? row.factor,
          weight: row.weight,
          raw: row.raw,
          year: row.year,
          normalised: row.normalised,
          points: row.points,
          detail: JSON.parse(row.detail_json) as FactorResult['detail'],
          missing: row.missing,
        };
        factorsBy.set(row.kommunenummer, map);
      }
      return {
        refresh: toRecord(latest),
        kommuner: scores.map((row) => {
          const kommune: Kommune = {
            kommunenummer: row.kommunenummer,
            navn: row.navn,
            fylkesnummer: row.fylkesnummer,
            fylkesnavn: row.fylkesnavn,
          };
          const factors = factorsBy.get(row.kommunenummer) ?? ({} as Record<KommuneFactorKey, FactorResult>);
          for (const key of KOMMUNE_FACTOR_KEYS) factors[key] ??= emptyFactor(key);
          return {
            kommune,
            score: row.score,
            rank: row.rank,
            top: row.top === 1,
            confidence: row.confidence,
            weightShare: row.weight_share,
            missing: (JSON.parse(row.missing_json) as KommuneFactorKey[]).filter((key) => known.has(key)),
            factors,
            population: row.population,
            belowMinPopulation: row.below_min_population === 1,
            previousRank: row.previous_rank,
          };
        }),
      };
    },
    history(kommunenummer) {
      return db
        .prepare(
          `SELECT r.id AS refreshId, r.finished_at AS finishedAt, s.score, s.rank FROM kommune_score s
            JOIN kommune_refresh r ON r.id = s.refresh_id AND r.status = 'ok'
            WHERE s.kommunenummer = ? ORDER BY r.id DESC`,
        )
        .all(kommunenummer) as Array<{
        refreshId: number;
        finishedAt: string;
        score: number | null;
        rank: number | null;
      }>;
    },
    factorHistory(kommunenummer) {
      return db
        .prepare(
          `SELECT f.refresh_id AS refreshId, f.factor, f.raw, f.year, f.points FROM kommune_score s
            JOIN kommune_refresh r ON r.id = s.refresh_id AND r.status = 'ok'
            JOIN kommune_factor f ON f.refresh_id = s.refresh_id AND f.kommunenummer = s.kommunenummer
            WHERE s.kommunenummer = ? ORDER BY r.id DESC, f.factor`,
        )
        .all(kommunenummer) as ReturnType<KommuneRankingStore['factorHistory']>;
    },
    kommuneScore(kommunenummer) {
      const row = scoreOf.get(kommunenummer) as { score: number | null } | undefined;
      return row?.score ?? null;
    },
    kommuneFigures(kommunenummer) {
      type Row = { raw: number | null; year: string | null; normalised: number | null } | undefined;
      const will = factorOf.get(kommunenummer, 'byggevilje') as Row;
      const price = factorOf.get(kommunenummer, 'boligpris') as Row;
      const centrality = centralityOf.get(kommunenummer) as { klasse: number } | undefined;
      const figures: KommuneFigures = {
        byggevilje:
          will && will.normalised !== null
            ? { value: will.normalised, raw: will.raw, year: will.year }
            : null,
        pricePerM2:
          price && price.raw !== null && price.raw > 0 ? { value: price.raw, year: price.year } : null,
        centralityClass: centrality?.klasse ?? null,
      };
      return figures;
    },
  };
}

function emptyFactor(key: KommuneFactorKey): FactorResult {
  return {
    key,
    label: key,
    weight: 0,
    raw: null,
    year: null,
    normalised: null,
    points: 0,
    detail: {},
    missing: 'not stored',
  };
}
