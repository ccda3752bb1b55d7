import type { NationalLayerRules } from '../../config/national-layer-rules.js';
import type { AreaGeometry, BBox } from '../../domain/geometry.js';
import type { ClassifiedLayer, ConstraintLayerFeature, LayerStatus } from '../../domain/kommune.js';
import { messageOf, SourceError } from '../../util/errors.js';
import { isFresh } from '../kept-fetch.js';
import type { LastGoodStore } from '../last-good-store.js';
import { ar5TypeAt } from './ar5-wms.js';
import { planFarmlandCells, type FarmlandCell } from './farmland-cells.js';
import type { LayerHttp } from './layer-http.js';

export interface FarmlandSampling {
  rules: NationalLayerRules;
  http: LayerHttp;
  store: LastGoodStore | null;
  now?: () => Date;
  signal?: AbortSignal;
}

/** The arealtype asked at each cell centre ("x,y"), null where AR5 has nothing. */
type Samples = Record<string, number | null>;

const PART = 'national-landbruk-wms' as const;
/** Over this share of samples failing, the layer is failed rather than read from the rest. */
const MAX_FAILED_SHARE = 0.05;

/**
 * Farmland for a kommune without an AR5 file (FKB-AR5 is sold through dealers): NIBIO's open WMS
 * asked at grid points inside each lot; a cell whose point is fulldyrka, overflatedyrka or
 * innmarksbeite counts as farmland over its square, so the lot's covered share comes from the same
 * overlay as every other constraint. Answers are kept and reused for `refreshDays`.
 */
export async function sampleFarmland(
  kommunenummer: string,
  lots: readonly { geometry: AreaGeometry }[],
  context: FarmlandSampling,
): Promise<{ layers: ClassifiedLayer[]; status: LayerStatus }> {
  const wms = context.rules.landbruk.wms;
  const base = { layer: 'landbruk', label: 'dyrka mark', features: 0 };
  const plan = planFarmlandCells(lots, wms);
  const now = (context.now ?? (() => new Date()))();
  const kept = context.store?.load<Samples>(kommunenummer, PART) ?? null;
  const fresh = kept && isFresh(kommunenummer, kept.savedAt, context.rules.refreshDays, now);
  const samples: Samples = fresh ? { ...kept.data } : {};
  const wanted = plan.cells.filter((c) => !(c.key in samples));
  const unreachable = context.http.unreachable(wms.url);
  if (unreachable && wanted.length)
    return {
      layers: [],
      status: {
        ...base,
        status: 'failed',
        cause: `not asked: the host could not be reached earlier in this run (${unreachable})`,
        fetchedAt: null,
      },
    };
  const failures = await askAll(kommunenummer, wanted, samples, context);
  if (failures.length > MAX_FAILED_SHARE * Math.max(1, plan.cells.length))
    return {
      layers: [],
      status: {
        ...base,
        status: 'failed',
        cause: `${failures.length} of ${wanted.length} samples failed: ${failures[0]}`,
        fetchedAt: null,
      },
    };
  // Samples added to a fresh copy take its fetch time: the copy is due as one, never used older.
  const savedAt = fresh ? kept.savedAt : now.toISOString();
  if (wanted.length)
    context.store?.save({
      kommunenummer,
      part: PART,
      source: 'national:landbruk',
      coverage: 'covered',
      savedAt,
      data: samples,
    });
  const features = plan.cells
    .filter((c) => isFarmland(samples[c.key], context.rules.landbruk.arealtyper))
    .map(cellFeature);
  const cause = [
    `NIBIO WMS GetFeatureInfo, ${plan.cells.length} samples (cells from ${plan.cellM} m), ${plan.cells.length - wanted.length} reused`,
    failures.length ? `${failures.length} failed` : null,
    plan.unsampledLots ? `${plan.unsampledLots} smallest lots not sampled (budget)` : null,
  ]
    .filter(Boolean)
    .join('; ');
  return {
    layers: features.length
      ? [{ name: 'AR5 dyrka mark (WMS-punkter)', constraint: 'landbruk', features }]
      : [],
    status: { ...base, status: 'fetched', cause, features: features.length, fetchedAt: savedAt },
  };
}

/** Asks every cell (the client's queue paces them); stops asking once the host proves unreachable. */
async function askAll(
  kommune: string,
  cells: FarmlandCell[],
  samples: Samples,
  context: FarmlandSampling,
): Promise<string[]> {
  const wms = context.rules.landbruk.wms;
  const http = context.http.for('landbruk', { perSecond: wms.requestsPerSecond, concurrency: 2 });
  const stop = new AbortController();
  const signal = context.signal ? AbortSignal.any([context.signal, stop.signal]) : stop.signal;
  const failures: string[] = [];
  await Promise.all(
    cells.map(async (cell) => {
      if (signal.aborted) return void failures.push('not asked after the host failed');
      try {
        samples[cell.key] = await ar5TypeAt(http, cell.centre, {
          url: wms.url,
          layer: wms.layer,
          kommune,
          signal,
        });
      } catch (error) {
        failures.push(messageOf(error));
        context.http.noteFailure(wms.url, error);
        if (error instanceof SourceError && (error.kind === 'network' || error.kind === 'timeout'))
          stop.abort();
      }
    }),
  );
  return failures;
}

const isFarmland = (artype: number | null | undefined, wanted: readonly number[]) =>
  artype !== null && artype !== undefined && wanted.includes(artype);

function cellFeature(cell: FarmlandCell): ConstraintLayerFeature {
  const [x0, y0, x1, y1]: BBox = cell.box;
  return {
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [x0, y0],
          [x1, y0],
          [x1, y1],
          [x0, y1],
          [x0, y0],
        ],
      ],
    },
    properties: { kilde: 'NIBIO AR5 WMS', punkt: cell.key },
  };
}
