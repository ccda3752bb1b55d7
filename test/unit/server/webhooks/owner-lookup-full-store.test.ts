import { afterEach, describe, expect, it } from 'vitest';
import { fillStore } from '../../../helpers/full-store.js';
import { startOwnerLookupHarness, type Harness } from '../../../helpers/owner-lookup-harness.js';
import { idleWithin } from '../../../helpers/queue-idle.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('the owner lookup on a full store', () => {
  it('keeps answering the webhook, names the cause, and says degraded on /health while lookups wait', async () => {
    h = await startOwnerLookupHarness({ lots: 2 });
    const [queued, refused] = h.lots;
    // Queued before the disk filled; the queue cannot take it (its audit line needs room).
    await h.service.queue.stop();
    h.service.queue.enqueue({ lot: queued!, requestedBy: 'kari@firma.no', via: 'cli', purpose: 'test' });
    const full = fillStore(h.db);
    h.service.queue.start();

    const started = performance.now();
    const answer = await h.post({ recordId: refused!.recordId, nonce: 'fullstore1' });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(answer.status).toBe(503);
    expect(await answer.json()).toMatchObject({
      error: 'store-unavailable',
      message: expect.stringContaining('SQLITE_FULL'),
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(h.service.health()).toMatchObject({
      state: 'degraded',
      queue: { state: 'degraded', store: { reason: expect.stringContaining('SQLITE_FULL') }, queued: 1 },
    });
    expect(h.double.calls).toEqual([]);

    full.release();
    await idleWithin(h.service.queue);
    expect(h.service.health()).toMatchObject({ state: 'ok', queue: { store: null, doneSince: 1 } });
  });
});
