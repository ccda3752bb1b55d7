import { formatUpToOneDecimal } from '../../../util/norwegian-format.js';
import type { KommuneFigures } from '../../kommune/types.js';
import { clamp01, isFiniteNumber } from '../curves.js';
import type { FactorResult } from '../types.js';

/**
 * Kommunal vilje: the kommune ranking's will-to-build factor (Byggevilje: dwellings started per
 * 1,000 inhabitants and, where the nightly run has the plans, the share of the housing reserve
 * regulated per year), as its 0–1 percentile among kommuner. Not the whole kommune score, which is
 * mostly market statistics.
 */
export function kommuneWillFactor(byggevilje: KommuneFigures['byggevilje']): FactorResult {
  if (!byggevilje || !isFiniteNumber(byggevilje.value))
    return { value: null, reason: 'Kommunen har ingen tall for byggevilje i kommunerangeringen ennå.' };
  const value = clamp01(byggevilje.value);
  const percent = Math.round(value * 100);
  const started = isFiniteNumber(byggevilje.raw)
    ? ` (i snitt ${formatUpToOneDecimal(byggevilje.raw)} igangsatte boliger per 1 000 innbyggere i året${byggevilje.year ? `, siste år ${byggevilje.year}` : ''})`
    : '';
  return {
    value,
    reason: `Byggeviljen${started} er høyere enn i ${percent} % av kommunene.`,
  };
}
