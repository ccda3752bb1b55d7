import { readFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readPlanFeatures } from '../../../../sync/src/sources/files/index.js';
import { InputError } from '../../../../sync/src/util/errors.js';
import { zipOf } from '../../../helpers/zip.js';
import { reference, tempFolder } from './helpers.js';

const temp = tempFolder();
afterAll(() => temp.remove());
const napJson = readFileSync(reference('nap-gfi-vn1-bergen-167-714.json'));
const napGpkg = readFileSync(reference('nap-gfi-vn1-bergen-167-714.gpkg'));

describe('plan inputs: folders, archives, compression', () => {
  it('reads a Geonorge-style zip holding a GeoPackage and a GeoJSON, skipping other files', async () => {
    const file = temp.write(
      'Reguleringsplaner_4601.zip',
      zipOf({
        'data/plan.gpkg': napGpkg,
        'data/plan.geojson': napJson,
        'README.txt': 'Norge digitalt',
        'schema/plan.xsd': '<xs:schema/>',
      }),
    );
    const features = await readPlanFeatures(file);
    expect(features).toHaveLength(10); // 5 from each document
  });

  it('reads a zip inside a zip and a gzip inside a zip', async () => {
    const inner = zipOf({ 'plan.json': napJson });
    const file = temp.write('outer.zip', zipOf({ 'inner.zip': inner, 'plan.geojson.gz': gzipSync(napJson) }));
    expect(await readPlanFeatures(file)).toHaveLength(10);
  });

  it('reads every document of a folder tree in name order', async () => {
    const folder = path.join(temp.dir, 'tree');
    mkdirSync(path.join(folder, 'b'), { recursive: true });
    temp.write('tree/b/2.json', napJson);
    temp.write('tree/a.gpkg', napGpkg);
    temp.write('tree/notes.md', '# notes');
    expect(await readPlanFeatures(folder)).toHaveLength(10);
  });

  it('recognises content without a telling extension', async () => {
    expect(await readPlanFeatures(temp.write('download.bin', gzipSync(napJson)))).toHaveLength(5);
    expect(await readPlanFeatures(temp.write('download.dat', napGpkg))).toHaveLength(5);
  });

  it.each([
    ['a missing path', () => path.join(temp.dir, 'nope.gml'), /no such file or folder/],
    [
      'an empty folder',
      () => (mkdirSync(path.join(temp.dir, 'empty')), path.join(temp.dir, 'empty')),
      /holds no \.gml/,
    ],
    [
      'a SOSI text file',
      () => temp.write('plan.sos', '.HODE\n..TEGNSETT UTF-8'),
      /SOSI text files \(\.sos\) are not read/,
    ],
    [
      'a broken zip',
      () => temp.write('broken.zip', Buffer.from('PK\x03\x04 not really a zip')),
      /not a readable zip archive/,
    ],
    [
      'a broken gzip',
      () => temp.write('broken.json.gz', Buffer.from([0x1f, 0x8b, 1, 2, 3])),
      /broken gzip|cannot read/,
    ],
    [
      'unrecognised content',
      () => temp.write('random.bin', Buffer.from([0, 1, 2, 3])),
      /unrecognised content/,
    ],
  ])('refuses %s with an InputError naming it', async (_label, make, problem) => {
    const target = make();
    const error = await readPlanFeatures(target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(path.basename(target));
    expect((error as Error).message).toMatch(problem);
  });

  it('names the archive entry when a document inside a zip is broken', async () => {
    const file = temp.write(
      'bad-entry.zip',
      zipOf({ 'ok.json': napJson, 'plans/bad.json': '{"type":"FeatureCollection"' }),
    );
    await expect(readPlanFeatures(file)).rejects.toThrow(
      /bad-entry\.zip!plans\/bad\.json: the JSON document ends early/,
    );
  });
});
