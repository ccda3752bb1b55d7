/**
 * npm run bench:owners [-- --lookups 100 --mean-gap-ms 1000]
 *
 * Time from the webhook call to the owners being in Airtable (the lot's Eieroppslag = Ferdig),
 * over N lookups arriving at random (Poisson) times, against the Matrikkel double (40–120 ms per
 * call) and the Airtable fake (120 ms per request, at most 4.8 requests/s as the real client's
 * limiter allows). The same arrivals run twice: the baseline handles one lookup at a time
 * (MATRIKKEL_CONCURRENCY=1), then the configured queue (MATRIKKEL_CONCURRENCY=4). Target: p95
 * under 2 s.
 */
import { TomterField } from '../../sync/src/crm/schema/index.js';
import { FakeAirtable } from '../../test/helpers/fake-airtable-records.js';
import { startOwnerLookupHarness } from '../../test/helpers/owner-lookup-harness.js';
import { startMatrikkelDouble } from '../../test/doubles/matrikkel/server.js';

const arg = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const LOOKUPS = arg('lookups', 100);
const MEAN_GAP_MS = arg('mean-gap-ms', 1000);
const TARGET_P95_MS = 2000;

function arrivals(n: number, meanGapMs: number): number[] {
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const times: number[] = [];
  let t = 0;
  for (let i = 0; i < n; i++) {
    times.push(Math.round(t));
    t += -Math.log(1 - random()) * meanGapMs;
  }
  return times;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

interface Result {
  label: string;
  done: number[];
  answered: number[];
  airtableRequests: number;
  matrikkelCalls: number;
}

async function run(label: string, concurrency: number, schedule: number[]): Promise<Result> {
  const finishedAt = new Map<string, number>();
  const airtable = new FakeAirtable({
    latencyMs: 120,
    requestsPerSecond: 4.8,
    onUpdate: (table, records) => {
      for (const r of records) {
        if (table === 'Tomter' && r.fields[TomterField.eieroppslag] === 'Ferdig')
          finishedAt.set(r.id, performance.now());
      }
    },
  });
  const double = await startMatrikkelDouble({ latencyMs: [40, 120] });
  const h = await startOwnerLookupHarness({
    lots: LOOKUPS,
    airtable,
    double,
    env: { MATRIKKEL_CONCURRENCY: String(concurrency), LOG_LEVEL: 'warn' },
  });
  const start = performance.now();
  const answered: number[] = [];
  const sentAt = new Map<string, number>();
  await Promise.all(
    schedule.map(async (offset, i) => {
      await new Promise((r) => setTimeout(r, offset));
      const lot = h.lots[i]!;
      const sent = performance.now();
      sentAt.set(lot.recordId, sent);
      const response = await h.post({ recordId: lot.recordId, nonce: `bench${i}x${label.length}` });
      answered.push(performance.now() - sent);
      if (response.status !== 202) throw new Error(`lookup ${i}: HTTP ${response.status}`);
    }),
  );
  await h.service.queue.idle();
  const done = h.lots.map((lot) => {
    const end = finishedAt.get(lot.recordId);
    if (end === undefined) throw new Error(`lot ${lot.tomtId} was never marked Ferdig`);
    return end - sentAt.get(lot.recordId)!;
  });
  const result = {
    label,
    done,
    answered,
    airtableRequests: airtable.requestCount(),
    matrikkelCalls: double.calls.length,
  };
  process.stderr.write(
    `${label}: ${LOOKUPS} lookups in ${((performance.now() - start) / 1000).toFixed(1)} s\n`,
  );
  await h.close();
  await double.close();
  return result;
}

const schedule = arrivals(LOOKUPS, MEAN_GAP_MS);
const baseline = await run('baseline: one lookup at a time (MATRIKKEL_CONCURRENCY=1)', 1, schedule);
const queued = await run('tomtejakt queue (MATRIKKEL_CONCURRENCY=4)', 4, schedule);

const row = (r: Result) =>
  [
    r.label.padEnd(58),
    `${Math.round(percentile(r.done, 50))}`.padStart(6),
    `${Math.round(percentile(r.done, 95))}`.padStart(6),
    `${Math.round(Math.max(...r.done))}`.padStart(6),
    `${Math.round(percentile(r.answered, 95))}`.padStart(10),
    `${(r.airtableRequests / LOOKUPS).toFixed(2)}`.padStart(8),
    `${(r.matrikkelCalls / LOOKUPS).toFixed(2)}`.padStart(8),
  ].join(' ');

console.log(
  `owner lookup, webhook → owners in Airtable: ${LOOKUPS} lookups, Poisson arrivals (mean gap ${MEAN_GAP_MS} ms), ` +
    'Matrikkel double 40–120 ms/call, Airtable fake 120 ms/request at ≤ 4.8 requests/s',
);
console.log(
  `${'run'.padEnd(58)} ${'p50 ms'.padStart(6)} ${'p95 ms'.padStart(6)} ${'max ms'.padStart(6)} ${'202 p95 ms'.padStart(10)} ${'AT req/l'.padStart(8)} ${'MK call/l'.padStart(8)}`,
);
console.log(row(baseline));
console.log(row(queued));
const p95 = percentile(queued.done, 95);
console.log(
  `p95 ratio queue / baseline: ${(p95 / percentile(baseline.done, 95)).toFixed(2)}; ` +
    `p95 / target (${TARGET_P95_MS} ms): ${(p95 / TARGET_P95_MS).toFixed(2)} ${p95 < TARGET_P95_MS ? '(met)' : '(NOT met)'}`,
);
