import Database from 'better-sqlite3';
import type { AnyGeometry } from '../../domain/geometry.js';
import { decodeGpkgGeometry } from '../../geo/wkb.js';
import { FeatureProblem, FormatError } from './format-error.js';
import { resolveSourceCrs, type SourceCrs } from './source-crs.js';

export interface GpkgLayer {
  table: string;
  geometryColumn: string;
  crs: SourceCrs;
}

export interface GpkgRow {
  layer: GpkgLayer;
  /** 0-based row position within the layer. */
  index: number;
  fid: number | null;
  properties: Record<string, unknown>;
  /** Decoded geometry in the layer's CRS, or the problem that made it unreadable. */
  geometry: AnyGeometry | null | FeatureProblem;
}

/**
 * Reads every feature table of a GeoPackage (one table per feature type, as the Geonorge/NAP
 * download delivers). A file that is not a GeoPackage, or a layer whose CRS is unknown, fails as
 * a whole (FormatError); a row whose geometry blob is unreadable is returned with the problem.
 */
export function* readGpkgRows(file: string): Generator<GpkgRow> {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('query_only = ON');
  } catch (error) {
    throw new FormatError('malformed', `cannot open as SQLite/GeoPackage: ${(error as Error).message}`);
  }
  try {
    for (const layer of layersOf(db)) {
      const columns = db.prepare(`PRAGMA table_info(${quote(layer.table)})`).all() as Array<{
        name: string;
        pk: number;
      }>;
      const pk = columns.find((c) => c.pk === 1)?.name ?? null;
      const rows = db.prepare(`SELECT * FROM ${quote(layer.table)}`).iterate() as Iterable<
        Record<string, unknown>
      >;
      let index = 0;
      for (const row of rows) {
        const properties: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(row)) {
          if (key === layer.geometryColumn || key === pk || Buffer.isBuffer(value)) continue;
          properties[key] = typeof value === 'bigint' ? Number(value) : value;
        }
        const blob = row[layer.geometryColumn];
        let geometry: GpkgRow['geometry'] = null;
        if (blob !== null && blob !== undefined) {
          try {
            geometry = Buffer.isBuffer(blob)
              ? decodeGpkgGeometry(blob).geometry
              : new FeatureProblem('the geometry column does not hold a GeoPackage blob');
          } catch (error) {
            geometry = new FeatureProblem(`unreadable geometry: ${(error as Error).message}`);
          }
        }
        const fid = pk ? Number(row[pk]) : null;
        yield { layer, index, fid, properties, geometry };
        index += 1;
      }
    }
  } catch (error) {
    if (error instanceof FormatError) throw error;
    if ((error as { code?: string }).code?.startsWith('SQLITE_')) {
      throw new FormatError('malformed', `not a readable GeoPackage: ${(error as Error).message}`);
    }
    throw error;
  } finally {
    db.close();
  }
}

function layersOf(db: Database.Database): GpkgLayer[] {
  let rows: Array<{ table_name: string; column_name: string; srs_id: number }>;
  try {
    rows = db
      .prepare(
        `SELECT c.table_name, g.column_name, g.srs_id
           FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
          WHERE c.data_type = 'features' ORDER BY c.table_name`,
      )
      .all() as typeof rows;
  } catch (error) {
    throw new FormatError(
      'malformed',
      `not a GeoPackage (no gpkg_contents/gpkg_geometry_columns): ${(error as Error).message}`,
    );
  }
  const srs = db.prepare(
    'SELECT srs_name, organization, organization_coordsys_id FROM gpkg_spatial_ref_sys WHERE srs_id = ?',
  );
  return rows.map((row) => {
    const ref = srs.get(row.srs_id) as
      { srs_name: string; organization: string; organization_coordsys_id: number } | undefined;
    const name =
      ref && ref.organization.toUpperCase() === 'EPSG' ? `EPSG:${ref.organization_coordsys_id}` : null;
    const crs = resolveSourceCrs(name);
    if (!crs) {
      throw new FormatError(
        'unexpected-crs',
        `layer ${row.table_name}: unknown or unsupported CRS (srs_id ${row.srs_id}${ref ? `, ${ref.organization}:${ref.organization_coordsys_id} "${ref.srs_name}"` : ''})`,
      );
    }
    // GeoPackage stores x = easting/longitude whatever the CRS's axis order.
    return { table: row.table_name, geometryColumn: row.column_name, crs: { ...crs, latFirst: false } };
  });
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
