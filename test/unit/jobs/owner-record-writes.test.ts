import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LotOwnership } from '../../../sync/src/domain/owner.js';
import type {
  LotOwnersToWrite,
  OwnerLookupWriter,
  OwnerRecordLinks,
} from '../../../sync/src/crm/owners/writer.js';
import { createOwnerRecordWrites } from '../../../sync/src/jobs/owner-record-writes.js';
import { openStore, type Db } from '../../../sync/src/store/database.js';
import { tryLockOwnerRecords } from '../../../sync/src/store/owner-write-locks.js';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'owner-record-writes-'));
  db = openStore(path.join(dir, 'store.sqlite'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A writer that links like Airtable would and remembers what it was told it may take as known. */
function recordingWriter() {
  const links = new Map<string, string[]>();
  const calls: Array<{ lots: string[]; known: string[] }> = [];
  const writer = {
    writeOwnerRecordsFor: (lots: LotOwnersToWrite[], known?: ReadonlyMap<string, OwnerRecordLinks>) => {
      calls.push({ lots: lots.map((l) => l.recordId), known: [...(known?.keys() ?? [])].sort() });
      const written = new Map<string, OwnerRecordLinks>();
      for (const { recordId, owners } of lots) {
        for (const { id } of owners.ownerships) {
          links.set(id, [...new Set([...(links.get(id) ?? []), recordId])]);
          written.set(id, { id: `rec${id}`, links: links.get(id)! });
        }
      }
      return Promise.resolve(written);
    },
  } as unknown as OwnerLookupWriter;
  return { writer, calls };
}

const ownedBy = (...ids: string[]) => ({
  ownerships: ids.map((id) => ({ id }) as LotOwnership),
  formerIds: [],
  fetchedAt: new Date('2026-12-07T00:00:00Z'),
  ownerCount: ids.length,
  message: 'Ferdig',
});

describe('coalesced Eiere writes with kept locks', () => {
  it('keeps a lock for a moment, then lets it go also while busy with other records', async () => {
    let clock = Date.parse('2026-12-07T10:00:00Z');
    const now = () => new Date(clock);
    const { writer, calls } = recordingWriter();
    const writes = createOwnerRecordWrites({ db, writer, holder: 'A', now, keepLocksMs: 1_000 });
    const write = (recordId: string, ...owners: string[]) =>
      writes.write({
        recordId,
        owners: ownedBy(...owners),
        signal: new AbortController().signal,
        afterWrite: () => {},
      });

    await write('recLot1', '3218-900/1-p1');
    // Kept: another holder cannot take it, and the next lot's write takes its links as known.
    expect(tryLockOwnerRecords(db, ['3218-900/1-p1'], 'B', now(), 60_000)).toBe(false);
    clock += 500;
    await write('recLot2', '3218-900/1-p1');
    expect(calls[1]).toEqual({ lots: ['recLot2'], known: ['3218-900/1-p1'] });

    // Busy with another record 1.5 s later: the first one's lock is let go, and not taken as known.
    clock += 1_500;
    await write('recLot3', '3218-900/2-p2');
    expect(calls[2]!.known).toEqual([]);
    expect(tryLockOwnerRecords(db, ['3218-900/1-p1'], 'B', now(), 60_000)).toBe(true);
    expect(tryLockOwnerRecords(db, ['3218-900/2-p2'], 'B', now(), 60_000)).toBe(false);
    writes.release();
    expect(tryLockOwnerRecords(db, ['3218-900/2-p2'], 'B', now(), 60_000)).toBe(true);
  });

  it('merges the writes that wait while one is under way into one batch', async () => {
    const { writer, calls } = recordingWriter();
    const writes = createOwnerRecordWrites({ db, writer, holder: 'A', now: () => new Date() });
    const signal = new AbortController().signal;
    await Promise.all(
      ['recLot1', 'recLot2', 'recLot3'].map((recordId) =>
        writes.write({ recordId, owners: ownedBy('3218-900/1-p1'), signal, afterWrite: () => {} }),
      ),
    );
    writes.release();
    expect(calls.map((c) => c.lots)).toEqual([['recLot1'], ['recLot2', 'recLot3']]);
  });
});
