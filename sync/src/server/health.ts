/** What `/health` answers, built by the process that knows the store and the jobs. */
export interface HealthReport {
  /** 200 while the store answers, 503 when it does not. */
  httpStatus: number;
  body: Record<string, unknown>;
}

/**
 * What `/health` tells a caller outside the team (MAP_ACCESS): whether the service and its store
 * are up and when the next run is, nothing about lots, kommuner or runs.
 */
export function publicHealthBody(body: Record<string, unknown>): Record<string, unknown> {
  const { status, store, running, stopping, nextRun } = body;
  return { status, store: store === 'ok' ? 'ok' : 'unreachable', running, stopping, nextRun };
}
