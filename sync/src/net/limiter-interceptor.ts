import type { Dispatcher } from 'undici';

/** Anything that says when the next request may start (a token bucket, a per-base spacer). */
export interface DispatchLimiter {
  /** Resolves when one request may start; the caller then starts exactly one. */
  acquire(): Promise<void>;
}

/**
 * An undici interceptor that waits for `limiter` before every dispatch. Composed inside the retry
 * interceptor (earlier in `compose(...)`), it also sees every retry, so each attempt is spaced
 * and counted by the limiter, not only the caller's first one.
 */
export function limiterInterceptor(limiter: DispatchLimiter): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts, handler) => {
    limiter.acquire().then(
      () => {
        try {
          dispatch(opts, handler);
        } catch (error) {
          fail(handler, error);
        }
      },
      (error: unknown) => fail(handler, error),
    );
    // Dispatched later: report "not busy", as undici's own asynchronous (dns) interceptor does.
    return true;
  };
}

function fail(handler: Dispatcher.DispatchHandler, error: unknown): void {
  // No attempt started, so there is no controller yet; undici's dns interceptor passes null too.
  handler.onResponseError?.(null as unknown as Dispatcher.DispatchController, error as Error);
}
