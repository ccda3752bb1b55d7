import { readFileSync } from 'node:fs';
import { constants, crc32, createDeflateRaw, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readParcels, readPlanFeatures } from '../../../../sync/src/sources/files/index.js';
import { InputError } from '../../../../sync/src/util/errors.js';
import { zipOf } from '../../../helpers/zip.js';
import { reference, tempFolder } from './helpers.js';

/**
 * The file readers fed hostile and broken input (issue 17): truncated, deeply nested, wrong CRS,
 * huge coordinates, decompression bombs and entity expansion. Each must end in an InputError
 * that names the file, within bounded time and memory, never in an empty result.
 */
const temp = tempFolder();
afterAll(() => temp.remove());

const PLAN_JSON = readFileSync(reference('nap-gfi-vn1-bergen-167-714.json'), 'utf8');
const PLAN_GML = readFileSync(reference('rp-reguleringsplanforslag50-his-4203-pass.gml'), 'utf8');
const TEIG_GML = readFileSync(reference('matrikkel-teig-bergen-4601-167.xml'), 'utf8');
const PLAN_GPKG = readFileSync(reference('nap-gfi-vn1-bergen-167-714.gpkg'));

type Reader = (file: string) => Promise<unknown[]>;
const plans: Reader = (file) => readPlanFeatures(file);
const parcels: Reader = (file) => readParcels(file);

/**
 * Reads the file and returns the InputError it must end in, with the time taken and the most the
 * process grew meanwhile (resident set, sampled every 20 ms).
 */
async function refusal(read: Reader, file: string) {
  const started = performance.now();
  const base = process.memoryUsage.rss();
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  try {
    const result = await read(file).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    peak = Math.max(peak, process.memoryUsage.rss());
    const ms = performance.now() - started;
    if ('value' in result) throw new Error(`${file} was read as ${result.value.length} item(s), not refused`);
    expect(result.error, String(result.error)).toBeInstanceOf(InputError);
    const error = result.error as InputError;
    expect(error.message).toContain(error.file);
    return { error, ms, grewMb: (peak - base) / 1024 / 1024 };
  } finally {
    clearInterval(sampler);
  }
}

/** `copies` gzip members of 1 MB of `fill` each: a file of a few KB that unpacks to `copies` MB. */
function gzipBomb(head: string, fill: string, copies: number): Buffer {
  const member = gzipSync(Buffer.alloc(1024 * 1024, fill), { level: 9 });
  return Buffer.concat([gzipSync(head), ...Array<Buffer>(copies).fill(member)]);
}

/** A zip whose one entry deflates `mb` MB of spaces after `head` into a few hundred KB. */
async function zipBomb(name: string, head: string, mb: number): Promise<Buffer> {
  const deflater = createDeflateRaw({ level: 9 });
  const flushed = (data: Buffer) =>
    new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      const take = (chunk: Buffer) => chunks.push(chunk);
      deflater.on('data', take);
      deflater.write(data);
      deflater.flush(constants.Z_FULL_FLUSH, () => {
        deflater.off('data', take);
        resolve(Buffer.concat(chunks));
      });
    });
  const first = await flushed(Buffer.from(head));
  const megabyte = Buffer.alloc(1024 * 1024, ' ');
  // A full flush resets the dictionary, so the same block repeated is a valid stream.
  const block = await flushed(megabyte);
  deflater.close();
  let crc = crc32(head);
  for (let i = 0; i < mb; i++) crc = crc32(megabyte, crc);
  const body = Buffer.concat([first, ...Array<Buffer>(mb).fill(block), Buffer.from([0x03, 0x00])]);
  return zipOf({ [name]: { deflated: body, size: Buffer.byteLength(head) + mb * 1024 * 1024, crc } });
}

describe('file readers under hostile input', () => {
  it('refuses a gzip bomb (1 GB of JSON white space in a few KB) early, without unpacking it', async () => {
    const file = temp.write(
      'bomb.geojson.gz',
      gzipBomb('{"type":"FeatureCollection","features":[', ' ', 1024),
    );
    const { error, ms, grewMb } = await refusal(plans, file);
    expect(error.message).toMatch(/bomb\.geojson\.gz: .*unpacks to more than/);
    // It stops after the first 100 MB of the 1 GB (the whole bomb took 28 s and 1 GB on the machine that ran it).
    expect(ms).toBeLessThan(15_000);
    expect(grewMb).toBeLessThan(256);
  });

  it('refuses a zip bomb (an entry that inflates 1,000-fold) before inflating it', async () => {
    const file = temp.write('bomb.zip', await zipBomb('plan.gml', '<?xml version="1.0"?>', 300));
    const { error, ms, grewMb } = await refusal(plans, file);
    expect(error.message).toMatch(/bomb\.zip!plan\.gml: .*unpacks to/);
    expect(ms).toBeLessThan(2_000);
    expect(grewMb).toBeLessThan(128);
  });

  it('refuses billion laughs (nested entity definitions) in plan and teig GML without expanding them', async () => {
    const laughs =
      '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n' +
      Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join(
        '\n',
      ) +
      '\n]>\n<gml:FeatureCollection xmlns:gml="http://www.opengis.net/gml/3.2"><gml:featureMember>&lol9;</gml:featureMember></gml:FeatureCollection>';
    for (const [read, name] of [
      [plans, 'laughs-plan.gml'],
      [parcels, 'laughs-teig.gml'],
    ] as const) {
      const { error, ms, grewMb } = await refusal(read, temp.write(name, laughs));
      expect(error.message).toMatch(/entity|DOCTYPE|DTD/i);
      expect(ms).toBeLessThan(2_000);
      expect(grewMb).toBeLessThan(64);
    }
  });

  it('refuses deeply nested GeoJSON (100,000 levels of arrays and objects) with a named error', async () => {
    const depth = 100_000;
    const coordinates = `${'['.repeat(depth)}1${']'.repeat(depth)}`;
    const properties = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    for (const [name, feature] of [
      [
        'nested-coordinates.geojson',
        `{"type":"Feature","properties":{"objekttypenavn":"RpArealformålOmråde"},"geometry":{"type":"Polygon","coordinates":${coordinates}}}`,
      ],
      ['nested-properties.geojson', `{"type":"Feature","properties":${properties},"geometry":null}`],
    ] as const) {
      const doc = `{"type":"FeatureCollection","features":[${feature}]}`;
      const { ms } = await refusal(plans, temp.write(name, doc));
      expect(ms).toBeLessThan(5_000);
    }
  });

  it('refuses wrong-CRS and huge-coordinate plans and parcels, naming the file', async () => {
    // UTM coordinates declared as lon/lat (CRS84), and coordinates far beyond any CRS's range.
    const utmAsLonLat = PLAN_JSON.replace(/"urn:ogc:def:crs:EPSG::25833"/, '"urn:ogc:def:crs:OGC:1.3:CRS84"');
    const huge = PLAN_JSON.replace(/-?\d{4,}\.\d+/g, '1e300');
    const hugeTeig = TEIG_GML.replace(/(\d{5,})\.\d+/g, '9$1e200');
    for (const [read, name, text] of [
      [plans, 'utm-as-lonlat.geojson', utmAsLonLat],
      [plans, 'huge.geojson', huge],
      [parcels, 'huge-teig.gml', hugeTeig],
    ] as const) {
      const { error } = await refusal(read, temp.write(name, text));
      expect(error.message).toMatch(/outside Norway|not finite|coordinate|CRS/i);
    }
  });

  it('refuses a truncated GeoPackage and a GeoPackage that is not SQLite with a named error', async () => {
    const cut = temp.write('cut.gpkg', PLAN_GPKG.subarray(0, Math.floor(PLAN_GPKG.length * 0.6)));
    await refusal(plans, cut);
    const garbage = Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(8192, 7)]);
    await refusal(plans, temp.write('garbage.gpkg', garbage));
  });

  it('reads every truncation of a GeoJSON, plan GML or teig GML document as features or a named error, never as nothing', async () => {
    const documents = [
      [plans, 'cut.geojson', PLAN_JSON],
      [plans, 'cut.gml', PLAN_GML],
      [parcels, 'cut-teig.gml', TEIG_GML],
    ] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...documents),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        async ([read, name, text], share) => {
          const file = temp.write(name, text.slice(0, Math.floor(text.length * share)));
          const outcome = await read(file).then(
            (items) => items.length,
            (error: unknown) => error,
          );
          if (typeof outcome === 'number') expect(outcome).toBeGreaterThan(0);
          else expect(outcome).toBeInstanceOf(InputError);
        },
      ),
      { numRuns: 60, seed: 1717 },
    );
  });
});
