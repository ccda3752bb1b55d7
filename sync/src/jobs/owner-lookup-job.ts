import { countDistinctOwners, lotOwnerships, parcelLabel } from '../domain/owner.js';
import type { LotRef, OwnerLookupWriter, OwnersToWrite } from '../crm/owners/writer.js';
import type { MatrikkelOwnerSource, MatrikkelSetup } from '../sources/matrikkel/index.js';
import { MatrikkelFaultError } from '../sources/matrikkel/fault.js';
import type { OwnerLookupResult } from '../sources/matrikkel/owners.js';
import type { Db } from '../store/database.js';
import { isStoreFailure } from '../store/store-failure.js';
import { clearRetentionMark } from '../store/owner-retention.js';
import type { OwnerLookupJob } from '../store/owner-lookup-jobs.js';
import { formerOwnersOf, replaceLotOwners } from '../store/owners.js';
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
import {
  createOwnerRecordWrites,
  type OwnerRecordWrite,
  type OwnerRecordWrites,
} from './owner-record-writes.js';

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
  /** Names this process's locks on Eiere records (the queue's lease holder). */
  lockHolder?: string;
  /** This process's coalesced Eiere writes (the service releases their kept locks on stop). */
  ownerRecordWrites?: OwnerRecordWrites;
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

interface RunningNotice {
  settle(): Promise<void>;
  cancel(): void;
}

/**
 * "Pågår" is written only if the lookup is still running after `afterMs`. `settle` stops the
 * timer and waits for a write already sent, so the final state always lands last.
 */
function runningNotice(write: (() => Promise<void>) | null, afterMs: number, log: Logger): RunningNotice {
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

/** The lot's Tomter record and the writer for it. */
interface LotRecord {
  writer: OwnerLookupWriter;
  recordId: string;
}

/** What the steps of one attempt share. `record` is null when Airtable is not configured. */
interface Attempt {
  job: OwnerLookupJob;
  signal: AbortSignal;
  finalAttempt: boolean;
  record: LotRecord | null;
  notice: RunningNotice;
  log: Logger;
  db: Db;
  now: () => Date;
  /** This process's Eiere writes (coalesced, under the record locks); null without Airtable. */
  writeOwnerRecords: ((write: OwnerRecordWrite) => Promise<void>) | null;
}

/**
 * One attempt at one lookup: Matrikkel → Airtable → store. Every write is idempotent (owners are
 * upserted on their stable id), so an interrupted attempt can simply run again.
 */
export function createOwnerLookupRunner(deps: OwnerLookupRunnerDeps): JobRunner {
  const now = deps.now ?? (() => new Date());
  const noticeAfter = deps.runningNoticeAfterMs ?? 1_500;
  const ownerRecords =
    deps.ownerRecordWrites ??
    (deps.writer
      ? createOwnerRecordWrites({
          db: deps.db,
          writer: deps.writer,
          holder: deps.lockHolder ?? `pid${process.pid}`,
          now,
        })
      : null);
  const writeOwnerRecords = ownerRecords ? ownerRecords.write : null;

  return async (job, { signal, finalAttempt }) => {
    const log = deps.logger.child({ jobId: job.id, tomtId: job.lot.tomtId });
    const record = deps.writer ? await lotRecordOf(deps.writer, job.lot) : null;
    if (record === 'missing') return lotNotInAirtable(job);
    if (!deps.matrikkel.configured) return endNotConfigured(record, deps.matrikkel.reason, signal);
    const source = deps.matrikkel.source;
    const notice = runningNotice(
      record ? () => record.writer.markRunning(record.recordId, runningMessage()) : null,
      noticeAfter,
      log,
    );
    try {
      return await lookUpOwners(
        { job, signal, finalAttempt, record, notice, log, db: deps.db, now, writeOwnerRecords },
        source,
      );
    } finally {
      // Also on abort or timeout: a late "Pågår" must never land after the final state.
      notice.cancel();
    }
  };
}

async function lotRecordOf(writer: OwnerLookupWriter, lot: LotRef): Promise<LotRecord | 'missing'> {
  const recordId = await writer.resolve(lot);
  return recordId ? { writer, recordId } : 'missing';
}

function lotNotInAirtable(job: OwnerLookupJob): JobOutcome {
  return {
    state: 'failed',
    message: 'Tomten finnes ikke i Airtable.',
    detail: `lot ${job.lot.tomtId} has no record in Tomter`,
  };
}

async function endNotConfigured(
  record: LotRecord | null,
  reason: string,
  signal: AbortSignal,
): Promise<JobOutcome> {
  signal.throwIfAborted();
  await record?.writer.markNotConfigured(record.recordId, notConfiguredMessage());
  return { state: 'not-configured', message: notConfiguredMessage(), detail: reason };
}

async function lookUpOwners(a: Attempt, source: MatrikkelOwnerSource): Promise<JobOutcome> {
  const started = performance.now();
  let result: OwnerLookupResult;
  try {
    await source.checkAccess({ signal: a.signal });
    result = await source.ownersOf(a.job.lot.matrikkelenheter, {
      knownId: a.job.lot.matrikkelenhetId,
      signal: a.signal,
    });
  } catch (error) {
    if (a.signal.aborted) throw error;
    return endWithFailure(a, classify(error, 'matrikkel'));
  }
  a.signal.throwIfAborted();
  if (result.parcels.length === 0) return endNotInMatrikkel(a, result.missing);
  return recordOwners(a, result, started);
}

/**
 * Writes the owners found to Airtable, then to the store, through this process's coalesced Eiere
 * writes (owner-record-writes.ts): under the locks on their Eiere records, the links other lots'
 * lookups wrote are kept, and the store learns of these owners before any other writer of the
 * same records reads them (no lost link). The lot is marked Ferdig after the locks are released.
 */
async function recordOwners(a: Attempt, result: OwnerLookupResult, started: number): Promise<JobOutcome> {
  const fetchedAt = a.now();
  const ownerships = lotOwnerships(result.parcels);
  const ownerCount = countDistinctOwners(result.parcels);
  const message = doneMessage(result, fetchedAt);
  const lot = { tomtId: a.job.lot.tomtId, recordId: a.record?.recordId ?? null };
  // Airtable first, the store after: a retry then still sees who the former owners are.
  const former = formerOwnersOf(a.db, lot.tomtId, ownerships);
  const owners: Omit<OwnersToWrite, 'possiblyExisting'> = {
    ownerships,
    formerIds: former.map((o) => o.ownershipId),
    fetchedAt,
    ownerCount,
    message,
  };
  const remember = () => {
    replaceLotOwners(a.db, lot, a.job.id, fetchedAt, ownerships);
    clearRetentionMark(a.db, lot.tomtId);
  };
  try {
    await a.notice.settle();
    a.signal.throwIfAborted();
    if (a.record && a.writeOwnerRecords) {
      await a.writeOwnerRecords({
        recordId: a.record.recordId,
        owners,
        signal: a.signal,
        afterWrite: remember,
      });
    } else remember();
    await a.record?.writer.markFinished(a.record.recordId, ownerCount, message);
  } catch (error) {
    // The store refusing a write is the queue's to handle (it retries once the store has room).
    if (a.signal.aborted || isStoreFailure(error)) throw error;
    return endWithFailure(
      a,
      classify(error, 'airtable'),
      ownerships.map((o) => o.owner.name),
    );
  }
  a.log.info('owner lookup done', {
    parcels: a.job.lot.matrikkelenheter.length,
    owners: ownerCount,
    former: former.length,
    ms: Math.round(performance.now() - started),
  });
  return { state: 'done', ownerCount, message, detail: doneDetail(result, ownerCount, former.length) };
}

function doneDetail(result: OwnerLookupResult, ownerCount: number, formerCount: number): string {
  const notFound = result.missing.length ? `; not found: ${result.missing.map(parcelLabel).join(', ')}` : '';
  const formerText = formerCount ? `; ${formerCount} former owner(s) marked` : '';
  return `${ownerCount} owner(s) on ${result.parcels.length} parcel(s)${notFound}${formerText}`;
}

async function endNotInMatrikkel(a: Attempt, missing: OwnerLookupResult['missing']): Promise<JobOutcome> {
  await a.notice.settle();
  const message = notFoundMessage(missing);
  await a.record?.writer.markFailed(a.record.recordId, message);
  return { state: 'failed', message, detail: `not in the Matrikkel: ${missing.map(parcelLabel).join(', ')}` };
}

/**
 * A transient failure before the last attempt asks for a retry (the lot shows it); otherwise the
 * lookup fails. `names` (owners of this lot) are scrubbed from the detail: Airtable echoes them.
 */
async function endWithFailure(a: Attempt, failure: Failure, names: string[] = []): Promise<JobOutcome> {
  await a.notice.settle();
  const detail = redactSecrets(failure.detail, names);
  a.signal.throwIfAborted();
  const record = a.record;
  if (failure.transient && !a.finalAttempt) {
    await record?.writer.markRunning(record.recordId, retryMessage(failure.reason)).catch(() => undefined);
    return { state: 'retry', message: retryMessage(failure.reason), detail };
  }
  const message = failedMessage(failure.reason);
  await record?.writer.markFailed(record.recordId, message).catch((error: unknown) => {
    a.log.warn('could not mark the lot as failed', { error: redactSecrets(messageOf(error), names) });
  });
  return { state: 'failed', message, detail };
}
