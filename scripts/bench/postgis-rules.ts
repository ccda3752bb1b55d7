/**
 * The lot engine's rules written as PostGIS SQL, from the same rule values (config/engine-rules.ts),
 * as a competent PostGIS user would write them: GiST-indexed joins, ST_Union per zone, ST_Difference,
 * the opening with ST_Buffer, ST_Dump, parcel split with ST_Covers/ST_Intersection.
 */
import type { EngineRules } from '../../sync/src/config/engine-rules.js';
import type { AreaGeometry } from '../../sync/src/domain/geometry.js';
import { codeOf, lokalIdOf, planIdOf, textOf, type PlanFeature } from '../../sync/src/domain/plan.js';
import type { Parcel } from '../../sync/src/domain/parcel.js';

const list = (codes: number[]) => (codes.length ? codes.join(',') : 'NULL');

export function schemaSql(): string {
  return `
DROP TABLE IF EXISTS kp, rp, parcels;
CREATE TABLE kp (type text, lokalid text, planid text, arealformal int, arealbruk int, arealbruksstatus int,
  planstatus int, plandate date, detaljering int, geom geometry(Geometry, 25833));
CREATE TABLE rp (type text, planid text, planstatus int, vertikalniva int, geom geometry(Geometry, 25833));
CREATE TABLE parcels (teigid text, mnr text, geom geometry(Geometry, 25833));`;
}

export function indexSql(): string {
  return `
CREATE INDEX ON kp USING gist (geom); CREATE INDEX ON kp (type);
CREATE INDEX ON rp USING gist (geom); CREATE INDEX ON rp (type);
CREATE INDEX ON parcels USING gist (geom);
ANALYZE kp; ANALYZE rp; ANALYZE parcels;`;
}

/** The timed part: every rule, from raw features to lots with their plans in progress. */
export function rulesSql(rules: EngineRules): string {
  const join = `'join=${rules.openingJoin} mitre_limit=5'`;
  const valid = (g: string) =>
    `CASE WHEN ST_IsValid(${g}) THEN ${g} ELSE ST_CollectionExtract(ST_MakeValid(${g}), 3) END`;
  const ground = `(r.vertikalniva IN (${list(rules.regulated.vertikalniva)})${rules.regulated.missingVertikalnivaIsGround ? ' OR r.vertikalniva IS NULL' : ''})`;
  return `
\\set ON_ERROR_STOP on
DROP TABLE IF EXISTS opportunity, lots, lot_plans;
CREATE TABLE opportunity AS
WITH plans AS (
  SELECT planid, planstatus, plandate, ${valid('geom')} AS geom FROM kp WHERE type = 'KpOmråde'
), zones AS (
  SELECT z.lokalid, z.planid, p.plandate, ${valid('z.geom')} AS geom
  FROM kp z LEFT JOIN plans p ON p.planid = z.planid
  WHERE ((z.type = 'KpArealformålOmråde' AND z.arealformal IN (${list(rules.candidates.arealformal)}))
      OR (z.type = 'KpArealbrukOmråde' AND z.arealbruk IN (${list(rules.candidates.arealbruk)})))
    AND z.arealbruksstatus IN (${list(rules.candidates.arealbruksstatus)})
    AND (p.planstatus IS NULL OR p.planstatus IN (${list(rules.candidates.kommuneplanPlanstatus)}))
), subtract AS (
  SELECT z.lokalid, ST_Union(${valid('s.geom')}) AS geom
  FROM zones z
  CROSS JOIN LATERAL (
    SELECT r.geom FROM rp r
     WHERE r.type = 'RpOmråde' AND r.planstatus IN (${list(rules.regulated.planstatus)}) AND ${ground}
       AND ST_Intersects(r.geom, z.geom)
    UNION ALL
    SELECT d.geom FROM kp d
     WHERE d.type = 'KpDetaljeringSone' AND d.detaljering IN (${list(rules.regulated.detaljering)})
       AND ST_Intersects(d.geom, z.geom)
    ${
      rules.candidates.newerPlanGoverns
        ? `UNION ALL
    SELECT o.geom FROM plans o
     WHERE z.plandate IS NOT NULL AND o.plandate > z.plandate AND o.planid <> z.planid
       AND (o.planstatus IS NULL OR o.planstatus IN (${list(rules.candidates.kommuneplanPlanstatus)}))
       AND ST_Intersects(o.geom, z.geom)`
        : ''
    }
  ) s
  GROUP BY z.lokalid
), remaining AS (
  SELECT z.lokalid, CASE WHEN s.geom IS NULL THEN z.geom ELSE ST_Difference(z.geom, s.geom) END AS geom
  FROM zones z LEFT JOIN subtract s ON s.lokalid = z.lokalid
), opened AS (
  SELECT lokalid, ST_Buffer(ST_Buffer(geom, -${rules.sliverOpeningM}, ${join}), ${rules.sliverOpeningM}, ${join}) AS geom
  FROM remaining
)
SELECT o.lokalid, d.path[1] AS part, d.geom
FROM opened o CROSS JOIN LATERAL ST_Dump(o.geom) d
WHERE ST_Area(d.geom) >= ${rules.minOpportunityM2};

CREATE TABLE lots AS
WITH pieces AS (
  SELECT o.lokalid, p.mnr,
         CASE WHEN ST_Covers(o.geom, v.geom) THEN v.geom ELSE ST_CollectionExtract(ST_Intersection(o.geom, v.geom), 3) END AS geom
  FROM opportunity o
  JOIN parcels p ON ST_Intersects(o.geom, p.geom)
  CROSS JOIN LATERAL (SELECT ${valid('p.geom')} AS geom) v
), kept AS (
  SELECT lokalid, mnr, geom, ST_Area(geom) AS area FROM pieces WHERE ST_Area(geom) >= ${rules.minPieceM2}
)
SELECT lokalid, mnr, ST_Union(geom) AS geom, sum(area) AS area
FROM kept GROUP BY lokalid, mnr HAVING sum(area) >= ${rules.minLotM2};

CREATE TABLE lot_plans AS
SELECT l.lokalid, l.mnr, string_agg(r.planid, ',' ORDER BY r.planid) AS plans
FROM lots l JOIN rp r ON ST_Intersects(l.geom, r.geom)
WHERE r.type = 'RpOmråde' AND r.planstatus IN (${list(rules.inProgress.planstatus)}) AND ${ground}
  AND ST_Area(ST_Intersection(l.geom, r.geom)) >= ${rules.minPieceM2}
GROUP BY l.lokalid, l.mnr;
`;
}

function wkt(geometry: AreaGeometry): string {
  const ring = (r: number[][]) => `(${r.map((p) => `${p[0]} ${p[1]}`).join(',')})`;
  const polygon = (p: number[][][]) => `(${p.map(ring).join(',')})`;
  return geometry.type === 'Polygon'
    ? `SRID=25833;POLYGON${polygon(geometry.coordinates)}`
    : `SRID=25833;MULTIPOLYGON(${geometry.coordinates.map(polygon).join(',')})`;
}

const cell = (v: string | number | null) => (v === null ? '\\N' : String(v).replace(/[\t\n\\]/g, ' '));
const row = (values: Array<string | number | null>) => values.map(cell).join('\t');
const date = (f: PlanFeature) => {
  const d = textOf(f, 'ikrafttredelsesdato') ?? textOf(f, 'vedtakEndeligPlanDato');
  return d ? d.slice(0, 10) : null;
};

/** COPY data (tab-separated, EWKT geometry) for the three input tables. */
export function copyData(kommuneplan: PlanFeature[], reguleringsplan: PlanFeature[], parcels: Parcel[]) {
  const area = (f: PlanFeature) =>
    f.geometry && (f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon');
  return {
    kp: kommuneplan
      .filter(area)
      .map((f) =>
        row([
          f.objekttypenavn,
          lokalIdOf(f),
          planIdOf(f),
          codeOf(f, 'arealformål'),
          codeOf(f, 'arealbruk'),
          codeOf(f, 'arealbruksstatus'),
          codeOf(f, 'planstatus'),
          date(f),
          codeOf(f, 'detaljering'),
          wkt(f.geometry as AreaGeometry),
        ]),
      ),
    rp: reguleringsplan
      .filter(area)
      .map((f) =>
        row([
          f.objekttypenavn,
          planIdOf(f),
          codeOf(f, 'planstatus'),
          codeOf(f, 'vertikalnivå'),
          wkt(f.geometry as AreaGeometry),
        ]),
      ),
    parcels: parcels.map((p) => row([p.teigId, p.matrikkelnummertekst, wkt(p.geometry)])),
  };
}
