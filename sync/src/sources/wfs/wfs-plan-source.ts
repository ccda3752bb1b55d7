import type { BBox, Position } from '../../domain/geometry.js';
import { Readable } from 'node:stream';
import type { PlanFeature } from '../../domain/plan.js';
import { parseGeoJson } from '../files/geojson.js';
import { readPlanGml } from '../files/gml/plan-gml.js';
import { planFeaturesFromGeoJson } from '../files/plan-geojson.js';
import type { ReadWarning } from '../files/read-options.js';
import { resolveSourceCrs } from '../files/source-crs.js';
import type { SourceHttp } from '../checked-get.js';
import type { HttpResponse } from '../../net/http-client.js';
import {
  coverageOf,
  type FetchOptions,
  type PlanFetch,
  type PlanPart,
  type PlanProbe,
  type PlanSource,
  windowAround,
} from '../plan-source.js';
import { numberOrNull, pageWfs, type WfsPage } from './wfs-paging.js';

export interface KommuneWfsConfig {
  /** The WFS endpoint (GeoServer, ArcGIS, QGIS Server …). */
  url: string;
  /** typeName on the service → SOSI type, per part. */
  typeNames: Partial<Record<PlanPart, Record<string, string>>>;
  /** Attribute name on the service → NAP name (case-insensitive), e.g. {"KPAREALFORMAL": "arealformål"}. */
  attributes: Record<string, string>;
  /** srsName asked for; EPSG:25833 unless the service cannot reproject. */
  srsName: string;
  /** `GML` (GML 3.2, default) or `GEOJSON` (`outputFormat=application/json`). */
  format: 'GML' | 'GEOJSON';
  pageSize: number;
  /** Sort key for stable paging (some servers page unstably without one). */
  sortBy?: string;
}

/**
 * A kommune's own WFS 2.0 (many publish plans on GeoServer or ArcGIS): configured typeNames and
 * an attribute mapping onto the SOSI names, `count`/`startIndex` paging. Features without
 * `arealplanId.kommunenummer` get the kommune's number, since the service serves one kommune.
 */
export class KommuneWfsSource implements PlanSource {
  constructor(
    private readonly config: KommuneWfsConfig,
    private readonly http: SourceHttp,
    readonly name: string,
  ) {}

  async fetchKommune(kommunenummer: string, part: PlanPart, options: FetchOptions = {}): Promise<PlanFetch> {
    const warnings: ReadWarning[] = [];
    const features = await this.getTypes([part], {}, kommunenummer, warnings, options);
    return { features, coverage: coverageOf(features, part), warnings };
  }

  async probe(
    point: Position,
    options: FetchOptions & { radius?: number; kommunenummer?: string } = {},
  ): Promise<PlanProbe> {
    const bbox = windowAround(point, options.radius ?? 10).join(',');
    const warnings: ReadWarning[] = [];
    const features = await this.getTypes(
      ['kommuneplan', 'reguleringsplan'],
      { BBOX: `${bbox},urn:ogc:def:crs:EPSG::25833` },
      options.kommunenummer ?? '',
      warnings,
      options,
    );
    return { features, warnings, window: `EPSG:25833 bbox ${bbox}` };
  }

  /** Every configured typeName within a box (EPSG:25833), e.g. an extra constraint layer over a kommune. */
  async fetchWithin(bbox: BBox, kommunenummer: string, options: FetchOptions = {}): Promise<PlanFetch> {
    const warnings: ReadWarning[] = [];
    const features = await this.getTypes(
      ['kommuneplan', 'reguleringsplan'],
      { BBOX: `${bbox.join(',')},urn:ogc:def:crs:EPSG::25833` },
      kommunenummer,
      warnings,
      options,
    );
    return { features, coverage: features.length ? 'covered' : 'unknown', warnings };
  }

  /** Every configured typeName of the parts, paged to the end. */
  private async getTypes(
    parts: PlanPart[],
    extra: Record<string, string>,
    kommunenummer: string,
    warnings: ReadWarning[],
    options: FetchOptions,
  ): Promise<PlanFeature[]> {
    const features: PlanFeature[] = [];
    for (const part of parts) {
      for (const [typeName, sosiType] of Object.entries(this.config.typeNames[part] ?? {})) {
        const params: Record<string, string> = {
          TYPENAMES: typeName,
          SRSNAME: this.config.srsName,
          ...extra,
        };
        if (this.config.format === 'GEOJSON') params.OUTPUTFORMAT = 'application/json';
        if (this.config.sortBy) params.SORTBY = this.config.sortBy;
        const { items } = await pageWfs(
          this.http,
          this.config.url,
          params,
          this.config.pageSize,
          (response, url) => this.readPage(response, url, sosiType, kommunenummer, warnings),
          { kommune: kommunenummer || undefined, signal: options.signal },
        );
        features.push(...items);
      }
    }
    return features;
  }

  private async readPage(
    response: HttpResponse,
    url: string,
    sosiType: string,
    kommunenummer: string,
    warnings: ReadWarning[],
  ): Promise<WfsPage<PlanFeature>> {
    const options = { onWarning: (w: ReadWarning) => warnings.push(w) };
    const label = `${this.name} ${sosiType}`;
    const mapProperties = (properties: Record<string, unknown>) =>
      this.mapAttributes(properties, kommunenummer);
    if (this.config.format === 'GEOJSON') {
      const crs = resolveSourceCrs(this.config.srsName) ?? undefined;
      const document = parseGeoJson(response.text(), crs && { ...crs, latFirst: false });
      const mapped = {
        ...document,
        features: document.features.map((f) => ({ ...f, properties: mapProperties(f.properties) })),
      };
      return {
        items: planFeaturesFromGeoJson(mapped, label, options, sosiType),
        members: document.features.length,
        numberMatched: document.numberMatched,
      };
    }
    const { features, summary } = await readPlanGml(Readable.from([response.body]), url, options, {
      type: () => sosiType,
      properties: mapProperties,
    });
    return { items: features, members: summary.features, numberMatched: numberOrNull(summary.numberMatched) };
  }

  private mapAttributes(properties: Record<string, unknown>, kommunenummer: string): Record<string, unknown> {
    const byLower = new Map(
      Object.entries(this.config.attributes).map(([from, to]) => [from.toLowerCase(), to]),
    );
    const mapped: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(properties)) {
      const target = byLower.get(key.toLowerCase());
      if (target) mapped[target] = value;
      else if (!(key in mapped)) mapped[key] = value;
    }
    if (
      kommunenummer &&
      (mapped['arealplanId.kommunenummer'] === undefined || mapped['arealplanId.kommunenummer'] === null)
    ) {
      mapped['arealplanId.kommunenummer'] = kommunenummer;
    }
    return mapped;
  }
}
