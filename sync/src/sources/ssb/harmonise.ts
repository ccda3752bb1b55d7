import type { CodeChange } from './klass.js';

/**
 * Puts figures reported under the kommunenummer valid at the time onto today's kommuner, for
 * tables without SSB's `agg_KommSummer` codelist (e.g. 01180, whose Region codes are the ones
 * valid in each election year).
 *
 * - 'sum': counts (votes, persons): merged kommuner are summed into their successor.
 * - 'renumber-only': levels (medians, prices per m²): a figure carries over a pure renumbering
 *   (one old code, one new), never a merger, where no sum would be right.
 * A code that was split (Ålesund 1508 → 1508 + 1580 in 2024) cannot be allocated and is dropped.
 */
export type HarmoniseMode = 'sum' | 'renumber-only';

export function successorsOf(code: string, changes: CodeChange[], current: ReadonlySet<string>): string[] {
  if (current.has(code)) return [code];
  const found = new Set<string>();
  const seen = new Set<string>([code]);
  let frontier = [code];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const from of frontier) {
      for (const change of changes) {
        if (change.oldCode !== from || seen.has(change.newCode)) continue;
        seen.add(change.newCode);
        if (current.has(change.newCode)) found.add(change.newCode);
        else next.push(change.newCode);
      }
    }
    frontier = next;
  }
  return [...found];
}

export function harmoniseRegions(
  values: ReadonlyMap<string, number | null>,
  current: ReadonlySet<string>,
  changes: CodeChange[],
  mode: HarmoniseMode,
): Map<string, { value: number; sources: string[] }> {
  const byTarget = new Map<string, Array<{ code: string; value: number }>>();
  for (const [code, value] of values) {
    if (value === null) continue;
    const targets = successorsOf(code, changes, current);
    if (targets.length !== 1) continue;
    const list = byTarget.get(targets[0]!) ?? [];
    list.push({ code, value });
    byTarget.set(targets[0]!, list);
  }
  const result = new Map<string, { value: number; sources: string[] }>();
  for (const [target, list] of byTarget) {
    if (mode === 'sum') {
      result.set(target, { value: list.reduce((a, b) => a + b.value, 0), sources: list.map((s) => s.code) });
      continue;
    }
    const own = list.find((s) => s.code === target);
    if (own) result.set(target, { value: own.value, sources: [target] });
    else if (list.length === 1) result.set(target, { value: list[0]!.value, sources: [list[0]!.code] });
  }
  return result;
}

/** What the kommune changes mean for a series on today's kommuner (agg_KommSummer or harmonised). */
export interface BoundaryChanges {
  /**
   * Kommuner carved out of a split, with the first year on their own boundary (Ålesund and
   * Haram 2024, from 1507; Heim, Hitra, Orkland 2020, from Snillfjord; Narvik and Hamarøy 2020,
   * from Tysfjord). Before it, agg_KommSummer books the whole former kommune on one of them and
   * 0 on the others: not the kommune's own figure.
   */
  splitSince: Map<string, number>;
  /** Years in which a kommune's area changed (merged, split, renumbered): a jump there is explained. */
  changeYears: Map<string, Set<number>>;
}

export function boundaryChanges(changes: CodeChange[], current: ReadonlySet<string>): BoundaryChanges {
  const splitSince = new Map<string, number>();
  const changeYears = new Map<string, Set<number>>();
  // One old code on one date: several new codes make a split.
  const byOld = new Map<string, CodeChange[]>();
  for (const change of changes) {
    const k = `${change.oldCode}@${change.changeOccurred}`;
    byOld.set(k, [...(byOld.get(k) ?? []), change]);
  }
  for (const list of byOld.values()) {
    const year = Number(list[0]!.changeOccurred.slice(0, 4));
    const targets = new Set(list.flatMap((c) => successorsOf(c.newCode, changes, current)));
    for (const target of targets) changeYears.set(target, (changeYears.get(target) ?? new Set()).add(year));
    const direct = new Set(list.map((c) => c.newCode));
    if (direct.size < 2) continue;
    for (const target of targets) splitSince.set(target, Math.max(splitSince.get(target) ?? 0, year));
  }
  return { splitSince, changeYears };
}
