import { describe, expect, it } from 'vitest';
import type { Lot } from '../../../sync/src/domain/lot.js';
import { loadLotAnnotator } from '../../../sync/src/engine/lot-annotator.js';

const moduleOf = (source: string) => `data:text/javascript,${encodeURIComponent(source)}`;

describe('loadLotAnnotator', () => {
  it("loads the module's annotator with the input it is given", async () => {
    const module = moduleOf(
      'export async function createLotAnnotator(input) { return (lots) => lots.map((l) => input.prefix + l.tomtId); }',
    );
    const annotate = await loadLotAnnotator({ module, input: { prefix: 'scored ' } });
    expect(annotate([{ tomtId: 'a' }, { tomtId: 'b' }] as Lot[])).toEqual(['scored a', 'scored b']);
  });

  it('says which module exports no annotator', async () => {
    const module = moduleOf('export const somethingElse = 1;');
    await expect(loadLotAnnotator({ module, input: null })).rejects.toThrow(
      `${module} exports no createLotAnnotator`,
    );
  });
});
