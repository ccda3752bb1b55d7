/**
 * The Matrikkel API's XML namespaces (from the WSDL/XSD files in shared/reference/matrikkel-wsdl).
 * The service schemas are `elementFormDefault="qualified"`: an operation's parameters are in the
 * service namespace, and the children of a domain type are in the namespace of the XSD that
 * declares them (MatrikkelContext's in `domain`, MatrikkelenhetIdent's in `domain/matrikkelenhet`).
 */
const BASE = 'http://matrikkel.statkart.no/matrikkelapi/wsapi/v1';

export const NS = {
  soapEnvelope: 'http://schemas.xmlsoap.org/soap/envelope/',
  domain: `${BASE}/domain`,
  matrikkelenhet: `${BASE}/domain/matrikkelenhet`,
  kommune: `${BASE}/domain/kommune`,
  person: `${BASE}/domain/person`,
  bruker: `${BASE}/domain/bruker`,
  util: `${BASE}/domain/util`,
  exception: `${BASE}/exception`,
} as const;

/** The services the owner lookup calls; each has its own endpoint `<base>/<Name>ServiceWS`. */
export const SERVICES = {
  matrikkelenhet: { endpoint: 'MatrikkelenhetServiceWS', ns: `${BASE}/service/matrikkelenhet` },
  store: { endpoint: 'StoreServiceWS', ns: `${BASE}/service/store` },
  bruker: { endpoint: 'BrukerServiceWS', ns: `${BASE}/service/bruker` },
} as const;

export type ServiceName = keyof typeof SERVICES;

/** Prefixes our requests declare on the envelope. */
export const PREFIXES = {
  soapenv: NS.soapEnvelope,
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  dom: NS.domain,
  mat: NS.matrikkelenhet,
  kom: NS.kommune,
  per: NS.person,
  bru: NS.bruker,
} as const;
