import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import type { KommuneData } from '../../domain/kommune.js';
import type { PointGeometry } from '../../domain/geometry.js';
import type { PlanFeature } from '../../domain/plan.js';
import type { TransitData } from '../../domain/transit.js';
import { NO_KOMMUNE_FIGURES, type KommuneFigures } from '../../scoring/kommune/types.js';
import { parseStopPlaces } from '../../sources/entur/stop-places.js';
import { findLots } from '../../engine/find-lots.js';
import { writeLotsGeoPackage } from '../../export/geopackage.js';
import { lotsToGeoJson } from '../../export/geojson.js';
import { formatScoreReport } from '../../scoring/lot/report.js';
import { scoreLots } from '../../scoring/lot/score-lots.js';
import { readParcels, readPlanFeatures, type ReadWarning } from '../../sources/files/index.js';
import { bundledKommune } from '../../sources/kommuneinfo/bundled-kommuner.js';
import { pointInside } from '../../geo/point-inside.js';
import { openStore } from '../../store/database.js';
import { createKommuneRankingStore } from '../../store/kommune-ranking.js';
import { InputError, messageOf } from '../../util/errors.js';
import type { Progress } from '../../util/progress.js';
import { writeFileAtomic } from '../../util/write-file-atomic.js';
import type { CliContext } from '../context.js';
import { formatEngineSummary } from '../../engine/format-summary.js';
import type { RegisterCommand } from './index.js';

interface AnalyseOptions {
  kommuneplan: string;
  reguleringsplan: string;
  teiger: string;
  kommune?: string;
  config?: string;
  out: string;
  format?: 'geojson' | 'gpkg';
  workers?: string;
  centre?: string;
  stops?: string;
}

/** "262500,6621000" (EPSG:25833) → a point. */
function parseCentre(text: string): PointGeometry {
  const parts = text.split(',').map((v) => Number(v.trim()));
  if (parts.length !== 2 || parts.some((n) => !Number.isFinite(n))) {
    throw new InputError('--centre', `expected "east,north" in EPSG:25833, got "${text}"`);
  }
  return { type: 'Point', coordinates: [parts[0]!, parts[1]!] };
}

/** The kommune's figures from the store's latest ranking, when a store exists (analyse never creates one). */
function kommuneFiguresFromStore(storePath: string, kommunenummer: string): KommuneFigures {
  if (!existsSync(storePath)) return NO_KOMMUNE_FIGURES;
  const db = openStore(storePath);
  try {
    return createKommuneRankingStore(db).kommuneFigures(kommunenummer);
  } finally {
    db.close();
  }
}

/** `--stops`: a Journey Planner `stopPlacesByBbox` answer saved as a file; without it no stop data. */
function transitOf(file: string | undefined): TransitData {
  if (!file)
    return {
      status: 'unavailable',
      source: 'none',
      fetchedAt: null,
      stops: [],
      reason: 'no --stops file given',
    };
  try {
    return {
      status: 'bundled',
      source: file,
      fetchedAt: null,
      stops: parseStopPlaces(readFileSync(file, 'utf8')),
    };
  } catch (error) {
    throw new InputError(file, `not a stop list: ${messageOf(error)}`);
  }
}

/** The kommunenummer most plan features carry (a file can hold a neighbour's plan crossing the border). */
function kommuneOf(features: PlanFeature[]): string | null {
  const counts = new Map<string, number>();
  for (const f of features) {
    const nr = f.properties['arealplanId.kommunenummer'];
    if (typeof nr === 'string' && /^\d{4}$/.test(nr)) counts.set(nr, (counts.get(nr) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

export async function analyse(options: AnalyseOptions, context: CliContext): Promise<void> {
  const allRules = context.rules(options.config);
  const rules = allRules.engine;
  const progress = context.progress();
  const data = {
    ...kommuneDataOf(options, await readInputs(options, context, progress)),
    transit: transitOf(options.stops),
  };
  const workers = options.workers ? Number(options.workers) : undefined;
  const result = await findLots(data, rules, { workers, progress });
  const scored = await scoreLots(result.lots, {
    data,
    kommune: kommuneFiguresFromStore(context.env().storePath, data.kommune.kommunenummer),
    rules: allRules.lotScore,
    progress,
    fallbackPrecisionM: rules.fallbackPrecisionM,
  });

  const format = options.format ?? (path.extname(options.out).toLowerCase() === '.gpkg' ? 'gpkg' : 'geojson');
  if (format === 'gpkg') writeLotsGeoPackage(options.out, scored);
  else await writeFileAtomic(options.out, lotsToGeoJson(scored));
  for (const line of formatEngineSummary(result.summary)) context.print(line);
  context.print(formatScoreReport(scored));
  context.print(
    `Wrote ${result.lots.length} lots to ${options.out} ` +
      (format === 'gpkg'
        ? '(GeoPackage, layer "tomter", EPSG:25833)'
        : '(GeoJSON RFC 7946, EPSG:4326 lon/lat)'),
  );
}

type Inputs = Pick<KommuneData, 'kommuneplan' | 'reguleringsplan' | 'parcels'>;

/** The three input files; features they cannot use are skipped and the first ten named. */
async function readInputs(options: AnalyseOptions, context: CliContext, progress: Progress): Promise<Inputs> {
  const warnings: ReadWarning[] = [];
  const onWarning = (warning: ReadWarning) => warnings.push(warning);
  const reading = progress.stage('read inputs', 3);
  const kommune = options.kommune;
  const kommuneplan = await forKommune(kommune, () => readPlanFeatures(options.kommuneplan, { onWarning }));
  reading.tick();
  const reguleringsplan = await forKommune(kommune, () =>
    readPlanFeatures(options.reguleringsplan, { onWarning }),
  );
  reading.tick();
  const parcels = await forKommune(kommune, () => readParcels(options.teiger, { onWarning }));
  reading.tick();
  reading.done(
    `${kommuneplan.length} kommuneplan features, ${reguleringsplan.length} reguleringsplan features, ${parcels.length} parcels`,
  );
  for (const w of warnings.slice(0, 10)) context.print(`warning: ${w.file} (${w.feature}): ${w.problem}`);
  if (warnings.length > 10) context.print(`warning: … and ${warnings.length - 10} more`);
  return { kommuneplan, reguleringsplan, parcels };
}

/** A file that cannot be read names the kommune it was given for (`--kommune`), when there is one. */
async function forKommune<T>(kommune: string | undefined, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (!kommune || !(error instanceof InputError)) throw error;
    throw new InputError(error.file, `kommune ${kommune}: ${error.problem}`, error.feature);
  }
}

/**
 * The files as one kommune's data, taken as covering the whole kommune. Its name, boundary and
 * centre come from the bundled kommune list when the number is known there.
 */
function kommuneDataOf(options: AnalyseOptions, inputs: Inputs): KommuneData {
  const { kommuneplan, parcels } = inputs;
  const kommunenummer = options.kommune ?? kommuneOf(kommuneplan) ?? parcels[0]?.kommunenummer;
  if (!kommunenummer) {
    throw new InputError(options.kommuneplan, 'no kommunenummer found in the data; give it with --kommune');
  }
  const known = bundledKommune(kommunenummer);
  return {
    kommune: known?.kommune ?? {
      kommunenummer,
      navn: kommunenummer,
      fylkesnummer: kommunenummer.slice(0, 2),
      fylkesnavn: null,
    },
    ...inputs,
    coverage: { kommuneplan: 'covered', reguleringsplan: 'covered', parcels: 'covered' },
    boundary: known?.boundary ?? null,
    centre: options.centre
      ? parseCentre(options.centre)
      : known
        ? { type: 'Point', coordinates: pointInside(known.boundary) }
        : null,
    sources: {
      kommuneplan: options.kommuneplan,
      reguleringsplan: options.reguleringsplan,
      parcels: options.teiger,
    },
  };
}

export const registerAnalyse: RegisterCommand = (program: Command, context) => {
  program
    .command('analyse')
    .description(
      'Find the lots of one kommune from plan and parcel files (kommuneplan minus reguleringsplan, split by parcels).',
    )
    .requiredOption(
      '--kommuneplan <path>',
      'kommuneplan features: NAP GeoJSON, SOSI-GML or GeoPackage (file, folder, .zip or .gz)',
    )
    .requiredOption('--reguleringsplan <path>', 'reguleringsplan features, same formats')
    .requiredOption('--teiger <path>', 'parcels: teig WFS GML pages, GeoJSON or GeoPackage')
    .requiredOption('--out <file>', 'where to write the lots')
    .addOption(
      new Option('--format <format>', 'output format (default: from the --out extension)').choices([
        'geojson',
        'gpkg',
      ]),
    )
    .option('--kommune <nummer>', 'kommunenummer (default: the one most plan features carry)')
    .option('--config <file>', 'rule file (JSON); default RULES_FILE from .env or the built-in rules')
    .option('--workers <n>', 'worker threads for the overlay (default: one per core)')
    .option(
      '--centre <east,north>',
      'the kommune centre for Sentralitet, EPSG:25833 (default: rule file, else a point inside the kommune)',
    )
    .option(
      '--stops <file>',
      'stops for Sentralitet: an Entur Journey Planner stopPlacesByBbox answer (JSON), e.g. sync/samples/3218-generated/stops.json',
    )
    .addHelpText(
      'after',
      '\nInputs may be in EPSG:25832/25833/25835/4258/4326; areas are computed in EPSG:25833.\n' +
        'Example:\n  tomtejakt analyse --kommuneplan sync/samples/3218-generated/kommuneplan.geojson.gz \\\n' +
        '    --reguleringsplan sync/samples/3218-generated/reguleringsplan.gml.gz \\\n' +
        '    --teiger sync/samples/3218-generated/teiger --out lots.gpkg',
    )
    .action((options: AnalyseOptions) => analyse(options, context));
};
