import { SourceError } from '../../util/errors.js';
import { NS } from './namespaces.js';
import { at, child, textAt, type XmlElement } from './xml.js';

/**
 * What a Matrikkel ServiceException means for the caller. The category is a colon-separated
 * class path (exception.xsd `ServiceFaultInfo.category`), e.g.
 * ":ServiceException:ApplicationException:FinderException:".
 */
export type MatrikkelFaultKind =
  /** FinderException: no object for the given ident/id. */
  | 'not-found'
  /** ValidationException: the request broke a domain rule. */
  | 'invalid-request'
  /** OperationalException: the server's environment failed (database, disk); worth a later retry. */
  | 'operational'
  /** ImplementationException: a mapping/code error (often a malformed request); retrying will not help. */
  | 'implementation'
  | 'application'
  | 'unknown';

export function faultKindOf(category: string): MatrikkelFaultKind {
  if (category.includes(':FinderException:')) return 'not-found';
  if (category.includes(':ValidationException:')) return 'invalid-request';
  if (category.includes(':OperationalException:')) return 'operational';
  if (category.includes(':ImplementationException:')) return 'implementation';
  if (category.includes(':ApplicationException:')) return 'application';
  return 'unknown';
}

/** A SOAP fault from the Matrikkel API, with the ServiceException's category when it has one. */
export class MatrikkelFaultError extends SourceError {
  constructor(
    readonly faultKind: MatrikkelFaultKind,
    readonly category: string,
    readonly operation: string,
    message: string,
    context: { url: string; status?: number },
  ) {
    super('service-exception', `${operation}: ${faultKind} (${category || 'no category'}): ${message}`, {
      source: 'matrikkel',
      ...context,
    });
    this.name = 'MatrikkelFaultError';
  }

  /** Only an operational failure on the server side is worth retrying. */
  get transient(): boolean {
    return this.faultKind === 'operational';
  }
}

/** Reads a SOAP 1.1 `<Fault>` (faultcode/faultstring are unqualified; detail holds ServiceException). */
export function parseFault(
  fault: XmlElement,
  operation: string,
  context: { url: string; status?: number },
): MatrikkelFaultError {
  const faultstring = textAt(fault, 'faultstring') ?? '';
  const serviceException = child(child(fault, 'detail'), 'ServiceException', NS.exception);
  const category = textAt(serviceException, 'category') ?? '';
  const detailMessage = textAt(at(serviceException, 'exceptionDetail'), 'message');
  const message = (faultstring || detailMessage || 'SOAP fault without a message').slice(0, 500);
  return new MatrikkelFaultError(faultKindOf(category), category, operation, message, context);
}
