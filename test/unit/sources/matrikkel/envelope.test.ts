import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildEnvelope, defaultMatrikkelContext } from '../../../../sync/src/sources/matrikkel/envelope.js';
import { NS, SERVICES, type ServiceName } from '../../../../sync/src/sources/matrikkel/namespaces.js';
import {
  child,
  children,
  el,
  parseXml,
  type XmlElement,
} from '../../../../sync/src/sources/matrikkel/xml.js';

const fixture = (name: string) =>
  parseXml(readFileSync(new URL(`../../../fixtures/matrikkel-wsdl/${name}`, import.meta.url), 'utf8'));

/** The element names of an xs:complexType's sequence, in order. */
function sequenceOf(schema: XmlElement, typeName: string): string[] {
  const type = children(schema, 'complexType').find((t) => t.attrs.name === typeName);
  if (!type) throw new Error(`no complexType ${typeName}`);
  return children(child(type, 'sequence'), 'element').map((e) => e.attrs.name!);
}

function requestOf(service: ServiceName, operation: string, parameters: ReturnType<typeof el>[]) {
  const envelope = parseXml(buildEnvelope(service, operation, parameters, defaultMatrikkelContext));
  const body = child(envelope, 'Body', NS.soapEnvelope);
  return child(body, operation, SERVICES[service].ns)!;
}

const schemas = {
  matrikkelenhet: fixture('MatrikkelenhetServiceWS_schema1.xsd'),
  store: fixture('StoreServiceWS_schema1.xsd'),
  bruker: fixture('BrukerServiceWS_schema1.xsd'),
};

describe('request envelopes follow the service schemas', () => {
  const cases: Array<[ServiceName, string, ReturnType<typeof el>[]]> = [
    ['matrikkelenhet', 'findMatrikkelenhetIdForIdent', [el('ser:matrikkelenhetIdent', [])]],
    ['store', 'getObject', [el('ser:id', [])]],
    ['store', 'getObjects', [el('ser:ids', [])]],
    ['bruker', 'getPaloggetBruker', []],
    ['bruker', 'harLesEierforholdRettighet', [el('ser:brukerId', [])]],
  ];
  for (const [service, operation, parameters] of cases) {
    it(`${service}.${operation}: parameters in the schema's order, matrikkelContext last`, () => {
      const request = requestOf(service, operation, parameters);
      expect(request.children.map((c) => c.local)).toEqual(sequenceOf(schemas[service], operation));
      expect(request.children.every((c) => c.ns === SERVICES[service].ns)).toBe(true);
    });
  }

  it('the matrikkelContext has every MatrikkelContext element, in order, in the domain namespace', () => {
    const context = child(requestOf('bruker', 'getPaloggetBruker', []), 'matrikkelContext')!;
    expect(context.children.map((c) => c.local)).toEqual(
      sequenceOf(fixture('basistyper.xsd'), 'MatrikkelContext'),
    );
    expect(context.children.every((c) => c.ns === NS.domain)).toBe(true);
    expect(child(context, 'snapshotVersion')!.children[0]!.text).toBe('9999-01-01T00:00:00+01:00');
  });

  it('declares the prefix an xsi:type value uses, and escapes text', () => {
    const request = requestOf('store', 'getObject', [
      el('ser:id', [el('dom:value', '<1&2>')], { 'xsi:type': 'mat:MatrikkelenhetId' }),
    ]);
    const id = child(request, 'id')!;
    expect(id.xsiType).toEqual({ ns: NS.matrikkelenhet, local: 'MatrikkelenhetId' });
    expect(id.attrs.type).toBe('mat:MatrikkelenhetId');
    expect(child(id, 'value')!.text).toBe('<1&2>');
  });
});
