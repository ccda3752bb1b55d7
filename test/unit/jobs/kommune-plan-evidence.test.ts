import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultRules } from '../../../sync/src/config/rules.js';
import type { KommuneData } from '../../../sync/src/domain/kommune.js';
import { findLots, type EngineSummary } from '../../../sync/src/engine/find-lots.js';
import { runKommuneRefresh } from '../../../sync/src/jobs/kommune-refresh.js';
import { ensureKommuneRanking } from '../../../sync/src/jobs/kommune-snapshot.js';
import type { PipelineStages } from '../../../sync/src/jobs/nightly-stages.js';
import { runNightly } from '../../../sync/src/jobs/nightly.js';
import { planEvidenceOfRun } from '../../../sync/src/jobs/plan-evidence-of-run.js';
import { explainKommune, explanationContext } from '../../../sync/src/scoring/kommune/explanation.js';
import { openStore, type Db } from '../../../sync/src/store/database.js';
import { createPlanEvidenceStore, savePlanEvidence } from '../../../sync/src/store/kommune-plan-evidence.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';
import { startSsbHarness, type SsbHarness } from '../../doubles/ssb/harness.js';
import { sampleKommuneData } from '../../helpers/sample-kommune-data.js';

/**
 * Plan evidence from the nightly run into Byggevilje (issue 12, point 3): kept per kommune by the
 * run, read by the kommune refresh and the snapshot ranking through the store.
 */
const rules = defaultRules();
let sample: KommuneData;
let summary: EngineSummary;
beforeAll(async () => {
  sample = await sampleKommuneData();
  summary = (await findLots(sample, rules.engine, { workers: 1, asOf: '2026-03-02' })).summary;
});

let db: Db | undefined;
let h: SsbHarness | undefined;
afterEach(async () => {
  db?.close();
  await h?.close();
  db = undefined;
  h = undefined;
});

/** The sample's engine figures for every kommune; `failing` fail in the score stage, after the engine. */
function stages(date: string, failing: Set<string>, notCovered: Set<string>): PipelineStages {
  return {
    async loadKommuneData(nr) {
      const coverage = {
        ...sample.coverage,
        ...(notCovered.has(nr) ? { reguleringsplan: 'not-covered' } : {}),
      };
      return { ...sample, kommune: { ...sample.kommune, kommunenummer: nr }, coverage } as KommuneData;
    },
    findLots(data) {
      const nr = data.kommune.kommunenummer;
      const years = rules.engine.planEvidenceYears;
      return {
        lots: [],
        planEvidence: planEvidenceOfRun({ ...summary, kommunenummer: nr }, data, { date, years }),
      };
    },
    scoreLots(_lots, data) {
      if (failing.has(data.kommune.kommunenummer)) throw new Error('scoring failed');
      return [];
    },
  };
}

const night = (date: string, failing: string[] = [], notCovered: string[] = []) =>
  runNightly({
    db: db!,
    stages: stages(date, new Set(failing), new Set(notCovered)),
    kommuner: ['3218', '3207', '0301'],
    airtable: null,
    rules,
    timeZone: 'Europe/Oslo',
    trigger: 'cli',
    logger: createMemoryLogger(),
    now: () => new Date(`${date}T01:00:00Z`),
  });

describe('the nightly run keeps each kommune’s plan evidence', () => {
  it('with the run date; a kommune that fails keeps its last good figures, one without plan coverage gets none', async () => {
    db = openStore(':memory:');
    const first = await night('2026-03-02', [], ['0301']);
    expect(first.kommuner.map((k) => k.outcome)).toEqual(['ok', 'ok', 'ok']);
    const kept = () => createPlanEvidenceStore(db!).planEvidence();
    expect([...kept().keys()]).toEqual(['3207', '3218']);
    expect(kept().get('3218')).toEqual({
      kommunenummer: '3218',
      runDate: '2026-03-02',
      years: 5,
      recentlyRegulatedM2: summary.recentlyRegulatedAreaM2,
      reserveM2: summary.opportunityAreaM2,
    });
    expect(summary.recentlyRegulatedAreaM2).toBeGreaterThan(10_000);

    const second = await night('2026-03-09', ['3207'], ['0301']);
    expect(second.kommuner.map((k) => [k.kommunenummer, k.outcome])).toEqual([
      ['3218', 'ok'],
      ['3207', 'failed'],
      ['0301', 'ok'],
    ]);
    expect(kept().get('3218')!.runDate).toBe('2026-03-09');
    expect(kept().get('3207')!.runDate).toBe('2026-03-02');
    expect(kept().has('0301')).toBe(false);
  });
});

describe('the kommune ranking reads the plan evidence', () => {
  // Ås with the sample's figures (0.3 % of its reserve a year); Nordre Follo regulated far more.
  const keep = (target: Db) => {
    savePlanEvidence(
      target,
      {
        kommunenummer: '3218',
        runDate: '2026-03-02',
        years: 5,
        recentlyRegulatedM2: 57_765,
        reserveM2: 3_787_054,
      },
      1,
    );
    savePlanEvidence(
      target,
      {
        kommunenummer: '3207',
        runDate: '2026-03-02',
        years: 5,
        recentlyRegulatedM2: 120_000,
        reserveM2: 900_000,
      },
      1,
    );
  };

  it('in a refresh from SSB: Byggevilje gains the plan component, the others keep theirs', async () => {
    h = await startSsbHarness();
    const deps = {
      ssb: h.ssb,
      klass: h.klass,
      store: h.store,
      rules: h.rules,
      refreshDays: 7,
      clock: h.clock,
    };
    await runKommuneRefresh(deps);
    const before = h.store.latestRanking()!;
    keep(h.db);
    const report = await runKommuneRefresh(
      { ...deps, planEvidence: createPlanEvidenceStore(h.db) },
      { force: true },
    );
    expect(report.outcome).toBe('refreshed');
    const after = h.store.latestRanking()!;
    const factor = (r: typeof after, nr: string) =>
      r.kommuner.find((k) => k.kommune.kommunenummer === nr)!.factors.byggevilje;
    expect(factor(after, '3218').detail).toMatchObject({
      regulertBoligDaa: 57.8,
      reserveDaa: 3787.1,
      planAr: 5,
    });
    // The plan component ranks Nordre Follo 1 and Ås 0 of the two; equal weights with the starts.
    expect(factor(after, '3207').normalised).toBeCloseTo((factor(before, '3207').normalised! + 1) / 2, 12);
    expect(factor(after, '3218').normalised).toBeCloseTo(factor(before, '3218').normalised! / 2, 12);
    for (const nr of ['0301', '4601', '3212', '5001'])
      expect(factor(after, nr).normalised, nr).toBe(factor(before, nr).normalised);
    const aas = after.kommuner.find((k) => k.kommune.kommunenummer === '3218')!;
    expect(explainKommune(aas, explanationContext(after.kommuner, h.rules))).toContain(
      'Byggevilje fra kommunens planer: regulerte 58 daa bolig siste 5 år, 3 787 daa igjen i kommuneplanens reserve (0,3 % av reserven regulert per år; planene lest 2026-03-02).',
    );
  });

  it('in the ranking from the bundled snapshot (no 05940 there): the scanned kommuner on their plans alone', async () => {
    h = await startSsbHarness();
    keep(h.db);
    const report = await ensureKommuneRanking({
      store: h.store,
      rules: h.rules,
      clock: h.clock,
      planEvidence: createPlanEvidenceStore(h.db),
    });
    expect(report!.missingByFactor!.byggevilje).toBe(355);
    const ranking = h.store.latestRanking()!;
    const k = (nr: string) => ranking.kommuner.find((x) => x.kommune.kommunenummer === nr)!;
    expect(k('3207').factors.byggevilje).toMatchObject({ raw: null, normalised: 1, missing: null });
    expect(k('3218').factors.byggevilje).toMatchObject({ raw: null, normalised: 0, missing: null });
    expect(k('0301').factors.byggevilje.missing).toBe('factor not fetched');
    expect(explainKommune(k('0301'), explanationContext(ranking.kommuner, h.rules)).join('\n')).toMatch(
      /Byggevilje \(ingen tall for noen kommune: tabellen mangler i tallgrunnlaget\)/,
    );
  });
});
