import type { Request } from 'express';
import type { ReplayGuard } from '../../store/owner-webhook-replay.js';
import type { RequestChannel } from '../../store/owner-lookup-jobs.js';
import { Refusal } from './refusal.js';
import {
  bearerToken,
  SIGNATURE_HEADER,
  SIGNATURE_TOLERANCE_SECONDS,
  secretMatches,
  TIMESTAMP_HEADER,
  verifySignature,
} from './signature.js';

export interface WebhookAuth {
  /** WEBHOOK_SECRET: HMAC-SHA256 signatures (the Airtable automation). */
  secret?: string | undefined;
  /** WEBHOOK_BEARER_TOKEN: for callers that cannot sign. */
  bearerToken?: string | undefined;
}

export interface Authenticator {
  auth: WebhookAuth;
  replay: ReplayGuard;
  now: () => Date;
}

/**
 * How the caller proved itself, checked on the raw bytes before anything is parsed: a signature
 * over the body and a timestamp, accepted once, or a bearer token. Throws a Refusal otherwise.
 */
export function authenticate(by: Authenticator, req: Request, raw: Buffer): RequestChannel {
  const { secret, bearerToken: token } = by.auth;
  if (!secret && !token) {
    throw new Refusal(
      503,
      'webhook-not-configured',
      'the service has neither WEBHOOK_SECRET nor WEBHOOK_BEARER_TOKEN set',
    );
  }
  // Either signature header makes the call a signed one: a half-signed call must not fall
  // through to the bearer check.
  if (req.headers[SIGNATURE_HEADER] !== undefined || req.headers[TIMESTAMP_HEADER] !== undefined) {
    if (!secret)
      throw new Refusal(401, 'signature-not-accepted', 'this service does not accept signed requests');
    return checkSignature(by, secret, req, raw);
  }
  const presented = bearerToken(req.headers.authorization);
  if (presented !== undefined) return checkBearer(presented, token);
  throw new Refusal(
    401,
    'unauthenticated',
    `sign the body (${SIGNATURE_HEADER} and ${TIMESTAMP_HEADER}) or send Authorization: Bearer <token>`,
  );
}

function checkSignature(by: Authenticator, secret: string, req: Request, raw: Buffer): 'hmac' {
  const check = verifySignature(
    secret,
    { signature: req.headers[SIGNATURE_HEADER], timestamp: req.headers[TIMESTAMP_HEADER] },
    raw,
    by.now().getTime() / 1000,
  );
  if (!check.ok) throw new Refusal(401, `signature-${check.reason}`, check.message);
  // Kept a minute past the last moment the timestamp is accepted, so it is never forgotten early.
  const expires = new Date((check.timestamp + SIGNATURE_TOLERANCE_SECONDS + 60) * 1000);
  if (!by.replay.firstUse(check.signature, expires)) {
    throw new Refusal(401, 'signature-replayed', 'this signed request was already received');
  }
  return 'hmac';
}

function checkBearer(presented: string, token: string | undefined): 'bearer' {
  if (!token || !secretMatches(presented, token))
    throw new Refusal(401, 'bad-token', 'the bearer token is not valid');
  return 'bearer';
}
