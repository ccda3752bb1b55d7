import { escapeXml as x } from '../../../sync/src/sources/matrikkel/xml.js';
import type { DoubleOwnership, DoublePerson, DoubleUnit } from './registry.js';

/**
 * Response bodies shaped like JAX-WS RI's output for the Matrikkel WSDLs: `S:` for the
 * envelope, numbered prefixes (ns2 …) for the domain namespaces, `xsi:type` on every
 * polymorphic element, elements in XSD sequence order. The prefixes differ from the client's
 * on purpose: a client must resolve namespaces, not match prefixes.
 */
const BASE = 'http://matrikkel.statkart.no/matrikkelapi/wsapi/v1';
const DECLS = [
  `xmlns:ns2="${BASE}/domain"`,
  `xmlns:ns3="${BASE}/domain/matrikkelenhet"`,
  `xmlns:ns4="${BASE}/domain/kommune"`,
  `xmlns:ns5="${BASE}/domain/person"`,
  `xmlns:ns6="${BASE}/domain/util"`,
  `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`,
].join(' ');

export function envelope(body: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>${body}</S:Body></S:Envelope>`
  );
}

export function operationResponse(serviceNs: string, operation: string, returnXml: string | null): string {
  return envelope(
    `<ns7:${operation}Response xmlns:ns7="${serviceNs}" ${DECLS}>${returnXml ?? ''}</ns7:${operation}Response>`,
  );
}

export const idReturn = (value: string, type?: string) =>
  `<ns7:return${type ? ` xsi:type="${type}"` : ''}><ns2:value>${x(value)}</ns2:value></ns7:return>`;

const history = (version: number) =>
  '<ns2:oppdateringsdato><ns2:timestamp>2024-03-11T09:12:44.123+01:00</ns2:timestamp></ns2:oppdateringsdato>' +
  `<ns2:versjonId>${version}</ns2:versjonId><ns2:oppdatertAv>MATRIKKEL</ns2:oppdatertAv>`;

function ownership(o: DoubleOwnership, index: number): string {
  const idPrefix = o.ownerIdType === 'MatrikkelenhetId' ? 'ns3' : 'ns5';
  const owner = `<ns2:value>${x(o.ownerId)}</ns2:value>`;
  const andel = o.andel
    ? `<ns3:andel><ns6:teller>${o.andel[0]}</ns6:teller><ns6:nevner>${o.andel[1]}</ns6:nevner></ns3:andel>`
    : '';
  const datoFra = `<ns3:datoFra><ns2:date>${o.datoFra}</ns2:date></ns3:datoFra>`;
  const datoTil = o.datoTil ? `<ns3:datoTil><ns2:date>${o.datoTil}</ns2:date></ns3:datoTil>` : '';
  const head = `${history(1)}<ns3:id>${880_000 + index}</ns3:id>`;
  let tail: string;
  switch (o.type) {
    case 'MatrikkelenhetTinglystEierforhold':
      tail = `${andel}${datoFra}<ns3:eiendeMatrikkelenhetId>${owner}</ns3:eiendeMatrikkelenhetId>`;
      break;
    case 'PersonIkkeTinglystEierforhold':
      tail = `${andel}${datoFra}${datoTil}<ns3:eierId xsi:type="${idPrefix}:${o.ownerIdType}">${owner}</ns3:eierId>`;
      break;
    case 'Kontaktinstans':
      tail = `<ns3:eierId xsi:type="${idPrefix}:${o.ownerIdType}">${owner}</ns3:eierId>${datoFra}${datoTil}`;
      break;
    default:
      tail = `${andel}${datoFra}<ns3:eierId xsi:type="${idPrefix}:${o.ownerIdType}">${owner}</ns3:eierId>`;
  }
  return `<ns3:item xsi:type="ns3:${o.type}">${head}${tail}</ns3:item>`;
}

/** A Matrikkelenhet bubble (Grunneiendom / Festegrunn / Jordsameie) as StoreService returns it. */
export function unitXml(unit: DoubleUnit, element: string): string {
  const festet = unit.festetPa.length
    ? `<ns3:festetMatrikkelenhetIds>${unit.festetPa
        .map((id) => `<ns3:item><ns2:value>${x(id)}</ns2:value></ns3:item>`)
        .join('')}</ns3:festetMatrikkelenhetIds>`
    : '';
  return (
    `<${element} xsi:type="ns3:${unit.type}">` +
    `<ns2:id xsi:type="ns3:MatrikkelenhetId"><ns2:value>${x(unit.id)}</ns2:value></ns2:id>` +
    `${history(3)}<ns2:versjon>3</ns2:versjon>` +
    '<ns3:matrikkelnummer>' +
    `<ns3:kommuneId><ns2:value>${x(unit.kommunenummer)}</ns2:value></ns3:kommuneId>` +
    `<ns3:gardsnummer>${unit.gnr}</ns3:gardsnummer><ns3:bruksnummer>${unit.bnr}</ns3:bruksnummer>` +
    `<ns3:festenummer>${unit.fnr}</ns3:festenummer><ns3:seksjonsnummer>${unit.snr}</ns3:seksjonsnummer>` +
    '</ns3:matrikkelnummer>' +
    '<ns3:etableringsdato><ns2:date>1961-05-02</ns2:date></ns3:etableringsdato>' +
    `<ns3:tinglyst>true</ns3:tinglyst><ns3:bruksnavn>${x(unit.bruksnavn)}</ns3:bruksnavn>` +
    `<ns3:eierforhold>${unit.ownerships.map(ownership).join('')}</ns3:eierforhold>` +
    `<ns3:erSeksjonert>false</ns3:erSeksjonert><ns3:harAktiveFestegrunner>${unit.type === 'Grunneiendom' && unit.gnr === 900 && unit.bnr === 4}</ns3:harAktiveFestegrunner>` +
    `<ns3:utgatt>false</ns3:utgatt>${festet}` +
    `</${element}>`
  );
}

/** A FysiskPerson or JuridiskPerson bubble, including what the owner lookup must not keep. */
export function personXml(person: DoublePerson, element: string): string {
  const address =
    `<ns5:postadresse><ns5:adresselinje1>${x(person.adresselinje1)}</ns5:adresselinje1>` +
    `<ns5:adresselinje2>${x(person.postnummer)} PRØVEBY</ns5:adresselinje2></ns5:postadresse>`;
  const own =
    person.type === 'FysiskPerson'
      ? `<ns5:etternavn>${x(person.etternavn ?? '')}</ns5:etternavn><ns5:fornavn>${x(person.fornavn ?? '')}</ns5:fornavn>`
      : '<ns5:organisasjonsformKode>AS</ns5:organisasjonsformKode>';
  return (
    `<${element} xsi:type="ns5:${person.type}">` +
    `<ns2:id xsi:type="ns5:${person.type}Id"><ns2:value>${x(person.id)}</ns2:value></ns2:id>` +
    `${history(1)}<ns2:versjon>1</ns2:versjon>` +
    `<ns5:nummer>${x(person.nummer)}</ns5:nummer><ns5:navn>${x(person.navn)}</ns5:navn>${address}${own}` +
    `</${element}>`
  );
}

export type FaultCategory =
  | ':ServiceException:ApplicationException:FinderException:'
  | ':ServiceException:ApplicationException:ValidationException:'
  | ':ServiceException:SystemException:ImplementationException:'
  | ':ServiceException:SystemException:OperationalException:';

/** A SOAP 1.1 fault with the API's ServiceException detail (exception.xsd). */
export function faultXml(category: FaultCategory, message: string): string {
  const className = category.split(':').filter(Boolean).at(-1);
  return envelope(
    '<S:Fault xmlns:ns4="http://www.w3.org/2003/05/soap-envelope">' +
      `<faultcode>S:Server</faultcode><faultstring>${x(message)}</faultstring><detail>` +
      `<ns2:ServiceException xmlns:ns2="${BASE}/exception" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
      `<ns2:category>${category}</ns2:category><ns2:stackTraceText></ns2:stackTraceText>` +
      `<ns2:exceptionDetail><ns2:className>no.statkart.skif.exception.${className}</ns2:className>` +
      `<ns2:message>${x(message)}</ns2:message><ns2:cause xsi:nil="true"/><ns2:stackTraceElements/>` +
      '</ns2:exceptionDetail></ns2:ServiceException></detail></S:Fault>',
  );
}

/** What the Matrikkel front end sends with HTTP 200 when Basic credentials are wrong. */
export const LOGIN_PAGE =
  '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head><title>401 Unauthorized</title></head>' +
  '<body><h1>Unauthorized</h1><p>This server could not verify that you are authorized to access the document ' +
  'requested.</p><form method="post" action="/matrikkel/j_security_check"><input name="j_username">' +
  '<input type="password" name="j_password"></form></body></html>';
