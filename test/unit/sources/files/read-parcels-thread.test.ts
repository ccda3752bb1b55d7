import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { readParcels } from '../../../../sync/src/sources/files/read-parcels.js';
import { readParcelsOnThreads } from '../../../../sync/src/sources/files/read-parcels-thread.js';
import { InputError } from '../../../../sync/src/util/errors.js';
import { collectWarnings, reference, tempFolder } from './helpers.js';

const temp = tempFolder();
afterAll(() => temp.remove());
const teigXml = readFileSync(reference('matrikkel-teig-bergen-4601-167.xml'), 'utf8');

describe('readParcelsOnThreads: the parcel reader on worker threads, a slice of the pages each', () => {
  it('gives the parcels and warnings the reader gives on the main thread, de-duplicated across slices', async () => {
    const page2 = teigXml.replace(/261221636/g, '261221999').replace('167/718', '167/999');
    const broken = page2
      .replace('<app:matrikkelnummerTekst>167/717</app:matrikkelnummerTekst>', '')
      .replace(/(gml:id="teig\.261221623"[\s\S]*?)<app:matrikkelenhet>[\s\S]*?<\/app:matrikkelenhet>/, '$1');
    temp.write('page-1.xml', teigXml);
    temp.write('page-2.xml', broken);
    const here = collectWarnings();
    const there = collectWarnings();
    const expected = await readParcels(temp.dir, { onWarning: here.onWarning });
    const parcels = await readParcelsOnThreads(temp.dir, { onWarning: there.onWarning });
    expect(parcels.map((p) => p.teigId)).toEqual(['261221547', '261221623', '261221636', '261221999']);
    expect(parcels).toEqual(expected);
    expect(there.warnings).toEqual(here.warnings);
    expect(there.warnings).toEqual([expect.objectContaining({ feature: 'gml:id teig.261221623' })]);
  });

  it("fails with the reader's own InputError, naming the file", async () => {
    const truncated = temp.write('truncated.xml', teigXml.slice(0, 6000));
    const error = await readParcelsOnThreads(truncated).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/truncated/);
  });

  it('stops when its signal aborts', async () => {
    const stop = new AbortController();
    const reading = readParcelsOnThreads(reference('matrikkel-teig-bergen-4601-167.xml'), {
      signal: stop.signal,
    });
    stop.abort(new Error('the run has ended'));
    await expect(reading).rejects.toThrow('the run has ended');
  });
});
