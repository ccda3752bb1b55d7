import { afterEach, describe, expect, it, vi } from 'vitest';
import { tomterTable } from '../../../sync/src/crm/schema/tomter.js';
import { seedTable } from './schema.js';
import { startAirtableDouble, type AirtableDouble } from './server.js';

let double: AirtableDouble | undefined;
afterEach(async () => {
  await double?.close();
  double = undefined;
});

interface DoubleBody {
  records?: Array<{ id: string; fields: Record<string, unknown> }>;
  offset?: string;
  id?: string;
  createdRecords?: string[];
  updatedRecords?: string[];
  tables?: Array<{
    id: string;
    fields: Array<{ name: string; type: string; options?: Record<string, unknown> }>;
  }>;
  error?: { type: string; message?: string } | string;
}

async function call(method: string, path: string, body?: unknown, token = double!.token) {
  const response = await fetch(`${double!.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as DoubleBody };
}

const lot = (id: string, extra: Record<string, unknown> = {}) => ({
  fields: { 'Tomt-ID': id, Kommunenummer: '3218', ...extra },
});

describe('Airtable double', () => {
  it('pages lists by 100 with an offset and rejects a pageSize over 100 and a stale offset', async () => {
    double = await startAirtableDouble({ rateLimit: false });
    seedTable(double.base(), tomterTable);
    for (let i = 0; i < 250; i += 1) double.addRecord('Tomter', { 'Tomt-ID': `3218-1/${i}-z` });
    const base = `/v0/${double.baseId}/Tomter`;
    const first = await call('GET', `${base}?pageSize=100`);
    expect(first.body.records).toHaveLength(100);
    const second = await call('GET', `${base}?pageSize=100&offset=${encodeURIComponent(first.body.offset!)}`);
    expect(second.body.records).toHaveLength(100);
    const third = await call('POST', `${base}/listRecords`, { pageSize: 100, offset: second.body.offset });
    expect(third.body.records).toHaveLength(50);
    expect(third.body.offset).toBeUndefined();
    expect((await call('GET', `${base}?pageSize=101`)).status).toBe(422);
    const again = await call('GET', `${base}?pageSize=10`);
    double.expireIterators();
    const stale = await call('GET', `${base}?offset=${encodeURIComponent(again.body.offset!)}`);
    expect(stale).toMatchObject({
      status: 422,
      body: { error: { type: 'LIST_RECORDS_ITERATOR_NOT_AVAILABLE' } },
    });
  });

  it('filters by formula and omits empty cells', async () => {
    double = await startAirtableDouble({ rateLimit: false });
    seedTable(double.base(), tomterTable);
    double.addRecord('Tomter', { 'Tomt-ID': 'a', Notater: '', Score: 0, Status: 'Ny' });
    double.addRecord('Tomter', { 'Tomt-ID': "b'x", Status: 'Dialog' });
    const formula = encodeURIComponent(`OR({Tomt-ID}='a',{Tomt-ID}='b\\'x')`);
    const { body } = await call('GET', `/v0/${double.baseId}/Tomter?filterByFormula=${formula}`);
    expect(body.records!.map((r) => r.fields['Tomt-ID'])).toEqual(['a', "b'x"]);
    expect(body.records![0]!.fields).toEqual({ 'Tomt-ID': 'a', Score: 0, Status: 'Ny' });
    const bad = await call(
      'GET',
      `/v0/${double.baseId}/Tomter?filterByFormula=${encodeURIComponent('NOPE(')}`,
    );
    expect(bad).toMatchObject({ status: 422, body: { error: { type: 'INVALID_FILTER_BY_FORMULA' } } });
  });

  it('takes at most 10 records a write and validates fields and values', async () => {
    double = await startAirtableDouble({ rateLimit: false });
    seedTable(double.base(), tomterTable);
    const path = `/v0/${double.baseId}/Tomter`;
    const eleven = Array.from({ length: 11 }, (_, i) => lot(`x${i}`));
    expect((await call('POST', path, { records: eleven })).status).toBe(422);
    expect(double.records('Tomter')).toHaveLength(0);
    expect(await call('POST', path, { records: [lot('a', { Arealet: 1 })] })).toMatchObject({
      status: 422,
      body: { error: { type: 'UNKNOWN_FIELD_NAME', message: 'Unknown field name: "Arealet"' } },
    });
    expect(await call('POST', path, { records: [lot('a', { 'Areal m²': 'stor' })] })).toMatchObject({
      status: 422,
      body: {
        error: {
          type: 'INVALID_VALUE_FOR_COLUMN',
          message: 'Field "Areal m²" cannot accept the provided value',
        },
      },
    });
    expect(await call('POST', path, { records: [lot('a', { Status: 'Kanskje' })] })).toMatchObject({
      status: 422,
      body: { error: { type: 'INVALID_MULTIPLE_CHOICE_OPTIONS' } },
    });
    expect(
      (await call('POST', path, { records: [lot('a', { Geometri: 'x'.repeat(100_001) })] })).status,
    ).toBe(422);
    expect((await call('POST', path, { records: [lot('a', { Status: 'Ny' })] })).status).toBe(200);
  });

  it('upserts on the merge field, reports created and updated ids, and fails when several records match', async () => {
    double = await startAirtableDouble({ rateLimit: false });
    seedTable(double.base(), tomterTable);
    const path = `/v0/${double.baseId}/Tomter`;
    const existing = double.addRecord('Tomter', { 'Tomt-ID': 'a', Status: 'Dialog', Score: 10 });
    const result = await call('PATCH', path, {
      performUpsert: { fieldsToMergeOn: ['Tomt-ID'] },
      records: [lot('a', { Score: 55 }), lot('b', { Score: 70 })],
    });
    expect(result.status).toBe(200);
    expect(result.body.updatedRecords).toEqual([existing]);
    expect(result.body.createdRecords).toHaveLength(1);
    expect(double.records('Tomter').find((r) => r.id === existing)!.fields).toMatchObject({
      Score: 55,
      Status: 'Dialog',
    });
    double.addRecord('Tomter', { 'Tomt-ID': 'a' });
    const ambiguous = await call('PATCH', path, {
      performUpsert: { fieldsToMergeOn: ['Tomt-ID'] },
      records: [lot('a')],
    });
    expect(ambiguous.status).toBe(422);
    expect(JSON.stringify(ambiguous.body.error)).toMatch(/2 records match/);
  });

  it('PATCH keeps fields not sent, PUT clears them', async () => {
    double = await startAirtableDouble({ rateLimit: false });
    seedTable(double.base(), tomterTable);
    const id = double.addRecord('Tomter', { 'Tomt-ID': 'a', Notater: 'ring eier', Score: 1 });
    const path = `/v0/${double.baseId}/Tomter`;
    await call('PATCH', path, { records: [{ id, fields: { Score: 2 } }] });
    expect(double.records('Tomter')[0]!.fields).toEqual({ 'Tomt-ID': 'a', Notater: 'ring eier', Score: 2 });
    await call('PUT', path, { records: [{ id, fields: { 'Tomt-ID': 'a', Score: 3 } }] });
    expect(double.records('Tomter')[0]!.fields).toEqual({ 'Tomt-ID': 'a', Score: 3 });
  });

  it('answers auth, unknown table and unknown route errors in Airtable shapes', async () => {
    double = await startAirtableDouble({ rateLimit: false });
    expect(await call('GET', `/v0/${double.baseId}/Tomter`, undefined, 'patWRONG')).toMatchObject({
      status: 401,
      body: { error: { type: 'AUTHENTICATION_REQUIRED' } },
    });
    expect(await call('GET', `/v0/${double.baseId}/Tomter`)).toMatchObject({
      status: 403,
      body: { error: { type: 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND' } },
    });
    expect(await call('GET', `/v1/nothing`)).toEqual({ status: 404, body: { error: 'NOT_FOUND' } });
  });

  it('answers 429 above 5 requests per second and then holds the base for the penalty', async () => {
    double = await startAirtableDouble({ rateLimit: { penaltyMs: 300 } });
    const path = `/v0/meta/bases/${double.baseId}/tables`;
    const statuses = await Promise.all(
      Array.from({ length: 7 }, () => call('GET', path).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 150));
    expect((await call('GET', path)).status).toBe(429);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await call('GET', path)).status).toBe(200);
  });

  it('creates tables and fields through the Metadata API, with the inverse of a link field', async () => {
    double = await startAirtableDouble({ rateLimit: false });
    const path = `/v0/meta/bases/${double.baseId}/tables`;
    const tomter = await call('POST', path, {
      name: 'Tomter',
      fields: [{ name: 'Tomt-ID', type: 'singleLineText' }],
    });
    const eiere = await call('POST', path, {
      name: 'Eiere',
      fields: [{ name: 'Eier-ID', type: 'singleLineText' }],
    });
    expect((await call('POST', path, { name: 'x', fields: [{ name: 'n', type: 'number' }] })).status).toBe(
      422,
    );
    const link = await call('POST', `${path}/${eiere.body.id}/fields`, {
      name: 'Tomter',
      type: 'multipleRecordLinks',
      options: { linkedTableId: tomter.body.id },
    });
    expect(link.status).toBe(200);
    const tables = (await call('GET', path)).body.tables;
    const inverse = tables![0]!.fields.find((f) => f.name === 'Eiere');
    expect(inverse).toMatchObject({ type: 'multipleRecordLinks', options: { linkedTableId: eiere.body.id } });
    expect(
      (await call('POST', `${path}/${eiere.body.id}/fields`, { name: 'tomter', type: 'singleLineText' }))
        .status,
    ).toBe(422);
  });

  it('injects faults; a timed-out write has still been applied', async () => {
    double = await startAirtableDouble({ rateLimit: false });
    seedTable(double.base(), tomterTable);
    double.injectFault(503);
    double.injectFault('timeout');
    const path = `/v0/${double.baseId}/Tomter`;
    expect((await call('POST', path, { records: [lot('a')] })).status).toBe(503);
    expect(double.records('Tomter')).toHaveLength(0);
    const controller = new AbortController();
    const pending = fetch(`${double.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${double.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ records: [lot('a')] }),
      signal: controller.signal,
    }).catch((e: unknown) => e);
    // The double applies the write, then never answers; the client gives up once it has landed
    // (a fixed pause of 100 ms was not always enough for the request to arrive on a busy machine).
    const started = double;
    await vi.waitFor(() => expect(started.records('Tomter')).toHaveLength(1), { timeout: 5_000 });
    controller.abort();
    expect(await pending).toBeInstanceOf(Error);
    expect(double.records('Tomter')).toHaveLength(1);
    expect(double.requests.map((r) => r.fault)).toEqual([503, 'timeout']);
  });
});
