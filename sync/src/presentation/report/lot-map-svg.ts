import type { AreaGeometry, PolygonCoordinates, Position } from '../../domain/geometry.js';
import { formatInteger } from '../../util/norwegian-format.js';
import { escapeXml } from './escape.js';

/** A polygon to draw, in EPSG:25833 metres, with its fill. */
export interface MapShape {
  geometry: AreaGeometry;
  fill: string;
  /** Shown on hover in a browser (SVG <title>). */
  title?: string;
}

interface Box {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

const polygonsOf = (g: AreaGeometry): PolygonCoordinates[] =>
  g.type === 'Polygon' ? [g.coordinates] : g.coordinates;

function boxOf(shapes: MapShape[]): Box | null {
  const points = shapes.flatMap((s) => polygonsOf(s.geometry).flatMap((rings) => rings[0] ?? []));
  if (!points.length) return null;
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return { minX: Math.min(...xs), minY: Math.min(...ys), maxX: Math.max(...xs), maxY: Math.max(...ys) };
}

/** A round length for the scale bar: 1, 2 or 5 times a power of ten, about a quarter of the width. */
function scaleLength(metresAcross: number): number {
  const target = metresAcross / 4;
  const power = 10 ** Math.floor(Math.log10(target));
  return [5, 2, 1].map((f) => f * power).find((length) => length <= target) ?? power;
}

/**
 * Lots drawn as polygons on a small map with no tile server: UTM 33 metres are projected
 * straight onto the SVG (north up, one scale both ways, so shapes and areas keep their look),
 * with a scale bar. EPSG:25833 is a conformal projection: at a lot's size it is the map.
 */
export function lotMapSvg(
  shapes: MapShape[],
  options: { width: number; height: number; label: string },
): string {
  const { width, height } = options;
  const box = boxOf(shapes);
  const open = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(options.label)}" class="lot-map">`;
  const frame = `<rect x="0.5" y="0.5" width="${width - 1}" height="${height - 1}" fill="#f4f1ea" stroke="#bbb"/>`;
  if (!box)
    return `${open}${frame}<text x="${width / 2}" y="${height / 2}" text-anchor="middle" font-size="12">Ingen tomter</text></svg>`;
  const margin = 12;
  const spanX = Math.max(box.maxX - box.minX, 50);
  const spanY = Math.max(box.maxY - box.minY, 50);
  const scale = Math.min((width - 2 * margin) / spanX, (height - 2 * margin - 14) / spanY);
  const cx = (box.minX + box.maxX) / 2;
  const cy = (box.minY + box.maxY) / 2;
  const project = ([x, y]: Position) =>
    `${((x - cx) * scale + width / 2).toFixed(1)} ${((cy - y) * scale + (height - 14) / 2).toFixed(1)}`;
  const paths = shapes.map((shape) => {
    const d = polygonsOf(shape.geometry)
      .flatMap((rings) => rings.map((ring) => `M${ring.map(project).join('L')}Z`))
      .join('');
    const title = shape.title ? `<title>${escapeXml(shape.title)}</title>` : '';
    return `<path d="${d}" fill="${shape.fill}" fill-opacity="0.75" fill-rule="evenodd" stroke="#333" stroke-width="0.8">${title}</path>`;
  });
  const metres = scaleLength((width - 2 * margin) / scale);
  const bar = metres * scale;
  const y = height - 8;
  const scaleBar =
    `<path d="M${margin} ${y}h${bar.toFixed(1)}" stroke="#333" stroke-width="2"/>` +
    `<text x="${(margin + bar + 4).toFixed(1)}" y="${y + 3}" font-size="9">${formatInteger(metres)} m</text>` +
    `<text x="${width - margin}" y="${margin + 4}" font-size="9" text-anchor="end">N ↑</text>`;
  return `${open}${frame}${paths.join('')}${scaleBar}</svg>`;
}
