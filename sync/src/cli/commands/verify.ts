import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { isAreaGeometry, type AreaGeometry, type PointGeometry } from '../../domain/geometry.js';
import { FeatureProblem, FormatError } from '../../sources/files/format-error.js';
import { geoJsonDocument } from '../../sources/files/geojson.js';
import { normalizeGeometry } from '../../sources/files/normalize-geometry.js';
import type { LotLookup } from '../../sources/probe/lot-lookup.js';
import { verifyLot, type LotVerification } from '../../sources/probe/verify-lot.js';
import { createSourceRuntime } from '../../sources/source-runtime.js';
import { InputError } from '../../util/errors.js';
import type { CliContext } from '../context.js';
import type { RegisterCommand } from './index.js';

/**
 * `tomtejakt verify <tomt_id>`: re-checks a lot against the live national plan copy (NAP's WMS
 * GetFeatureInfo) before anyone phones the owner. The lot's geometry comes from the lot store
 * (`lookup`, wired by the integrator), or from `--geometry FILE` / `--point E,N`.
 */
export function verifyCommand(lookup?: LotLookup): RegisterCommand {
  return (program: Command, context: CliContext) => {
    program
      .command('verify')
      .description(
        're-check one lot against the live NAP reguleringsplan WMS: is it regulated now, or being planned?',
      )
      .argument('<tomt_id>', 'the lot id, <kommunenummer>-<matrikkelnummer>-<zone lokalId>')
      .option(
        '-g, --geometry <file>',
        'GeoJSON with the lot (a lots.geojson from `analyse`: the feature with this tomt_id)',
      )
      .option('--point <E,N>', 'probe this EPSG:25833 point instead of a lot geometry')
      .option(
        '-s, --source <name>',
        'probe source (SOURCES_FILE name; default: defaults.probe, i.e. nap-wms)',
      )
      .option('--json', 'print the result as JSON')
      .addHelpText(
        'after',
        '\nExit codes: 0 checked (whatever the verdict), 1 bad input, 2 the probe failed.',
      )
      .action(
        async (
          tomtId: string,
          options: { geometry?: string; point?: string; source?: string; json?: boolean },
        ) => {
          const geometry = await lotGeometry(tomtId, options, lookup);
          const env = context.env();
          const runtime = createSourceRuntime(env);
          try {
            const name = options.source ?? runtime.registry.choose('', 'probe');
            const probe = runtime.registry.plan(name, 'probe');
            const kommunenummer = /^(\d{4})-/.exec(tomtId)?.[1];
            const result = await verifyLot(tomtId, geometry, probe, context.rules().engine, {
              kommunenummer,
            });
            for (const warning of result.warnings) context.logger().debug('probe warning', { ...warning });
            if (options.json) context.print(JSON.stringify(result, null, 2));
            else printVerification(result, name, context);
          } finally {
            await runtime.close();
          }
        },
      );
  };
}

function printVerification(result: LotVerification, source: string, context: CliContext): void {
  const headline = {
    clear: 'CLEAR: no reguleringsplan in force covers the lot on the ground',
    regulated: 'REGULATED: a reguleringsplan in force now covers the lot',
    'plan-in-progress': 'PLANNING IN PROGRESS: a reguleringsplan is being prepared here',
  }[result.verdict];
  context.print(`${result.tomtId}: ${headline}`);
  for (const plan of [...result.regulated, ...result.inProgress]) {
    context.print(
      `  plan ${plan.planId ?? '?'} planstatus ${plan.planstatus ?? '?'} vertikalnivå ${plan.vertikalniva ?? '-'}: ${plan.plannavn ?? '(no name)'}`,
    );
  }
  for (const [type, count] of result.other) context.print(`  also found: ${type} × ${count}`);
  context.print(`probed ${result.probedPoints.length} point(s) with ${source} (${result.windows[0] ?? ''})`);
}

async function lotGeometry(
  tomtId: string,
  options: { geometry?: string; point?: string },
  lookup?: LotLookup,
): Promise<AreaGeometry | PointGeometry> {
  if (options.point) {
    const parts = options.point.split(',').map((v) => Number(v.trim()));
    if (parts.length !== 2 || parts.some((v) => !Number.isFinite(v))) {
      throw new InputError('--point', `"${options.point}" is not "E,N" in EPSG:25833, e.g. 262000,6650000`);
    }
    return { type: 'Point', coordinates: [parts[0]!, parts[1]!] };
  }
  if (options.geometry) return geometryFromFile(options.geometry, tomtId);
  if (lookup) {
    const found = await lookup.geometryOf(tomtId);
    if (found) return found;
    throw new InputError(
      `tomt_id ${tomtId}`,
      'no such lot in the store (run the job first, or give --geometry FILE or --point E,N)',
    );
  }
  throw new InputError(
    `tomt_id ${tomtId}`,
    'the lot store is not available here: give --geometry FILE or --point E,N',
  );
}

/** The lot from a GeoJSON file: the feature whose `tomt_id` matches, else the file's only area. */
function geometryFromFile(file: string, tomtId: string): AreaGeometry | PointGeometry {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError(file, `cannot read as JSON: ${(error as Error).message}`);
  }
  const wrapped =
    (json as { type?: string }).type &&
    !['Feature', 'FeatureCollection'].includes((json as { type: string }).type)
      ? { type: 'Feature', properties: {}, geometry: json }
      : json;
  try {
    const document = geoJsonDocument(wrapped);
    const match =
      document.features.find((f) => f.properties.tomt_id === tomtId) ??
      (document.features.length === 1 ? document.features[0] : undefined);
    if (!match) throw new InputError(file, `no feature with tomt_id ${tomtId} (and more than one feature)`);
    const { geometry } = normalizeGeometry(match.geometry, document.crs);
    if (!isAreaGeometry(geometry) && geometry.type !== 'Point')
      throw new InputError(file, `the lot is a ${geometry.type}, not an area or a point`);
    return geometry;
  } catch (error) {
    if (error instanceof FormatError || error instanceof FeatureProblem)
      throw new InputError(file, error.message);
    throw error;
  }
}
