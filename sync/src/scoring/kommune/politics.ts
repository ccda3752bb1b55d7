/**
 * Local politics from one kommunestyrevalg: how concentrated the council is, and (optionally)
 * how the vote leans by the party weights the user sets.
 *
 * Stability is read from the effective number of parties (Laakso–Taagepera: 1 / Σ share²): a
 * council of few large parties forms a majority that holds through a plan's 2–10 years; ten
 * parties of equal size do not. Fewer is better.
 */
export interface PoliticsFigures {
  effectiveParties: number;
  largestParty: string;
  largestShare: number;
  totalVotes: number;
  /** Σ weight × share over the weighted parties, −1 to 1; null without weights. */
  partyAlignment: number | null;
}

export function politicsFigures(
  votes: ReadonlyMap<string, number>,
  partyWeights: Readonly<Record<string, number>>,
): PoliticsFigures | null {
  const entries = [...votes].filter(([, v]) => Number.isFinite(v) && v > 0);
  const total = entries.reduce((sum, [, v]) => sum + v, 0);
  if (total <= 0) return null;
  let concentration = 0;
  let largest: [string, number] = ['', 0];
  for (const [party, v] of entries) {
    const share = v / total;
    concentration += share * share;
    if (v > largest[1]) largest = [party, v];
  }
  const weighted = Object.keys(partyWeights).length > 0;
  const alignment = weighted
    ? entries.reduce((sum, [party, v]) => sum + (partyWeights[party] ?? 0) * (v / total), 0)
    : null;
  return {
    effectiveParties: 1 / concentration,
    largestParty: largest[0],
    largestShare: largest[1] / total,
    totalVotes: total,
    partyAlignment: alignment,
  };
}
