import type { Matrikkelnummer } from '../../domain/parcel.js';
import { SourceError } from '../../util/errors.js';
import { PREFIXES } from './namespaces.js';
import { bubbleIdOf, itemsOf, returnOf, type TypedId } from './objects.js';
import type { MatrikkelSoapClient } from './soap-client.js';
import { el, textAt, type XmlElement, type XmlNode } from './xml.js';

/**
 * The four Matrikkel operations the owner lookup uses, with request shapes from the service
 * schemas (MatrikkelenhetServiceWS_schema1.xsd, StoreServiceWS_schema1.xsd,
 * BrukerServiceWS_schema1.xsd). Each returns parsed values, never raw XML.
 */
type Signal = { signal?: AbortSignal };

/** MatrikkelenhetService.findMatrikkelenhetIdForIdent: parcel number → MatrikkelenhetId. */
export async function findMatrikkelenhetIdForIdent(
  client: MatrikkelSoapClient,
  parcel: Matrikkelnummer,
  options: Signal = {},
): Promise<string> {
  const ident = el('ser:matrikkelenhetIdent', [
    el('mat:kommuneIdent', [el('kom:kommunenummer', parcel.kommunenummer)]),
    el('mat:gardsnummer', parcel.gnr),
    el('mat:bruksnummer', parcel.bnr),
    el('mat:festenummer', parcel.fnr),
    el('mat:seksjonsnummer', parcel.snr),
  ]);
  const response = await client.call('matrikkelenhet', 'findMatrikkelenhetIdForIdent', [ident], options);
  const id = bubbleIdOf(returnOf(response));
  if (!id) throw malformed('findMatrikkelenhetIdForIdent', 'the response has no return/value');
  return id;
}

function prefixFor(ns: string): string {
  const entry = Object.entries(PREFIXES).find(([, uri]) => uri === ns);
  if (!entry) throw new Error(`no prefix declared for namespace ${ns}`);
  return entry[0];
}

/**
 * StoreService wants the concrete id type in `xsi:type` to know what to fetch (an untyped
 * MatrikkelBubbleId fails with a mapping error: PorticoEstate/matrikkel
 * doc/BUG_REPORT_StoreService_getObjects.md; Kartverket's example uses xsi:type="kom:KommuneId").
 */
function typedIdNode(name: string, id: TypedId): XmlNode {
  return el(name, [el('dom:value', id.value)], { 'xsi:type': `${prefixFor(id.type.ns)}:${id.type.local}` });
}

/** StoreService.getObject: one bubble object. */
export async function getObject(
  client: MatrikkelSoapClient,
  id: TypedId,
  options: Signal = {},
): Promise<XmlElement> {
  const response = await client.call('store', 'getObject', [typedIdNode('ser:id', id)], options);
  const object = returnOf(response);
  if (!object) throw malformed('getObject', `no object returned for ${id.type.local} ${id.value}`);
  return object;
}

/** StoreService.getObjects: several bubble objects in one call (the answer keeps no order guarantee). */
export async function getObjects(
  client: MatrikkelSoapClient,
  ids: TypedId[],
  options: Signal = {},
): Promise<XmlElement[]> {
  if (ids.length === 0) return [];
  const list = el(
    'ser:ids',
    ids.map((id) => typedIdNode('dom:item', id)),
  );
  const response = await client.call('store', 'getObjects', [list], options);
  return itemsOf(response);
}

/** BrukerService.getPaloggetBruker: the id of the user the credentials belong to. */
export async function getPaloggetBruker(client: MatrikkelSoapClient, options: Signal = {}): Promise<string> {
  const response = await client.call('bruker', 'getPaloggetBruker', [], options);
  const id = bubbleIdOf(returnOf(response));
  if (!id) throw malformed('getPaloggetBruker', 'the response has no return/value');
  return id;
}

/** BrukerService.harLesEierforholdRettighet: may this user read ownerships at all? */
export async function harLesEierforholdRettighet(
  client: MatrikkelSoapClient,
  brukerId: string,
  options: Signal = {},
): Promise<boolean> {
  const response = await client.call(
    'bruker',
    'harLesEierforholdRettighet',
    [el('ser:brukerId', [el('dom:value', brukerId)])],
    options,
  );
  const answer = textAt(response, 'return');
  if (answer !== 'true' && answer !== 'false') {
    throw malformed('harLesEierforholdRettighet', `return is ${JSON.stringify(answer)}, not a boolean`);
  }
  return answer === 'true';
}

function malformed(operation: string, detail: string): SourceError {
  return new SourceError('malformed', `${operation}: ${detail}`, { source: 'matrikkel' });
}
