import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { EiereField as E, TomterField as T } from '../../../sync/src/crm/schema/index.js';
import { createOwnerLookupWriter } from '../../../sync/src/crm/owners/writer.js';
import { runOwnerRetention } from '../../../sync/src/jobs/owner-lookup-retention.js';
import { listAudit } from '../../../sync/src/store/audit-log.js';
import { ownersOfLot } from '../../../sync/src/store/owners.js';
import { retentionMarks } from '../../../sync/src/store/owner-retention.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';
import { startOwnerLookupHarness, type Harness } from '../../helpers/owner-lookup-harness.js';
import { idleWithin } from '../../helpers/queue-idle.js';

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
    await idleWithin(h.service.queue);
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

/** Marks a lot vanished from the plan data (Utgått) on `at`, as a nightly run would. */
function vanish(db: Harness['db'], tomtId: string, at: Date) {
  db.prepare(
    `INSERT INTO lots (tomt_id, kommunenummer, state, fingerprint, record, geometry, first_seen, last_seen,
       changed_at, vanished_at, vanished_reason)
     VALUES (?, '3218', 'vanished', 'fp', '{}', '{}', ?, ?, ?, ?, 'Regulert')`,
  ).run(tomtId, at.toISOString(), at.toISOString(), at.toISOString(), at.toISOString());
}

/** Every byte the store keeps on disk: the database file and its write-ahead log. */
function storeBytes(storePath: string): Buffer {
  return Buffer.concat(
    [storePath, `${storePath}-wal`].filter((file) => existsSync(file)).map((file) => readFileSync(file)),
  );
}

describe('owner data retention without Airtable, and erasure from the file itself', () => {
  it('erases the owners of a lot vanished longer than OWNER_RETENTION_DAYS ago, leaving no name in the store file', async () => {
    // Two persons (900/6: three heirs) and a company (900/2); only the first lot vanishes.
    h = await startOwnerLookupHarness({
      specialLots: [
        { gnr: 900, bnr: 6 },
        { gnr: 900, bnr: 2 },
      ],
    });
    const [gone, kept] = h.lots;
    for (const lot of h.lots) await h.post({ recordId: lot.recordId });
    await idleWithin(h.service.queue);
    const erasedNames = ownersOfLot(h.db, gone!.tomtId).map((o) => o.name);
    const keptNames = ownersOfLot(h.db, kept!.tomtId).map((o) => o.name);
    expect(erasedNames).toHaveLength(3);
    // A later lookup rewrites the rows (as a refresh would), leaving old copies in free space.
    h.db.prepare("UPDATE lot_owners SET fetched_at = '2026-01-02T00:00:00.000Z', share = '1/3 '").run();
    for (const name of erasedNames) expect(storeBytes(h.storePath).includes(Buffer.from(name))).toBe(true);

    const vanishedAt = new Date('2026-01-01T00:00:00Z');
    vanish(h.db, gone!.tomtId, vanishedAt);
    const run = (at: Date) =>
      runOwnerRetention({
        db: h!.db,
        writer: null,
        retentionDays: 180,
        now: at,
        logger: createMemoryLogger(),
        dryRun: false,
      });

    expect((await run(new Date(vanishedAt.getTime() + 179 * DAY))).erased).toEqual([]);
    const report = await run(new Date(vanishedAt.getTime() + 181 * DAY));
    expect(report).toMatchObject({
      markedNow: null,
      erased: [{ tomtId: gone!.tomtId, ownerRows: 3, because: 'vanished' }],
      scrub: { vacuumed: true, busy: false, problem: null },
      note: expect.stringContaining('Airtable is not configured'),
    });
    expect(ownersOfLot(h.db, gone!.tomtId)).toEqual([]);
    expect(ownersOfLot(h.db, kept!.tomtId)).toHaveLength(1);

    const bytes = storeBytes(h.storePath);
    for (const name of erasedNames) expect(bytes.includes(Buffer.from(name)), name).toBe(false);
    for (const name of keptNames) expect(bytes.includes(Buffer.from(name)), name).toBe(true);
  });
});
