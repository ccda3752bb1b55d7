/**
 * Percentile rank of each value among all values, 0 (lowest) to 1 (highest), ties sharing their
 * average rank. Rank-based, so one extreme kommune (Oslo's prices) does not squash the others.
 * A single value gets 0.5: there is nothing to compare it with. A key without a finite number
 * (missing, suppressed, a division by zero) gets no rank.
 */
export function percentileRanks<K>(values: ReadonlyMap<K, number | null | undefined>): Map<K, number> {
  const entries = [...values]
    .filter((entry): entry is [K, number] => Number.isFinite(entry[1]))
    .sort((a, b) => a[1] - b[1]);
  const result = new Map<K, number>();
  const n = entries.length;
  if (n === 1) {
    result.set(entries[0]![0], 0.5);
    return result;
  }
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && entries[j + 1]![1] === entries[i]![1]) j += 1;
    const averageRank = (i + j) / 2; // 0-based
    for (let k = i; k <= j; k += 1) result.set(entries[k]![0], averageRank / (n - 1));
    i = j + 1;
  }
  return result;
}
