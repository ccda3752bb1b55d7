import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db } from '../../sync/src/store/database.js';

/**
 * A store that refuses to grow (SQLITE_FULL): the file may not take another page, and the jobs
 * tables a claim writes (jobs, call lines) are packed, so a claim needs a page it cannot have.
 * `release()` lifts the limit, as freeing disk space would.
 */
export function fillStore(db: Db): { release(): void } {
  const pages = db.pragma('page_count', { simple: true }) as number;
  db.pragma(`max_page_count = ${pages}`);
  const padJobs = db.prepare(
    `INSERT INTO owner_lookup_jobs (tomt_id, kommunenummer, parcels_json, purpose, state, requested_at)
     VALUES ('padding', '0000', '[]', ?, 'done', '2026-01-01T00:00:00.000Z')`,
  );
  const padCalls = db.prepare(
    `INSERT INTO owner_lookup_calls (at, job_id, attempt, tomt_id, parcels, requested_by, purpose, lease_holder)
     VALUES ('2026-01-01T00:00:00.000Z', ?, 1, 'padding', '', '', ?, 'padding')`,
  );
  untilFull((i) => padJobs.run('x'.repeat(40 + (i % 7))));
  untilFull((i) => padCalls.run(1_000_000 + i, 'x'.repeat(40)));
  return { release: () => db.pragma('max_page_count = 1073741823') };
}

function untilFull(write: (i: number) => void): void {
  try {
    for (let i = 0; i < 100_000; i++) write(i);
  } catch (error) {
    if ((error as { code?: string }).code !== 'SQLITE_FULL') throw error;
  }
}

/**
 * A real full disk: a 2 MiB tmpfs (needs root and mount; null where the machine does not
 * allow it). `fill()` takes the disk's last free byte with a filler file; `free()` deletes it.
 */
export function tinyDisk(): { dir: string; fill(): void; free(): void; unmount(): void } | null {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return null;
  const dir = mkdtempSync(path.join(tmpdir(), 'tomtejakt-tiny-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  const filler = path.join(dir, 'filler');
  return {
    dir,
    fill() {
      try {
        for (;;) appendFileSync(filler, Buffer.alloc(4096));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      }
      try {
        for (;;) appendFileSync(filler, Buffer.alloc(1));
      } catch {
        // the last byte is taken
      }
    },
    free: () => rmSync(filler, { force: true }),
    unmount() {
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
