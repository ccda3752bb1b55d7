import type { LotScoreRules } from '../../config/lot-score-rules.js';
import type { CapacityEstimate, ValueEstimate } from '../../domain/lot.js';
import {
  formatInteger,
  formatKroner,
  formatKronerRange,
  formatPercent,
} from '../../util/norwegian-format.js';
import type { KommuneFigures } from '../kommune/types.js';

const roundTo100k = (kr: number) => Math.round(kr / 100_000) * 100_000;

/**
 * What the land may be worth (issue 16), an estimate beside the score and never part of it: sales
 * value = estimated homes × the average home size the capacity assumed × the kommune's price per
 * m² of owner-occupied dwellings (SSB 06035, from the kommune ranking); the land value a band of
 * configured shares of it. Null without homes or a price.
 */
export function estimateValue(
  capacity: CapacityEstimate,
  price: KommuneFigures['pricePerM2'],
  rules: LotScoreRules['value'],
): ValueEstimate | null {
  const homeM2 = capacity.averageHomeM2;
  if (!price || !(price.value > 0) || capacity.homes <= 0 || !homeM2) return null;
  const salesValue = roundTo100k(capacity.homes * homeM2 * price.value);
  const landValueLow = roundTo100k(salesValue * rules.landShareLow);
  const landValueHigh = roundTo100k(salesValue * rules.landShareHigh);
  const year = price.year ? ` ${price.year}` : '';
  const band =
    rules.landShareLow === rules.landShareHigh
      ? `${formatPercent(rules.landShareLow)} av salgsverdien = ${formatKroner(landValueLow)}`
      : `${formatPercent(rules.landShareLow).replace(' %', '')}–${formatPercent(rules.landShareHigh)} av salgsverdien = ${formatKronerRange(landValueLow, landValueHigh)}`;
  return {
    salesValue,
    landValueLow,
    landValueHigh,
    homes: capacity.homes,
    averageHomeM2: homeM2,
    pricePerM2: price.value,
    priceYear: price.year,
    landShareLow: rules.landShareLow,
    landShareHigh: rules.landShareHigh,
    method:
      `Anslag, ikke takst: ${formatInteger(capacity.homes)} boliger × ${formatInteger(homeM2)} m² × ` +
      `${formatInteger(price.value)} kr/m² (SSB 06035, selveierboliger i kommunen${year}) = ` +
      `${formatKroner(salesValue)} i salgsverdi; tomteverdi ${band}.`,
  };
}
