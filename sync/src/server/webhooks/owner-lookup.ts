import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { LotParcels, LotParcelsLookup } from '../../domain/lot-parcels.js';
import type { ReplayGuard } from '../../store/owner-webhook-replay.js';
import type { LookupRequest, OwnerLookupJob, RequestChannel } from '../../store/owner-lookup-jobs.js';
import { messageOf } from '../../util/errors.js';
import type { Logger } from '../../util/logger.js';
import { cors } from './cors.js';
import { createOwnerLookupLinkRouter } from './owner-lookup-link.js';
import { firstIssue, ownerLookupRequestSchema, requesterLabel } from './owner-lookup-request.js';
import {
  bearerToken,
  SIGNATURE_HEADER,
  SIGNATURE_TOLERANCE_SECONDS,
  secretMatches,
  TIMESTAMP_HEADER,
  verifySignature,
} from './signature.js';

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
  /** Default 8 KiB: the body is a record id and a name. */
  maxBodyBytes?: number;
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * `POST /webhooks/owner-lookup` (mounted by the app): authenticates the raw body (HMAC with a
 * timestamp, or a bearer token), validates it, finds the lot and queues the lookup, answering
 * 202 at once. Refusals are 401/400/404/413/415 with a JSON `{ error, message }` and a log line
 * that never includes the body. Mount it before any global body parser: it needs the raw bytes.
 */
export function createOwnerLookupRouter(deps: OwnerLookupRouterDeps): Router {
  const router = express.Router();
  const now = deps.now ?? (() => new Date());
  const maxBodyBytes = deps.maxBodyBytes ?? 8 * 1024;

  router.use(
    cors(deps.corsDevOrigins, ['Content-Type', 'Authorization', SIGNATURE_HEADER, TIMESTAMP_HEADER]),
  );
  router.use(
    '/link',
    createOwnerLookupLinkRouter({
      linkKey: deps.auth.linkKey,
      lots: deps.lots,
      enqueue: deps.enqueue,
      purpose: deps.defaultPurpose,
      logger: deps.logger,
    }),
  );

  const refuse = (req: Request, res: Response, refusal: Refusal, via = 'none') => {
    deps.logger.warn('owner lookup webhook refused', {
      status: refusal.status,
      reason: refusal.code,
      auth: via,
      ip: req.ip,
    });
    res.status(refusal.status).json({ error: refusal.code, message: refusal.message });
  };

  const requireJson = (req: Request, res: Response, next: NextFunction) => {
    if (!req.is('application/json')) {
      refuse(req, res, new Refusal(415, 'unsupported-media-type', 'send the body as application/json'));
      return;
    }
    next();
  };

  const rawBody = express.raw({ type: () => true, limit: maxBodyBytes });

  function authenticate(req: Request, raw: Buffer): RequestChannel {
    const { secret, bearerToken: token } = deps.auth;
    if (!secret && !token) {
      throw new Refusal(
        503,
        'webhook-not-configured',
        'the service has neither WEBHOOK_SECRET nor WEBHOOK_BEARER_TOKEN set',
      );
    }
    const signed = req.headers[SIGNATURE_HEADER] !== undefined || req.headers[TIMESTAMP_HEADER] !== undefined;
    if (signed) {
      if (!secret)
        throw new Refusal(401, 'signature-not-accepted', 'this service does not accept signed requests');
      const check = verifySignature(
        secret,
        { signature: req.headers[SIGNATURE_HEADER], timestamp: req.headers[TIMESTAMP_HEADER] },
        raw,
        now().getTime() / 1000,
      );
      if (!check.ok) throw new Refusal(401, `signature-${check.reason}`, check.message);
      const expires = new Date((check.timestamp + SIGNATURE_TOLERANCE_SECONDS + 60) * 1000);
      if (!deps.replay.firstUse(check.signature, expires)) {
        throw new Refusal(401, 'signature-replayed', 'this signed request was already received');
      }
      return 'hmac';
    }
    const presented = bearerToken(req.headers.authorization);
    if (presented !== undefined) {
      if (!token || !secretMatches(presented, token))
        throw new Refusal(401, 'bad-token', 'the bearer token is not valid');
      return 'bearer';
    }
    throw new Refusal(
      401,
      'unauthenticated',
      `sign the body (${SIGNATURE_HEADER} and ${TIMESTAMP_HEADER}) or send Authorization: Bearer <token>`,
    );
  }

  async function findLot(body: {
    recordId?: string | undefined;
    tomtId?: string | undefined;
  }): Promise<LotParcels> {
    let lot: LotParcels | null;
    try {
      lot = body.recordId
        ? await deps.lots.byRecordId(body.recordId)
        : await deps.lots.byTomtId(body.tomtId!);
    } catch (error) {
      deps.logger.error('owner lookup: the lot lookup failed', { error: messageOf(error) });
      throw new Refusal(503, 'lots-unavailable', 'the lot register could not be read; try again shortly');
    }
    if (!lot || lot.matrikkelenheter.length === 0) {
      throw new Refusal(
        404,
        'not-a-lot',
        body.recordId
          ? `record ${body.recordId} is not a lot in Tomtejakt`
          : `no lot has Tomt-ID ${body.tomtId}`,
      );
    }
    return lot;
  }

  router.post('/', requireJson, rawBody, async (req: Request, res: Response) => {
    let via: RequestChannel | 'none' = 'none';
    try {
      if (!Buffer.isBuffer(req.body)) {
        deps.logger.error(
          'owner lookup webhook: the body was already parsed; mount the router before body parsers',
        );
        throw new Refusal(500, 'misconfigured', 'the service cannot read the raw body of this request');
      }
      const raw = req.body;
      via = authenticate(req, raw);
      let json: unknown;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new Refusal(400, 'malformed-json', 'the body is not valid JSON');
      }
      const parsed = ownerLookupRequestSchema.safeParse(json);
      if (!parsed.success) throw new Refusal(400, 'invalid-request', firstIssue(parsed.error));
      const body = parsed.data;
      if (body.baseId && deps.baseId && body.baseId !== deps.baseId) {
        throw new Refusal(400, 'wrong-base', `baseId ${body.baseId} is not the base this service writes to`);
      }
      const lot = await findLot(body);
      const { job, joined } = deps.enqueue({
        lot,
        requestedBy: requesterLabel(body.requestedBy),
        via,
        purpose: body.purpose ?? deps.defaultPurpose,
      });
      const status = deps.status();
      deps.logger.info('owner lookup requested', { jobId: job.id, tomtId: lot.tomtId, joined, via });
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
    } catch (error) {
      if (error instanceof Refusal) refuse(req, res, error, via);
      else {
        deps.logger.error('owner lookup webhook failed', { error: messageOf(error) });
        res.status(500).json({ error: 'internal', message: 'the request could not be queued' });
      }
    }
  });

  router.all('/', (req, res) => {
    res.setHeader('Allow', 'POST, OPTIONS');
    refuse(
      req,
      res,
      new Refusal(405, 'method-not-allowed', 'only POST is accepted here (and OPTIONS for CORS preflights)'),
    );
  });

  // Body-parser errors (too large, aborted) arrive here with the body unread or partly read.
  router.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') {
      refuse(req, res, new Refusal(413, 'body-too-large', `the body may be at most ${maxBodyBytes} bytes`));
      return;
    }
    if (type === 'request.aborted' || type === 'entity.verify.failed' || type === 'encoding.unsupported') {
      refuse(req, res, new Refusal(400, 'unreadable-body', 'the body could not be read'));
      return;
    }
    next(error);
  });

  return router;
}
