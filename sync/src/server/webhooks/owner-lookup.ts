import express, {
  type ErrorRequestHandler,
  type NextFunction,
  type Request,
  type Response,
  type Router,
} from 'express';
import type { LotParcelsLookup } from '../../domain/lot-parcels.js';
import type { ReplayGuard } from '../../store/owner-webhook-replay.js';
import type { LookupRequest, OwnerLookupJob } from '../../store/owner-lookup-jobs.js';
import type { Logger } from '../../util/logger.js';
import { cors } from './cors.js';
import { createOwnerLookupLinkRouter, LINK_FORM_BYTES } from './owner-lookup-link.js';
import { receiveOwnerLookup, type OwnerLookupIntake } from './owner-lookup-intake.js';
import { bodyReadRefusal, Refusal, sendRefusal } from './refusal.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signature.js';

export interface OwnerLookupRouterDeps {
  auth: {
    /** WEBHOOK_SECRET: HMAC-SHA256 signatures (the Airtable automation). */
    secret?: string | undefined;
    /** WEBHOOK_BEARER_TOKEN: for callers that cannot sign. */
    bearerToken?: string | undefined;
    /** WEBHOOK_LINK_KEY: the button-field fallback (`/link`). */
    linkKey?: string | undefined;
  };
  /** CORS_DEV_ORIGINS, besides https://*.airtableblocks.com. */
  corsDevOrigins: string[];
  /** AIRTABLE_BASE_ID: a request naming another base is refused. */
  baseId?: string | null | undefined;
  lots: LotParcelsLookup;
  enqueue(request: LookupRequest): { job: OwnerLookupJob; joined: boolean };
  /** Whether the Matrikkel is configured; lookups are still recorded (and the lot told) when it is not. */
  status(): { configured: boolean; reason: string | null };
  replay: ReplayGuard;
  /** OWNER_LOOKUP_PURPOSE, for requests that state none. */
  defaultPurpose: string;
  logger: Logger;
  now?: () => Date;
  /** Default 8 KB (OWNER_LOOKUP_BODY_BYTES): the body is a record id and a name. */
  maxBodyBytes?: number;
}

/** The webhook's body: a record id, a name and a purpose. */
export const OWNER_LOOKUP_BODY_BYTES = 8 * 1024;

/** The bodies this router reads, for the app's cut at the limit (under the router's own path). */
export const OWNER_LOOKUP_BODY_LIMITS = [
  { path: '', bytes: OWNER_LOOKUP_BODY_BYTES },
  { path: '/link', bytes: LINK_FORM_BYTES },
];

/**
 * `POST /webhooks/owner-lookup` (mounted by the app): authenticates the raw body (HMAC with a
 * timestamp, or a bearer token), validates it, finds the lot and queues the lookup, answering
 * 202 at once. Refusals are 401/400/404/413/415 with a JSON `{ error, message }` and a log line
 * that never includes the body. Mount it before any global body parser: it needs the raw bytes.
 */
export function createOwnerLookupRouter(deps: OwnerLookupRouterDeps): Router {
  const intake: OwnerLookupIntake = { ...deps, now: deps.now ?? (() => new Date()) };
  const maxBodyBytes = deps.maxBodyBytes ?? OWNER_LOOKUP_BODY_BYTES;
  const refuse = (req: Request, res: Response, refusal: Refusal) =>
    sendRefusal(deps.logger, req, res, refusal);
  const router = express.Router();
  router.use(
    cors(deps.corsDevOrigins, ['Content-Type', 'Authorization', SIGNATURE_HEADER, TIMESTAMP_HEADER]),
  );
  router.use('/link', linkRouter(deps), refuseUnreadBody(refuse, LINK_FORM_BYTES));
  router.post(
    '/',
    // Before the body is read: a body of another type is refused unread.
    (req, res, next) => {
      if (req.is('application/json')) next();
      else refuse(req, res, new Refusal(415, 'unsupported-media-type', 'send the body as application/json'));
    },
    express.raw({ type: () => true, limit: maxBodyBytes }),
    (req, res) => receiveOwnerLookup(intake, req, res),
  );
  router.all('/', (req, res) => {
    res.setHeader('Allow', 'POST, OPTIONS');
    refuse(
      req,
      res,
      new Refusal(405, 'method-not-allowed', 'only POST is accepted here (and OPTIONS for CORS preflights)'),
    );
  });
  router.use(refuseUnreadBody(refuse, maxBodyBytes));
  return router;
}

/** A body its parser refused (too large, unreadable) as a refusal that states the route's own limit. */
function refuseUnreadBody(
  refuse: (req: Request, res: Response, refusal: Refusal) => void,
  maxBodyBytes: number,
): ErrorRequestHandler {
  return (error: unknown, req: Request, res: Response, next: NextFunction) => {
    const refusal = bodyReadRefusal(error, maxBodyBytes);
    if (refusal) refuse(req, res, refusal);
    else next(error);
  };
}

function linkRouter(deps: OwnerLookupRouterDeps): Router {
  return createOwnerLookupLinkRouter({
    linkKey: deps.auth.linkKey,
    lots: deps.lots,
    enqueue: deps.enqueue,
    purpose: deps.defaultPurpose,
    logger: deps.logger,
  });
}
