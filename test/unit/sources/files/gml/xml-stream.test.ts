import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../../../../sync/src/sources/files/format-error.js';
import { streamGmlFeatures, type XmlElement } from '../../../../../sync/src/sources/files/gml/xml-stream.js';
import { reference } from '../helpers.js';

const teig = readFileSync(reference('matrikkel-teig-bergen-4601-167.xml'));

async function* chunked(bytes: Buffer, size: number) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('streamGmlFeatures', () => {
  it('counts wfs:member features whatever numberReturned claims, for any chunking of concatenated pages', async () => {
    const twoPages = Buffer.concat([teig, Buffer.from('\n\n'), teig]);
    for (const size of [1, 7, 64, 4096, twoPages.length]) {
      const ids: string[] = [];
      const summary = await streamGmlFeatures(chunked(twoPages, size), (feature: XmlElement) =>
        ids.push(feature.attrs.id!),
      );
      expect(summary).toMatchObject({
        documents: 2,
        features: 6,
        numberReturned: '0',
        root: 'FeatureCollection',
      });
      expect(ids).toEqual([
        'teig.261221547',
        'teig.261221623',
        'teig.261221636',
        'teig.261221547',
        'teig.261221623',
        'teig.261221636',
      ]);
    }
  });

  it('keeps Unicode element names (app:område) and their text', async () => {
    let area: XmlElement | undefined;
    await streamGmlFeatures(
      chunked(teig, 3),
      (feature) => (area ??= feature.children.find((c) => c.local === 'område')),
    );
    expect(area?.children[0]?.local).toBe('Polygon');
  });

  it('says where a truncated document ends', async () => {
    const error = await streamGmlFeatures(chunked(teig.subarray(0, 2500), 100), () => undefined).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FormatError);
    expect(error).toMatchObject({
      kind: 'truncated',
      message: expect.stringMatching(/ends early inside <\w+>/),
    });
  });
});
