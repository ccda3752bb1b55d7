import { bboxOf } from '../../geo/crs.js';
import type { Position } from '../../domain/geometry.js';
import type { PlanFeature } from '../../domain/plan.js';
import { SourceError } from '../../util/errors.js';
import type { ParcelSource } from '../parcel-source.js';
import {
  coverageOf,
  windowAround,
  type PlanFetch,
  type PlanPart,
  type PlanProbe,
  type PlanSource,
} from '../plan-source.js';
import type { ParcelArea, ParcelFetch } from '../teig/teig-client.js';
import type { ReadWarning } from './read-options.js';
import { readParcelsOnThreads } from './read-parcels-thread.js';
import { readPlanFeatures } from './read-plan-features.js';

export interface FileSourceConfig {
  /** Paths (file, folder, zip, gz); `{kommunenummer}` is replaced by the kommune's number. */
  kommuneplan?: string;
  reguleringsplan?: string;
  parcels?: string;
}

/**
 * Plans and parcels from files delivered by the Geonorge/NAP download (or exported by the
 * kommune), one path per part. Features of other kommuner (a national or fylke file) are left
 * out; features that do not name their kommune are kept. File problems are InputErrors (bad
 * input, exit 1), not source failures.
 */
export class FilePlanSource implements PlanSource, ParcelSource {
  constructor(
    private readonly config: FileSourceConfig,
    readonly name: string,
  ) {}

  async fetchKommune(kommunenummer: string, part: PlanPart): Promise<PlanFetch>;
  async fetchKommune(kommunenummer: string, area: ParcelArea): Promise<ParcelFetch>;
  async fetchKommune(
    kommunenummer: string,
    partOrArea: PlanPart | ParcelArea,
  ): Promise<PlanFetch | ParcelFetch> {
    if (typeof partOrArea === 'string') return this.plans(kommunenummer, partOrArea);
    return this.parcels(kommunenummer);
  }

  async probe(
    point: Position,
    options: { radius?: number; kommunenummer?: string } = {},
  ): Promise<PlanProbe> {
    const radius = options.radius ?? 10;
    const window = windowAround(point, radius);
    const features: PlanFeature[] = [];
    const warnings: ReadWarning[] = [];
    for (const part of ['kommuneplan', 'reguleringsplan'] as const) {
      if (!this.config[part]) continue;
      const { features: all } = await this.plans(options.kommunenummer ?? '', part, warnings);
      for (const feature of all) {
        if (!feature.geometry) continue;
        const box = bboxOf(feature.geometry);
        if (box[0] <= window[2]! && box[2] >= window[0]! && box[1] <= window[3]! && box[3] >= window[1]!)
          features.push(feature);
      }
    }
    return { features, warnings, window: `EPSG:25833 bbox ${window.join(',')} (bounding boxes)` };
  }

  private async plans(
    kommunenummer: string,
    part: PlanPart,
    warnings: ReadWarning[] = [],
  ): Promise<PlanFetch> {
    const path = this.pathFor(part, kommunenummer);
    const all = await readPlanFeatures(path, { onWarning: (w) => warnings.push(w) });
    const features = kommunenummer
      ? all.filter((f) => {
          const own = f.properties['arealplanId.kommunenummer'];
          return own === null || own === undefined || String(own) === kommunenummer;
        })
      : all;
    return { features, coverage: coverageOf(features, part), warnings };
  }

  private async parcels(kommunenummer: string): Promise<ParcelFetch> {
    const warnings: ReadWarning[] = [];
    const all = await readParcelsOnThreads(this.pathFor('parcels', kommunenummer), {
      onWarning: (w) => warnings.push(w),
    });
    const parcels = all.filter((p) => p.kommunenummer === kommunenummer);
    return {
      parcels,
      coverage: parcels.length > 0 ? 'covered' : 'not-covered',
      warnings,
      tiles: 0,
      pages: 0,
    };
  }

  private pathFor(part: PlanPart | 'parcels', kommunenummer: string): string {
    const template = this.config[part];
    if (!template) {
      throw new SourceError('not-configured', `source "${this.name}" names no file for ${part}`, {
        source: this.name,
        kommune: kommunenummer || undefined,
      });
    }
    return template.replace(/\{kommunenummer\}/g, kommunenummer);
  }
}
