import type { SourceFailureKind } from '../../util/errors.js';

/**
 * A document that cannot be read as a whole: not XML/JSON, truncated, a service exception, an
 * unknown CRS. Parsers throw it without knowing whether they read a file or an HTTP body; file
 * readers turn it into an InputError, service clients into a SourceError of the same kind.
 * `outside-norway` means every feature lay outside Norway: a wrong CRS or swapped axes;
 * `no-usable-features` that the document had features but the reader could use none of them.
 */
export class FormatError extends Error {
  override readonly name = 'FormatError';
  constructor(
    readonly kind: Extract<
      SourceFailureKind,
      | 'html-error-page'
      | 'service-exception'
      | 'truncated'
      | 'malformed'
      | 'not-feature-collection'
      | 'no-usable-features'
      | 'unexpected-crs'
      | 'outside-norway'
    >,
    message: string,
  ) {
    super(message);
  }
}

/** One feature that cannot be used (bad geometry, missing type); the feature is skipped and reported. */
export class FeatureProblem extends Error {
  override readonly name = 'FeatureProblem';
}
