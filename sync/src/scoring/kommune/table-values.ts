import { harmoniseRegions } from '../../sources/ssb/harmonise.js';
import type { CodeChange } from '../../sources/ssb/klass.js';
import type { JsonStatDataset, MissingReason } from '../../sources/ssb/jsonstat.js';
import type { TablePlan } from './table-plan.js';

export interface KommuneValue {
  value: number | null;
  missing?: MissingReason | 'not-in-extract';
}

/**
 * A fetched table read per kommune: `get(kommunenummer, coords)` where coords name the measure,
 * the period and any variable the factor spreads over; fixed variables are filled in.
 */
export interface TableValues {
  plan: TablePlan;
  get(
    kommunenummer: string,
    coords: { measure: string; period: string; [variable: string]: string },
  ): KommuneValue;
}

function notInExtract(): KommuneValue {
  return { value: null, missing: 'not-in-extract' };
}

export function readTableValues(
  plan: TablePlan,
  datasets: JsonStatDataset[],
  ctx: { kommuner: string[]; changes?: CodeChange[] },
): TableValues {
  const region = plan.regionVariable;
  // key (the other coordinates) → region code → cell
  const byKey = new Map<string, Map<string, KommuneValue>>();
  for (const dataset of datasets) {
    const others = dataset.ids.filter((id) => id !== region).sort();
    for (const { coords, cell } of dataset.observations()) {
      const key = others.map((id) => `${id}=${coords[id]}`).join('|');
      const map = byKey.get(key) ?? new Map<string, KommuneValue>();
      map.set(
        coords[region]!,
        cell.value === null ? { value: null, missing: cell.missing } : { value: cell.value },
      );
      byKey.set(key, map);
    }
  }

  const kommuner = new Set(ctx.kommuner);
  const perKommune = new Map<string, Map<string, KommuneValue>>();
  for (const [key, cells] of byKey) {
    const out = new Map<string, KommuneValue>();
    if (plan.regionMode === 'kommsummer') {
      for (const [code, cell] of cells) {
        const nr = plan.regionCodes[code];
        // Stryker disable next-line ConditionalExpression: a cell kept under no kommune is never read (get takes a kommunenummer)
        if (nr) out.set(nr, cell);
      }
    } else {
      const values = new Map([...cells].map(([code, cell]) => [code, cell.value] as const));
      // Stryker disable next-line ArrayDeclaration: a string is no CodeChange; successorsOf finds no successor in it, as in []
      const harmonised = harmoniseRegions(values, kommuner, ctx.changes ?? [], plan.harmonise);
      for (const nr of kommuner) {
        const hit = harmonised.get(nr);
        out.set(nr, hit ? { value: hit.value } : (cells.get(nr) ?? notInExtract()));
      }
    }
    perKommune.set(key, out);
  }

  // Stryker disable next-line ArrayDeclaration: with no dataset no key was stored, so no ids can find one
  const datasetIds = datasets[0]?.ids.filter((id) => id !== region).sort() ?? [];
  return {
    plan,
    get(kommunenummer, { measure, period, ...rest }) {
      const coords: Record<string, string> = { ...plan.fixed, ...rest };
      coords[plan.contentsVariable] = plan.measures[measure] ?? measure;
      coords[plan.timeVariable] = period;
      const key = datasetIds.map((id) => `${id}=${coords[id]}`).join('|');
      return perKommune.get(key)?.get(kommunenummer) ?? notInExtract();
    },
  };
}
