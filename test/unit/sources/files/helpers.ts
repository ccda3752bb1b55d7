import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AreaGeometry, Position } from '../../../../sync/src/domain/geometry.js';
import type { Parcel } from '../../../../sync/src/domain/parcel.js';
import type { ReadWarning } from '../../../../sync/src/sources/files/index.js';

export const REFERENCE = path.resolve('test/fixtures/reference');
export const reference = (name: string) => path.join(REFERENCE, name);

/** A temp folder for one test file; `write` puts a file in it and returns its path. */
export function tempFolder() {
  const dir = mkdtempSync(path.join(tmpdir(), 'tomtejakt-files-test-'));
  return {
    dir,
    write(name: string, content: string | Buffer): string {
      const file = path.join(dir, name);
      writeFileSync(file, content);
      return file;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function collectWarnings() {
  const warnings: ReadWarning[] = [];
  return { warnings, onWarning: (w: ReadWarning) => warnings.push(w) };
}

function ringArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++)
    sum += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
  return Math.abs(sum) / 2;
}

/** Planar area (outer rings minus holes) in the geometry's units. */
export function areaOf(geometry: AreaGeometry): number {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.reduce(
    (sum, [outer, ...holes]) => sum + ringArea(outer!) - holes.reduce((s, h) => s + ringArea(h), 0),
    0,
  );
}

const NAMESPACES =
  'xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:gml="http://www.opengis.net/gml/3.2" ' +
  'xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
  'xmlns:app="http://skjema.geonorge.no/SOSI/produktspesifikasjon/Kommuneplan/5.0"';

/** A WFS 2.0 FeatureCollection around `wfs:member` bodies, as NAP's GML file production writes it. */
export function wfsCollection(members: string[], attributes = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<wfs:FeatureCollection ${NAMESPACES} ${attributes}>\n${members
    .map((m) => `<wfs:member>${m}</wfs:member>`)
    .join('\n')}\n</wfs:FeatureCollection>\n`;
}

/** A square polygon in GML 3.2 (EPSG:25833 by default) with its lower-left corner at (x, y). */
export function gmlSquare(
  x: number,
  y: number,
  size: number,
  srsName = 'urn:ogc:def:crs:EPSG::25833',
): string {
  const ring = [x, y, x + size, y, x + size, y + size, x, y + size, x, y].join(' ');
  return `<gml:Polygon gml:id="p${x}_${y}" srsName="${srsName}"><gml:exterior><gml:LinearRing><gml:posList>${ring}</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>`;
}

export const NAP_CRS_25833 = { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::25833' } };

export function squareCoordinates(x: number, y: number, size: number): Position[][] {
  return [
    [
      [x, y],
      [x + size, y],
      [x + size, y + size],
      [x, y + size],
      [x, y],
    ],
  ];
}

/**
 * A parcel with what packing must keep: a multipolygon whose first polygon has a hole, two
 * matrikkelenheter (one with fnr and snr), no Matrikkel id and no stored area.
 */
export function multiUnitParcel(kommunenummer: string, [x, y]: [number, number]): Parcel {
  return {
    teigId: '261221547',
    kommunenummer,
    matrikkelnummertekst: '167/714',
    matrikkelenheter: [
      { kommunenummer, gnr: 167, bnr: 714, fnr: 0, snr: 0 },
      { kommunenummer, gnr: 167, bnr: 715, fnr: 3, snr: 2 },
    ],
    matrikkelenhetId: null,
    lagretArealM2: null,
    geometry: {
      type: 'MultiPolygon',
      coordinates: [
        [...squareCoordinates(x, y, 40), ...squareCoordinates(x + 10.043, y + 10.076, 5)],
        squareCoordinates(x + 166.418, y - 23.524, 12.3456789),
      ],
    },
  };
}
