import { afterEach, describe, expect, it } from 'vitest';
import { EiereField as E, TomterField as T } from '../../../sync/src/crm/schema/index.js';
import { createOwnerLookupWriter } from '../../../sync/src/crm/owners/writer.js';
import { runOwnerRetention } from '../../../sync/src/jobs/owner-lookup-retention.js';
import { listAudit } from '../../../sync/src/store/audit-log.js';
import { ownersOfLot } from '../../../sync/src/store/owners.js';
import { retentionMarks } from '../../../sync/src/store/owner-retention.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';
import { startOwnerLookupHarness, type Harness } from '../../helpers/owner-lookup-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const DAY = 86_400_000;

describe('owner data retention', () => {
  it('erases owner data once a lot has been "Ikke aktuell" for OWNER_RETENTION_DAYS, and only then', async () => {
    // Two lots on the same parcel (two zones): the shared owners must survive on the lot still in play.
    h = await startOwnerLookupHarness({
      specialLots: [
        { gnr: 900, bnr: 1 },
        { gnr: 900, bnr: 1 },
        { gnr: 900, bnr: 2 },
      ],
    });
    const [dropped, kept, company] = h.lots;
    for (const lot of h.lots) await h.post({ recordId: lot.recordId });
    await h.service.queue.idle();
    await h.airtable.update('Tomter', [
      { id: dropped!.recordId, fields: { [T.status]: 'Ikke aktuell' } },
      { id: company!.recordId, fields: { [T.status]: 'Ikke aktuell' } },
    ]);
    const companyRecord = h.airtable.all('Eiere').find((r) => r.fields[E.type] === 'Organisasjon')!;
    await h.airtable.update('Eiere', [
      { id: companyRecord.id, fields: { [E.notater]: 'Ringte daglig leder' } },
    ]);

    const writer = createOwnerLookupWriter(h.airtable);
    const run = (at: Date, dryRun = false) =>
      runOwnerRetention({
        db: h!.db,
        writer,
        retentionDays: 180,
        now: at,
        logger: createMemoryLogger(),
        dryRun,
      });
    const start = new Date('2026-09-01T03:30:00Z');

    expect(await run(start)).toMatchObject({ markedNow: 2, newlyMarked: 2, erased: [] });
    expect(await run(new Date(start.getTime() + 179 * DAY))).toMatchObject({ newlyMarked: 0, erased: [] });
    const preview = await run(new Date(start.getTime() + 181 * DAY), true);
    expect(preview.erased.map((e) => e.tomtId).sort()).toEqual([company!.tomtId, dropped!.tomtId].sort());
    expect(ownersOfLot(h.db, dropped!.tomtId)).toHaveLength(2);

    const report = await run(new Date(start.getTime() + 181 * DAY));
    expect(report.erased).toHaveLength(2);
    expect(ownersOfLot(h.db, dropped!.tomtId)).toEqual([]);
    expect(ownersOfLot(h.db, company!.tomtId)).toEqual([]);
    expect(ownersOfLot(h.db, kept!.tomtId)).toHaveLength(2);

    // The company record was this lot's alone: cleared, the team's note included.
    expect(h.airtable.read('Eiere', companyRecord.id)).not.toHaveProperty(E.navn);
    expect(h.airtable.read('Eiere', companyRecord.id)).not.toHaveProperty(E.notater);
    expect(h.airtable.read('Eiere', companyRecord.id)![E.eierstatus]).toBe('Slettet (oppbevaringstid)');
    // The two persons are still owners of the lot in play: only unlinked from the dropped lot.
    const persons = h.airtable.all('Eiere').filter((r) => r.fields[E.type] === 'Person');
    expect(persons).toHaveLength(2);
    for (const p of persons) expect(p.fields[E.tomter]).toEqual([kept!.recordId]);
    expect(h.airtable.read('Tomter', dropped!.recordId)![T.eieroppslagMelding]).toMatch(
      /^Eierdata slettet 2027-/,
    );

    // The audit log is untouched; a later run does nothing more.
    expect(listAudit(h.db)).toHaveLength(3);
    expect((await run(new Date(start.getTime() + 200 * DAY))).erased).toEqual([]);
  });

  it('restarts the clock for a lot taken back into the pipeline', async () => {
    h = await startOwnerLookupHarness({ lots: 1 });
    const lot = h.lots[0]!;
    const writer = createOwnerLookupWriter(h.airtable);
    const run = (at: Date) =>
      runOwnerRetention({
        db: h!.db,
        writer,
        retentionDays: 30,
        now: at,
        logger: createMemoryLogger(),
        dryRun: false,
      });
    await h.airtable.update('Tomter', [{ id: lot.recordId, fields: { [T.status]: 'Ikke aktuell' } }]);
    await run(new Date('2026-01-01T00:00:00Z'));
    await h.airtable.update('Tomter', [{ id: lot.recordId, fields: { [T.status]: 'Dialog' } }]);
    expect(await run(new Date('2026-01-20T00:00:00Z'))).toMatchObject({ unmarked: 1 });
    await h.airtable.update('Tomter', [{ id: lot.recordId, fields: { [T.status]: 'Ikke aktuell' } }]);
    await run(new Date('2026-01-25T00:00:00Z'));
    expect(retentionMarks(h.db)).toEqual([
      expect.objectContaining({ firstSeenAt: '2026-01-25T00:00:00.000Z', erasedAt: null }),
    ]);
    expect((await run(new Date('2026-02-05T00:00:00Z'))).erased).toEqual([]);
  });
});
