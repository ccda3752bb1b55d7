import type { KommuneClass, LotScoreRules } from '../../config/lot-score-rules.js';

export interface DensityClass {
  kommuneClass: KommuneClass;
  /** Why, in Norwegian, for the capacity detail. */
  classSource: string;
}

/**
 * A kommune's density class for capacity: set by hand in the rule file, else from SSB's centrality
 * class (KLASS 128, 1–6) through `capacity.centralityClasses`, else the default, saying which.
 */
export function densityClassOf(
  kommunenummer: string,
  centralityClass: number | null,
  rules: LotScoreRules['capacity'],
): DensityClass {
  const manual = rules.kommuneClass[kommunenummer];
  if (manual) return { kommuneClass: manual, classSource: 'satt i regelfilen' };
  const key = String(centralityClass) as keyof LotScoreRules['capacity']['centralityClasses'];
  // String(null) is "null", no key of the table: an unknown class finds nothing there.
  const fromCentrality = rules.centralityClasses[key];
  if (fromCentrality)
    return { kommuneClass: fromCentrality, classSource: `sentralitetsklasse ${centralityClass} hos SSB` };
  return { kommuneClass: rules.defaultKommuneClass, classSource: 'sentralitetsklassen er ukjent' };
}
