import type { Db } from './database.js';

export interface CentralityClass {
  kommunenummer: string;
  /** 1 (most central) – 6 (least central). */
  klasse: number;
  navn: string | null;
}

export interface KommuneCentralityStore {
  /** Replaces every class with the ones of this KLASS version (a kommune missing there goes). */
  replaceAll(classes: readonly CentralityClass[], meta: { validAt: string; fetchedAt: string }): void;
}

/**
 * SSB's centrality class per kommune (migration 460), written by the kommune refresh; the lot score
 * reads it through `KommuneRankingStore.kommuneFigures`.
 */
export function createKommuneCentralityStore(db: Db): KommuneCentralityStore {
  const insert =
    db.prepare(`INSERT INTO kommune_centrality (kommunenummer, klasse, klasse_navn, gjelder_dato, hentet)
    VALUES (?, ?, ?, ?, ?)`);
  const replace = db.transaction(
    (classes: readonly CentralityClass[], meta: { validAt: string; fetchedAt: string }) => {
      db.prepare('DELETE FROM kommune_centrality').run();
      for (const c of classes) insert.run(c.kommunenummer, c.klasse, c.navn, meta.validAt, meta.fetchedAt);
    },
  );
  return {
    replaceAll(classes, meta) {
      replace(classes, meta);
    },
  };
}
