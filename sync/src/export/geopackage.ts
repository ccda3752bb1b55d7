import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { BBox } from '../domain/geometry.js';
import type { Lot, ScoredLot } from '../domain/lot.js';
import { bboxOf } from '../geo/crs.js';
import { encodeGpkgGeometry } from '../geo/wkb.js';
import { LOT_COLUMNS, lotRow } from './lot-properties.js';

/** ETRS89 / UTM zone 33N as the EPSG registry defines it (OGC WKT 1, what GDAL writes into gpkg_spatial_ref_sys). */
const EPSG_25833_WKT =
  'PROJCS["ETRS89 / UTM zone 33N",GEOGCS["ETRS89",DATUM["European_Terrestrial_Reference_System_1989",' +
  'SPHEROID["GRS 1980",6378137,298.257222101,AUTHORITY["EPSG","7019"]],TOWGS84[0,0,0,0,0,0,0],' +
  'AUTHORITY["EPSG","6258"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,' +
  'AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4258"]],PROJECTION["Transverse_Mercator"],' +
  'PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",15],PARAMETER["scale_factor",0.9996],' +
  'PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],' +
  'AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","25833"]]';

/**
 * Writes lots to a GeoPackage 1.3 (OGC 12-128r18) with one feature layer `tomter` in EPSG:25833:
 * the core tables (gpkg_spatial_ref_sys, gpkg_contents, gpkg_geometry_columns), the GPKG
 * application id and an R-tree-free layout QGIS and GDAL open directly.
 */
export function writeLotsGeoPackage(
  file: string,
  lots: ReadonlyArray<Lot | ScoredLot>,
  layer = 'tomter',
): void {
  rmSync(file, { force: true });
  const db = new Database(file);
  try {
    db.pragma('application_id = 1196444487'); // "GPKG"
    db.pragma('user_version = 10300');
    db.exec(`
      CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
        organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
      CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
        description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
        CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
      CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
        srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
        CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
        CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
        CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
    `);
    const srs = db.prepare(
      'INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id, definition, description) VALUES (?, ?, ?, ?, ?, ?)',
    );
    srs.run(
      'Undefined cartesian SRS',
      -1,
      'NONE',
      -1,
      'undefined',
      'undefined cartesian coordinate reference system',
    );
    srs.run(
      'Undefined geographic SRS',
      0,
      'NONE',
      0,
      'undefined',
      'undefined geographic coordinate reference system',
    );
    srs.run(
      'ETRS89 / UTM zone 33N',
      25833,
      'EPSG',
      25833,
      EPSG_25833_WKT,
      'ETRS89 / UTM zone 33N (EUREF89 UTM33)',
    );
    const columns = LOT_COLUMNS.map((c) => `"${c.name}" ${c.type}`).join(', ');
    db.exec(`CREATE TABLE "${layer}" (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom MULTIPOLYGON, ${columns})`);
    const extent = lots.reduce<BBox>(
      (box, lot) => {
        const b = bboxOf(lot.geometry);
        return [
          Math.min(box[0], b[0]),
          Math.min(box[1], b[1]),
          Math.max(box[2], b[2]),
          Math.max(box[3], b[3]),
        ];
      },
      [Infinity, Infinity, -Infinity, -Infinity],
    );
    db.prepare(
      'INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      layer,
      'features',
      layer,
      'Tomter fra Tomtejakt (EPSG:25833)',
      ...(lots.length ? extent : [null, null, null, null]),
      25833,
    );
    db.prepare('INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, 0, 0)').run(
      layer,
      'geom',
      'MULTIPOLYGON',
      25833,
    );
    const insert = db.prepare(
      `INSERT INTO "${layer}" (geom, ${LOT_COLUMNS.map((c) => `"${c.name}"`).join(', ')}) VALUES (?, ${LOT_COLUMNS.map(() => '?').join(', ')})`,
    );
    db.transaction(() => {
      for (const lot of lots) {
        const multi =
          lot.geometry.type === 'MultiPolygon'
            ? lot.geometry
            : { type: 'MultiPolygon' as const, coordinates: [lot.geometry.coordinates] };
        const row = lotRow(lot);
        insert.run(encodeGpkgGeometry(multi, 25833), ...LOT_COLUMNS.map((c) => row[c.name] ?? null));
      }
    })();
  } finally {
    db.close();
  }
}
