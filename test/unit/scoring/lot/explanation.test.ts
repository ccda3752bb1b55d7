import { describe, expect, it } from 'vitest';
import type { ConstraintCoverage, FactorScore } from '../../../../sync/src/domain/lot.js';
import { explainScore, type ExplanationInput } from '../../../../sync/src/scoring/lot/explanation.js';
import { zoneUse } from './lot-fixtures.js';

const f = (
  key: string,
  label: string,
  weight: number,
  value: number | null,
  reason: string,
): FactorScore => ({
  key,
  label,
  weight,
  value,
  points: Math.round(weight * (value ?? 0.5) * 10) / 10,
  reason,
});
const factors = [
  f('storrelse', 'Størrelse', 15, 0.6, 'Tomten er 12,0 daa; full score fra 20,0 daa.'),
  f('kapasitet', 'Kapasitet', 20, 0.3, 'Anslagsvis 60 boliger (%-BYA 30); full score fra 200 boliger.'),
  f(
    'sentralitet',
    'Sentralitet',
    15,
    0.9,
    '900 m til Ås sentrum (full score innen 500 m, ingen fra 5,0 km).',
  ),
  f('infrastruktur', 'Infrastruktur', 10, 1, 'Regulert veg o_SKV1 grenser til tomten.'),
  f('konfliktfrihet', 'Konfliktfrihet', 20, 0.5, 'Dekker tomten: Flomfare 50 % (alvorlig).'),
  f(
    'kommunalVilje',
    'Kommunal vilje',
    10,
    null,
    'Kommunen har ingen score i kommunerangeringen ennå. Regnet som 50 % (nøytral verdi).',
  ),
  f(
    'eierstruktur',
    'Eierstruktur',
    10,
    0.8,
    'Mulighetsområdet (24,0 daa) omfatter 2 eiendommer; eierne er ikke slått opp ennå.',
  ),
];
const flood: ConstraintCoverage = {
  key: 'flom',
  label: 'Flomfare',
  fraction: 0.5,
  weight: 1,
  severe: true,
  sources: [],
};
const input: ExplanationInput = {
  lot: {
    arealM2: 12_000,
    zone: zoneUse({ omradenavn: 'B4' }),
  },
  total: 60,
  tier: 'B',
  factors,
  constraints: [
    flood,
    { key: 'stoyGul', label: 'Gul støysone', fraction: 0.25, weight: 0.2, severe: false, sources: [] },
  ],
  capacity: { homes: 60, method: '%-BYA 30', detail: '', basis: 'utnytting' },
  confidence: 'medium',
  confidenceReasons: ['Mangler data for Kommunal vilje.'],
};

describe('explainScore', () => {
  it('says in one Norwegian paragraph what the lot is, what lifts and lowers it, what could stop it, and how sure we are', () => {
    expect(explainScore(input)).toBe(
      'Score 60 av 100 (klasse B). ' +
        'Tomten er 12,0 daa av et område avsatt til boligbebyggelse (framtidig) B4 i kommuneplanen, ikke regulert ennå, med plass til anslagsvis 60 boliger (%-BYA 30). ' +
        'Trekker opp: Sentralitet 13,5 av 15, Infrastruktur 10,0 av 10 og Eierstruktur 8,0 av 10. ' +
        'Trekker ned: Kapasitet 6,0 av 20 – anslagsvis 60 boliger (%-BYA 30); full score fra 200 boliger. ' +
        'Uten data: Kommunal vilje. ' +
        'Kan stoppe prosjektet: flomfare over 50 % av tomten. ' +
        'Andre begrensninger: gul støysone over 25 % av tomten. ' +
        'Konfidens middels: mangler data for Kommunal vilje.',
    );
  });

  it('says "hele tomten" for a full cover, and ends on "Konfidens høy." when nothing is in doubt', () => {
    const text = explainScore({
      ...input,
      constraints: [{ ...flood, fraction: 1 }],
      confidence: 'high',
      confidenceReasons: [],
    });
    expect(text).toContain('Kan stoppe prosjektet: flomfare over hele tomten.');
    expect(text.endsWith('Konfidens høy.')).toBe(true);
  });

  it('names a plan that forbids building and an old-law zone by its arealbruk', () => {
    const text = explainScore({
      ...input,
      lot: { ...input.lot, zone: { ...input.lot.zone, arealformal: null, arealbruk: 110, omradenavn: null } },
      capacity: { homes: 0, method: 'Ikke tillatt å bebygge', detail: '', basis: 'not-buildable' },
    });
    expect(text).toContain(
      'avsatt til boligområde (framtidig) i kommuneplanen, ikke regulert ennå; planen tillater ikke ny bebyggelse (Ikke tillatt å bebygge).',
    );
  });
});
