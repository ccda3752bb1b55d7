/**
 * What one flush made of each item, in the order given: undefined when it went through, else the
 * error that item's caller gets.
 */
export type FlushOutcome = Array<unknown>;

/**
 * Coalesces calls into batches: the first item is flushed at once; items that arrive while a
 * flush runs wait and go together in the next one. So nothing waits for a timer, and under load
 * one request carries what would have been many (Airtable counts requests, not records).
 * One flush at a time, each taking everything that waits.
 */
export function createCoalescer<I>(flush: (items: I[]) => Promise<FlushOutcome>): (item: I) => Promise<void> {
  let waiting: Array<{ item: I; resolve: () => void; reject: (error: unknown) => void }> = [];
  let flushing = false;

  async function drain(): Promise<void> {
    flushing = true;
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      let outcome: FlushOutcome;
      try {
        outcome = await flush(batch.map((w) => w.item));
      } catch (error) {
        outcome = batch.map(() => error);
      }
      batch.forEach((w, i) => (outcome[i] === undefined ? w.resolve() : w.reject(outcome[i])));
    }
    flushing = false;
  }

  return (item) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      if (!flushing) void drain();
    });
}

/**
 * Runs `write` on all items at once; if that fails and there was more than one, runs it on each
 * alone, so one bad item (a record deleted meanwhile, a value Airtable refuses) fails only its
 * own caller.
 */
export async function allOrEachAlone<I>(
  items: I[],
  write: (items: I[]) => Promise<void>,
): Promise<FlushOutcome> {
  try {
    await write(items);
    return items.map(() => undefined);
  } catch (error) {
    if (items.length === 1) return [error];
    const outcome: FlushOutcome = [];
    for (const item of items) {
      try {
        await write([item]);
        outcome.push(undefined);
      } catch (itemError) {
        outcome.push(itemError);
      }
    }
    return outcome;
  }
}
