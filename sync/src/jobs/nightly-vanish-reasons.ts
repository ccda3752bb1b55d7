import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { KP_AREALBRUK, KP_AREALFORMAL } from '../domain/codes.js';
import { isAreaGeometry, type AreaGeometry, type Position } from '../domain/geometry.js';
import type { KommuneData } from '../domain/kommune.js';
import type { Lot } from '../domain/lot.js';
import type { LotRecord } from '../lot-record/lot-record.js';
import { codeOf, lokalIdOf, planIdOf, PlanObjectType } from '../domain/plan.js';

const feature = (geometry: AreaGeometry): Feature<Polygon | MultiPolygon> => ({
  type: 'Feature',
  properties: {},
  geometry: geometry as Polygon | MultiPolygon,
});

/**
 * Why a lot found before is not found now (Norwegian, for "Utgått årsak"), read from the new
 * data: the zone is gone or changed, the parcel is gone or renumbered, or an adopted
 * reguleringsplan now covers it. Anything else gets the general reason.
 */
export function vanishReason(
  lot: LotRecord,
  data: KommuneData,
  found: Lot[],
  regulatedPlanstatus: number[],
): string {
  const zone = data.kommuneplan.find((f) => lokalIdOf(f) === lot.zone.lokalId);
  if (!zone) return 'Sonen i kommuneplanen er fjernet eller erstattet';
  const arealformal = codeOf(zone, 'arealformål');
  const arealbruk = codeOf(zone, 'arealbruk');
  if (lot.zone.arealformal !== null && arealformal !== null && arealformal !== lot.zone.arealformal)
    return `Arealformålet er endret til ${arealformal} ${KP_AREALFORMAL[arealformal] ?? ''}`.trim();
  if (lot.zone.arealbruk !== null && arealbruk !== null && arealbruk !== lot.zone.arealbruk)
    return `Arealbruken er endret til ${arealbruk} ${KP_AREALBRUK[arealbruk] ?? ''}`.trim();
  const status = codeOf(zone, 'arealbruksstatus');
  if (status !== null && status !== lot.zone.arealbruksstatus && status === 1)
    return 'Sonen er nå nåværende (utbygd) i kommuneplanen';

  const point: Position = [lot.centre.east, lot.centre.north];
  const regulating = data.reguleringsplan.find(
    (plan) =>
      plan.objekttypenavn === PlanObjectType.RpOmrade &&
      regulatedPlanstatus.includes(codeOf(plan, 'planstatus') ?? -1) &&
      isAreaGeometry(plan.geometry) &&
      booleanPointInPolygon(point, feature(plan.geometry)),
  );
  if (regulating) return `Regulert: vedtatt reguleringsplan ${planIdOf(regulating) ?? '(uten id)'}`;

  if (!data.parcels.some((p) => p.teigId === lot.teigId)) {
    const successor = found.find(
      (other) =>
        other.zone.lokalId === lot.zone.lokalId &&
        isAreaGeometry(other.geometry) &&
        booleanPointInPolygon(point, feature(other.geometry)),
    );
    return successor
      ? `Eiendommen er endret i matrikkelen (nå ${successor.matrikkelnummertekst}, tomt ${successor.tomtId})`
      : 'Eiendommen (teigen) finnes ikke lenger i matrikkelen';
  }
  return 'Ikke funnet i siste kjøring: arealet er for lite eller plangrunnlaget er endret';
}
