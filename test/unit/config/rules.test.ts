import { describe, expect, it } from 'vitest';
import { defaultRules, parseRules } from '../../../sync/src/config/rules.js';
import { ConfigError } from '../../../sync/src/util/errors.js';

/** Builds `{a: {b: value}}` from the path "a.b". */
function at(path: string, value: unknown): Record<string, unknown> {
  return path
    .split('.')
    .reverse()
    .reduce<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
}

/** The error a rule file with `value` at `path` gets: the key it names and why. */
function refusal(value: unknown): string {
  try {
    parseRules(value, 'rules.json');
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return 'accepted';
}

const refused = (path: string, value: unknown) => refusal(at(path, value));
const accepted = (path: string, value: unknown) => expect(refused(path, value)).toBe('accepted');

describe('the rule file', () => {
  it('is valid empty, and a file changes only what it names', () => {
    expect(parseRules({}, 'rules.json')).toEqual(defaultRules());
    const rules = parseRules({ engine: { minLotM2: 800 }, lotScore: { weights: { kapasitet: 30 } } }, 'x');
    expect(rules.engine).toEqual({ ...defaultRules().engine, minLotM2: 800 });
    expect(rules.lotScore.weights).toEqual({ ...defaultRules().lotScore.weights, kapasitet: 30 });
    expect(rules.kommuneRanking).toEqual(defaultRules().kommuneRanking);
  });

  it('refuses keys it does not know, naming them', () => {
    expect(refusal({ engin: {} })).toMatch(/rules\.json: \(root\)/);
  });

  it.each([
    ['engine.sliverOpeningM', -0.1, 10.1, [0, 10]],
    ['engine.minOpportunityM2', -1, null, [0]],
    ['engine.minLotM2', -1, null, [0]],
    ['engine.minPieceM2', -1, null, [0]],
    ['engine.fallbackPrecisionM', 0, 1.1, [1]],
    ['engine.planEvidenceYears', 0, 31, [1, 30]],
    ['lotScore.weights.storrelse', -1, 101, [0, 100]],
    ['lotScore.weights.kapasitet', -1, 101, [0, 100]],
    ['lotScore.weights.sentralitet', -1, 101, [0, 100]],
    ['lotScore.weights.infrastruktur', -1, 101, [0, 100]],
    ['lotScore.weights.konfliktfrihet', -1, 101, [0, 100]],
    ['lotScore.weights.kommunalVilje', -1, 101, [0, 100]],
    ['lotScore.weights.eierstruktur', -1, 101, [0, 100]],
    ['lotScore.missingFactorValue', -0.1, 1.1, [0, 1]],
    ['lotScore.storrelse.fullScoreM2', 0, null, [1]],
    ['lotScore.kapasitet.fullScoreHomes', 0, null, [1]],
    ['lotScore.sentralitet.fullScoreM', -1, null, [0]],
    ['lotScore.infrastruktur.fullScoreM', -1, null, [0]],
    ['lotScore.eierstruktur.beyond', -0.1, 1.1, [0, 1]],
    ['lotScore.constraints.minCoveredM2', -1, null, [0]],
    ['lotScore.capacity.averageHomeM2.by', 0, null, [1]],
    ['lotScore.capacity.storeysForBya.storby', 0, 30.5, [30]],
    ['lotScore.capacity.usableShareOfBra', -0.1, 1.1, [0.5, 1]],
    ['lotScore.capacity.deductions.roads', -0.1, 1.1, [0, 0.5]],
    ['lotScore.capacity.ruleOfThumbM2PerHome', 0, null, [1, 400]],
    ['lotScore.sentralitet.transit.transitShare', -0.1, 1.1, [0, 1]],
    ['lotScore.sentralitet.transit.minLines', 0, 1.5, [1, 10]],
    ['lotScore.value.landShareLow', -0.1, 1.1, [0, 0.25]],
    ['lotScore.confidence.missingShareForLow', -0.1, 1.1, [0, 1]],
    ['kommuneRanking.weights.befolkningsvekst', -1, 101, [0, 100]],
    ['kommuneRanking.weights.framskrevetVekst', -1, 101, [0, 100]],
    ['kommuneRanking.weights.boligpris', -1, 101, [0, 100]],
    ['kommuneRanking.weights.boligbygging', -1, 101, [0, 100]],
    ['kommuneRanking.weights.inntekt', -1, 101, [0, 100]],
    ['kommuneRanking.weights.sysselsetting', -1, 101, [0, 100]],
    ['kommuneRanking.weights.markedsstorrelse', -1, 101, [0, 100]],
    ['kommuneRanking.weights.byggevilje', -1, 101, [0, 100]],
    ['kommuneRanking.weights.partistandpunkt', -1, 101, [0, 100]],
    ['kommuneRanking.minPopulation', -1, 1_000_001, [0, 10_000]],
    ['kommuneRanking.maxYearlyChange', 0, 5.1, [0.01, 0.25, 5]],
    ['kommuneRanking.topN', 0, 358, [1, 357]],
    ['kommuneRanking.topMinWeightShare', -0.1, 1.1, [0, 1]],
    ['kommuneRanking.lowConfidenceMissingShare', -0.1, 1.1, [0, 1]],
    ['kommuneRanking.growthYears', 0, 21, [1, 20]],
    ['kommuneRanking.projectionYear', 2024, 2061, [2025, 2060]],
    ['kommuneRanking.completionsYears', 0, 11, [1, 10]],
    ['kommuneRanking.levelFallbackYears', -1, 6, [0, 5]],
    ['kommuneRanking.priceLevelShare', -0.1, 1.1, [0, 1]],
    ['kommuneRanking.byggeviljeComponents.started', -1, 101, [0, 100]],
    ['kommuneRanking.byggeviljeComponents.plan', -1, 101, [0, 100]],
    ['lotScore.sentralitet.transit.fullScoreM', -1, null, [0, 300]],
    ['lotScore.sentralitet.transit.departures.hours', 0, 25, [1, 24]],
    ['lotScore.capacity.storeysForBya.by', 0, 30.5, [1, 30]],
    ['lotScore.capacity.storeysForBya.bygd', 0, 30.5, [1, 30]],
    ['alerts.planNearWorkedLotMetres', -1, 5_001, [0, 5_000]],
    ['alerts.scoreFallPoints', 0, 100.5, [0.5, 100]],
    ['developers.neighbourMetres', -0.5, 100.5, [0, 100]],
    ['developers.cacheDays', 0, 366, [1, 365]],
  ] as Array<[string, number, number | null, number[]]>)(
    '%s: refuses %d and %s, accepts %j',
    (path, below, above, fine) => {
      expect(refused(path, below)).toMatch(new RegExp(`rules\\.json: ${path.replaceAll('.', '\\.')}: `));
      if (above !== null)
        expect(refused(path, above)).toMatch(new RegExp(`: ${path.replaceAll('.', '\\.')}: `));
      for (const value of fine) accepted(path, value);
    },
  );

  it.each([
    'engine.candidates.arealformal',
    'engine.candidates.arealbruk',
    'engine.candidates.arealbruksstatus',
    'engine.candidates.kommuneplanPlanstatus',
    'engine.regulated.planstatus',
    'engine.regulated.vertikalniva',
    'engine.regulated.detaljering',
    'engine.inProgress.planstatus',
    'lotScore.infrastruktur.roadArealformal',
    'lotScore.constraints.planstatus',
  ])('%s takes whole-number codes only', (path) => {
    expect(refused(path, [3.5])).toMatch(/expected int/);
    accepted(path, [3, 6]);
  });

  it('refuses weights that are all zero, in either model', () => {
    const zero = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, 0]));
    expect(refusal({ lotScore: { weights: zero(Object.keys(defaultRules().lotScore.weights)) } })).toMatch(
      /lotScore\.weights: at least one weight must be above 0/,
    );
    expect(
      refusal({ kommuneRanking: { weights: zero(Object.keys(defaultRules().kommuneRanking.weights)) } }),
    ).toMatch(/kommuneRanking\.weights: at least one weight must be above 0/);
    accepted('lotScore.weights', { ...zero(Object.keys(defaultRules().lotScore.weights)), storrelse: 1 });
  });

  it('wants the distance of no score beyond the distance of full score', () => {
    expect(refused('lotScore.sentralitet', { fullScoreM: 5000, zeroScoreM: 5000 })).toMatch(
      /lotScore\.sentralitet: zeroScoreM must be above fullScoreM/,
    );
    expect(refused('lotScore.infrastruktur', { fullScoreM: 300, zeroScoreM: 300 })).toMatch(
      /lotScore\.infrastruktur: zeroScoreM must be above fullScoreM/,
    );
    expect(refused('lotScore.sentralitet.zeroScoreM', 0)).toMatch(/zeroScoreM/);
    accepted('lotScore.sentralitet', { fullScoreM: 500, zeroScoreM: 501 });
    accepted('lotScore.infrastruktur', { fullScoreM: 100, zeroScoreM: 101 });
  });

  it('takes centres by EPSG:25833 or by degrees inside Norway, for a 4-digit kommunenummer', () => {
    const centres = (entry: unknown) => ({ '3218': [entry] });
    accepted(
      'lotScore.sentralitet.centres',
      centres({ name: 'Ås stasjon', east: 262_000, north: 6_621_000 }),
    );
    accepted('lotScore.sentralitet.centres', centres({ name: 'Ås', lat: 59.66, lon: 10.79 }));
    expect(refused('lotScore.sentralitet.centres', centres({ name: 'Ås', lat: 56.9, lon: 10.79 }))).not.toBe(
      'accepted',
    );
    expect(refused('lotScore.sentralitet.centres', centres({ name: 'Ås', lat: 72.1, lon: 10.79 }))).not.toBe(
      'accepted',
    );
    expect(refused('lotScore.sentralitet.centres', centres({ name: 'Ås', lat: 59.66, lon: 3.9 }))).not.toBe(
      'accepted',
    );
    expect(refused('lotScore.sentralitet.centres', centres({ name: 'Ås', lat: 59.66, lon: 32.1 }))).not.toBe(
      'accepted',
    );
    expect(refused('lotScore.sentralitet.centres', centres({ name: '', east: 1, north: 2 }))).not.toBe(
      'accepted',
    );
    expect(
      refused('lotScore.sentralitet.centres', centres({ name: 'Ås', east: 1, north: 2, zoom: 3 })),
    ).not.toBe('accepted');
    expect(refused('lotScore.sentralitet.centres', { '321': [{ name: 'x', east: 1, north: 2 }] })).toMatch(
      /a kommunenummer has 4 digits/,
    );
    expect(refused('lotScore.sentralitet.centres', { '3218': [] })).not.toBe('accepted');
    // Anchored both ends: five digits, or four with a prefix, are not a kommunenummer.
    for (const nr of ['32180', 'K3218'])
      expect(refused('lotScore.sentralitet.centres', { [nr]: [{ name: 'x', east: 1, north: 2 }] })).toMatch(
        /a kommunenummer has 4 digits/,
      );
  });

  it('wants owner steps that rise in count and do not rise in value', () => {
    const steps = (list: unknown) => ({ steps: list });
    accepted(
      'lotScore.eierstruktur',
      steps([
        { upTo: 1, value: 1 },
        { upTo: 4, value: 1 },
      ]),
    );
    expect(
      refused(
        'lotScore.eierstruktur',
        steps([
          { upTo: 2, value: 1 },
          { upTo: 2, value: 0.5 },
        ]),
      ),
    ).toMatch(/steps must rise in upTo and not rise in value/);
    expect(
      refused(
        'lotScore.eierstruktur',
        steps([
          { upTo: 1, value: 0.5 },
          { upTo: 2, value: 0.6 },
        ]),
      ),
    ).toMatch(/steps must rise/);
    expect(refused('lotScore.eierstruktur', steps([{ upTo: 0, value: 1 }]))).not.toBe('accepted');
    expect(refused('lotScore.eierstruktur', steps([{ upTo: 1, value: 1.1 }]))).not.toBe('accepted');
    expect(refused('lotScore.eierstruktur', steps([]))).not.toBe('accepted');
  });

  it('merges a constraint type over its default, adds new ones and refuses bad keys', () => {
    const rules = parseRules(
      { lotScore: { constraints: { types: { flom: { weight: 0.8 }, myr: { label: 'Myr', weight: 0.3 } } } } },
      'x',
    ).lotScore.constraints.types;
    expect(rules.flom).toEqual({ ...defaultRules().lotScore.constraints.types.flom, weight: 0.8 });
    expect(rules.myr).toEqual({ label: 'Myr', weight: 0.3, severe: false, hensyn: [] });
    expect(rules.skred).toEqual(defaultRules().lotScore.constraints.types.skred);
    expect(refused('lotScore.constraints.types', { '1flom': { label: 'x', weight: 1 } })).toMatch(
      /a constraint key is letters, digits and -/,
    );
    expect(refused('lotScore.constraints.types', { myr: { label: '', weight: 0.3 } })).not.toBe('accepted');
    expect(refused('lotScore.constraints.types', { flom: { weight: 1.5 } })).not.toBe('accepted');
    expect(refused('lotScore.constraints.types', { 'flom!': { label: 'x', weight: 1 } })).toMatch(
      /a constraint key is letters, digits and -/,
    );
  });

  it('keeps the default constraint types when the file names none, and refuses types that are not objects', () => {
    const constraints = parseRules({ lotScore: { constraints: { minCoveredM2: 50 } } }, 'x').lotScore
      .constraints;
    expect(constraints.types).toEqual(defaultRules().lotScore.constraints.types);
    expect(constraints.minCoveredM2).toBe(50);
    // Never merged into the default silently: a type given as null or a number is an error.
    expect(refused('lotScore.constraints.types', { flom: null })).toMatch(
      /lotScore\.constraints\.types\.flom/,
    );
    expect(refused('lotScore.constraints.types', { flom: 5 })).toMatch(/lotScore\.constraints\.types\.flom/);
    expect(refused('lotScore.constraints.types', 'flom')).toMatch(/lotScore\.constraints\.types/);
    expect(refused('lotScore.constraints.types', [])).toMatch(/lotScore\.constraints\.types/);
    // A number has no entries: taken as an object it would read as "no changes" and pass.
    expect(refused('lotScore.constraints.types', 5)).toMatch(/lotScore\.constraints\.types/);
  });

  it('checks extra constraint layers: a known constraint, a file or an http(s) WFS, a where with values', () => {
    const layer = (extra: Record<string, unknown>) => ({
      '3218': [{ name: 'NVE flomsone', constraint: 'flom', source: { file: 'flom.geojson' }, ...extra }],
    });
    accepted('lotScore.constraints.extraLayers', layer({}));
    accepted(
      'lotScore.constraints.extraLayers',
      layer({ source: { wfs: 'https://nve.example/wfs', typeName: 'Flomsone', epsg: 25833 } }),
    );
    accepted(
      'lotScore.constraints.extraLayers',
      layer({ source: { wfs: 'http://nve.example/wfs', typeName: 'F' } }),
    );
    for (const wfs of ['xhttps://nve.example/wfs', 'httpsx://nve.example/wfs'])
      expect(refused('lotScore.constraints.extraLayers', layer({ source: { wfs, typeName: 'F' } }))).not.toBe(
        'accepted',
      );
    accepted(
      'lotScore.constraints.extraLayers',
      layer({ where: { property: 'gjentaksintervall', values: [200] } }),
    );
    expect(refused('lotScore.constraints.extraLayers', layer({ constraint: 'myr' }))).toMatch(
      /extraLayers\.3218\.0\.constraint: unknown constraint "myr"/,
    );
    expect(
      refused('lotScore.constraints.extraLayers', layer({ source: { wfs: 'ftp://x/wfs', typeName: 'F' } })),
    ).not.toBe('accepted');
    expect(
      refused(
        'lotScore.constraints.extraLayers',
        layer({ where: { property: 'gjentaksintervall', values: [] } }),
      ),
    ).not.toBe('accepted');
    expect(refused('lotScore.constraints.extraLayers', layer({ name: '' }))).not.toBe('accepted');
  });

  it('checks capacity densities and kommune classes', () => {
    accepted('lotScore.capacity.otherHomesPerDaa', { storby: 200, by: 0, bygd: 1 });
    expect(refused('lotScore.capacity.otherHomesPerDaa', { storby: 201, by: 1, bygd: 1 })).not.toBe(
      'accepted',
    );
    expect(refused('lotScore.capacity.otherHomesPerDaa', { storby: 1, by: -1, bygd: 1 })).not.toBe(
      'accepted',
    );
    expect(refused('lotScore.capacity.kommuneClass', { '3218': 'metropol' })).not.toBe('accepted');
    accepted('lotScore.capacity.kommuneClass', { '3218': 'bygd' });
    accepted('lotScore.capacity.centralityClasses', { '4': 'bygd' });
    expect(refused('lotScore.capacity.centralityClasses', { '2': 'metropol' })).not.toBe('accepted');
    // Deductions must leave land to build on; the land-value band must not be upside down.
    expect(refused('lotScore.capacity.deductions', { roads: 0.5, playAreas: 0.3, parking: 0.2 })).toMatch(
      /leave some land/,
    );
    expect(refused('lotScore.value', { landShareLow: 0.3, landShareHigh: 0.2 })).toMatch(/landShareHigh/);
    const group = (name: string) => [
      { name, arealformal: [1110], homesPerDaa: { storby: 8, by: 5, bygd: 2 } },
    ];
    accepted('lotScore.capacity.densityGroups', group('Boligbebyggelse'));
    expect(refused('lotScore.capacity.densityGroups', group(''))).toMatch(/densityGroups\.0\.name/);
    expect(refused('lotScore.capacity.defaultKommuneClass', 'metropol')).not.toBe('accepted');
    expect(refused('lotScore.confidence.zoneRepaired', 'high')).not.toBe('accepted');
    accepted('lotScore.confidence.zoneRepaired', 'none');
  });

  it('sends tier B or better and every touched lot to Airtable by default, and checks the tier', () => {
    expect(defaultRules().airtable).toEqual({ minTier: 'B', keepTouched: true });
    expect(parseRules({ airtable: { minTier: 'A' } }, 'x').airtable).toEqual({
      minTier: 'A',
      keepTouched: true,
    });
    expect(refused('airtable.minTier', 'E')).toMatch(/rules\.json: airtable\.minTier/);
    expect(refused('airtable.minTier', 'b')).not.toBe('accepted');
    expect(refused('airtable.keepTouched', 'yes')).not.toBe('accepted');
    expect(refused('airtable.maxRecords', 1000)).not.toBe('accepted');
    accepted('airtable.minTier', 'D');
  });

  it('reads a departure window as a time of day, with per-mode minimums by name', () => {
    const from = 'lotScore.sentralitet.transit.departures.from';
    for (const time of ['00:00', '09:05', '19:30', '23:59']) accepted(from, time);
    for (const time of ['24:00', '07:60', '7:00', 'x07:00', '07:00x', '0a:00', '07:0a'])
      expect(refused(from, time)).toMatch(/departures\.from: a time of day, e\.g\. 07:00/);
    const minPerHour = 'lotScore.sentralitet.transit.departures.minPerHour';
    expect(
      parseRules(at(minPerHour, { rail: 2 }), 'x').lotScore.sentralitet.transit.departures.minPerHour.rail,
    ).toBe(2);
    expect(refused(minPerHour, { '': 2 })).not.toBe('accepted');
    accepted('lotScore.sentralitet.transit.modeWeights', { rail: 1, bus: 0.5 });
    expect(refused('lotScore.sentralitet.transit.modeWeights', { '': 0.5 })).not.toBe('accepted');
  });

  it('wants the transit distance of no score beyond the distance of full score', () => {
    const transit = 'lotScore.sentralitet.transit';
    expect(refused(transit, { fullScoreM: 500, zeroScoreM: 500 })).toMatch(
      /transit: zeroScoreM must be above fullScoreM/,
    );
    expect(refused(transit, { fullScoreM: 600, zeroScoreM: 500 })).toMatch(/zeroScoreM must be above/);
    accepted(transit, { fullScoreM: 500, zeroScoreM: 501 });
  });

  it("joins the opening's buffers mitred or round, nothing else", () => {
    accepted('engine.openingJoin', 'round');
    accepted('engine.openingJoin', 'mitre');
    expect(refused('engine.openingJoin', 'bevel')).toMatch(/engine\.openingJoin/);
  });

  it('checks the alert rules: plan status codes and tiers', () => {
    accepted('alerts.planInProgressStatus', [1, 2]);
    expect(refused('alerts.planInProgressStatus', [])).toMatch(/alerts\.planInProgressStatus/);
    expect(refused('alerts.planInProgressStatus', [0])).toMatch(/alerts\.planInProgressStatus\.0/);
    expect(refused('alerts.planInProgressStatus', [1.5])).not.toBe('accepted');
    accepted('alerts.newLotMinTier', 'A');
    expect(refused('alerts.newLotMinTier', 'C')).not.toBe('accepted');
    accepted('alerts.planTouchingMinTier', 'D');
  });

  it('takes developer NACE codes as a division or a whole code, anchored both ends', () => {
    accepted('developers.naceCodes', ['41', '68.1', '68.12', '68.120']);
    for (const code of ['4', '41.', '41.1234', 'x41', '41x', '68.12a', 'ab.120', '68,120'])
      expect(refused('developers.naceCodes', [code])).toMatch(
        /developers\.naceCodes\.0: a NACE code such as 68\.120 or a division such as 41/,
      );
    expect(refused('developers.naceCodes', [])).toMatch(/developers\.naceCodes/);
  });

  it('checks the outreach plan: whole days in order, a short action, a status to start from', () => {
    const step = (day: number, action = 'Ring eier') => ({ day, action });
    const outreach = (value: unknown) => parseRules({ outreach: value }, 'x').outreach;
    expect(outreach({ startStatus: ' Kontaktet ', steps: [step(0, ' Send brev ')] })).toEqual({
      startStatus: 'Kontaktet',
      steps: [{ day: 0, action: 'Send brev' }],
    });
    accepted('outreach.steps', [step(0), step(3), step(365, 'x'.repeat(100))]);
    accepted(
      'outreach.steps',
      Array.from({ length: 20 }, (_, i) => step(i)),
    );
    expect(
      refused(
        'outreach.steps',
        Array.from({ length: 21 }, (_, i) => step(i)),
      ),
    ).toMatch(/outreach\.steps/);
    expect(refused('outreach.steps', [])).toMatch(/outreach\.steps: give at least one step/);
    expect(refused('outreach.steps', [step(1.5)])).toMatch(
      /outreach\.steps\.0\.day: must be a whole number of days/,
    );
    expect(refused('outreach.steps', [step(-1)])).toMatch(/outreach\.steps\.0\.day/);
    expect(refused('outreach.steps', [step(366)])).toMatch(/outreach\.steps\.0\.day/);
    expect(refused('outreach.steps', [step(0, '   ')])).toMatch(/outreach\.steps\.0\.action/);
    expect(refused('outreach.steps', [step(0, 'x'.repeat(101))])).toMatch(/outreach\.steps\.0\.action/);
    for (const steps of [
      [step(0), step(0)],
      [step(3), step(0)],
      [step(0), step(14), step(3)],
    ])
      expect(refused('outreach.steps', steps)).toMatch(
        /outreach\.steps: steps must be in order of day, each day later than the one before/,
      );
    expect(refused('outreach.startStatus', '  ')).toMatch(/outreach\.startStatus/);
  });

  it('checks SSB table ids and party weights', () => {
    expect(refused('kommuneRanking.tables.boligpris', ['0603'])).toMatch(/an SSB table id has 5 digits/);
    // Anchored both ends: a prefix or a suffix of five digits is not a table id.
    expect(refused('kommuneRanking.tables.boligpris', ['060351'])).toMatch(/an SSB table id has 5 digits/);
    expect(refused('kommuneRanking.tables.boligpris', ['x06035'])).toMatch(/an SSB table id has 5 digits/);
    expect(refused('kommuneRanking.tables.boligpris', [])).not.toBe('accepted');
    accepted('kommuneRanking.tables.boligpris', ['06035', '14545']);
    expect(refused('kommuneRanking.partyStances', { '01': 1.1 })).not.toBe('accepted');
    expect(refused('kommuneRanking.partyStances', { 'A-B-C': 0.5 })).not.toBe('accepted');
    accepted('kommuneRanking.partyStances', { '01': -1, '55': 1 });
  });
});
