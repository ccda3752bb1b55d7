import { redactText } from '../util/redact.js';

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

/**
 * What `/health` tells the team: everything, with the URLs' user names, passwords and secret
 * query parameters replaced by "***" and filesystem paths left out, since the body may be pasted
 * into a ticket or a chat.
 */
export function teamHealthBody(body: Record<string, unknown>): Record<string, unknown> {
  return redactValue(body) as Record<string, unknown>;
}

function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v)]));
  return value;
}
