import type { NationalLayerId } from '../../config/national-layer-rules.js';
import type { PropertyValue } from '../../domain/plan.js';

export type LayerProtocol = 'arcgis' | 'ogc-features' | 'wfs-geojson' | 'wfs-gml';

/** One national layer: how it is asked for, and which constraint each of its features counts as. */
export interface NationalLayerDefinition {
  id: NationalLayerId;
  protocol: LayerProtocol;
  /** Shown as the constraint's source on the lot ("NVE flomsone 200 år"). */
  source: string;
  /** What the sales team reads when the layer was not checked ("kvikkleire ikke sjekket"). */
  label: string;
  /** WFS only: the feature type's local name; its prefix is read from GetCapabilities (wfs-type-name.ts). */
  typeName?: string;
  /** NVE: the service's coverage layer (url in the rule file), fetched with the layer. */
  coverage?: LayerCoverage;
  /** The constraint key a feature counts as (`lotScore.constraints.types`), or null to leave it out. */
  constraintOf(properties: Record<string, PropertyValue>): string | null;
}

/**
 * An NVE layer's mapped area: outside it a miss means "not mapped", not "safe". Every feature of
 * the coverage layer counts as mapped (clients read KvikkleireskredAktsomhet's `dekningstatus`
 * values, e.g. `grundigKartlagtMedFunn`, the same way).
 */
export interface LayerCoverage {
  /** Status label when the coverage could not be read ("kartleggingsområdet for flomsoner"). */
  label: string;
  /** The hazard the mapping is for; a lot is checked per hazard over all its layers' coverage. */
  hazard: 'flomfare' | 'skredfare' | 'kvikkleirefare';
  /** Awareness hits count only inside the coverage (Flomaktsomhet: "hit counts only where layer 2 also hits"). */
  clip: boolean;
}

/** A property by any of its spellings (services write ASCII or Norwegian letters, any case). */
export function propertyOf(properties: Record<string, PropertyValue>, ...names: string[]): PropertyValue {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  for (const [key, value] of Object.entries(properties)) if (wanted.has(key.toLowerCase())) return value;
  return null;
}

const always = (key: string) => () => key;

/**
 * The national layers, in fetch order. Layer ids and fields: shared/reference/notes/national-layers.md
 * (NVE §1, Riksantikvaren §3, Miljødirektoratet §4, noise §7); what is confirmed: docs/national-layers.md.
 */
export const NATIONAL_LAYERS: readonly NationalLayerDefinition[] = [
  {
    id: 'flomsoner',
    protocol: 'arcgis',
    source: 'NVE flomsone 200 år',
    label: 'flomsoner',
    coverage: { label: 'kartleggingsområdet for flomsoner', hazard: 'flomfare', clip: false },
    constraintOf: always('flom'),
  },
  {
    id: 'flomaktsomhet',
    protocol: 'arcgis',
    source: 'NVE aktsomhetsområde flom',
    label: 'aktsomhetsområder for flom',
    coverage: { label: 'dekningsområdet for aktsomhetsområder for flom', hazard: 'flomfare', clip: true },
    constraintOf: always('flomAktsomhet'),
  },
  {
    id: 'kvikkleire',
    protocol: 'arcgis',
    source: 'NVE kvikkleiresone',
    label: 'kvikkleire',
    coverage: { label: 'dekningsområdet for kvikkleirekartleggingen', hazard: 'kvikkleirefare', clip: false },
    // statusskredomr 1 = gjeldende; zones without the field are kept (a hazard is a hazard).
    constraintOf: (p) => {
      const status = propertyOf(p, 'statusskredomr');
      return status === null || String(status) === '1' ? 'kvikkleire' : null;
    },
  },
  {
    id: 'skredfaresoner',
    protocol: 'arcgis',
    source: 'NVE skredfaresone 1/1000',
    label: 'skredfaresoner',
    coverage: { label: 'kartleggingsområdet for skredfaresoner', hazard: 'skredfare', clip: false },
    constraintOf: always('skred'),
  },
  {
    id: 'skredaktsomhet',
    protocol: 'arcgis',
    source: 'NVE aktsomhetsområde snø- og steinskred',
    label: 'aktsomhetsområder for snø- og steinskred',
    coverage: {
      label: 'dekningsområdet for aktsomhetsområder for snø- og steinskred',
      hazard: 'skredfare',
      clip: false,
    },
    constraintOf: always('skredAktsomhet'),
  },
  {
    id: 'jordflomskred',
    protocol: 'arcgis',
    source: 'NVE aktsomhetsområde jord- og flomskred',
    label: 'aktsomhetsområder for jord- og flomskred',
    constraintOf: always('skredAktsomhet'),
  },
  {
    id: 'kulturminner',
    protocol: 'ogc-features',
    source: 'Riksantikvaren kulturminne',
    label: 'kulturminner',
    // IKKEV: registered, not protected; counted as a kulturmiljø-weight concern, not as a ban.
    constraintOf: (p) =>
      String(propertyOf(p, 'vernetype') ?? '') === 'IKKEV' ? 'kulturmiljo' : 'kulturminne',
  },
  {
    id: 'sikringssoner',
    protocol: 'ogc-features',
    source: 'Riksantikvaren sikringssone',
    label: 'sikringssoner rundt kulturminner',
    constraintOf: always('kulturminne'),
  },
  {
    id: 'kulturmiljoer',
    protocol: 'ogc-features',
    source: 'Riksantikvaren kulturmiljø',
    label: 'kulturmiljøer',
    constraintOf: always('kulturmiljo'),
  },
  {
    id: 'verneomrader',
    protocol: 'arcgis',
    source: 'Miljødirektoratet verneområde',
    label: 'verneområder',
    constraintOf: always('naturvern'),
  },
  {
    id: 'stoyVeg',
    protocol: 'wfs-geojson',
    source: 'Statens vegvesen støysone',
    label: 'støysoner langs veg',
    typeName: 'norstoy_1_0:Stoyvarselkart',
    constraintOf: noiseZone,
  },
  {
    id: 'stoyBane',
    protocol: 'wfs-gml',
    source: 'Bane NOR støysone',
    label: 'støysoner langs jernbane',
    // The local name only (notes §7): the prefix is read from GetCapabilities at run time.
    typeName: 'Støy',
    constraintOf: noiseZone,
  },
];

/**
 * T-1442 zones: R red, G yellow (`STØYSONEKATEGORI`, also written ASCII `STOYSONEKATEGORI`; Bane
 * NOR's GML `støysonekategori`). Spelled-out values ("rødSone", "gul") are read the same way, in
 * case a service writes the code list's words; any other value counts as no zone and is counted
 * in the layer's status.
 */
function noiseZone(p: Record<string, PropertyValue>): string | null {
  const category = String(propertyOf(p, 'støysonekategori', 'stoysonekategori') ?? '')
    .trim()
    .toUpperCase();
  if (category === 'R' || category.startsWith('RØD') || category.startsWith('ROD')) return 'stoyRod';
  if (category === 'G' || category.startsWith('GUL')) return 'stoyGul';
  return null;
}
