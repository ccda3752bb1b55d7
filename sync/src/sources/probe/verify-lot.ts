import type { EngineRules } from '../../config/engine-rules.js';
import {
  isAreaGeometry,
  polygonsOf,
  type AreaGeometry,
  type PointGeometry,
  type Position,
} from '../../domain/geometry.js';
import { codeOf, lokalIdOf, planIdOf, textOf, type PlanFeature } from '../../domain/plan.js';
import { bboxOf } from '../../geo/crs.js';
import type { ReadWarning } from '../files/read-options.js';
import { pointInside } from '../../geo/point-inside.js';
import type { PlanSource } from '../plan-source.js';
import { insidePolygon } from '../teig/tiles.js';

export type Verdict = 'clear' | 'regulated' | 'plan-in-progress';

export interface PlanAtLot {
  planId: string | null;
  objekttypenavn: string;
  planstatus: number | null;
  vertikalniva: number | null;
  plannavn: string | null;
}

export interface LotVerification {
  tomtId: string;
  verdict: Verdict;
  /** RpOmråde on the ground (vertikalnivå 2 or none) in force (planstatus 3 or 6): the lot is regulated now. */
  regulated: PlanAtLot[];
  /** RpOmråde with planstatus 1 or 2: someone is planning here. */
  inProgress: PlanAtLot[];
  /** Everything else found (tunnels and bridges, hensynssoner, formål), by type. */
  other: Array<[string, number]>;
  probedPoints: Position[];
  windows: string[];
  warnings: ReadWarning[];
}

/** Probe spacing: the WMS window is ±40 m, so points 80 m apart cover a lot without gaps. */
const SPACING_M = 80;
const MAX_POINTS = 9;

/**
 * Re-checks one lot against the live national plan copy before anyone phones its owner: probes
 * a point inside the lot (and, for large lots, a grid of points 80 m apart inside it, at most 9)
 * and says whether a reguleringsplan now covers it on the ground or is being prepared there.
 */
export async function verifyLot(
  tomtId: string,
  geometry: AreaGeometry | PointGeometry,
  probe: PlanSource,
  rules: Pick<EngineRules, 'regulated' | 'inProgress'>,
  options: { kommunenummer?: string; signal?: AbortSignal } = {},
): Promise<LotVerification> {
  const points = probePoints(geometry);
  const byKey = new Map<string, PlanFeature>();
  const windows: string[] = [];
  const warnings: ReadWarning[] = [];
  for (const point of points) {
    const result = await probe.probe!(point, {
      kommunenummer: options.kommunenummer,
      signal: options.signal,
    });
    windows.push(result.window);
    warnings.push(...result.warnings);
    for (const feature of result.features) {
      byKey.set(
        `${feature.objekttypenavn} ${lokalIdOf(feature) ?? JSON.stringify(feature.properties)}`,
        feature,
      );
    }
  }
  const features = [...byKey.values()];
  const outlines = features.filter((f) => f.objekttypenavn === 'RpOmråde');
  const describe = (f: PlanFeature): PlanAtLot => ({
    planId: planIdOf(f),
    objekttypenavn: f.objekttypenavn,
    planstatus: codeOf(f, 'planstatus'),
    vertikalniva: codeOf(f, 'vertikalnivå'),
    plannavn: textOf(f, 'plannavn'),
  });
  const onGround = (f: PlanFeature) => {
    const level = codeOf(f, 'vertikalnivå');
    return level === null
      ? rules.regulated.missingVertikalnivaIsGround
      : rules.regulated.vertikalniva.includes(level);
  };
  const hasStatus = (f: PlanFeature, statuses: number[]) => statuses.includes(codeOf(f, 'planstatus') ?? -1);
  const regulated = outlines
    .filter((f) => onGround(f) && hasStatus(f, rules.regulated.planstatus))
    .map(describe);
  const inProgress = outlines.filter((f) => hasStatus(f, rules.inProgress.planstatus)).map(describe);
  const counted = new Map<string, number>();
  for (const f of features) {
    if (
      f.objekttypenavn === 'RpOmråde' &&
      (regulated.some((r) => r.planId === planIdOf(f)) || inProgress.some((r) => r.planId === planIdOf(f)))
    )
      continue;
    const key =
      f.objekttypenavn === 'RpOmråde'
        ? `RpOmråde vertikalnivå ${codeOf(f, 'vertikalnivå') ?? '?'}`
        : f.objekttypenavn;
    counted.set(key, (counted.get(key) ?? 0) + 1);
  }
  return {
    tomtId,
    verdict: regulated.length > 0 ? 'regulated' : inProgress.length > 0 ? 'plan-in-progress' : 'clear',
    regulated,
    inProgress,
    other: [...counted.entries()].sort((a, b) => a[0].localeCompare(b[0], 'nb')),
    probedPoints: points,
    windows,
    warnings,
  };
}

/** A point surely inside the lot, then grid points 80 m apart inside it. */
export function probePoints(geometry: AreaGeometry | PointGeometry): Position[] {
  if (!isAreaGeometry(geometry)) return [geometry.coordinates];
  const points: Position[] = [pointInside(geometry)];
  const [minX, minY, maxX, maxY] = bboxOf(geometry);
  const polygons = polygonsOf(geometry);
  for (let x = minX + SPACING_M / 2; x < maxX; x += SPACING_M) {
    for (let y = minY + SPACING_M / 2; y < maxY; y += SPACING_M) {
      const p: Position = [x, y];
      const far = points.every((q) => Math.hypot(q[0] - x, q[1] - y) >= SPACING_M / 2);
      if (far && polygons.some((poly) => insidePolygon(p, poly))) points.push(p);
      if (points.length >= MAX_POINTS) return points;
    }
  }
  return points;
}
