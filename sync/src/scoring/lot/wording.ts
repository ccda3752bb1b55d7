import { formatInteger, formatPoints } from '../../util/norwegian-format.js';

/** Norwegian wording shared by the reasons and the explanation. */

/** "350 m", "2,4 km". */
export function formatDistance(metres: number): string {
  if (metres < 1000) return `${formatInteger(Math.round(metres / 10) * 10)} m`;
  // One decimal with a Norwegian comma, as points are written.
  return `${formatPoints(metres / 1000)} km`;
}

/** "a", "a og b", "a, b og c". */
export function joinNorwegian(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} og ${items.at(-1)}`;
}

/** "1 eiendom", "3 eiendommer". */
export function plural(count: number, one: string, many: string): string {
  return `${formatInteger(count)} ${count === 1 ? one : many}`;
}

export const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
