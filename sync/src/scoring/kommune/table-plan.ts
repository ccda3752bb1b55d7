import { successorsOf, type HarmoniseMode } from '../../sources/ssb/harmonise.js';
import type { CodeChange } from '../../sources/ssb/klass.js';
import type { SsbCodelistRef, SsbTableMetadata, SsbVariable } from '../../sources/ssb/metadata.js';
import type { SsbQuery, SsbSelection } from '../../sources/ssb/query.js';

/**
 * SSB's "Kommuner 2024, sammenslåtte tidsserier": current kommuner, history summed in. Two ids are
 * in use: `agg_KommSummer` (codes "K-0301", 07459) and `agg_KommSummerS` (codes "K.0301", 07984
 * and 08536, seen in a public R script querying 08536 `SysselBosted`).
 */
export const KOMM_SUMMER_IDS = ['agg_KommSummer', 'agg_KommSummerS'];
/** The group code's prefix, stripped only when the codelist's valueMap does not name the kommune. */
const KOMM_SUMMER_PREFIX = /^K[-.]/;

/** What a factor needs from its table, described by meaning; codes are read from the metadata. */
export interface TableSpec {
  /** Each measure: its ContentsCode by known code, else by label. */
  measures: Record<string, { codes: string[]; labels: RegExp[] }>;
  /** Categories to prefer in the other non-eliminable variables (before the variable's total). */
  prefer?: RegExp[];
  /** Variables (by code or label) selected in full, e.g. the parties of an election table. */
  selectAll?: RegExp;
  /** Which periods to fetch, from the table's periods in ascending order. */
  periods(periods: string[]): string[];
  /** How figures under older kommunenummer are carried onto today's kommuner when the table lacks agg_KommSummer. */
  harmonise: HarmoniseMode;
}

export interface TablePlan {
  tableId: string;
  query: SsbQuery;
  regionVariable: string;
  regionMode: 'kommsummer' | 'harmonise';
  /** In kommsummer mode: the codelist's group code → today's kommunenummer ("K.0301" → "0301"). */
  regionCodes: Record<string, string>;
  harmonise: HarmoniseMode;
  timeVariable: string;
  contentsVariable: string;
  /** Measure key → ContentsCode. */
  measures: Record<string, string>;
  periods: string[];
  /** Variables selected in full → their codes (non-total). */
  all: Record<string, string[]>;
  /** Variables fixed to one category (the total, or a preferred one). */
  fixed: Record<string, string>;
  /** Variables whose every category was selected because none is a total (aggregated by the factor). */
  spread: Record<string, string[]>;
}

/** A table whose metadata does not offer what a factor needs: a person has to look (SSB changed the table). */
export class TablePlanError extends Error {
  constructor(
    readonly tableId: string,
    problem: string,
  ) {
    super(`table ${tableId}: ${problem}`);
    this.name = 'TablePlanError';
  }
}

const TOTAL_LABEL = /^(i alt|alle\b|total|hele landet|begge kjønn|both sexes|all\b|sum\b)/i;
const TOTAL_CODES = ['0', '00', '000', '0000', 'tot', 'total', '_t', '999b'];

export function totalCategory(variable: SsbVariable): string | undefined {
  return (
    variable.values.find((v) => TOTAL_LABEL.test(v.label.trim()))?.code ??
    variable.values.find((v) => TOTAL_CODES.includes(v.code.toLowerCase()))?.code
  );
}

export function findCategory(variable: SsbVariable, codes: string[], labels: RegExp[]): string | undefined {
  const wanted = codes.map((c) => c.toLowerCase());
  const byCode = variable.values.find((v) => wanted.includes(v.code.toLowerCase()));
  if (byCode) return byCode.code;
  for (const pattern of labels) {
    const byLabel = variable.values.find((v) => pattern.test(v.label));
    if (byLabel) return byLabel.code;
  }
  return undefined;
}

export function kommSummerCodelist(region: SsbVariable | undefined): SsbCodelistRef | undefined {
  if (!region) return undefined;
  return (
    KOMM_SUMMER_IDS.map((id) => region.codelists.find((c) => c.id === id)).find(Boolean) ??
    // Another id with the same meaning; "Kommuner 2024-" (agg_KommunerV1) is NOT one: it does
    // not sum renumbered kommuner back in time (oystess/valg_analyser hent_kv_supplement.py).
    region.codelists.find(
      (c) => c.id.startsWith('agg_') && /kommun.*sammensl[åa]tte tidsserier/i.test(c.label),
    )
  );
}

/**
 * Each group of an agg_KommSummer(S) codelist → the kommune it is: the one current kommune its
 * valueMap lists, else the code without its "K-"/"K." prefix. Groups that are no current kommune
 * (counties, "Uoppgitt") are left out.
 */
export function kommSummerGroups(
  groups: ReadonlyArray<{ code: string; valueMap?: string[] }>,
  kommuner: ReadonlySet<string>,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const group of groups) {
    // Stryker disable next-line ArrayDeclaration: a made-up code in the default is no current kommune and is filtered out, as [] is
    const named = [...new Set(group.valueMap ?? [])].filter((c) => kommuner.has(c));
    const stripped = group.code.replace(KOMM_SUMMER_PREFIX, '');
    const nr = named.length === 1 ? named[0]! : kommuner.has(stripped) ? stripped : undefined;
    if (nr && !Object.values(result).includes(nr)) result[group.code] = nr;
  }
  return result;
}

/** The year a period code starts with ("2024", "2024K4", "2024M12" → 2024). */
export function periodYear(period: string): number {
  return Number(period.slice(0, 4));
}

/** The period `years` before `period`, with the same sub-period ("2024K4" → "2019K4"), if the table has it. */
export function periodYearsBefore(period: string, years: number, periods: string[]): string | undefined {
  const wanted = `${periodYear(period) - years}${period.slice(4)}`;
  return periods.includes(wanted) ? wanted : undefined;
}

export interface PlanContext {
  /** Today's kommunenummer. */
  kommuner: string[];
  /** The groups agg_KommSummer(S) offers (from /codeLists), when the table has it. */
  kommSummerCodes?: ReadonlyArray<{ code: string; valueMap?: string[] }>;
  /** Kommunenummer changes, for tables without agg_KommSummer. */
  changes?: CodeChange[];
}

export function planTable(
  tableId: string,
  spec: TableSpec,
  metadata: SsbTableMetadata,
  ctx: PlanContext,
): TablePlan {
  const region = metadata.region;
  if (!region) throw new TablePlanError(tableId, 'has no region variable');
  const contents = metadata.contents;
  const time = metadata.time;

  const measures: Record<string, string> = {};
  for (const [key, how] of Object.entries(spec.measures)) {
    const code = findCategory(contents, how.codes, how.labels);
    if (!code)
      throw new TablePlanError(
        tableId,
        `no ${contents.code} for "${key}" (have ${contents.values.map((v) => v.code).join(', ')})`,
      );
    measures[key] = code;
  }

  const timeCodes = [...time.values.map((v) => v.code)].sort();
  const periods = [...new Set(spec.periods(timeCodes))].filter((p) => timeCodes.includes(p));
  if (periods.length === 0) throw new TablePlanError(tableId, 'none of the periods needed are in the table');

  const selection: SsbSelection[] = [];
  const kommuner = new Set(ctx.kommuner);
  const codelist = kommSummerCodelist(region);
  let regionMode: TablePlan['regionMode'];
  let regionCodes: Record<string, string> = {};
  if (codelist && ctx.kommSummerCodes) {
    regionMode = 'kommsummer';
    regionCodes = kommSummerGroups(ctx.kommSummerCodes, kommuner);
    if (Object.keys(regionCodes).length === 0)
      throw new TablePlanError(tableId, `codelist ${codelist.id} names none of today's kommuner`);
    selection.push({
      variableCode: region.code,
      codelist: codelist.id,
      valueCodes: Object.keys(regionCodes),
      outputValues: 'aggregated',
    });
  } else {
    regionMode = 'harmonise';
    // Stryker disable next-line ArrayDeclaration: a string is no CodeChange; successorsOf finds no successor in it, as in []
    const changes = ctx.changes ?? [];
    const codes = region.values
      .map((v) => v.code)
      .filter(
        (code) =>
          /^\d{4}$/.test(code) && (kommuner.has(code) || successorsOf(code, changes, kommuner).length > 0),
      );
    selection.push({ variableCode: region.code, valueCodes: codes });
  }

  selection.push({ variableCode: contents.code, valueCodes: Object.values(measures) });
  selection.push({ variableCode: time.code, valueCodes: periods });

  const fixed: Record<string, string> = {};
  const all: Record<string, string[]> = {};
  const spread: Record<string, string[]> = {};
  for (const variable of metadata.variables) {
    if (variable === region || variable === contents || variable === time) continue;
    if (spec.selectAll && (spec.selectAll.test(variable.code) || spec.selectAll.test(variable.label))) {
      const total = totalCategory(variable);
      all[variable.code] = variable.values.map((v) => v.code).filter((c) => c !== total);
      selection.push({ variableCode: variable.code, valueCodes: all[variable.code]! });
      continue;
    }
    const preferred = spec.prefer ? findCategory(variable, [], spec.prefer) : undefined;
    if (preferred) {
      fixed[variable.code] = preferred;
      selection.push({ variableCode: variable.code, valueCodes: [preferred] });
      continue;
    }
    if (variable.elimination) continue; // left out: the server returns the total
    // One category only (07984's age 15-74): that one; else the variable's total.
    const total = variable.values.length === 1 ? variable.values[0]!.code : totalCategory(variable);
    if (total) {
      fixed[variable.code] = total;
      selection.push({ variableCode: variable.code, valueCodes: [total] });
    } else {
      spread[variable.code] = variable.values.map((v) => v.code);
      selection.push({ variableCode: variable.code, valueCodes: spread[variable.code]! });
    }
  }

  return {
    tableId,
    query: { selection },
    regionVariable: region.code,
    regionMode,
    regionCodes,
    harmonise: spec.harmonise,
    timeVariable: time.code,
    contentsVariable: contents.code,
    measures,
    periods,
    all,
    fixed,
    spread,
  };
}
