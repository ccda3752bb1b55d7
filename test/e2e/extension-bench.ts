import type { Browser } from 'playwright-core';
import { buildHarness, launchChromium, serveHarness } from './extension-harness-server.js';
import { generateLots } from './extension-lots.js';

/**
 * npm run bench:extension — the extension's map against the straightforward Leaflet map
 * (every lot as GeoJSON in the default SVG renderer) on the same 5,000 generated lots, in the
 * same browser, in one run: load to interactive map, a zoom step and a pan, medians of
 * BENCH_RUNS page loads (default 5). Prints the ratios baseline / extension.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const LOTS = Number(process.env.BENCH_LOTS ?? 5000);

type Move = { pan: [number, number] } | { zoom: number };
interface Sample {
  load: number;
  render: number;
  zoom: number;
  pan: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

async function measure(browser: Browser, url: string): Promise<Sample> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForSelector('[data-map-ready="true"]', { timeout: 60_000 });
  // String expressions: tsx wraps named functions in a helper the page does not have.
  const marks = (await page.evaluate(
    `({ ready: performance.getEntriesByName('tomtekart:map-ready')[0].startTime,
        render: performance.getEntriesByName('harness:render-start')[0].startTime })`,
  )) as { ready: number; render: number };
  const move = async (m: Move) =>
    (await page.evaluate(`harness.moveAndPaint(${JSON.stringify(m)})`)) as number;
  // Over the whole country (where the extension draws clusters, the baseline every polygon).
  const start = (await page.evaluate('harness.zoom()')) as number;
  const zooms: number[] = [];
  for (let i = 0; i < 4; i++) zooms.push(await move({ zoom: i % 2 === 0 ? start + 1 : start }));
  const pans: number[] = [];
  for (let i = 0; i < 6; i++) pans.push(await move({ pan: [i % 2 === 0 ? 300 : -300, 0] }));
  await page.close();
  if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
  return { load: marks.ready, render: marks.ready - marks.render, zoom: median(zooms), pan: median(pans) };
}

async function main() {
  const base = generateLots(LOTS);
  const server = await serveHarness(await buildHarness(), base);
  const browser = await launchChromium();
  try {
    const results: Record<'extension' | 'baseline', Sample[]> = { extension: [], baseline: [] };
    for (let run = 0; run < RUNS; run++) {
      // Interleaved, so a change in machine load hits both alike.
      results.extension.push(await measure(browser, `${server.url}/?map=extension`));
      results.baseline.push(await measure(browser, `${server.url}/?map=naive`));
      process.stderr.write(`run ${run + 1}/${RUNS} done\n`);
    }
    const summary = (samples: Sample[]) => ({
      load: median(samples.map((s) => s.load)),
      render: median(samples.map((s) => s.render)),
      zoom: median(samples.map((s) => s.zoom)),
      pan: median(samples.map((s) => s.pan)),
    });
    const ext = summary(results.extension);
    const naive = summary(results.baseline);
    const row = (label: string, key: keyof Sample) =>
      `${label.padEnd(34)} ${ext[key].toFixed(0).padStart(8)} ms ${naive[key].toFixed(0).padStart(10)} ms ${(naive[key] / ext[key]).toFixed(2).padStart(8)}×`;
    console.log(
      `extension map vs baseline (Leaflet GeoJSON, SVG, no clustering): ${LOTS} lots, median of ${RUNS} loads`,
    );
    console.log(
      `${''.padEnd(34)} ${'extension'.padStart(11)} ${'baseline'.padStart(13)} ${'ratio'.padStart(9)}`,
    );
    console.log(row('page load → interactive map', 'load'));
    console.log(row('extension render → map ready', 'render'));
    console.log(row('zoom one level (country view)', 'zoom'));
    console.log(row('pan 300 px (country view)', 'pan'));
    console.log(`target: page load → interactive map under 2000 ms: ${ext.load < 2000 ? 'met' : 'NOT met'}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
