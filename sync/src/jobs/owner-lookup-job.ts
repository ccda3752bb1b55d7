import { countDistinctOwners, lotOwnerships, parcelLabel } from '../domain/owner.js';
import type { OwnerLookupWriter } from '../crm/owners/writer.js';
import type { MatrikkelSetup } from '../sources/matrikkel/index.js';
import { MatrikkelFaultError } from '../sources/matrikkel/fault.js';
import type { OwnerLookupResult } from '../sources/matrikkel/owners.js';
import type { Db } from '../store/database.js';
import { clearRetentionMark } from '../store/owner-retention.js';
import type { OwnerLookupJob } from '../store/owner-lookup-jobs.js';
import { formerOwnersOf, knownOwnershipIds, replaceLotOwners } from '../store/owners.js';
import { SourceError, messageOf } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import { redactSecrets } from '../util/redact.js';
import {
  doneMessage,
  failedMessage,
  notConfiguredMessage,
  notFoundMessage,
  retryMessage,
  runningMessage,
} from './owner-lookup-messages.js';

/** How one attempt of a job ended. `detail` is English for the audit log and logs; no owner names. */
export type JobOutcome =
  | { state: 'done'; ownerCount: number; message: string; detail: string }
  | { state: 'failed'; message: string; detail: string }
  | { state: 'retry'; message: string; detail: string }
  | { state: 'not-configured'; message: string; detail: string };

export type JobRunner = (
  job: OwnerLookupJob,
  options: { signal: AbortSignal; finalAttempt: boolean },
) => Promise<JobOutcome>;

export interface OwnerLookupRunnerDeps {
  db: Db;
  matrikkel: MatrikkelSetup;
  /** null when Airtable is not configured: owners are then kept in the store only. */
  writer: OwnerLookupWriter | null;
  logger: Logger;
  now?: () => Date;
  /** "Pågår" is only written when the lookup takes longer than this (most finish sooner). */
  runningNoticeAfterMs?: number;
}

interface Failure {
  transient: boolean;
  /** Norwegian, for the lot's "Eieroppslag melding". */
  reason: string;
  detail: string;
}

function classify(error: unknown, stage: 'matrikkel' | 'airtable'): Failure {
  const detail = `${stage}: ${messageOf(error)}`;
  if (stage === 'airtable') {
    const status = error instanceof SourceError ? error.context.status : undefined;
    const permanent = status !== undefined && status >= 400 && status < 500 && status !== 429;
    return { transient: !permanent, reason: 'kunne ikke skrive til Airtable', detail };
  }
  if (error instanceof MatrikkelFaultError) {
    return {
      transient: error.transient,
      reason:
        error.faultKind === 'operational'
          ? 'Matrikkelen har driftsproblemer'
          : `Matrikkelen avviste forespørselen (${error.faultKind})`,
      detail,
    };
  }
  if (error instanceof SourceError) {
    switch (error.kind) {
      case 'auth':
        return {
          transient: false,
          reason: /harLesEierforholdRettighet/.test(error.message)
            ? 'Matrikkel-brukeren mangler rett til å lese eierforhold'
            : 'Matrikkelen avviste påloggingen (brukernavn/passord)',
          detail,
        };
      case 'timeout':
        return { transient: true, reason: 'tidsavbrudd mot Matrikkelen', detail };
      case 'http-status':
        return {
          transient: (error.context.status ?? 500) >= 500,
          reason: `Matrikkelen svarte HTTP ${error.context.status ?? '?'}`,
          detail,
        };
      default:
        return { transient: true, reason: 'Matrikkelen var utilgjengelig eller svarte uventet', detail };
    }
  }
  return { transient: true, reason: 'uventet feil', detail };
}

/**
 * "Pågår" is written only if the lookup is still running after `afterMs`. `settle` stops the
 * timer and waits for a write already sent, so the final state always lands last.
 */
function runningNotice(
  write: (() => Promise<void>) | null,
  afterMs: number,
  log: Logger,
): { settle(): Promise<void>; cancel(): void } {
  let sent: Promise<void> | null = null;
  const timer = write
    ? setTimeout(() => {
        sent = write().catch((error: unknown) =>
          log.warn('could not mark the lot as running', { error: messageOf(error) }),
        );
      }, afterMs)
    : null;
  const cancel = () => {
    if (timer) clearTimeout(timer);
  };
  return {
    cancel,
    async settle() {
      cancel();
      await sent;
    },
  };
}

/**
 * One attempt at one lookup: Matrikkel → store → Airtable. Every write is idempotent (owners are
 * upserted on their stable id), so an interrupted attempt can simply run again.
 */
export function createOwnerLookupRunner(deps: OwnerLookupRunnerDeps): JobRunner {
  const now = deps.now ?? (() => new Date());
  const noticeAfter = deps.runningNoticeAfterMs ?? 1_500;

  return async (job, { signal, finalAttempt }) => {
    const log = deps.logger.child({ jobId: job.id, tomtId: job.lot.tomtId });
    const recordId = deps.writer ? await deps.writer.resolve(job.lot) : null;
    if (deps.writer && !recordId) {
      return {
        state: 'failed',
        message: 'Tomten finnes ikke i Airtable.',
        detail: `lot ${job.lot.tomtId} has no record in Tomter`,
      };
    }
    const writer = recordId ? deps.writer : null;

    if (!deps.matrikkel.configured) {
      signal.throwIfAborted();
      await writer?.markNotConfigured(recordId!, notConfiguredMessage());
      return { state: 'not-configured', message: notConfiguredMessage(), detail: deps.matrikkel.reason };
    }
    const source = deps.matrikkel.source;

    const notice = runningNotice(
      writer ? () => writer.markRunning(recordId!, runningMessage()) : null,
      noticeAfter,
      log,
    );

    const fail = async (failure: Failure, names: string[] = []): Promise<JobOutcome> => {
      await notice.settle();
      const detail = redactSecrets(failure.detail, names);
      signal.throwIfAborted();
      if (failure.transient && !finalAttempt) {
        await writer?.markRunning(recordId!, retryMessage(failure.reason)).catch(() => undefined);
        return { state: 'retry', message: retryMessage(failure.reason), detail };
      }
      const message = failedMessage(failure.reason);
      await writer?.markFailed(recordId!, message).catch((error: unknown) => {
        log.warn('could not mark the lot as failed', { error: redactSecrets(messageOf(error), names) });
      });
      return { state: 'failed', message, detail };
    };

    const attempt = async (): Promise<JobOutcome> => {
      const started = performance.now();
      let result: OwnerLookupResult;
      try {
        await source.checkAccess({ signal });
        result = await source.ownersOf(job.lot.matrikkelenheter, {
          knownId: job.lot.matrikkelenhetId,
          signal,
        });
      } catch (error) {
        if (signal.aborted) throw error;
        return fail(classify(error, 'matrikkel'));
      }
      signal.throwIfAborted();
      if (result.parcels.length === 0) {
        await notice.settle();
        const message = notFoundMessage(result.missing);
        await writer?.markFailed(recordId!, message);
        return {
          state: 'failed',
          message,
          detail: `not in the Matrikkel: ${result.missing.map(parcelLabel).join(', ')}`,
        };
      }

      const fetchedAt = now();
      const ownerships = lotOwnerships(result.parcels);
      const ownerCount = countDistinctOwners(result.parcels);
      const message = doneMessage(result, fetchedAt);
      const lot = { tomtId: job.lot.tomtId, recordId };
      // Airtable first, the store after: a retry then still sees who the former owners are.
      const former = formerOwnersOf(deps.db, lot.tomtId, ownerships);
      try {
        await notice.settle();
        signal.throwIfAborted();
        await writer?.writeOwners(recordId!, {
          ownerships,
          possiblyExisting: [
            ...knownOwnershipIds(
              deps.db,
              ownerships.map((o) => o.id),
            ),
          ],
          formerIds: former.map((o) => o.ownershipId),
          fetchedAt,
          ownerCount,
          message,
        });
      } catch (error) {
        if (signal.aborted) throw error;
        return fail(
          classify(error, 'airtable'),
          ownerships.map((o) => o.owner.name),
        );
      }
      replaceLotOwners(deps.db, lot, job.id, fetchedAt, ownerships);
      clearRetentionMark(deps.db, lot.tomtId);
      log.info('owner lookup done', {
        parcels: job.lot.matrikkelenheter.length,
        owners: ownerCount,
        former: former.length,
        ms: Math.round(performance.now() - started),
      });
      const notFound = result.missing.length
        ? `; not found: ${result.missing.map(parcelLabel).join(', ')}`
        : '';
      const formerText = former.length ? `; ${former.length} former owner(s) marked` : '';
      return {
        state: 'done',
        ownerCount,
        message,
        detail: `${ownerCount} owner(s) on ${result.parcels.length} parcel(s)${notFound}${formerText}`,
      };
    };

    try {
      return await attempt();
    } finally {
      // Also on abort or timeout: a late "Pågår" must never land after the final state.
      notice.cancel();
    }
  };
}
