import { describe, expect, it } from 'vitest';
import type { CoverageFlags } from '../../../../sync/src/domain/kommune.js';
import { confidenceOf, type ConfidenceInput } from '../../../../sync/src/scoring/lot/confidence.js';
import { confidenceInput, defaultLotRules, lotRules } from './lot-fixtures.js';

const covered: CoverageFlags = { kommuneplan: 'covered', reguleringsplan: 'covered', parcels: 'covered' };
const input = confidenceInput;
const rules = defaultLotRules().confidence;

describe('confidenceOf', () => {
  it('is High with complete data and no findings', () => {
    expect(confidenceOf(input(), rules)).toEqual({ level: 'high', reasons: [] });
  });

  it('is never High without reguleringsplan data for the kommune (Low by default)', () => {
    const result = confidenceOf(input({ coverage: { ...covered, reguleringsplan: 'not-covered' } }), rules);
    expect(result.level).toBe('low');
    expect(result.reasons).toEqual([
      'Ingen reguleringsplandata for kommunen, så tomten kan allerede være regulert uten at vi ser det.',
    ]);
    const medium = lotRules({ confidence: { sourceNotCovered: 'medium' } }).confidence;
    expect(
      confidenceOf(input({ coverage: { ...covered, reguleringsplan: 'not-covered' } }), medium).level,
    ).toBe('medium');
  });

  it('names each source the kommune lacks or may lack', () => {
    const result = confidenceOf(
      input({ coverage: { reguleringsplan: 'unknown', kommuneplan: 'not-covered', parcels: 'not-covered' } }),
      lotRules({ confidence: { sourceNotCovered: 'medium', coverageUnknown: 'medium' } }).confidence,
    );
    expect(result).toEqual({
      level: 'medium',
      reasons: [
        'Ukjent om datakilden for reguleringsplaner dekker kommunen.',
        'Ingen kommuneplandata for kommunen.',
        'Ingen eiendomsdata (teiger) for kommunen.',
      ],
    });
    expect(confidenceOf(input({ coverage: { ...covered, kommuneplan: 'unknown' } }), rules).reasons).toEqual([
      'Ukjent om datakilden for kommuneplaner dekker kommunen.',
    ]);
  });

  it.each<[string, Partial<ConfidenceInput>, string]>([
    [
      'unknown coverage',
      { coverage: { ...covered, parcels: 'unknown' } },
      'Ukjent om datakilden for eiendomsteiger dekker kommunen.',
    ],
    [
      'a repaired zone',
      { zoneRepairs: 1 },
      'Kommuneplanområdet hadde ugyldig geometri som ble reparert; arealene kan avvike noe.',
    ],
    [
      'plans in progress',
      { planarbeidPagar: ['3218-1', '3218-2'] },
      'Planarbeid pågår som berører tomten (3218-1 og 3218-2): formål og grenser kan endres.',
    ],
    [
      'a missing factor',
      { missing: ['kommunalVilje'], missingShare: 0.1 },
      'Mangler data for Kommunal vilje.',
    ],
    [
      'the fallback centre',
      { fallbackCentre: true },
      'Sentralitet er målt fra kommunens representasjonspunkt, ikke fra kommunens største tettsted eller et konfigurert sentrum.',
    ],
    [
      'a lost utnytting number',
      { utnyttingLost: true },
      'Planens utnyttingsgrad mangler tall i datakilden; kapasiteten er anslått med standardtetthet.',
    ],
  ])('drops to Medium for %s', (_, over, reason) => {
    expect(confidenceOf(input(over), rules)).toEqual({ level: 'medium', reasons: [reason] });
  });

  it('drops to Low when missing factors carry more than the configured share of the weight', () => {
    const result = confidenceOf(
      input({ missing: ['sentralitet', 'kommunalVilje'], missingShare: 0.25 }),
      rules,
    );
    expect(result).toEqual({ level: 'low', reasons: ['Mangler data for Sentralitet og Kommunal vilje.'] });
  });

  it('stays Medium at exactly the configured share, and ignores missing factors when set to "none"', () => {
    const atShare = confidenceOf(input({ missing: ['sentralitet'], missingShare: 0.2 }), rules);
    expect(atShare).toEqual({ level: 'medium', reasons: ['Mangler data for Sentralitet.'] });
    const ignoring = lotRules({ confidence: { missingFactor: 'none' } }).confidence;
    expect(
      confidenceOf(input({ missing: ['sentralitet', 'kapasitet'], missingShare: 0.6 }), ignoring),
    ).toEqual({
      level: 'high',
      reasons: [],
    });
  });

  it('takes the lowest cap and lists every reason; "none" ignores a finding', () => {
    const result = confidenceOf(
      input({
        zoneRepairs: 2,
        coverage: { ...covered, reguleringsplan: 'not-covered' },
        fallbackCentre: true,
      }),
      rules,
    );
    expect(result.level).toBe('low');
    expect(result.reasons).toHaveLength(3);
    const relaxed = lotRules({ confidence: { fallbackCentre: 'none', zoneRepaired: 'none' } }).confidence;
    expect(confidenceOf(input({ zoneRepairs: 2, fallbackCentre: true }), relaxed)).toEqual({
      level: 'high',
      reasons: [],
    });
  });
});
