import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../../sync/src/store/audit-log.js';
import { signPayload } from '../../../sync/src/server/webhooks/signature.js';
import {
  BASE_ID,
  SECRET,
  startOwnerLookupHarness,
  type Harness,
} from '../../helpers/owner-lookup-harness.js';
import { idleWithin } from '../../helpers/queue-idle.js';

const SCRIPT = readFileSync(
  new URL('../../../scripts/airtable/owner-lookup-automation.js', import.meta.url),
  'utf8',
);

interface Run {
  outputs: Record<string, unknown>;
  /** What the script wrote to the base: the lot it marks failed. */
  updates: Array<{ table: string; recordId: string; fields: Record<string, unknown> }>;
  requests: Array<{ url: string; headers: Record<string, string>; body: string }>;
  error: Error | null;
}

/** Runs the script body as Airtable does: top-level await, `input`, `output`, `base` and `fetch` as globals. */
async function runScript(
  config: Record<string, unknown>,
  options: { fetch?: typeof fetch; secret?: string } = {},
): Promise<Run> {
  const run: Run = { outputs: {}, updates: [], requests: [], error: null };
  const realFetch = options.fetch ?? fetch;
  const context = vm.createContext({
    input: {
      config: () => config,
      secret: async (name: string) =>
        name === 'tomtejaktWebhookSecret' ? (options.secret ?? SECRET) : undefined,
    },
    output: { set: (key: string, value: unknown) => (run.outputs[key] = value) },
    base: {
      id: BASE_ID,
      getTable: (table: string) => ({
        updateRecordAsync: async (recordId: string, fields: Record<string, unknown>) => {
          run.updates.push({ table, recordId, fields });
        },
      }),
    },
    fetch: async (url: string, init: { headers: Record<string, string>; body: string }) => {
      run.requests.push({ url, headers: init.headers, body: init.body });
      return realFetch(url, init as RequestInit);
    },
    JSON,
    Math,
    Date,
    String,
    Error,
    Array,
    Object,
  });
  try {
    await (new vm.Script(`(async () => {\n${SCRIPT}\n})()`).runInContext(context) as Promise<void>);
  } catch (error) {
    run.error = error as Error;
  }
  return run;
}

let h: Harness;
beforeAll(async () => {
  h = await startOwnerLookupHarness({ lots: 2 });
});
afterAll(async () => {
  await h.close();
});

describe('the Airtable automation script', () => {
  it('signs the body exactly as the service verifies it, with Norwegian letters in the name', async () => {
    const run = await runScript({
      recordId: h.lots[0]!.recordId,
      serviceUrl: h.url,
      requestedByName: 'Åse Ødegård-Ærø 😀',
      requestedByEmail: 'ase@example.no',
    });
    expect(run.error).toBeNull();
    const [request] = run.requests;
    const timestamp = request!.headers['X-Tomtejakt-Timestamp']!;
    expect(request!.headers['X-Tomtejakt-Signature']).toBe(signPayload(SECRET, timestamp, request!.body));
    expect(JSON.parse(request!.body)).toMatchObject({ recordId: h.lots[0]!.recordId, baseId: BASE_ID });
    expect(run.outputs).toMatchObject({ state: 'queued', jobId: expect.any(Number) });
    await idleWithin(h.service.queue);
    expect(listAudit(h.db)[0]).toMatchObject({
      requestedBy: 'Åse Ødegård-Ærø 😀 <ase@example.no>',
      outcome: 'done',
    });
  });

  it('matches node:crypto for keys longer than a block and long bodies', async () => {
    const longSecret = 'k'.repeat(100) + 'æøå';
    const run = await runScript(
      {
        recordId: h.lots[1]!.recordId,
        serviceUrl: 'https://tomtejakt.example/webhooks/owner-lookup',
        requestedByName: 'x'.repeat(150),
      },
      {
        secret: longSecret,
        fetch: (async () => new Response('{"jobId":1}', { status: 202 })) as typeof fetch,
      },
    );
    const [request] = run.requests;
    expect(request!.headers['X-Tomtejakt-Signature']).toBe(
      signPayload(longSecret, request!.headers['X-Tomtejakt-Timestamp']!, request!.body),
    );
  });

  it('fails the run with the service’s message when the call is refused', async () => {
    const run = await runScript(
      { recordId: h.lots[1]!.recordId, serviceUrl: h.url },
      { secret: 'wrong'.repeat(10) },
    );
    expect(run.error?.message).toMatch(
      /^Tomtejakt refused the owner lookup \(HTTP 401\): the signature does not match/,
    );
    // The lot does not stay "Forespurt": the script marks it failed with the reason itself.
    expect(run.updates).toEqual([
      {
        table: 'Tomter',
        recordId: h.lots[1]!.recordId,
        fields: {
          Eieroppslag: { name: 'Feilet' },
          'Eieroppslag melding': expect.stringMatching(
            /^Eieroppslaget feilet: Tomtejakt avviste kallet \(feil hemmelighet/,
          ),
        },
      },
    ]);
  });

  it('marks the lot failed when the service cannot be reached', async () => {
    const run = await runScript(
      { recordId: h.lots[1]!.recordId, serviceUrl: 'https://tomtejakt.example/webhooks/owner-lookup' },
      { fetch: (async () => Promise.reject(new TypeError('fetch failed'))) as typeof fetch },
    );
    expect(run.error?.message).toBe('Tomtejakt could not be reached: fetch failed');
    expect(run.updates.map((u) => u.fields['Eieroppslag melding'])).toEqual([
      expect.stringMatching(/^Eieroppslaget feilet: fikk ikke kontakt med Tomtejakt/),
    ]);
  });

  it('leaves the lot to the service when the lookup is queued, or the service is not configured', async () => {
    const queued = await runScript({ recordId: h.lots[0]!.recordId, serviceUrl: h.url });
    expect(queued.error).toBeNull();
    const notConfigured = await runScript(
      { recordId: h.lots[0]!.recordId, serviceUrl: h.url },
      {
        fetch: (async () =>
          new Response('{"error":"not-configured","message":"no Matrikkel credentials"}', {
            status: 503,
          })) as typeof fetch,
      },
    );
    expect(notConfigured.error?.message).toMatch(/HTTP 503/);
    expect([...queued.updates, ...notConfigured.updates]).toEqual([]);
    await idleWithin(h.service.queue);
  });

  it('stops before calling anything when its inputs are missing', async () => {
    const run = await runScript({ recordId: 'not-a-record', serviceUrl: h.url });
    expect(run.error?.message).toMatch(/recordId/);
    expect(run.requests).toEqual([]);
  });
});
