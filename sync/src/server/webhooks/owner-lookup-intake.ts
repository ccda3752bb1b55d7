import type { Request, Response } from 'express';
import type { LotParcels, LotParcelsLookup } from '../../domain/lot-parcels.js';
import type { LookupRequest, OwnerLookupJob, RequestChannel } from '../../store/owner-lookup-jobs.js';
import { isStoreFailure, storeFailureReason } from '../../store/store-failure.js';
import { messageOf } from '../../util/errors.js';
import type { Logger } from '../../util/logger.js';
import { authenticate, type Authenticator } from './authenticate.js';
import { findLot } from './find-lot.js';
import {
  readOwnerLookupRequest,
  requesterLabel,
  type OwnerLookupRequestBody,
} from './owner-lookup-request.js';
import { Refusal, sendRefusal, type AuthChannel } from './refusal.js';

/** What taking in one webhook call needs. */
export interface OwnerLookupIntake extends Authenticator {
  baseId?: string | null | undefined;
  lots: LotParcelsLookup;
  enqueue(request: LookupRequest): { job: OwnerLookupJob; joined: boolean };
  status(): { configured: boolean; reason: string | null };
  defaultPurpose: string;
  logger: Logger;
}

/**
 * One `POST`, on its raw body: authenticate, validate, find the lot, queue the lookup and answer
 * at once (202). Every step may refuse; the refusal is answered and logged without the body.
 */
export async function receiveOwnerLookup(
  intake: OwnerLookupIntake,
  req: Request,
  res: Response,
): Promise<void> {
  let via: AuthChannel = 'none';
  try {
    const raw = rawBodyOf(intake.logger, req);
    via = authenticate(intake, req, raw);
    const body = readOwnerLookupRequest(raw, intake.baseId);
    const lot = await findLot(intake.lots, intake.logger, body);
    queueLookup(intake, res, { lot, body, via });
  } catch (error) {
    if (error instanceof Refusal) sendRefusal(intake.logger, req, res, error, via);
    else if (isStoreFailure(error)) {
      // A full disk: the caller is told at once (and the automation marks the lot failed).
      intake.logger.error('owner lookup webhook: the store refused the request', {
        error: storeFailureReason(error),
      });
      res.status(503).json({
        error: 'store-unavailable',
        message: `the service cannot record the request now: ${storeFailureReason(error)}`,
      });
    } else {
      intake.logger.error('owner lookup webhook failed', { error: messageOf(error) });
      res.status(500).json({ error: 'internal', message: 'the request could not be queued' });
    }
  }
}

/** The signature covers the exact bytes sent, so a body some parser already turned into JSON is useless. */
function rawBodyOf(logger: Logger, req: Request): Buffer {
  if (Buffer.isBuffer(req.body)) return req.body;
  logger.error('owner lookup webhook: the body was already parsed; mount the router before body parsers');
  throw new Refusal(500, 'misconfigured', 'the service cannot read the raw body of this request');
}

/**
 * Queues the lookup and answers 202, or 503 when the Matrikkel is not configured: the request is
 * still queued then, so the lot is told why no owners come.
 */
function queueLookup(
  intake: OwnerLookupIntake,
  res: Response,
  request: { lot: LotParcels; body: OwnerLookupRequestBody; via: RequestChannel },
): void {
  const { lot, body, via } = request;
  const { job, joined } = intake.enqueue({
    lot,
    requestedBy: requesterLabel(body.requestedBy),
    via,
    purpose: body.purpose ?? intake.defaultPurpose,
  });
  const status = intake.status();
  intake.logger.info('owner lookup requested', { jobId: job.id, tomtId: lot.tomtId, joined, via });
  if (!status.configured) {
    res.status(503).json({
      error: 'not-configured',
      message: `owner lookup is not configured: ${status.reason ?? 'no Matrikkel credentials'}`,
      jobId: job.id,
      tomtId: lot.tomtId,
    });
    return;
  }
  res.status(202).json({ jobId: job.id, tomtId: lot.tomtId, state: job.state, joined });
}
