/**
 * Council composition as an optional signal of will to build (issue 12, point 3): how the latest
 * kommunestyrevalg leans by the party stances the user configures (−1 against building, 1 for),
 * weighted by each list's share of the votes. Never fragmentation: the number of parties says
 * more about a kommune's size than its will (Spearman 0.69 with population), and where only
 * local lists stood (Utsira, Røst, Modalen 2023) it would score best. Off by default.
 */
export interface CouncilFigures {
  /** Σ stance × vote share over all lists, −1 to 1 (lists without a stance count 0). */
  stance: number;
  /** Share of the votes cast for lists with a configured stance. */
  coveredShare: number;
  largestParty: string;
  largestShare: number;
  totalVotes: number;
}

export function councilFigures(
  votes: ReadonlyMap<string, number>,
  stances: Readonly<Record<string, number>>,
): CouncilFigures | null {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a list without votes adds 0 to every sum and is never the largest; SSB counts are never negative
  const entries = [...votes].filter(([, v]) => v > 0); // also drops NaN; JSON-stat has no Infinity
  const total = entries.reduce((sum, [, v]) => sum + v, 0);
  if (total <= 0 || Object.keys(stances).length === 0) return null;
  // Stryker disable next-line StringLiteral: total > 0, so some list has votes and replaces the placeholder
  let largest: [string, number] = ['', 0];
  let stance = 0;
  let covered = 0;
  for (const [party, v] of entries) {
    if (v > largest[1]) largest = [party, v];
    const s = stances[party];
    if (s === undefined) continue;
    stance += s * (v / total);
    covered += v / total;
  }
  return {
    stance,
    coveredShare: covered,
    largestParty: largest[0],
    largestShare: largest[1] / total,
    totalVotes: total,
  };
}
