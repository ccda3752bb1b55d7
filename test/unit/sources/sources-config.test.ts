import { describe, expect, it } from 'vitest';
import { chosenSource, parseSourcesFile } from '../../../sync/src/sources/sources-config.js';
import { ConfigError } from '../../../sync/src/util/errors.js';

describe('SOURCES_FILE schema', () => {
  it('defaults to NAP for plans, the teig WFS for parcels and the NAP WMS for probes', () => {
    const file = parseSourcesFile({});
    expect(
      ['kommuneplan', 'reguleringsplan', 'parcels', 'probe'].map((role) =>
        chosenSource(file, '3218', role as never),
      ),
    ).toEqual(['nap', 'nap', 'teig-wfs', 'nap-wms']);
  });

  it('chooses per kommune and fills in defaults of a source', () => {
    const file = parseSourcesFile({
      sources: { lokal: { type: 'files', kommuneplan: 'data/{kommunenummer}/kp.zip' } },
      kommuner: { '3218': { kommuneplan: 'lokal' } },
    });
    expect(chosenSource(file, '3218', 'kommuneplan')).toBe('lokal');
    expect(chosenSource(file, '3207', 'kommuneplan')).toBe('nap');
    expect(parseSourcesFile({ sources: { nap: { type: 'nap-ogc-api' } } }).sources.nap).toMatchObject({
      vertikalniva: [2],
      pageSize: 1000,
      kommuneParameter: 'arealplanId.kommunenummer',
    });
  });

  it.each([
    [
      { kommuner: { '3218': { reguleringsplan: 'bergen' } } },
      /kommuner\.3218\.reguleringsplan.*no source named "bergen"/,
    ],
    [
      { kommuner: { '3218': { reguleringsplan: 'nap-wms' } } },
      /\(nap-wms\) cannot deliver a whole kommune's reguleringsplan/,
    ],
    [{ defaults: { parcels: 'nap' } }, /defaults\.parcels.*cannot deliver parcels/],
    [
      { sources: { f: { type: 'files', kommuneplan: 'x.zip' } }, kommuner: { '3218': { parcels: 'f' } } },
      /names no parcels file/,
    ],
    [{ sources: { w: { type: 'wfs', url: 'ftp://x', typeNames: {} } } }, /sources\.w\.url.*http\(s\) URL/],
    [{ sources: { n: { type: 'nap-ogc-api', reguleringsplanUrl: 'https://x/vn2' } } }, /must contain \{vn\}/],
    [{ sources: { p: { type: 'nap-wms', halfWindowM: 800 } } }, /halfWindowM/],
    [{ kommuner: { '318': {} } }, /4-digit kommunenummer/],
    [{ sourcez: {} }, /sourcez|Unrecognized/],
  ])('refuses %j', (value, message) => {
    const error = (() => {
      try {
        parseSourcesFile(value, 'sources.json');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
  });
});
