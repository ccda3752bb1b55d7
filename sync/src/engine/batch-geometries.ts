import type { Parcel } from '../domain/parcel.js';
import type { Geos } from '../geo/geos.js';
import { PreparedSet } from '../geo/prepared-set.js';
import type { PlanOutline, SubtractedArea } from './classify.js';
import type { ZoneBatch } from './zone-batch.js';

/** Labels of the inputs that were repaired or dropped, for the run report. */
export interface RepairLabels {
  subtracted: string[];
  parcels: string[];
  dropped: string[];
}

/**
 * A batch's plans and parcels, box-indexed, each converted to GEOS (and repaired) at most once
 * and only when a zone needs it. Owns that GEOS memory: call `dispose()`.
 */
export class BatchGeometries {
  readonly regulated: PreparedSet<SubtractedArea>;
  readonly kommuneplanOutlines: PreparedSet<PlanOutline>;
  readonly inProgress: PreparedSet<PlanOutline>;
  readonly parcels: PreparedSet<Parcel>;
  private readonly propertyAreaBound = new Map<string, number>();

  constructor(geos: Geos, batch: ZoneBatch) {
    this.regulated = new PreparedSet(geos, batch.subtract, (s) => s.geometry);
    this.kommuneplanOutlines = new PreparedSet(geos, batch.kommuneplanOutlines, (o) => o.geometry);
    this.inProgress = new PreparedSet(geos, batch.inProgress, (o) => o.geometry);
    this.parcels = new PreparedSet(geos, batch.parcels, (p) => p.geometry);
    // Bounding boxes, because a self-crossing teig's ring area understates what MakeValid gives
    // back, and a bound that is too low would lose a lot.
    this.parcels.items.forEach((parcel, i) => {
      const key = parcel.matrikkelnummertekst;
      const [minX, minY, maxX, maxY] = this.parcels.boxes[i]!;
      this.propertyAreaBound.set(key, (this.propertyAreaBound.get(key) ?? 0) + (maxX - minX) * (maxY - minY));
    });
  }

  /** An upper bound on a property's area (its teiger in this batch, m²). */
  propertyAreaBoundM2(matrikkelnummertekst: string): number {
    return this.propertyAreaBound.get(matrikkelnummertekst) ?? 0;
  }

  /** The inputs used so far that had to be repaired or were dropped; call before `dispose()`. */
  repairLabels(): RepairLabels {
    const labels: RepairLabels = { subtracted: [], parcels: [], dropped: [] };
    const collect = <T>(set: PreparedSet<T>, labelOf: (item: T) => string, repaired: string[]) => {
      const repairs = set.repairs();
      for (const i of repairs.repaired) repaired.push(labelOf(set.items[i]!));
      for (const i of repairs.dropped) labels.dropped.push(labelOf(set.items[i]!));
    };
    collect(this.regulated, (area) => `${area.kind} ${area.planId}`, labels.subtracted);
    collect(this.kommuneplanOutlines, (outline) => `kommuneplan ${outline.planId}`, labels.subtracted);
    collect(this.inProgress, (outline) => `reguleringsplan ${outline.planId}`, labels.subtracted);
    collect(this.parcels, (parcel) => `teig ${parcel.teigId}`, labels.parcels);
    return labels;
  }

  dispose(): void {
    this.regulated.dispose();
    this.kommuneplanOutlines.dispose();
    this.inProgress.dispose();
    this.parcels.dispose();
  }
}
