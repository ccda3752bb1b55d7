import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readParcelGml } from '../../../../../sync/src/sources/files/gml/parcel-gml.js';
import { scanTeigPage } from '../../../../../sync/src/sources/files/gml/teig-page-scan.js';
import type { ReadOptions, ReadWarning } from '../../../../../sync/src/sources/files/read-options.js';
import { generateKommune, SAMPLE_OPTIONS } from '../../../../../scripts/sample/kommune-generator.js';
import { teigWfsPage } from '../../../../../scripts/sample/writers.js';
import { cases } from '../../../../helpers/test-effort.js';
import { reference } from '../helpers.js';

const bergen = readFileSync(reference('matrikkel-teig-bergen-4601-167.xml'), 'utf8');

type Outcome = { parcels: unknown; summary: unknown; warnings: ReadWarning[] } | { error: string } | null;

async function generic(page: string, options: ReadOptions = {}): Promise<Outcome> {
  const warnings: ReadWarning[] = [];
  try {
    const read = await readParcelGml([page], 'page.xml', { ...options, onWarning: (w) => warnings.push(w) });
    return { ...read, warnings };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function scanned(page: string, options: ReadOptions = {}): Outcome {
  const warnings: ReadWarning[] = [];
  try {
    const read = scanTeigPage(page, 'page.xml', { ...options, onWarning: (w) => warnings.push(w) });
    return read && { ...read, warnings };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** The scan reads a page exactly as the generic reader does, or leaves it to it (null). */
async function expectSameOrDeclined(page: string, options: ReadOptions = {}): Promise<Outcome> {
  const fast = scanned(page, options);
  if (fast !== null) expect(fast).toStrictEqual(await generic(page, options));
  return fast;
}

describe('scanTeigPage: a teig WFS page read tag to tag, exactly as the generic GML reader reads it', () => {
  it("reads the recorded Bergen page (deegree's comments, indentation) as readParcelGml does", async () => {
    const fast = scanned(bergen);
    expect(fast).not.toBeNull();
    expect(fast).toStrictEqual(await generic(bergen));
    expect(fast).toMatchObject({ summary: { features: 3, numberReturned: '0', numberMatched: 'unknown' } });
  });

  it('reads generated pages of a whole kommune as readParcelGml does', async () => {
    const { parcels } = generateKommune(SAMPLE_OPTIONS);
    const page = teigWfsPage(parcels, SAMPLE_OPTIONS.kommunenavn);
    const fast = await expectSameOrDeclined(page);
    expect(fast).not.toBeNull();
    expect((fast as { parcels: unknown[] }).parcels).toHaveLength(parcels.length);
  });

  it.each([
    ['an entity in a field it skips', (p: string) => p.replace('BAKKEGATEN', 'BAKKE &amp; GATEN')],
    ['CRLF line ends', (p: string) => p.replace(/\n/g, '\r\n')],
    [
      'the Teig namespace declared on the root',
      (p: string) =>
        p
          .replace(/ xmlns:app="[^"]*"/g, '')
          .replace(
            '<wfs:FeatureCollection ',
            `<wfs:FeatureCollection xmlns:app="${/xmlns:app="([^"]*)"/.exec(bergen)![1]}" `,
          ),
    ],
  ])('reads a page with %s as readParcelGml does', async (_, edit) => {
    expect(await expectSameOrDeclined(edit(bergen))).not.toBeNull();
  });

  it.each([
    ['CDATA', (p: string) => p.replace('BAKKEGATEN', '<![CDATA[BAKKEGATEN]]>')],
    ['an entity the XML does not define', (p: string) => p.replace('BAKKEGATEN', 'BAKKE&nbsp;GATEN')],
    [
      'a nil teigId',
      (p: string) => p.replace('<app:teigId>261221547</app:teigId>', '<app:teigId xsi:nil="true"/>'),
    ],
    [
      'a MultiSurface',
      (p: string) =>
        p.replace(
          /<gml:Polygon gml:id="teig.261221547_APP_OMRÅDE"([^>]*)>([\s\S]*?)<\/gml:Polygon>/,
          '<gml:MultiSurface$1><gml:surfaceMember><gml:Polygon>$2</gml:Polygon></gml:surfaceMember></gml:MultiSurface>',
        ),
    ],
    [
      'an unclosed ring the generic reader closes with a warning',
      (p: string) => p.replace(/ -31866.543 6735324.024<\/gml:posList>/, '</gml:posList>'),
    ],
    [
      'a teig without matrikkelnummerTekst',
      (p: string) => p.replace('<app:matrikkelnummerTekst>167/714</app:matrikkelnummerTekst>', ''),
    ],
    [
      'a geometry without srsName',
      (p: string) => p.replace(/(<gml:Polygon gml:id="teig.261221547_APP_OMRÅDE") srsName="[^"]*"/, '$1'),
    ],
    ['two pages in one document', (p: string) => p + p],
    ['an element closed by another name', (p: string) => p.replace('</app:bruksnavn>', '</app:bruksnavnet>')],
    ['a truncated page', (p: string) => p.slice(0, 6000)],
    ['an HTML error page', () => '<!DOCTYPE html><html><body>502 Bad Gateway</body></html>'],
    ['an exception report', () => readFileSync(reference('matrikkel-typename-error.xml'), 'utf8')],
    [
      'a reference to a character XML does not allow',
      (p: string) => p.replace('BAKKEGATEN', 'BAKKE&#x110000;'),
    ],
    ['a reference to NUL', (p: string) => p.replace('BAKKEGATEN', 'BAKKE&#0;')],
    [
      'a name with a letter XML names cannot start with',
      (p: string) => p.replace(/app:bruksnavn>/g, 'app:ªbruksnavn>'),
    ],
  ])('leaves a page with %s to readParcelGml', async (_, edit) => {
    expect(await expectSameOrDeclined(edit(bergen))).toBeNull();
  });

  it('takes an unnamed CRS from defaultCrs as readParcelGml does', async () => {
    const page = bergen.replace(/(<gml:Polygon [^>]*?) srsName="[^"]*"/g, '$1');
    expect(await expectSameOrDeclined(page, { defaultCrs: 'EPSG:25833' })).not.toBeNull();
  });

  it('never reads an edited page differently from readParcelGml (random edits of the recorded page)', async () => {
    const snippets = [
      ' ',
      '\n',
      '<!-- c -->',
      '&amp;',
      '&x;',
      '<![CDATA[1]]>',
      '"',
      '>',
      '<',
      '/',
      '<app:teigId>9</app:teigId>',
      '<app:kommunenummer>0301</app:kommunenummer>',
      '<app:x/>',
      'xsi:nil="true"',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: bergen.length }),
        fc.integer({ min: 0, max: 40 }),
        fc.constantFrom(...snippets, ''),
        async (at, cut, insert) => {
          await expectSameOrDeclined(bergen.slice(0, at) + insert + bergen.slice(at + cut));
        },
      ),
      { numRuns: cases(300, 60) },
    );
  });
});
