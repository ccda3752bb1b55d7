import express, { type Request, type Response, type Router } from 'express';
import type { LotParcels, LotParcelsLookup } from '../../domain/lot-parcels.js';
import type { LookupRequest, OwnerLookupJob } from '../../store/owner-lookup-jobs.js';
import type { Logger } from '../../util/logger.js';
import {
  confirmationPage,
  invalidLinkPage,
  linkNotInUsePage,
  lookupStartedPage,
  missingNamePage,
  notALotPage,
} from './owner-lookup-link-pages.js';
import { secretMatches } from './signature.js';

/**
 * The button-field fallback: an Airtable "Open URL" button opens
 *   <PUBLIC_BASE_URL>/webhooks/owner-lookup/link?recordId=<RECORD_ID()>&key=<WEBHOOK_LINK_KEY>
 * The GET only shows a confirmation page (link previews and prefetching must not start
 * lookups); the lookup starts when the person submits it with their name, which goes to the
 * audit log. Pages are in Norwegian: the sales team reads them.
 */
export interface LinkDeps {
  linkKey: string | undefined;
  lots: LotParcelsLookup;
  enqueue(request: LookupRequest): { job: OwnerLookupJob; joined: boolean };
  purpose: string;
  logger: Logger;
}

/** A link whose key and lot have been checked. */
interface CheckedLink {
  lot: LotParcels;
  key: string;
  recordId: string;
}

type Fields = Record<string, unknown>;

/** The confirmation form: the record id, the key and a name. */
export const LINK_FORM_BYTES = 4 * 1024;

export function createOwnerLookupLinkRouter(deps: LinkDeps): Router {
  const router = express.Router();
  router.get('/', (req, res) => showConfirmation(deps, req, res));
  router.post('/', express.urlencoded({ extended: false, limit: LINK_FORM_BYTES }), (req, res) =>
    startLookup(deps, req, res),
  );
  return router;
}

async function showConfirmation(deps: LinkDeps, req: Request, res: Response): Promise<void> {
  const link = await checkedLink(deps, req, res, req.query);
  if (link) confirmationPage(res, { tomtId: link.lot.tomtId, recordId: link.recordId, key: link.key });
}

async function startLookup(deps: LinkDeps, req: Request, res: Response): Promise<void> {
  const body = (req.body ?? {}) as Fields;
  const link = await checkedLink(deps, req, res, body);
  if (!link) return;
  const who = typeof body.requestedBy === 'string' ? body.requestedBy.trim().slice(0, 200) : '';
  if (!who) {
    missingNamePage(res);
    return;
  }
  const { job, joined } = deps.enqueue({
    lot: link.lot,
    requestedBy: who,
    via: 'link',
    purpose: deps.purpose,
  });
  deps.logger.info('owner lookup requested', { jobId: job.id, tomtId: link.lot.tomtId, joined, via: 'link' });
  lookupStartedPage(res, link.lot.tomtId);
}

/** The link's key and lot (from the query on GET, the form on POST), or null once a refusal page is sent. */
async function checkedLink(
  deps: LinkDeps,
  req: Request,
  res: Response,
  fields: Fields,
): Promise<CheckedLink | null> {
  if (!deps.linkKey) {
    linkNotInUsePage(res);
    return null;
  }
  const key = typeof fields.key === 'string' ? fields.key : undefined;
  if (!secretMatches(key, deps.linkKey)) {
    deps.logger.warn('owner lookup link refused', {
      status: 401,
      reason: key ? 'wrong key' : 'missing key',
      ip: req.ip,
    });
    invalidLinkPage(res);
    return null;
  }
  const recordId = typeof fields.recordId === 'string' ? fields.recordId : '';
  const lot = /^rec[A-Za-z0-9]{14}$/.test(recordId) ? await deps.lots.byRecordId(recordId) : null;
  if (!lot || lot.matrikkelenheter.length === 0) {
    deps.logger.warn('owner lookup link refused', { status: 404, reason: 'not a lot', ip: req.ip });
    notALotPage(res);
    return null;
  }
  return { lot, key: key!, recordId };
}
