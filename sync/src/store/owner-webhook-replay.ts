import type { Db } from './database.js';

/**
 * Signatures of accepted webhook calls, kept until their timestamp falls out of the accepted
 * window, so a captured request cannot be sent again, even after a restart.
 */
export interface ReplayGuard {
  /** True the first time a signature is seen; false for a replay. */
  firstUse(signature: string, expiresAt: Date): boolean;
}

export function createStoreReplayGuard(db: Db, now: () => Date = () => new Date()): ReplayGuard {
  const insert = db.prepare(
    'INSERT INTO owner_webhook_signatures (signature, expires_at) VALUES (?, ?) ON CONFLICT (signature) DO NOTHING',
  );
  const prune = db.prepare('DELETE FROM owner_webhook_signatures WHERE expires_at < ?');
  return {
    firstUse(signature, expiresAt) {
      prune.run(now().getTime());
      return insert.run(signature, expiresAt.getTime()).changes === 1;
    },
  };
}
