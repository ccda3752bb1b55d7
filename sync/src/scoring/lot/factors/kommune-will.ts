import type { KommuneFigures } from '../../kommune/types.js';
import { clamp01, isFiniteNumber } from '../curves.js';
import type { FactorResult } from '../types.js';

const decimal = new Intl.NumberFormat('nb-NO', { maximumFractionDigits: 1 });
const figure = (n: number) => decimal.format(n).replace(/[\u202f\u00a0]/g, ' ');

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
  const started =
    byggevilje.raw !== null && isFiniteNumber(byggevilje.raw)
      ? ` (i snitt ${figure(byggevilje.raw)} igangsatte boliger per 1 000 innbyggere i året${byggevilje.year ? `, siste år ${byggevilje.year}` : ''})`
      : '';
  return {
    value,
    reason: `Byggeviljen${started} er høyere enn i ${percent} % av kommunene.`,
  };
}
