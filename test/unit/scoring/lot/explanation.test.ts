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
  f('konfliktfrihet', 'Konfliktfrihet', 20, 0.5, 'Begrensninger: flomfare på 50 % av tomten (alvorlig).'),
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
  it('names the location only when it was measured (a missing Sentralitet is told among the missing)', () => {
    const unmeasured = factors.map((x) =>
      x.key === 'sentralitet'
        ? { ...x, value: null, reason: 'Verken holdeplassdata eller et sentrumspunkt er kjent.' }
        : x,
    );
    expect(explainScore({ ...input, factors: unmeasured })).not.toContain('Beliggenhet:');
  });

  it('says in one Norwegian paragraph what the lot is, what lifts and lowers it, what could stop it, and how sure we are', () => {
    expect(explainScore(input)).toBe(
      'Score 60 av 100 (klasse B). ' +
        'Tomten på 12,0 daa ligger i et område avsatt til boligbebyggelse (framtidig) B4 i kommuneplanen og er ikke regulert ennå, med plass til anslagsvis 60 boliger (%-BYA 30). ' +
        'Trekker opp: Sentralitet 13,5 av 15, Infrastruktur 10,0 av 10 og Eierstruktur 8,0 av 10. ' +
        'Trekker ned: Kapasitet 6,0 av 20 – anslagsvis 60 boliger (%-BYA 30); full score fra 200 boliger. ' +
        'Beliggenhet: 900 m til Ås sentrum (full score innen 500 m, ingen fra 5,0 km). ' +
        'Uten data: Kommunal vilje. ' +
        'Kan stoppe prosjektet: flomfare på 50 % av tomten. ' +
        'Andre begrensninger: gul støysone på 25 % av tomten. ' +
        'Sikkerhet: middels. Mangler data for Kommunal vilje.',
    );
  });

  it('says "hele tomten" for a full cover, and ends on "Sikkerhet: høy." when nothing is in doubt', () => {
    const text = explainScore({
      ...input,
      constraints: [{ ...flood, fraction: 1 }],
      confidence: 'high',
      confidenceReasons: [],
    });
    expect(text).toContain('Kan stoppe prosjektet: flomfare på hele tomten.');
    expect(text.endsWith('Sikkerhet: høy.')).toBe(true);
  });

  it('names a plan that forbids building and an old-law zone by its arealbruk', () => {
    const text = explainScore({
      ...input,
      lot: { ...input.lot, zone: { ...input.lot.zone, arealformal: null, arealbruk: 110, omradenavn: null } },
      capacity: { homes: 0, method: 'Ikke tillatt å bebygge', detail: '', basis: 'not-buildable' },
    });
    expect(text).toContain(
      'avsatt til boligområde (framtidig) i kommuneplanen og er ikke regulert ennå; planen tillater ikke ny bebyggelse (ikke tillatt å bebygge).',
    );
  });
});

describe('explainScore: what lifts and lowers the score', () => {
  /** The seven factors at the default weights with these values (null: no data). */
  const withValues = (values: Record<string, number | null>, reasons: Record<string, string> = {}) =>
    factors.map((x) =>
      f(x.key, x.label, x.weight, x.key in values ? values[x.key]! : 0.6, reasons[x.key] ?? x.reason),
    );
  const explain = (over: Partial<ExplanationInput>) =>
    explainScore({ ...input, constraints: [], confidence: 'high', confidenceReasons: [], ...over });

  it('names at most the three strongest factors (from 75 %), most points first and equal points by name', () => {
    const text = explain({
      factors: withValues({
        storrelse: 0.6, // 9,0 of 15: not strong
        kapasitet: 0.75, // 15,0 of 20: strong from exactly 75 %
        sentralitet: 0.8, // 12,0 of 15
        infrastruktur: 1, // 10,0 of 10
        eierstruktur: 1, // 10,0 of 10: ties with Infrastruktur, comes first by name
        konfliktfrihet: 0.7,
        kommunalVilje: 0.6,
      }),
    });
    expect(text).toContain(
      'Trekker opp: Kapasitet 15,0 av 20, Sentralitet 12,0 av 15 og Eierstruktur 10,0 av 10. ',
    );
    expect(text).not.toContain('Infrastruktur');
  });

  it('leaves out a factor the rule file weights 0, however strong or weak its value', () => {
    const weighted = withValues({ sentralitet: 0.9, storrelse: 0.1 });
    const text = explain({
      factors: weighted
        .map((x) => (x.key === 'kommunalVilje' || x.key === 'storrelse' ? { ...x, weight: 0, points: 0 } : x))
        .map((x) => (x.key === 'kommunalVilje' ? { ...x, value: 1 } : x)),
    });
    expect(text).toContain('Trekker opp: Sentralitet 13,5 av 15. ');
    expect(text).not.toContain('Kommunal vilje');
    expect(text).not.toContain('Størrelse');
  });

  it('says nothing lifts a lot without strong factors, nor that data is missing when none is', () => {
    const text = explain({ factors: withValues({}) });
    expect(text).toBe(
      'Score 60 av 100 (klasse B). ' +
        'Tomten på 12,0 daa ligger i et område avsatt til boligbebyggelse (framtidig) B4 i kommuneplanen og er ikke regulert ennå, med plass til anslagsvis 60 boliger (%-BYA 30). ' +
        // Where the lot lies is said whatever Sentralitet scores (here, neither strong nor weak).
        'Beliggenhet: 900 m til Ås sentrum (full score innen 500 m, ingen fra 5,0 km). ' +
        'Sikkerhet: høy.',
    );
  });

  it('names the weakest factor first and one more, lowest value first, then the heavier, then by name', () => {
    const reasons = {
      storrelse: 'Tomten er 2,0 daa; full score fra 20,0 daa.',
      kapasitet: 'Anslagsvis 10 boliger (%-BYA 30); full score fra 200 boliger.',
      sentralitet: '4,1 km til Ås sentrum (full score innen 500 m, ingen fra 5,0 km).',
      infrastruktur: 'Regulert veg o_SKV1 240 m unna (full score innen 100 m).',
    };
    const lowestFirst = explain({
      factors: withValues({ storrelse: 0.1, kapasitet: 0.3, sentralitet: 0.3, infrastruktur: 0.3 }, reasons),
    });
    expect(lowestFirst).toContain(
      'Trekker ned: Størrelse 1,5 av 15 – tomten er 2,0 daa; full score fra 20,0 daa. ' +
        'Også svak: Kapasitet 6,0 av 20 – anslagsvis 10 boliger (%-BYA 30); full score fra 200 boliger. ',
    );
    expect(lowestFirst).not.toContain('Sentralitet');
    expect(lowestFirst).not.toContain('Infrastruktur');

    const byName = explain({ factors: withValues({ storrelse: 0.2, sentralitet: 0.2 }, reasons) });
    expect(byName).toContain(
      'Trekker ned: Sentralitet 3,0 av 15 – 4,1 km til Ås sentrum (full score innen 500 m, ingen fra 5,0 km). ' +
        'Også svak: Størrelse 3,0 av 15 – tomten er 2,0 daa; full score fra 20,0 daa. ',
    );
  });

  it('keeps an abbreviation at the start of a reason as written', () => {
    const text = explain({
      factors: withValues({ kapasitet: 0.1 }, { kapasitet: 'BYA-tallet i planen gir bare 20 boliger.' }),
    });
    expect(text).toContain('Trekker ned: Kapasitet 2,0 av 20 – BYA-tallet i planen gir bare 20 boliger.');
  });
});

describe('explainScore: constraints and the zone', () => {
  const c = (key: string, label: string, fraction: number, weight: number, severe = false) => ({
    key,
    label,
    fraction,
    weight,
    severe,
    sources: [],
  });

  it('lists the other constraints by weighted share, equal ones by key, leaving out severe ones and those not on the lot', () => {
    const text = explainScore({
      ...input,
      constraints: [
        c('stoyGul', 'Gul støysone', 0.9, 0.2), // 0.18
        c('landbruk', 'Landbruk og dyrka mark', 0.2, 0.5), // 0.10
        c('radon', 'Radonfare', 0, 0.05),
        c('kulturmiljo', 'Bevaring kulturmiljø', 0.2, 0.5), // 0.10, before landbruk by key
        c('flom', 'Flomfare', 0.9995, 1, true),
      ],
    });
    expect(text).toContain('Kan stoppe prosjektet: flomfare på hele tomten. ');
    expect(text).toContain(
      'Andre begrensninger: gul støysone på 90 % av tomten, bevaring kulturmiljø på 20 % av tomten og landbruk og dyrka mark på 20 % av tomten. ',
    );
    expect(text).not.toContain('radon');
  });

  it('says neither "Kan stoppe" nor "Andre begrensninger" when no constraint touches the lot', () => {
    const text = explainScore({ ...input, constraints: [c('flom', 'Flomfare', 0, 1, true)] });
    expect(text).not.toContain('Kan stoppe');
    expect(text).not.toContain('Andre begrensninger');
  });

  it('names a zone by its code when the code is unknown, and leaves out a status or name it lacks', () => {
    const zoneText = (zone: Partial<ExplanationInput['lot']['zone']>) =>
      explainScore({ ...input, lot: { ...input.lot, zone: { ...input.lot.zone, ...zone } } }).split('. ')[1];
    expect(zoneText({ arealformal: 1999 })).toContain(
      'avsatt til arealformål 1999 (framtidig) B4 i kommuneplanen',
    );
    expect(zoneText({ arealformal: null, arealbruk: 199, omradenavn: null })).toContain(
      'avsatt til arealbruk 199 (framtidig) i kommuneplanen',
    );
    expect(zoneText({ arealformal: null, arealbruk: null, arealbruksstatus: 9 })).toContain(
      'avsatt til ukjent formål B4 i kommuneplanen',
    );
  });
});
