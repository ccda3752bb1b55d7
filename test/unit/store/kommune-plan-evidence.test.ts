import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../../sync/src/store/migrations/index.js';
import { migration250KommunePlanEvidence } from '../../../sync/src/store/migrations/250-kommune-plan-evidence.js';
import { migrate, openStore, type Db } from '../../../sync/src/store/database.js';
import { createPlanEvidenceStore, savePlanEvidence } from '../../../sync/src/store/kommune-plan-evidence.js';

/** Plan evidence per kommune (migration 250): the latest figures a nightly run measured. */
let db: Db;
beforeEach(() => {
  db = openStore(':memory:');
});
afterEach(() => db.close());

// Ås: the sample kommune's figures from the engine on 2026-03-10.
const aas = {
  kommunenummer: '3218',
  runDate: '2026-03-10',
  years: 5,
  recentlyRegulatedM2: 57_764.56,
  reserveM2: 3_787_053.67,
};

describe('kommune plan evidence in the store', () => {
  it('keeps one row per kommune: the same run saved twice is one row, a later run replaces it', () => {
    const store = createPlanEvidenceStore(db);
    expect(store.planEvidence().size).toBe(0);
    savePlanEvidence(db, aas, 7);
    savePlanEvidence(db, aas, 7);
    savePlanEvidence(db, { ...aas, kommunenummer: '3207', recentlyRegulatedM2: 0, reserveM2: 912_000 }, 7);
    expect([...store.planEvidence().values()]).toEqual([
      { ...aas, kommunenummer: '3207', recentlyRegulatedM2: 0, reserveM2: 912_000 },
      aas,
    ]);
    const later = { ...aas, runDate: '2026-03-17', recentlyRegulatedM2: 61_200 };
    savePlanEvidence(db, later, 8);
    expect(store.planEvidence().get('3218')).toEqual(later);
    expect(db.prepare('SELECT COUNT(*) AS n FROM kommune_plan_evidence').get()).toEqual({ n: 2 });
    expect(db.prepare(`SELECT run_id FROM kommune_plan_evidence WHERE kommunenummer = '3218'`).get()).toEqual(
      {
        run_id: 8,
      },
    );
  });

  it('refuses figures no engine gives (a negative area, no years)', () => {
    expect(() => savePlanEvidence(db, { ...aas, reserveM2: -1 }, 1)).toThrow(/CHECK/);
    expect(() => savePlanEvidence(db, { ...aas, years: 0 }, 1)).toThrow(/CHECK/);
  });

  it('is migration 250, in the kommune ranking range, and its change can be applied again without harm', () => {
    expect(migrations.map((m) => m.version)).toContain(250);
    savePlanEvidence(db, aas, 1);
    migration250KommunePlanEvidence.up(db);
    expect(migrate(db, migrations)).toEqual([]);
    expect(createPlanEvidenceStore(db).planEvidence().get('3218')).toEqual(aas);
  });
});
