/**
 * PostGIS's part of loading the bench kommune's files, as a GIS person would: GDAL's ogr2ogr
 * (Debian's gdal-bin) copies each file into a staging table (the GML reguleringsplan reprojected
 * from EPSG:25832, the teig WFS pages as one union layer), then SQL brings the attributes into the
 * rule tables (`schemaSql` in postgis-rules.ts): codes as integers, plan ids as the engine forms
 * them, a regulated area's status from its plan.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PostgisCluster } from '../postgis/cluster.js';
import type { KommuneFiles } from './engine-files.js';

function ogr2ogr(target: string, source: string, table: string, extra: string[] = []): void {
  execFileSync(
    'ogr2ogr',
    [
      '-f',
      'PostgreSQL',
      target,
      source,
      '-nln',
      table,
      '-overwrite',
      '-lco',
      'LAUNDER=NO',
      '-lco',
      'SPATIAL_INDEX=NONE',
      '-lco',
      'GEOMETRY_NAME=geom',
      '-nlt',
      'GEOMETRY',
      '--config',
      'PG_USE_COPY',
      'YES',
      ...extra,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
}

/** The teig pages as one OGR layer (a VRT union), so one ogr2ogr copies them all. */
function teigUnion(files: KommuneFiles): string {
  const pages = readdirSync(files.parcels)
    .filter((f) => f.endsWith('.xml.gz'))
    .sort()
    .map(
      (f) =>
        `<OGRVRTLayer name="p"><SrcDataSource>/vsigzip/${path.join(files.parcels, f)}</SrcDataSource><SrcLayer>Teig</SrcLayer></OGRVRTLayer>`,
    );
  const vrt = path.join(files.dir, 'teiger.vrt');
  writeFileSync(
    vrt,
    `<OGRVRTDataSource><OGRVRTUnionLayer name="teiger">${pages.join('')}</OGRVRTUnionLayer></OGRVRTDataSource>`,
  );
  return vrt;
}

const int = (column: string) =>
  `CASE WHEN trim(${column}::text) ~ '^-?[0-9]+(\\.[0-9]+)?$' THEN trunc(trim(${column}::text)::numeric)::int END`;
const area = `geom IS NOT NULL AND GeometryType(geom) IN ('POLYGON', 'MULTIPOLYGON')`;

/** The staging tables into the rule tables. */
export function mapSql(): string {
  return `
INSERT INTO kp
SELECT objekttypenavn, "identifikasjon.lokalId",
  CASE WHEN nullif("arealplanId.planidentifikasjon", '') IS NULL THEN NULL
       WHEN nullif("arealplanId.kommunenummer", '') IS NULL THEN "arealplanId.planidentifikasjon"
       ELSE "arealplanId.kommunenummer" || '-' || "arealplanId.planidentifikasjon" END,
  ${int('"arealformål"')}, ${int('arealbruk')}, ${int('arealbruksstatus')}, ${int('planstatus')},
  ikrafttredelsesdato::date, ${int('detaljering')}, ST_SetSRID(geom, 25833)
FROM stage_kp WHERE ${area};
INSERT INTO rp
SELECT 'RpOmråde', a.kommunenummer::text || '-' || a.planidentifikasjon::text, ${int('a.planstatus')},
  ${int('r."vertikalnivå"')}, ST_SetSRID(r.geom, 25833)
FROM stage_rpo r LEFT JOIN stage_ap a ON '#' || a.gml_id = r.arealplan_href
WHERE ${area.replace(/geom/g, 'r.geom')};
INSERT INTO parcels
SELECT "teigId"::text, "matrikkelnummerTekst", ST_SetSRID(geom, 25833) FROM stage_teig WHERE ${area};
DROP TABLE stage_kp, stage_rpo, stage_ap, stage_teig;`;
}

/** Loads the three sources into the rule tables (they must exist, empty); returns milliseconds. */
export function loadFiles(cluster: PostgisCluster, files: KommuneFiles): number {
  const started = performance.now();
  const gml = ['--config', 'GML_ATTRIBUTES_TO_OGR_FIELDS', 'YES'];
  ogr2ogr(cluster.gdal, `/vsigzip/${files.kommuneplan}`, 'stage_kp');
  ogr2ogr(cluster.gdal, `/vsigzip/${files.reguleringsplan}`, 'stage_ap', [...gml, 'Arealplan']);
  ogr2ogr(cluster.gdal, `/vsigzip/${files.reguleringsplan}`, 'stage_rpo', [
    ...gml,
    '-t_srs',
    'EPSG:25833',
    'RpOmråde',
  ]);
  ogr2ogr(cluster.gdal, teigUnion(files), 'stage_teig', ['-a_srs', 'EPSG:25833']);
  cluster.psql(mapSql());
  return performance.now() - started;
}
