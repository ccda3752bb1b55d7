import { errors as undiciErrors, type Dispatcher } from 'undici';
import { codeOf, isInterruptedBody, toSourceError, type RequestContext } from './http-errors.js';
import type { RetryPolicy } from './retry-policy.js';

/** How often, and after how long, a request whose body broke off is sent again. */
export interface BodyResend {
  /** Decides every re-send when given; otherwise maxRetries rounds with doubling delays. */
  policy: RetryPolicy | undefined;
  maxRetries: number;
  minRetryDelayMs: number;
}

export interface ResponseWithBody {
  response: Dispatcher.ResponseData;
  body: Buffer;
}

/**
 * Dispatches the request and reads its whole body. The retry interceptor resumes a body cut off
 * mid-way only where the server honours Range; otherwise (most WFS/GeoServer answers) the whole
 * request is sent again here, within the same bound.
 */
export async function requestWithBody(
  dispatcher: Dispatcher,
  request: { options: Dispatcher.RequestOptions; signal: AbortSignal | undefined; context: RequestContext },
  resend: BodyResend,
): Promise<ResponseWithBody> {
  const { options, signal, context } = request;
  for (let round = 0; ; round++) {
    let response: Dispatcher.ResponseData;
    try {
      response = await dispatcher.request(options);
    } catch (error) {
      throw toSourceError(error, context);
    }
    try {
      return { response, body: Buffer.from(await response.body.arrayBuffer()) };
    } catch (error) {
      const delay =
        isInterruptedBody(error) && !signal?.aborted
          ? resendDelay(resend, options.method, round, error)
          : null;
      if (delay === null) throw toSourceError(error, context);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** Before sending a request again after its body broke off: ms to wait, or null to give up. */
function resendDelay(resend: BodyResend, method: string, round: number, error: unknown): number | null {
  if (!resend.policy) return round < resend.maxRetries ? resend.minRetryDelayMs * 2 ** round : null;
  // A body undici could not resume by Range is still a connection that broke off mid-body.
  const code = error instanceof undiciErrors.RequestRetryError ? 'UND_ERR_SOCKET' : codeOf(error);
  return resend.policy({ status: null, code, retryAfterMs: null, method, attempt: round + 1 });
}
