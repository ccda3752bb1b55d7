/**
 * The bench kommune of `npm run bench:engine` as files, in the formats the real services deliver
 * (kommuneplan GeoJSON from NAP, reguleringsplan SOSI GML in EPSG:25832, Matrikkel teig WFS
 * pages), written once per generator setting under out/ and found there by the next run.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeSample } from '../sample/generate-sample.js';
import type { GeneratedKommune } from '../sample/kommune-generator.js';

export interface KommuneFiles {
  dir: string;
  kommuneplan: string;
  reguleringsplan: string;
  /** A folder of WFS pages. */
  parcels: string;
  /** A SOURCES_FILE that serves the kommune from these files. */
  sourcesFile: string;
}

export function kommuneFiles(generated: GeneratedKommune, root: string): KommuneFiles {
  const o = generated.options;
  const dir = path.resolve(root, `${o.kommunenummer}-${o.cols}x${o.rows}-${o.seed}`);
  const files: KommuneFiles = {
    dir,
    kommuneplan: path.join(dir, 'kommuneplan.geojson.gz'),
    reguleringsplan: path.join(dir, 'reguleringsplan.gml.gz'),
    parcels: path.join(dir, 'teiger'),
    sourcesFile: path.join(dir, 'sources.json'),
  };
  if (existsSync(files.sourcesFile)) return files;
  writeSample(generated, dir);
  const name = `bench-${o.kommunenummer}`;
  const sources = {
    sources: {
      [name]: {
        type: 'files',
        kommuneplan: files.kommuneplan,
        reguleringsplan: files.reguleringsplan,
        parcels: files.parcels,
      },
    },
    kommuner: { [o.kommunenummer]: { kommuneplan: name, reguleringsplan: name, parcels: name } },
  };
  writeFileSync(files.sourcesFile, JSON.stringify(sources, null, 2));
  return files;
}
