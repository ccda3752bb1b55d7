import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { estimateCapacity, netShareOf } from '../../../../sync/src/scoring/lot/capacity.js';
import { densityClassOf } from '../../../../sync/src/scoring/lot/density-class.js';
import { estimateValue } from '../../../../sync/src/scoring/lot/value.js';
import { defaultLotRules, zoneUse } from './lot-fixtures.js';

/** The rows of docs/lot-score.md's capacity examples table, between its markers. */
function documentedExamples(): string[][] {
  const doc = readFileSync(path.resolve('docs/lot-score.md'), 'utf8');
  const table = doc.split('<!-- capacity-examples -->')[1]!.split('<!-- /capacity-examples -->')[0]!;
  return table
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*-/.test(line))
    .slice(1)
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}

const n = (text: string) => Number(text.replace(/\s/g, ''));

describe('the capacity examples in docs/lot-score.md', () => {
  const rows = documentedExamples();

  it('has a central, a suburban and a rural kommune', () => {
    expect(rows.map((r) => r[0]!.split(',')[0])).toEqual(['central', 'suburban', 'rural']);
  });

  it.each(rows.map((r) => [r[0]!, r] as const))('%s follows the documented method', (_name, row) => {
    const [, centrality, densityClass, net, bra, usable, homeM2, homes, ruleOfThumb, price, sales, land] =
      row;
    const rules = defaultLotRules();
    const density = densityClassOf('9999', n(centrality!), rules.capacity);
    expect(density.kommuneClass).toBe(densityClass);
    const lotAreaM2 = 10_000;
    const capacity = estimateCapacity(
      {
        lotAreaM2,
        zoneAreaM2: 40_000,
        zone: zoneUse({ utnytting: { type: 16, tall: 30, tallMinimum: null } }),
        ...density,
      },
      rules.capacity,
    );
    // Each step as the docs write it: net land, floor area, usable area, home size, homes.
    expect(lotAreaM2 * netShareOf(rules.capacity)).toBe(n(net!));
    expect(capacity.detail).toContain(`= ${bra} m² BRA`);
    expect(capacity.detail).toContain(`boligareal = ${usable} m² ÷ ${homeM2} m² per bolig`);
    expect(capacity).toMatchObject({
      homes: n(homes!),
      averageHomeM2: n(homeM2!),
      ruleOfThumbHomes: n(ruleOfThumb!),
    });
    const value = estimateValue(capacity, { value: n(price!), year: '2024' }, rules.value)!;
    expect(value.salesValue).toBe(n(sales!));
    expect(`${value.landValueLow}–${value.landValueHigh}`).toBe(land!.replace(/\s/g, ''));
  });
});
