import type { AnyGeometry, AreaGeometry, PointGeometry } from './geometry.js';
import type { Parcel } from './parcel.js';
import type { PlanFeature, PropertyValue } from './plan.js';
import type { CentreData } from './tettsted.js';
import type { TransitData } from './transit.js';

export interface Kommune {
  /** Four digits, leading zero kept ("0301"). */
  kommunenummer: string;
  navn: string;
  fylkesnummer: string;
  fylkesnavn: string | null;
}

/**
 * The sales team's standing choice about a kommune in the nightly run, set in the CRM: `always`
 * scanned whatever its rank, or `never` (not relevant to them).
 */
export type KommunePin = 'always' | 'never';

/**
 * Whether a source covers a kommune at all. "not-covered" (the source has no data for the
 * kommune, e.g. Oslo's reguleringsplaner in NAP in 2026) is not "covered with zero plans": it
 * lowers the lots' confidence and must never be read as "no plans here".
 */
export type Coverage = 'covered' | 'not-covered' | 'unknown';

export interface CoverageFlags {
  kommuneplan: Coverage;
  reguleringsplan: Coverage;
  parcels: Coverage;
}

/** Everything the engine needs for one kommune, already in EPSG:25833. */
export interface KommuneData {
  kommune: Kommune;
  kommuneplan: PlanFeature[];
  reguleringsplan: PlanFeature[];
  parcels: Parcel[];
  coverage: CoverageFlags;
  /** Kommune boundary, when known (used to clip and to sanity-check coordinates). */
  boundary: AreaGeometry | null;
  /** A representative point (kommuneinfo `punktIOmrade`), EPSG:25833. */
  centre: PointGeometry | null;
  /** Source name per part, for reports ("nap", "files:/path", "wfs:…"). */
  sources: { kommuneplan: string; reguleringsplan: string; parcels: string };
  /** Extra constraint layers configured for the kommune (flood zones, protected areas …), as read. */
  extraLayers?: ExtraLayerFeatures[];
  /** Public transport stops with regular departures (Entur), for Sentralitet; absent: not loaded. */
  transit?: TransitData;
  /** The kommune's largest tettsted (SSB), Sentralitet's centre; absent: not sought. */
  tettsted?: CentreData;
  /** The national constraint layers' features, each group counting as one constraint type. */
  nationalLayers?: ClassifiedLayer[];
  /** What became of each national constraint layer for this kommune (lowers confidence when not fetched). */
  layerStatus?: LayerStatus[];
  /** Where NVE has mapped each hazard layer read (its coverage layer): outside it "not mapped", not "safe". */
  mappedAreas?: MappedArea[];
}

/** The mapped area of one national hazard layer (NVE's coverage layer), features in EPSG:25833. */
export interface MappedArea {
  /** The hazard layer's id in the rule file (`flomsoner`). */
  layer: string;
  /** The hazard layer's label, as the sales team reads it ("flomsoner"). */
  label: string;
  /** The hazard it maps ("flomfare"): a lot is checked per hazard over every layer's mapped area. */
  hazard: string;
  features: ConstraintLayerFeature[];
}

/** Features of a national layer that count as one constraint type (a layer may yield several: red and yellow noise). */
export interface ClassifiedLayer {
  /** Shown as the constraint's source, e.g. "NVE flomsone 200 år". */
  name: string;
  /** A key of `lotScore.constraints.types`. */
  constraint: string;
  features: ConstraintLayerFeature[];
}

/**
 * A national layer for one kommune: `fetched` (read and checked; an empty answer is fetched too),
 * `failed` (the service answered wrongly or not at all; the cause says how) or `not-available`
 * (no source serves it here, e.g. AR5 without a file or the open WMS). Only `fetched` was checked.
 */
export type LayerStatusKind = 'fetched' | 'failed' | 'not-available';

export interface LayerStatus {
  /** The layer's id in the rule file (`lotScore.constraints.nationalLayers.layers`), or `landbruk`. */
  layer: string;
  /** What the sales team reads when it was not checked: "kvikkleire", "flomsoner". */
  label: string;
  status: LayerStatusKind;
  /** Why it failed or is not available; for fetched, how (e.g. "AR5 file", "NIBIO WMS, 212 samples"). */
  cause: string | null;
  features: number;
  /** When the data were fetched from the service (a copy is reused until due, never past refreshDays). */
  fetchedAt: string | null;
}

/** A feature of an extra constraint layer, already in EPSG:25833. */
export interface ConstraintLayerFeature {
  geometry: AnyGeometry | null;
  properties?: Record<string, PropertyValue>;
}

/** The features a source read for one configured extra layer (rule file `lotScore.constraints.extraLayers`). */
export interface ExtraLayerFeatures {
  /** The layer rule's name, e.g. "NVE flomsone". */
  name: string;
  features: ConstraintLayerFeature[];
}

export function isKommunenummer(value: string): boolean {
  return /^\d{4}$/.test(value);
}
