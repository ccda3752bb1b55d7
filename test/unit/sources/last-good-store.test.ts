import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { Parcel } from '../../../sync/src/domain/parcel.js';
import { LastGoodStore, type StoredData } from '../../../sync/src/sources/last-good-store.js';
import { generateKommune, SAMPLE_OPTIONS } from '../../../scripts/sample/kommune-generator.js';
import { multiUnitParcel } from './files/helpers.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function store() {
  const dir = mkdtempSync(path.join(tmpdir(), 'last-good-'));
  dirs.push(dir);
  return {
    store: new LastGoodStore(dir),
    fileOf: (part: string) => path.join(dir, '3207', `${part}.json.gz`),
  };
}

const multi = multiUnitParcel('3207', [255000.543, 6622324.024]);

function entryOf<T>(part: StoredData<T>['part'], data: T): StoredData<T> {
  return {
    kommunenummer: '3207',
    part,
    source: 'files:/data/3207',
    coverage: 'covered',
    savedAt: '2026-12-07T02:00:00.000Z',
    data,
  };
}

describe('LastGoodStore: the parcels kept packed', () => {
  it('gives back exactly the parcels saved, by both writers, and when they were fetched', async () => {
    const { parcels } = generateKommune(SAMPLE_OPTIONS);
    const entry = entryOf('parcels', [...parcels, multi]);
    const { store: kept, fileOf } = store();
    await kept.saveAsync(entry);
    expect(kept.load('3207', 'parcels')).toEqual(entry);
    expect(kept.savedAtOf('3207', 'parcels')).toBe(entry.savedAt);
    // Packed: far smaller than the JSON text it replaces, and a first line that says so.
    const bytes = gunzipSync(readFileSync(fileOf('parcels')));
    expect(bytes.length).toBeLessThan(JSON.stringify(entry).length * 0.7);
    expect(JSON.parse(bytes.toString('utf8', 0, bytes.indexOf(10)))).toMatchObject({
      data: null,
      part: 'parcels',
    });
    kept.save({ ...entry, savedAt: '2026-12-08T02:00:00.000Z' });
    expect(kept.load('3207', 'parcels')).toEqual({ ...entry, savedAt: '2026-12-08T02:00:00.000Z' });
  });

  it('still reads a copy an earlier version wrote as JSON, and keeps other parts and 3D positions as JSON', async () => {
    const { store: kept, fileOf } = store();
    const old = entryOf('parcels', [multi]);
    kept.save(entryOf('kommune', { navn: 'Nordre Follo' }));
    writeFileSync(fileOf('parcels'), gzipSync(JSON.stringify(old)));
    expect(kept.load('3207', 'parcels')).toEqual(old);
    expect(kept.savedAtOf('3207', 'parcels')).toBe(old.savedAt);
    expect(JSON.parse(gunzipSync(readFileSync(fileOf('kommune'))).toString('utf8'))).toEqual(
      entryOf('kommune', { navn: 'Nordre Follo' }),
    );
    // Position is [x, y] in the domain; a source could still hand on a third value.
    const raised = {
      ...multi,
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [255000, 6622000, 12],
            [255010, 6622000, 12],
            [255010, 6622010, 13],
            [255000, 6622000, 12],
          ],
        ],
      },
    } as unknown as Parcel;
    await kept.saveAsync(entryOf('parcels', [multi, raised]));
    expect(kept.load('3207', 'parcels')).toEqual(entryOf('parcels', [multi, raised]));
    expect(gunzipSync(readFileSync(fileOf('parcels'))).indexOf(10)).toBe(-1);
  });

  it('has no copy to give when the packed sections are cut short or run on', async () => {
    const { store: kept, fileOf } = store();
    await kept.saveAsync(entryOf('parcels', [multi]));
    const bytes = gunzipSync(readFileSync(fileOf('parcels')));
    writeFileSync(fileOf('parcels'), gzipSync(bytes.subarray(0, bytes.length - 3)));
    expect(kept.load('3207', 'parcels')).toBeNull();
    writeFileSync(fileOf('parcels'), gzipSync(Buffer.concat([bytes, Buffer.from('x')])));
    expect(kept.load('3207', 'parcels')).toBeNull();
  });
});
