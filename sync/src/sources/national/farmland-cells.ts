import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon } from 'geojson';
import type { AreaGeometry, BBox, Position } from '../../domain/geometry.js';
import { bboxOf } from '../../geo/crs.js';
import { labelPoint } from '../../geo/point-inside.js';

/** A square of the sampling grid: its centre is asked, its square stands for the answer. */
export interface FarmlandCell {
  /** "x,y" of the centre, metres (grid-aligned: the same cell in every run and for neighbouring lots). */
  key: string;
  centre: Position;
  box: BBox;
}

export interface CellPlan {
  cells: FarmlandCell[];
  cellM: number;
  /** Lots left without a sample because the kommune's budget ran out (the smallest ones). */
  unsampledLots: number;
}

export interface CellOptions {
  cellM: number;
  maxSamplesPerLot: number;
  maxSamplesPerKommune: number;
}

/**
 * Where to sample farmland for a kommune's lots: the centres of grid cells (`cellM`, aligned to
 * the grid origin) that lie inside each lot, at most `maxSamplesPerLot` per lot (the grid grows for
 * big lots), or the lot's label point when no centre falls inside. Over the kommune's budget the
 * grid grows; when even one sample per lot is too many, the largest lots are sampled first. Pure.
 */
export function planFarmlandCells(
  lots: readonly { geometry: AreaGeometry }[],
  options: CellOptions,
): CellPlan {
  const ordered = [...lots].sort((a, b) => area(b.geometry) - area(a.geometry));
  for (let cellM = options.cellM; ; cellM *= 2) {
    const perLot = ordered.map((lot) => cellsOfLot(lot.geometry, cellM, options.maxSamplesPerLot));
    const unique = new Map(perLot.flat().map((c) => [c.key, c]));
    if (unique.size <= options.maxSamplesPerKommune)
      return { cells: [...unique.values()], cellM, unsampledLots: 0 };
    if (perLot.every((cells) => cells.length <= 1)) {
      const kept = new Map<string, FarmlandCell>();
      let lotsKept = 0;
      for (const cells of perLot) {
        if (kept.size + cells.length > options.maxSamplesPerKommune) break;
        for (const cell of cells) kept.set(cell.key, cell);
        lotsKept += 1;
      }
      return { cells: [...kept.values()], cellM, unsampledLots: ordered.length - lotsKept };
    }
  }
}

function cellsOfLot(geometry: AreaGeometry, cellM: number, maxPerLot: number): FarmlandCell[] {
  let size = cellM;
  for (;;) {
    const cells = gridCells(geometry, size);
    if (cells.length <= maxPerLot && cells.length > 0) return cells;
    if (cells.length === 0) {
      const [x, y] = labelPoint(geometry);
      return [
        cellAt(Math.floor(x / size) * size + size / 2, Math.floor(y / size) * size + size / 2, size, [x, y]),
      ];
    }
    size *= 2;
  }
}

function gridCells(geometry: AreaGeometry, size: number): FarmlandCell[] {
  const [minX, minY, maxX, maxY] = bboxOf(geometry);
  const shape = geometry as Polygon | MultiPolygon;
  const cells: FarmlandCell[] = [];
  for (let x = Math.floor(minX / size) * size + size / 2; x < maxX; x += size)
    for (let y = Math.floor(minY / size) * size + size / 2; y < maxY; y += size)
      if (booleanPointInPolygon([x, y], shape)) cells.push(cellAt(x, y, size));
  return cells;
}

/** A cell around a grid centre; `asked` is the point sent to the service when the centre lies outside the lot. */
function cellAt(x: number, y: number, size: number, asked: Position = [x, y]): FarmlandCell {
  const h = size / 2;
  return {
    key: `${asked[0].toFixed(1)},${asked[1].toFixed(1)}`,
    centre: asked,
    box: [x - h, y - h, x + h, y + h],
  };
}

function area(geometry: AreaGeometry): number {
  const [minX, minY, maxX, maxY] = bboxOf(geometry);
  return (maxX - minX) * (maxY - minY);
}
