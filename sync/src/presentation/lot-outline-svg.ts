import type { AreaGeometry, Position } from '../domain/geometry.js';

/**
 * A lot's outline as an inline SVG (EPSG:25833 metres, north up), with a scale bar: the letter's
 * map excerpt. No background map is fetched: the letter is printed offline and carries no tiles.
 */
export function lotOutlineSvg(geometry: AreaGeometry, size = { width: 240, height: 180 }): string {
  const rings = geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
  const points = rings.flat();
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const margin = 12;
  const scale = Math.min(
    (size.width - 2 * margin) / Math.max(maxX - minX, 1),
    (size.height - 2 * margin - 16) / Math.max(maxY - minY, 1),
  );
  const toSvg = ([x, y]: Position) =>
    `${(margin + (x - minX) * scale).toFixed(1)},${(margin + (maxY - y) * scale).toFixed(1)}`;
  const path = rings.map((ring) => `M${ring.map(toSvg).join('L')}Z`).join('');
  const bar = scaleBar(scale);
  const barY = size.height - 8;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size.width}" height="${size.height}" viewBox="0 0 ${size.width} ${size.height}" role="img" aria-label="Kartutsnitt av tomten">` +
    `<rect width="100%" height="100%" fill="#f6f4ee" stroke="#bbb"/>` +
    `<path d="${path}" fill="#e8a33d" fill-opacity="0.45" fill-rule="evenodd" stroke="#9a5b00" stroke-width="1.5"/>` +
    `<line x1="${margin}" y1="${barY}" x2="${(margin + bar.metres * scale).toFixed(1)}" y2="${barY}" stroke="#333" stroke-width="2"/>` +
    `<text x="${(margin + bar.metres * scale + 4).toFixed(1)}" y="${barY + 3}" font-size="9" fill="#333">${bar.label}</text>` +
    `<text x="${size.width - margin}" y="${margin + 8}" font-size="10" text-anchor="end" fill="#333">N ↑</text>` +
    `</svg>`
  );
}

/** A round length (1, 2 or 5 × 10ⁿ m) about a quarter of the drawing wide. */
function scaleBar(pxPerMetre: number): { metres: number; label: string } {
  const target = 60 / pxPerMetre;
  const power = 10 ** Math.floor(Math.log10(target));
  const metres =
    [1, 2, 5, 10]
      .map((f) => f * power)
      .filter((m) => m <= target)
      .pop() ?? power;
  return { metres, label: metres >= 1000 ? `${metres / 1000} km` : `${metres} m` };
}
