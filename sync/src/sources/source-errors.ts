import { InputError, SourceError } from '../util/errors.js';
import { redactUrl } from '../util/redact.js';
import { FormatError } from './files/format-error.js';

export interface SourceCallContext {
  source: string;
  url: string | URL;
  kommune?: string;
}

/**
 * A failure while reading a service's answer as the typed SourceError the run reports: a
 * FormatError keeps its kind (HTML page, service exception, truncated, unexpected CRS …), an
 * InputError from a shared parser becomes `malformed`. Kommune, source and redacted URL are
 * always named.
 */
export function asSourceError(error: unknown, context: SourceCallContext): unknown {
  const where = { source: context.source, url: redactUrl(context.url), kommune: context.kommune };
  if (error instanceof SourceError) return context.kommune ? error.withKommune(context.kommune) : error;
  if (error instanceof FormatError)
    return new SourceError(error.kind, error.message, where, { cause: error });
  if (error instanceof InputError)
    return new SourceError('malformed', error.problem, where, { cause: error });
  return error;
}
