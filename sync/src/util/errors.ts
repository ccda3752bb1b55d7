/**
 * The error types the CLI maps to exit codes: 1 for bad input or configuration (the message says
 * which file/key, which feature, what is wrong), 2 for a source or service that failed.
 */
export const ExitCode = { ok: 0, badInput: 1, sourceFailed: 2 } as const;

export abstract class TomtejaktError extends Error {
  abstract readonly exitCode: number;
}

/** A configuration value is wrong; names the key and why. */
export class ConfigError extends TomtejaktError {
  readonly exitCode = ExitCode.badInput;
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(`Configuration ${key}: ${reason}`);
    this.name = 'ConfigError';
  }
}

/** An input file or feature is unusable; names the file, the feature and the problem. */
export class InputError extends TomtejaktError {
  readonly exitCode = ExitCode.badInput;
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly feature?: string,
  ) {
    super(`${file}${feature ? ` (${feature})` : ''}: ${problem}`);
    this.name = 'InputError';
  }
}

/** What went wrong with a response, so callers can decide whether to retry or report. */
export type SourceFailureKind =
  | 'network'
  | 'timeout'
  | 'http-status'
  | 'rate-limited'
  | 'html-error-page'
  | 'service-exception'
  | 'truncated'
  | 'malformed'
  | 'not-feature-collection'
  | 'no-usable-features'
  | 'unexpected-crs'
  | 'outside-norway'
  | 'not-covered'
  | 'auth'
  | 'not-configured';

/**
 * A source or service failed. Names the kommune (when the call was for one), the source and the
 * URL with credentials redacted.
 */
export class SourceError extends TomtejaktError {
  readonly exitCode = ExitCode.sourceFailed;
  constructor(
    readonly kind: SourceFailureKind,
    readonly detail: string,
    readonly context: { source: string; url?: string; kommune?: string; status?: number },
    options?: { cause?: unknown },
  ) {
    super(
      [
        context.kommune ? `kommune ${context.kommune}` : null,
        `source ${context.source}`,
        `${kind}: ${detail}`,
        context.status ? `HTTP ${context.status}` : null,
        context.url ? `(${context.url})` : null,
      ]
        .filter(Boolean)
        .join(', '),
      options,
    );
    this.name = 'SourceError';
  }

  withKommune(kommune: string): SourceError {
    if (this.context.kommune === kommune) return this;
    return new SourceError(this.kind, this.detail, { ...this.context, kommune }, { cause: this.cause });
  }
}

export function exitCodeOf(error: unknown): number {
  return error instanceof TomtejaktError ? error.exitCode : ExitCode.sourceFailed;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
