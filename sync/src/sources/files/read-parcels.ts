import type { Parcel } from '../../domain/parcel.js';
import { FeatureCollector } from './feature-collector.js';
import { FeatureProblem } from './format-error.js';
import { parseGeoJson, type GeoJsonDocument } from './geojson.js';
import { readParcelGmlInput } from './gml/parcel-gml.js';
import { readGpkgRows } from './gpkg.js';
import { openInputs, type InputEntry } from './input-files.js';
import { toParcel } from './parcel-feature.js';
import type { ReadOptions, ReadWarning } from './read-options.js';
import { asInputError, readAll } from './read-text.js';

/**
 * Reads parcels (teiger) from a file, a folder, a `.zip` or a `.gz`: the teig WFS's GML (one or
 * many page files, or pages concatenated in one file), GeoJSON (Kartverket eiendom API or
 * converted), GeoPackage. Parcels that straddle pages or tiles are de-duplicated by teigId.
 */
export async function readParcels(path: string, options: ReadOptions = {}): Promise<Parcel[]> {
  const inputs = await openInputs(path);
  try {
    const parcels: Parcel[] = [];
    for (const entry of inputs.entries) parcels.push(...(await readParcelEntry(entry, options)));
    return dedupeParcels(parcels);
  } finally {
    await inputs.close();
  }
}

/** Keeps the first parcel of each teigId (a teig seen on two pages or tiles is the same teig). */
export function dedupeParcels(parcels: Parcel[]): Parcel[] {
  const seen = new Map<string, Parcel>();
  for (const parcel of parcels) if (!seen.has(parcel.teigId)) seen.set(parcel.teigId, parcel);
  return [...seen.values()];
}

/** One document of the input (a page file) read, with the warnings its reading gave. */
export interface ParcelPage {
  parcels: Parcel[];
  warnings: ReadWarning[];
}

/**
 * The input's documents taken in turn from a counter shared between threads (`Atomics.add` on
 * `next[0]`): each is read by whichever thread takes its index first.
 */
export async function* takeParcelPages(
  entries: InputEntry[],
  next: Int32Array,
  options: ReadOptions,
): AsyncGenerator<{ index: number; page: ParcelPage }> {
  for (let index = Atomics.add(next, 0, 1); index < entries.length; index = Atomics.add(next, 0, 1)) {
    const warnings: ReadWarning[] = [];
    const parcels = await readParcelEntry(entries[index]!, {
      ...options,
      onWarning: (w) => warnings.push(w),
    });
    yield { index, page: { parcels, warnings } };
  }
}

/** The parcels of one document of the input (a page file, a GeoJSON or GeoPackage file). */
export async function readParcelEntry(entry: InputEntry, options: ReadOptions): Promise<Parcel[]> {
  try {
    switch (entry.format) {
      case 'gml':
        return (await readParcelGmlInput(await entry.open(), entry.name, options)).parcels;
      case 'geojson':
        return parcelsFromGeoJson(
          parseGeoJson((await readAll(await entry.open())).toString('utf8')),
          entry.name,
          options,
        );
      case 'gpkg':
        return parcelsFromGpkg(await entry.localFile(), entry.name, options);
    }
  } catch (error) {
    throw asInputError(error, entry.name);
  }
}

export function parcelsFromGeoJson(document: GeoJsonDocument, file: string, options: ReadOptions): Parcel[] {
  const collector = new FeatureCollector<Parcel>(file, options);
  for (const entry of document.features) {
    collector.add(`feature #${entry.index + 1}`, (note) => {
      if (entry.invalid) throw new FeatureProblem(entry.invalid);
      const fallbackId = entry.id === null ? null : String(entry.id);
      return toParcel(
        { properties: entry.properties, geometry: entry.geometry, crs: document.crs, fallbackId },
        note,
      );
    });
  }
  return collector.finish();
}

function parcelsFromGpkg(file: string, name: string, options: ReadOptions): Parcel[] {
  const collector = new FeatureCollector<Parcel>(name, options);
  for (const row of readGpkgRows(file)) {
    collector.add(`${row.layer.table} fid ${row.fid ?? row.index + 1}`, (note) => {
      if (row.geometry instanceof FeatureProblem) throw row.geometry;
      const fallbackId = row.fid === null ? null : String(row.fid);
      return toParcel(
        { properties: row.properties, geometry: row.geometry, crs: row.layer.crs, fallbackId },
        note,
      );
    });
  }
  return collector.finish();
}
