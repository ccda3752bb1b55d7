import { describe, expect, it } from 'vitest';
import {
  budgetLevel,
  budgetWarning,
  ceilingOf,
  fitsUnderCeiling,
  warningAtOf,
} from '../../../../sync/src/crm/budget/record-budget.js';

const count = (total: number) => ({
  countedAt: '2026-03-02T01:04:00.000Z',
  total,
  tables: { Tomter: total },
});

describe('the base’s record budget', () => {
  it('warns from 80 % and stops creating from 95 % of the limit (Team 50,000; Business 125,000)', () => {
    expect([warningAtOf(50_000), ceilingOf(50_000)]).toEqual([40_000, 47_500]);
    expect([warningAtOf(125_000), ceilingOf(125_000)]).toEqual([100_000, 118_750]);
    expect([warningAtOf(1_001), ceilingOf(1_001)]).toEqual([801, 950]);
    expect([39_999, 40_000, 47_499, 47_500, 50_000].map((n) => budgetLevel(n, 50_000))).toEqual([
      'ok',
      'warning',
      'warning',
      'full',
      'full',
    ]);
  });

  it('lets new records in only while the base stays at or under the ceiling', () => {
    expect(fitsUnderCeiling(47_400, 100, 50_000)).toBe(true);
    expect(fitsUnderCeiling(47_400, 101, 50_000)).toBe(false);
    expect(fitsUnderCeiling(47_500, 1, 50_000)).toBe(false);
  });

  it('says how full the base is and the three ways to make room', () => {
    expect(budgetWarning(count(39_999), 50_000)).toBeNull();
    const warning = budgetWarning(count(41_000), 50_000)!;
    expect(warning).toMatch(
      /^the Airtable base holds 41,000 of 50,000 records \(82\.0 %\), counted 2026-03-02; at 95 % \(47,500 records\) new lots stop being created\. To make room: /,
    );
    expect(warning).toMatch(/larger Airtable plan and raise AIRTABLE_RECORD_LIMIT/);
    expect(warning).toMatch(/raise airtable\.minTier in the rule file/);
    expect(warning).toMatch(/archive records in Airtable/);
    expect(budgetWarning(count(48_000), 50_000)).toMatch(
      /at or over 95 % \(47,500 records\): new lots are not created, existing records are still updated/,
    );
  });
});
