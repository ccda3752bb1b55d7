import type { KommunePin } from '../domain/kommune.js';
import type { Db } from './database.js';

export interface StoredKommunePins {
  /** Per kommunenummer, the team's pin as last read. */
  pins: Map<string, KommunePin>;
  /** When they were read (ISO time). */
  readAt: string;
}

/**
 * Keeps the team's pins as read just now, replacing the last read whole (a pin the team removed
 * is gone), so a run whose read fails can go on with the last known ones.
 */
export function saveKommunePins(db: Db, pins: ReadonlyMap<string, KommunePin>, readAt: string): void {
  db.transaction(() => {
    db.prepare('DELETE FROM kommune_pin').run();
    const insert = db.prepare('INSERT INTO kommune_pin (kommunenummer, pin) VALUES (?, ?)');
    for (const [kommunenummer, pin] of pins) insert.run(kommunenummer, pin);
    db.prepare(
      'INSERT INTO kommune_pin_read (id, read_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET read_at = excluded.read_at',
    ).run(readAt);
  })();
}

/** The pins of the last successful read, or null when they were never read. */
export function storedKommunePins(db: Db): StoredKommunePins | null {
  const read = db.prepare('SELECT read_at FROM kommune_pin_read WHERE id = 1').get() as
    { read_at: string } | undefined;
  if (!read) return null;
  const rows = db
    .prepare('SELECT kommunenummer, pin FROM kommune_pin ORDER BY kommunenummer')
    .all() as Array<{
    kommunenummer: string;
    pin: KommunePin;
  }>;
  return { pins: new Map(rows.map((r) => [r.kommunenummer, r.pin])), readAt: read.read_at };
}
