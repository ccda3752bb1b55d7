import type { Coverage } from '../domain/kommune.js';
import type { Position } from '../domain/geometry.js';
import { PlanObjectType, type PlanFeature } from '../domain/plan.js';
import type { ReadWarning } from './files/read-options.js';

export type PlanPart = 'kommuneplan' | 'reguleringsplan';

/** A whole kommune's plan features of one part, as one source delivered them. */
export interface PlanFetch {
  features: PlanFeature[];
  /**
   * `not-covered` when the source holds nothing for the kommune (no plan outline at all: every
   * kommune has a kommuneplan and reguleringsplaner, so zero outlines means missing data, not
   * "no plans"); `covered` otherwise.
   */
  coverage: Coverage;
  warnings: ReadWarning[];
}

/** What a point probe found, per vertikalnivå where the source says. */
export interface PlanProbe {
  features: PlanFeature[];
  warnings: ReadWarning[];
  /** What was asked, for the report ("EPSG:25833 ±40 m around E N"). */
  window: string;
}

export interface FetchOptions {
  signal?: AbortSignal;
}

/**
 * One interface for every plan source. Bulk sources (NAP OGC API-Features, files, a kommune's
 * own WFS) deliver whole kommuner; point sources (NAP's WMS GetFeatureInfo) answer what lies at
 * one point. A source implements what its service can do.
 */
export interface PlanSource {
  /** Name used in reports and the sources config ("nap", "files", "wfs:bergen", "nap-wms"). */
  readonly name: string;
  fetchKommune?(kommunenummer: string, part: PlanPart, options?: FetchOptions): Promise<PlanFetch>;
  probe?(point: Position, options?: FetchOptions & { kommunenummer?: string }): Promise<PlanProbe>;
}

/** The plan outline type of each part: its absence means the source does not cover the kommune. */
export const OUTLINE_TYPE: Record<PlanPart, string> = {
  kommuneplan: PlanObjectType.KpOmrade,
  reguleringsplan: PlanObjectType.RpOmrade,
};

/** The feature types the engine and the constraints read, per part. */
export const WANTED_TYPES: Record<PlanPart, string[]> = {
  kommuneplan: [
    PlanObjectType.KpOmrade,
    PlanObjectType.KpArealformalOmrade,
    PlanObjectType.KpArealbrukOmrade,
    PlanObjectType.KpDetaljeringSone,
    PlanObjectType.KpAngittHensynSone,
    PlanObjectType.KpFareSone,
    PlanObjectType.KpStoySone,
    PlanObjectType.KpSikringSone,
    PlanObjectType.KpInfrastrukturSone,
    PlanObjectType.KpBandleggingSone,
    PlanObjectType.KpGjennomforingSone,
  ],
  reguleringsplan: [
    PlanObjectType.RpOmrade,
    PlanObjectType.RpArealformalOmrade,
    PlanObjectType.RbFormalOmrade,
    PlanObjectType.RpAngittHensynSone,
    PlanObjectType.RpFareSone,
    PlanObjectType.RpStoySone,
    PlanObjectType.RpSikringSone,
    PlanObjectType.RpInfrastrukturSone,
    PlanObjectType.RpBandleggingSone,
    PlanObjectType.RpGjennomforingSone,
    PlanObjectType.RpDetaljeringSone,
  ],
};

export function coverageOf(features: PlanFeature[], part: PlanPart): Coverage {
  return features.some((f) => f.objekttypenavn === OUTLINE_TYPE[part]) ? 'covered' : 'not-covered';
}

/** Feature counts per objekttypenavn, sorted by name (for `tomtejakt fetch` and reports). */
export function countByType(features: Array<{ objekttypenavn: string }>): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const f of features) counts.set(f.objekttypenavn, (counts.get(f.objekttypenavn) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => a[0].localeCompare(b[0], 'nb'));
}

/** The square window `radius` metres around a point, as minX,minY,maxX,maxY (EPSG:25833). */
export function windowAround(point: Position, radius: number): [number, number, number, number] {
  return [point[0] - radius, point[1] - radius, point[0] + radius, point[1] + radius];
}
