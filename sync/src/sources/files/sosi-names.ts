import type { PropertyValue } from '../../domain/plan.js';

/**
 * SOSI Plan names as NAP writes them, and the other spellings sources use for the same thing:
 * GeoServer layer/feature ids and filter names in ASCII (`rparealformalomrade`, `arealformal`),
 * the "(flat)" NAP variants without the dotted prefix (`lokalId`, `planidentifikasjon`),
 * GeoPackage/Shape columns with `_` for `.`, upper case from ArcGIS.
 * Sources: NAP objektkataloger (Arkitektum/produktspesifikasjon_plandata) and the GML mapping in
 * Arkitektum/pygeoapi.formatter.gml-npad (mapping.py, feature_types.py), summarised in
 * shared/reference/notes/geodata.md §1.
 */
const FEATURE_TYPES = [
  'Arealplan',
  'KpOmråde',
  'KpArealformålOmråde',
  'KpArealbrukOmråde',
  'KpBestemmelseOmråde',
  'KpRestriksjonOmråde',
  'KpRetningslinjeOmråde',
  'KpAngittHensynSone',
  'KpFareSone',
  'KpStøySone',
  'KpSikringSone',
  'KpInfrastrukturSone',
  'KpBåndleggingSone',
  'KpGjennomføringSone',
  'KpDetaljeringSone',
  'KpGrense',
  'KpArealGrense',
  'KpJuridiskLinje',
  'KpSamferdselLinje',
  'KpSamferdselPunkt',
  'KpInfrastrukturLinje',
  'KpRegulertHøyde',
  'KpPåskrift',
  'RpOmråde',
  'RpArealformålOmråde',
  'RbFormålOmråde',
  'RbBevaringOmråde',
  'RbFornyelseOmråde',
  'RbRekkefølgeOmråde',
  'RbRestriksjonOmråde',
  'RbFareOmråde',
  'RpAngittHensynSone',
  'RpFareSone',
  'RpStøySone',
  'RpSikringSone',
  'RpInfrastrukturSone',
  'RpBåndleggingSone',
  'RpGjennomføringSone',
  'RpDetaljeringSone',
  'RpBestemmelseOmråde',
  'PblMidlByggAnleggOmråde',
  'RpRegulertHøyde',
  'RpJuridiskLinje',
  'RpJuridiskPunkt',
  'RpPåskrift',
  'RpGrense',
  'RpFormålGrense',
  'RpBestemmelseGrense',
  'RpHensynGrense',
];

/** NAP's property names (flat dotted SOSI names). */
const PROPERTIES = [
  'objekttypenavn',
  'arealformål',
  'arealbruk',
  'arealbruksstatus',
  'arealbruksutdyping',
  'arealbruksrestriksjoner',
  'arealbruksretningslinjer',
  'områdenavn',
  'vertikalnivå',
  'planstatus',
  'plantype',
  'plannavn',
  'planbestemmelse',
  'lovreferanse',
  'lovreferanseBeskrivelse',
  'ikrafttredelsesdato',
  'vedtakEndeligPlanDato',
  'kunngjøringsdato',
  'forslagsstillerType',
  'opprinneligplanid',
  'opprinneligadministrativenhet',
  'hensynSonenavn',
  'angittHensyn',
  'fare',
  'støy',
  'sikring',
  'infrastruktur',
  'båndlegging',
  'båndlagtFremTil',
  'gjennomføring',
  'detaljering',
  'feltbetegnelse',
  'eierform',
  'beskrivelse',
  'uteoppholdsareal',
  'byggverkbestemmelse',
  'avkjørselsbestemmelse',
  'reguleringsformål',
  'reguleringsformålsutdyping',
  'bestemmelseOmrådeNavn',
  'førsteDigitaliseringsdato',
  'oppdateringsdato',
  'prosesshistorie',
  'informasjon',
  'link',
  'arealplanId.kommunenummer',
  'arealplanId.landkode',
  'arealplanId.planidentifikasjon',
  'identifikasjon.lokalId',
  'identifikasjon.navnerom',
  'identifikasjon.versjonId',
  'utnytting.utnyttingstype',
  'utnytting.utnyttingstall',
  'utnytting.utnyttingstall_minimum',
  'kopidata.områdeId',
  'kopidata.originalDatavert',
  'kopidata.kopidato',
];

/** Other names for the same attribute (SOSI 5.0 GML vs NAP). */
const SYNONYMS: Record<string, string> = {
  feltnavn: 'feltbetegnelse',
  nasjonalArealplanId: 'arealplanId',
};

/** Lower case, Norwegian letters folded to ASCII, separators removed: "arealplanId.kommunenummer" = "AREALPLANID_KOMMUNENUMMER". */
export function foldName(name: string): string {
  let folded = FOLDED.get(name);
  if (folded === undefined) {
    folded = name
      .toLowerCase()
      .replace(/å/g, 'a')
      .replace(/ø/g, 'o')
      .replace(/æ/g, 'ae')
      .replace(/[^a-z0-9]/g, '');
    // A file names the same few attributes for every feature; the bound keeps a hostile one's memory in check.
    if (FOLDED.size >= FOLDED_MAX) FOLDED.clear();
    FOLDED.set(name, folded);
  }
  return folded;
}

/** Names folded so far: a large kommune's parcels fold the same few names millions of times. */
const FOLDED = new Map<string, string>();
const FOLDED_MAX = 10_000;

const TYPE_BY_FOLD = new Map(FEATURE_TYPES.map((t) => [foldName(t), t]));
const PROPERTY_BY_FOLD = new Map<string, string>();
for (const name of PROPERTIES) PROPERTY_BY_FOLD.set(foldName(name), name);
// The NAP "(flat)" variants drop the group prefix; only where the short name is unambiguous.
for (const name of PROPERTIES) {
  const short = name.split('.')[1];
  if (short && !PROPERTY_BY_FOLD.has(foldName(short))) PROPERTY_BY_FOLD.set(foldName(short), name);
}

/**
 * The SOSI type name for any spelling: "KpArealformålOmråde", "kparealformalomrade",
 * "rparealformalomrade_vn1.fid-632a…" (GeoServer feature id), "reguleringsplaner:rpomrade_vn2".
 * Unknown names are returned as written (trimmed), so new types pass through.
 */
export function canonicalTypeName(name: string): string {
  const trimmed = name.trim();
  const local = trimmed
    .replace(/^.*:/, '')
    .replace(/\.fid.*$/i, '')
    .replace(/\.\d+$/, '')
    .replace(/_vn\d$/i, '');
  return TYPE_BY_FOLD.get(foldName(local)) ?? local;
}

export function isKnownTypeName(name: string): boolean {
  return TYPE_BY_FOLD.has(foldName(name));
}

/** NAP's name for a property, whatever the spelling; unknown names are kept as written. */
export function canonicalPropertyName(name: string): string {
  const synonym = SYNONYMS[name];
  if (synonym) return synonym;
  const [head, ...rest] = name.split('.');
  if (head && rest.length > 0 && SYNONYMS[head])
    return canonicalPropertyName(`${SYNONYMS[head]}.${rest.join('.')}`);
  return PROPERTY_BY_FOLD.get(foldName(name)) ?? name;
}

/** GeoServer serialises Java arrays it cannot render as "[Ljava.lang.Double;@493a67bb" (NAP GetFeatureInfo quirk 4). */
const JAVA_ARRAY_LEAK = /^\[L[\w.$]+;@[0-9a-f]+$/i;

export function isLostValue(value: unknown): boolean {
  return typeof value === 'string' && JAVA_ARRAY_LEAK.test(value.trim());
}

/**
 * Flattens a source's properties into NAP's flat dotted names: nested objects become dotted keys,
 * arrays keep their first value (NAP stores `utnytting.*` as parallel arrays), lost Java arrays
 * become null. Existing NAP names win over aliases that map onto them.
 */
export function canonicalProperties(
  input: Record<string, unknown>,
  onLostValue?: (key: string) => void,
): Record<string, PropertyValue> {
  const flat: Record<string, unknown> = {};
  const visit = (prefix: string, value: unknown) => {
    if (Array.isArray(value)) {
      visit(prefix, value.find((v) => v !== null && v !== undefined) ?? null);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) visit(prefix ? `${prefix}.${key}` : key, inner);
    } else {
      flat[prefix] = value ?? null;
    }
  };
  for (const [key, value] of Object.entries(input)) visit(key, value);

  const result: Record<string, PropertyValue> = {};
  const exact = new Set<string>();
  for (const [key, value] of Object.entries(flat)) {
    const name = canonicalPropertyName(key);
    const isExact = name === key;
    if (name in result && (exact.has(name) || !isExact)) continue;
    if (isExact) exact.add(name);
    let clean: PropertyValue;
    if (isLostValue(value)) {
      onLostValue?.(name);
      clean = null;
    } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      clean = value;
    } else {
      clean = value === null || value === undefined ? null : String(value);
    }
    result[name] = clean;
  }
  return result;
}
