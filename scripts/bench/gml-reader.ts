/**
 * `npm run bench:gml`: reads one large generated teig GML file (the teig WFS's format) two ways,
 * each in its own child process so peak memory is its own:
 *   - streaming:  readParcels (saxes, one feature at a time)           — what the service uses
 *   - baseline:   fast-xml-parser building the whole document as a DOM — the named baseline
 * and prints time, peak RSS and the ratios. Usage: npm run bench:gml [-- <parcels>] (default 60000).
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parcelGrid, teigMember } from '../../test/doubles/teig/server.js';

const self = fileURLToPath(import.meta.url);

async function child(mode: string, file: string): Promise<void> {
  const started = performance.now();
  let count: number;
  if (mode === 'streaming') {
    const { readParcels } = await import('../../sync/src/sources/files/read-parcels.js');
    count = (await readParcels(file)).length;
  } else {
    const { readFileSync } = await import('node:fs');
    const { XMLParser } = await import('fast-xml-parser');
    const dom = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(file, 'utf8')) as {
      'wfs:FeatureCollection': { 'wfs:member': unknown[] };
    };
    count = dom['wfs:FeatureCollection']['wfs:member'].length;
  }
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(JSON.stringify({ count, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
}

async function main(): Promise<void> {
  const parcels = Number(process.argv[2] ?? 60_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'tomtejakt-bench-gml-'));
  const file = path.join(dir, 'teig.xml');
  try {
    const side = Math.ceil(Math.sqrt(parcels));
    const grid = parcelGrid('3218', [200_000, 6_600_000], side, side, 30, '3218').slice(0, parcels);
    const out = createWriteStream(file);
    out.write(
      `<?xml version='1.0' encoding='UTF-8'?>\n<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:gml="http://www.opengis.net/gml/3.2" numberMatched="unknown" numberReturned="0">\n`,
    );
    for (const parcel of grid) if (!out.write(teigMember(parcel) + '\n')) await once(out, 'drain');
    out.end('</wfs:FeatureCollection>\n');
    await once(out, 'finish');
    const sizeMb = statSync(file).size / 1024 / 1024;
    console.log(`teig GML: ${parcels} parcels, ${sizeMb.toFixed(0)} MB (${file})`);
    const run = (mode: string) =>
      JSON.parse(
        execFileSync(process.execPath, ['--import', 'tsx', self, '--child', mode, file], {
          encoding: 'utf8',
          maxBuffer: 1 << 20,
        }),
      ) as { count: number; seconds: number; peakRssMb: number };
    const streaming = run('streaming');
    const baseline = run('dom');
    const row = (name: string, r: typeof streaming) =>
      `${name.padEnd(34)} ${String(r.count).padStart(7)} ${r.seconds.toFixed(1).padStart(7)} s ${r.peakRssMb.toFixed(0).padStart(7)} MB`;
    console.log(
      `${'reader'.padEnd(34)} ${'parcels'.padStart(7)} ${'time'.padStart(9)} ${'peak RSS'.padStart(10)}`,
    );
    console.log(row('readParcels (saxes, streaming)', streaming));
    console.log(row('baseline: fast-xml-parser DOM', baseline));
    console.log(
      `ratio streaming/baseline: time ${(streaming.seconds / baseline.seconds).toFixed(2)}×, peak RSS ${(streaming.peakRssMb / baseline.peakRssMb).toFixed(2)}×` +
        ` (the baseline only builds the tree; it does not yet turn it into parcels)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3]!, process.argv[4]!);
else await main();
