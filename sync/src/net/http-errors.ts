import { errors as undiciErrors } from 'undici';
import { SourceError } from '../util/errors.js';

/** What every error of a request names: the source, the URL with credentials redacted, the kommune. */
export interface RequestContext {
  source: string;
  url: string;
  kommune?: string | undefined;
}

/** The start of a body, for error messages: enough to recognise an error page, never a whole document. */
export function snippet(body: Buffer | string, max = 200): string {
  const text = (typeof body === 'string' ? body : body.subarray(0, max * 4).toString('utf8'))
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max)}…` : text || '(empty body)';
}

/** A final answer the caller did not accept, with the start of its body (services explain there). */
export function statusError(status: number, body: Buffer, context: RequestContext): SourceError {
  const kind = status === 429 ? 'rate-limited' : status === 401 || status === 403 ? 'auth' : 'http-status';
  return new SourceError(kind, snippet(body), { ...context, status });
}

/** Anything a request threw, as a SourceError naming the source and the redacted URL. */
export function toSourceError(error: unknown, context: RequestContext): SourceError {
  if (error instanceof SourceError) return error;
  if (isInterruptedBody(error)) {
    return new SourceError(
      'network',
      `the connection broke off mid-body: ${(error as Error).message}`,
      context,
      { cause: error },
    );
  }
  if (error instanceof undiciErrors.RequestRetryError) {
    const status = error.statusCode;
    return new SourceError(
      status === 429 ? 'rate-limited' : 'http-status',
      `gave up after retries: ${error.message}`,
      { ...context, status },
      { cause: error },
    );
  }
  const code = (error as { code?: string }).code ?? '';
  const message = (error as Error).message ?? String(error);
  if (/TIMEOUT/.test(code) || (error as Error).name === 'TimeoutError') {
    return new SourceError('timeout', message, context, { cause: error });
  }
  return new SourceError('network', `${code ? `${code}: ` : ''}${message}`, context, { cause: error });
}

/** A response whose body was cut off after the headers (reset, closed socket, body timeout). */
export function isInterruptedBody(error: unknown): boolean {
  const code = codeOf(error) ?? '';
  const message = (error as Error).message ?? '';
  if (error instanceof undiciErrors.RequestRetryError) return /partially consumed/.test(message);
  // An abort (the caller's signal) is not a break-off, whatever code it comes with.
  return (
    ['UND_ERR_SOCKET', 'ECONNRESET', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_ABORTED'].includes(code) &&
    !/aborted/i.test(message)
  );
}

export function codeOf(error: unknown): string | null {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : null;
}
