import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PointGeometry } from '../domain/geometry.js';
import type { Env } from '../config/env.js';
import { loadSourcesFile, parseSourcesFile, type SourcesFile } from './sources-config.js';

/** The bundled, generated sample kommune (sync/samples/3218-generated; see its README: not real plans). */
export const SAMPLE_DIR = fileURLToPath(new URL('../../samples/3218-generated', import.meta.url));

export interface SampleKommune {
  kommunenummer: string;
  navn: string;
  /** The sample's own centre (EPSG:25833), where its generated town is. */
  centre: PointGeometry;
  dir: string;
}

export function sampleKommune(dir = SAMPLE_DIR): SampleKommune {
  const meta = JSON.parse(readFileSync(`${dir}/kommune.json`, 'utf8')) as {
    kommunenummer: string;
    navn: string;
    centre: PointGeometry;
  };
  return { kommunenummer: meta.kommunenummer, navn: meta.navn, centre: meta.centre, dir };
}

/**
 * The embedded default: the sample kommune's plans and parcels come from the bundled files
 * (a `files` source named "sample"); every other kommune keeps the file's own choice.
 */
export function withSampleSource(file: SourcesFile, sample: SampleKommune): SourcesFile {
  return parseSourcesFile(
    {
      ...file,
      sources: {
        ...file.sources,
        sample: {
          type: 'files',
          kommuneplan: `${sample.dir}/kommuneplan.geojson.gz`,
          reguleringsplan: `${sample.dir}/reguleringsplan.gml.gz`,
          parcels: `${sample.dir}/teiger`,
        },
      },
      kommuner: {
        ...file.kommuner,
        [sample.kommunenummer]: { kommuneplan: 'sample', reguleringsplan: 'sample', parcels: 'sample' },
      },
    },
    'embedded sample sources',
  );
}

/**
 * The sources as configured (SOURCES_FILE), or with neither a SOURCES_FILE nor NAP credentials the
 * embedded default: the sample kommune served from its bundled files.
 */
export function configuredSources(env: Pick<Env, 'SOURCES_FILE' | 'NAP_CLIENT_ID'>): {
  file: SourcesFile;
  sample: SampleKommune | null;
} {
  const file = loadSourcesFile(env.SOURCES_FILE);
  if (env.SOURCES_FILE || env.NAP_CLIENT_ID) return { file, sample: null };
  const sample = sampleKommune();
  return { file: withSampleSource(file, sample), sample };
}
