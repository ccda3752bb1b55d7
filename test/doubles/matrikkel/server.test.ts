import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEnvelope, defaultMatrikkelContext } from '../../../sync/src/sources/matrikkel/envelope.js';
import { el } from '../../../sync/src/sources/matrikkel/xml.js';
import { startMatrikkelDouble, type MatrikkelDouble } from './server.js';

/** The double must be as strict as the real service where a client can go wrong. */
let double: MatrikkelDouble;
const auth = `Basic ${Buffer.from('tomtejakt-test:correct horse battery staple').toString('base64')}`;

beforeAll(async () => {
  double = await startMatrikkelDouble();
});
afterAll(async () => {
  await double.close();
});

const post = (endpoint: string, body: string, authorization = auth) =>
  fetch(`${double.url}/${endpoint}`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'text/xml; charset=utf-8' },
    body,
  });

const ident = el('ser:matrikkelenhetIdent', [
  el('mat:kommuneIdent', [el('kom:kommunenummer', '3218')]),
  el('mat:gardsnummer', 900),
  el('mat:bruksnummer', 2),
  el('mat:festenummer', 0),
  el('mat:seksjonsnummer', 0),
]);

describe('Matrikkel double', () => {
  it('answers a well-formed request with a JAX-WS style envelope', async () => {
    const response = await post(
      'MatrikkelenhetServiceWS',
      buildEnvelope('matrikkelenhet', 'findMatrikkelenhetIdForIdent', [ident], defaultMatrikkelContext),
    );
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><S:Envelope/);
    expect(text).toMatch(
      /<ns7:return xsi:type="ns3:MatrikkelenhetId"><ns2:value>\d+<\/ns2:value><\/ns7:return>/,
    );
  });

  it('sends its HTML login page with HTTP 200 for wrong credentials', async () => {
    const response = await post('StoreServiceWS', '<x/>', 'Basic d3Jvbmc6d3Jvbmc=');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toMatch(/^<!DOCTYPE HTML/);
  });

  it('faults a call without matrikkelContext', async () => {
    const envelope = buildEnvelope(
      'matrikkelenhet',
      'findMatrikkelenhetIdForIdent',
      [ident],
      defaultMatrikkelContext,
    ).replace(/<ser:matrikkelContext>.*<\/ser:matrikkelContext>/, '');
    const response = await post('MatrikkelenhetServiceWS', envelope);
    expect(response.status).toBe(500);
    expect(await response.text()).toContain('matrikkelContext mangler');
  });

  it('faults a context that asks for history', async () => {
    const response = await post(
      'MatrikkelenhetServiceWS',
      buildEnvelope('matrikkelenhet', 'findMatrikkelenhetIdForIdent', [ident], {
        ...defaultMatrikkelContext,
        snapshotVersion: '2020-01-01T00:00:00+01:00',
      }),
    );
    expect(await response.text()).toContain('Historiske data krever egen rolle');
  });

  it('faults an ident whose children are in the wrong namespace', async () => {
    const wrong = el('ser:matrikkelenhetIdent', [
      el('dom:kommuneIdent', [el('dom:kommunenummer', '3218')]),
      el('dom:gardsnummer', 900),
      el('dom:bruksnummer', 2),
    ]);
    const response = await post(
      'MatrikkelenhetServiceWS',
      buildEnvelope('matrikkelenhet', 'findMatrikkelenhetIdForIdent', [wrong], defaultMatrikkelContext),
    );
    expect(await response.text()).toContain('ValidationException');
  });

  it('faults a StoreService id without xsi:type, like the real service', async () => {
    const response = await post(
      'StoreServiceWS',
      buildEnvelope(
        'store',
        'getObject',
        [el('ser:id', [el('dom:value', '5000000001')])],
        defaultMatrikkelContext,
      ),
    );
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).toContain(':ServiceException:SystemException:ImplementationException:');
    expect(text).toContain('Error mapping from');
  });

  it('faults an unknown id with a FinderException', async () => {
    const response = await post(
      'StoreServiceWS',
      buildEnvelope(
        'store',
        'getObject',
        [el('ser:id', [el('dom:value', '1')], { 'xsi:type': 'mat:MatrikkelenhetId' })],
        defaultMatrikkelContext,
      ),
    );
    expect(await response.text()).toContain(':ServiceException:ApplicationException:FinderException:');
  });
});
