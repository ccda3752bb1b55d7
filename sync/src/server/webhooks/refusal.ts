import type { Request, Response } from 'express';
import type { RequestChannel } from '../../store/owner-lookup-jobs.js';
import type { Logger } from '../../util/logger.js';
import { bodyLimitText } from '../body-limit.js';

/** A webhook call turned away: the HTTP status, a stable code for scripts and a sentence for people. */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** How the caller authenticated, as far as it got before the refusal. */
export type AuthChannel = RequestChannel | 'none';

/**
 * Answers `{ error, message }` and logs the refusal. The log line names the reason, the channel
 * and the caller's address, never the body: it may hold a name, and refused bodies are untrusted.
 */
export function sendRefusal(
  logger: Logger,
  req: Request,
  res: Response,
  refusal: Refusal,
  via: AuthChannel = 'none',
): void {
  // A body cut at its limit was answered by the app before its parser gave up.
  if (res.headersSent) return;
  logger.warn('owner lookup webhook refused', {
    status: refusal.status,
    reason: refusal.code,
    auth: via,
    ip: req.ip,
  });
  res.status(refusal.status).json({ error: refusal.code, message: refusal.message });
}

/**
 * A body parser's failure as a refusal, or null when the error is not about reading the body.
 * These arrive with the body unread or partly read, so nothing has been authenticated yet.
 */
export function bodyReadRefusal(error: unknown, maxBodyBytes: number): Refusal | null {
  const type = (error as { type?: string }).type;
  if (type === 'entity.too.large')
    return new Refusal(413, 'body-too-large', `the body may be at most ${bodyLimitText(maxBodyBytes)}`);
  if (type === 'request.aborted' || type === 'entity.verify.failed' || type === 'encoding.unsupported')
    return new Refusal(400, 'unreadable-body', 'the body could not be read');
  return null;
}
