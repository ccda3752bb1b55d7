import { PREFIXES, SERVICES, type ServiceName } from './namespaces.js';
import { el, renderXml, type XmlNode } from './xml.js';

/**
 * The `matrikkelContext` every call carries (basistyper.xsd `MatrikkelContext`; values from
 * Kartverket's "Tekniske detaljer" for the API, as quoted in PorticoEstate/matrikkel
 * doc/Tekniske_detaljer.txt, and vtfk/matrikkelapi-proxy's template).
 */
export interface MatrikkelContext {
  /** "no_NO_B" = Norwegian bokmål. */
  locale: string;
  /** Coordinates in the system they were stored in: the owner lookup requests no geometry. */
  brukOriginaleKoordinater: boolean;
  /** A KodelisteService code id, not an EPSG code; irrelevant while no geometry is requested. */
  koordinatsystemKodeId: number;
  /** The API version the client was built for; "trunk" = the current one. */
  systemVersion: string;
  /** Identifies the client to Kartverket; must be non-empty. */
  klientIdentifikasjon: string;
  /**
   * 9999-01-01T00:00:00+01:00 means "current data". Any other time asks for history, which needs a
   * separate right; an empty element is not allowed.
   */
  snapshotVersion: string;
}

export const defaultMatrikkelContext: MatrikkelContext = {
  locale: 'no_NO_B',
  brukOriginaleKoordinater: true,
  koordinatsystemKodeId: 24,
  systemVersion: 'trunk',
  klientIdentifikasjon: 'tomtejakt',
  snapshotVersion: '9999-01-01T00:00:00+01:00',
};

function contextNode(context: MatrikkelContext): XmlNode {
  return el('ser:matrikkelContext', [
    el('dom:locale', context.locale),
    el('dom:brukOriginaleKoordinater', context.brukOriginaleKoordinater),
    el('dom:koordinatsystemKodeId', [el('dom:value', context.koordinatsystemKodeId)]),
    el('dom:systemVersion', context.systemVersion),
    el('dom:klientIdentifikasjon', context.klientIdentifikasjon),
    el('dom:snapshotVersion', [el('dom:timestamp', context.snapshotVersion)]),
  ]);
}

/**
 * A SOAP 1.1 document/literal request: `<ser:operation>` with its parameters (already prefixed
 * `ser:` for the service namespace) and the context as the last parameter, as every operation
 * in the WSDLs declares it.
 */
export function buildEnvelope(
  service: ServiceName,
  operation: string,
  parameters: XmlNode[],
  context: MatrikkelContext,
): string {
  const xmlns = Object.fromEntries([
    ...Object.entries(PREFIXES).map(([prefix, uri]) => [`xmlns:${prefix}`, uri]),
    ['xmlns:ser', SERVICES[service].ns],
  ]);
  const envelope = el(
    'soapenv:Envelope',
    [
      el('soapenv:Header', []),
      el('soapenv:Body', [el(`ser:${operation}`, [...parameters, contextNode(context)])]),
    ],
    xmlns,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>${renderXml(envelope)}`;
}
