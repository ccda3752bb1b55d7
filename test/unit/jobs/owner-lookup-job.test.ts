import { afterEach, describe, expect, it } from 'vitest';
import { EiereField as E, TomterField as T } from '../../../sync/src/crm/schema/index.js';
import { listAudit } from '../../../sync/src/store/audit-log.js';
import { currentOwnersOfLot } from '../../../sync/src/store/owners.js';
import { SourceError } from '../../../sync/src/util/errors.js';
import { startOwnerLookupHarness, type Harness } from '../../helpers/owner-lookup-harness.js';
import { idleWithin } from '../../helpers/queue-idle.js';
import { windowMs } from '../../helpers/test-effort.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function lookUp(harness: Harness, index = 0) {
  const lot = harness.lots[index]!;
  const nonce = `n${Math.random().toString(36).slice(2, 12)}`;
  expect((await harness.post({ recordId: lot.recordId, nonce })).status).toBe(202);
  await idleWithin(harness.service.queue);
  return { lot, state: harness.airtable.read('Tomter', lot.recordId)!, audit: listAudit(harness.db).at(-1)! };
}

describe('one owner lookup, outcome by outcome', () => {
  it('fails at once, without retrying, when the Matrikkel answers with its login page', async () => {
    h = await startOwnerLookupHarness({ lots: 1, env: { MATRIKKEL_PASSWORD: 'not the password' } });
    const { state, audit } = await lookUp(h);
    expect(state).toMatchObject({
      [T.eieroppslag]: 'Feilet',
      [T.eieroppslagMelding]: 'Eieroppslaget feilet: Matrikkelen avviste påloggingen (brukernavn/passord)',
    });
    expect(audit).toMatchObject({ outcome: 'failed', detail: expect.stringContaining('HTML login page') });
    expect(h.double.calls).toHaveLength(1);
    expect(h.logLines.join('\n')).not.toContain('not the password');
  });

  it('retries an operational fault, shows the retry in the lot, and then finishes', async () => {
    h = await startOwnerLookupHarness({ specialLots: [{ gnr: 900, bnr: 2 }] });
    h.double.inject({ kind: 'soap-fault' }, { operation: 'getObject', times: 2 });
    const { state, audit } = await lookUp(h);
    expect(state).toMatchObject({ [T.eieroppslag]: 'Ferdig', [T.antallEiere]: 1 });
    expect(audit).toMatchObject({ outcome: 'done', ownerCount: 1 });
    const lotWrites = h.airtable.requests.filter((r) => r.method === 'update' && r.table === 'Tomter');
    expect(lotWrites.length).toBe(3); // two "prøver igjen" notes, then Ferdig
  });

  it('fails with the reason when the last attempt also meets a transient fault', async () => {
    h = await startOwnerLookupHarness({ specialLots: [{ gnr: 900, bnr: 2 }] });
    h.double.inject({ kind: 'soap-fault' }, { operation: 'getObject', times: 3 });
    const { state, audit } = await lookUp(h);
    expect(state).toMatchObject({
      [T.eieroppslag]: 'Feilet',
      [T.eieroppslagMelding]: 'Eieroppslaget feilet: Matrikkelen har driftsproblemer',
    });
    expect(audit).toMatchObject({ outcome: 'failed' });
    expect(listAudit(h.db)).toHaveLength(1);
  });

  it('fails a lot that has no Tomter record without asking the Matrikkel', async () => {
    h = await startOwnerLookupHarness({ lots: 1 });
    h.service.queue.enqueue({
      lot: {
        tomtId: '3218-77/1-KpOmr9',
        recordId: null,
        kommunenummer: '3218',
        matrikkelenheter: [{ kommunenummer: '3218', gnr: 77, bnr: 1, fnr: 0, snr: 0 }],
        matrikkelenhetId: null,
      },
      requestedBy: 'kari@firma.no',
      via: 'cli',
      purpose: 'test',
    });
    await idleWithin(h.service.queue);
    expect(listAudit(h.db)).toEqual([
      expect.objectContaining({
        tomtId: '3218-77/1-KpOmr9',
        outcome: 'failed',
        detail: 'lot 3218-77/1-KpOmr9 has no record in Tomter',
      }),
    ]);
    expect(h.double.calls).toEqual([]);
    expect(h.airtable.requestCount('update')).toBe(0);
  });

  it('reports a parcel the Matrikkel does not know', async () => {
    h = await startOwnerLookupHarness({ specialLots: [{ gnr: 999, bnr: 999 }] });
    const { state, audit } = await lookUp(h);
    expect(state[T.eieroppslag]).toBe('Feilet');
    expect(state[T.eieroppslagMelding]).toMatch(/^Fant ikke 3218-999\/999 i Matrikkelen/);
    expect(audit).toMatchObject({ outcome: 'failed', detail: 'not in the Matrikkel: 3218-999/999' });
  });

  it('finishes a parcel without a registered owner with zero owners', async () => {
    h = await startOwnerLookupHarness({ specialLots: [{ gnr: 900, bnr: 3 }] });
    const { state, audit } = await lookUp(h);
    expect(state).toMatchObject({
      [T.eieroppslag]: 'Ferdig',
      [T.eieroppslagMelding]: expect.stringMatching(/^Ingen registrerte eiere \(3218-900\/3\)\. Hentet /),
    });
    expect(state[T.antallEiere]).toBe(0);
    expect(audit.ownerCount).toBe(0);
  });

  it('writes the fester and the bortfester of a leasehold lot', async () => {
    h = await startOwnerLookupHarness({ specialLots: [{ gnr: 900, bnr: 4, fnr: 1 }] });
    const { state } = await lookUp(h);
    expect(state[T.eieroppslagMelding]).toMatch(
      /^2 eiere \(1 person, 1 organisasjon\) på 3218-900\/4\/1\. Festetomt/,
    );
    const roles = h.airtable.all('Eiere').map((r) => [r.fields[E.rolle], r.fields[E.matrikkelnummer]]);
    expect(roles.sort()).toEqual([
      ['Bortfester', '3218-900/4'],
      ['Fester', '3218-900/4/1'],
    ]);
  });

  it('marks owners who sold since the last lookup as former owners', async () => {
    h = await startOwnerLookupHarness({
      specialLots: [{ gnr: 900, bnr: 1 }],
      env: { OWNER_LOOKUP_WINDOW_MINUTES: '0' },
    });
    await lookUp(h);
    const unit = h.double.registry.unitFor('3218', 900, 1, 0, 0)!;
    const [kept] = unit.ownerships;
    unit.ownerships = [{ ...kept!, andel: [1, 1] }];
    const { state } = await lookUp(h);
    expect(state[T.antallEiere]).toBe(1);
    const statuses = h.airtable
      .all('Eiere')
      .map((r) => r.fields[E.eierstatus])
      .sort();
    expect(statuses).toEqual(['Gjeldende', 'Tidligere eier']);
    expect(currentOwnersOfLot(h.db, h.lots[0]!.tomtId)).toHaveLength(1);
    expect(listAudit(h.db)).toHaveLength(2);
  });

  it('still marks former owners when the first write to Airtable failed and the lookup was retried', async () => {
    h = await startOwnerLookupHarness({
      specialLots: [{ gnr: 900, bnr: 6 }],
      env: { OWNER_LOOKUP_WINDOW_MINUTES: '0' },
    });
    await lookUp(h);
    const unit = h.double.registry.unitFor('3218', 900, 6, 0, 0)!;
    unit.ownerships = unit.ownerships.slice(0, 2).map((o) => ({ ...o, andel: [1, 2] as [number, number] }));
    h.airtable.failNext(
      new SourceError('http-status', 'RETRIABLE_ERROR', { source: 'airtable', status: 503 }),
      'upsert',
    );
    const { state, audit } = await lookUp(h);
    expect(state).toMatchObject({ [T.eieroppslag]: 'Ferdig', [T.antallEiere]: 2 });
    expect(audit).toMatchObject({
      outcome: 'done',
      detail: expect.stringContaining('1 former owner(s) marked'),
    });
    const statuses = h.airtable
      .all('Eiere')
      .map((r) => r.fields[E.eierstatus])
      .sort();
    expect(statuses).toEqual(['Gjeldende', 'Gjeldende', 'Tidligere eier']);
  });

  it('keeps owner names out of logs and the audit log when Airtable echoes them in an error', async () => {
    h = await startOwnerLookupHarness({ specialLots: [{ gnr: 900, bnr: 2 }] });
    const company = h.double.registry.person('3218', 10_003, 'JuridiskPerson').navn;
    h.airtable.failNext(
      new SourceError(
        'http-status',
        `INVALID_VALUE_FOR_COLUMN: Field "Navn" cannot accept the value "${company}"`,
        {
          source: 'airtable',
          status: 422,
        },
      ),
      'upsert',
    );
    const { state, audit } = await lookUp(h);
    expect(state[T.eieroppslag]).toBe('Feilet');
    expect(state[T.eieroppslagMelding]).toBe('Eieroppslaget feilet: kunne ikke skrive til Airtable');
    expect(audit.detail).toContain('INVALID_VALUE_FOR_COLUMN');
    expect(audit.detail).not.toContain(company);
    expect(h.logLines.join('\n')).not.toContain(company);
    // Nothing was written, so the store holds nothing either: it mirrors what reached Airtable.
    expect(currentOwnersOfLot(h.db, h.lots[0]!.tomtId)).toEqual([]);
  });

  it('shows "Pågår" only when the lookup takes a while', async () => {
    // A second's margin: on a loaded machine a fast lookup can take a few hundred ms.
    const noticeAfterMs = windowMs(1_000, 500);
    h = await startOwnerLookupHarness({ lots: 2, runningNoticeAfterMs: noticeAfterMs });
    await lookUp(h, 0);
    const fastStates = h.airtable.requests.filter(
      (r) => r.table === 'Tomter' && r.method === 'update',
    ).length;
    expect(fastStates).toBe(1);
    h.double.setLatency(noticeAfterMs + 100);
    await lookUp(h, 1);
    const slowStates = h.airtable.requests.filter(
      (r) => r.table === 'Tomter' && r.method === 'update',
    ).length;
    expect(slowStates - fastStates).toBe(2);
  });
});
