/** Norwegian number formatting for what the sales team reads ("12 345 m²", "12,3 daa", "48 %"). */
const integer = new Intl.NumberFormat('nb-NO', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('nb-NO', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const upToOneDecimal = new Intl.NumberFormat('nb-NO', { maximumFractionDigits: 1 });

/** Intl in nb-NO uses a narrow no-break space as thousands separator; plain space reads the same everywhere. */
const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ').replace('−', '-');

export const formatInteger = (value: number): string => plain(integer.format(value));
export const formatM2 = (m2: number): string => `${formatInteger(m2)} m²`;
export const formatDaa = (m2: number): string => `${plain(oneDecimal.format(m2 / 1000))} daa`;
export const formatArea = (m2: number): string => `${formatM2(m2)} (${formatDaa(m2)})`;
export const formatPercent = (fraction: number): string => `${formatInteger(fraction * 100)} %`;
export const formatPoints = (points: number): string => plain(oneDecimal.format(points));
/** "6,4", "6": a rate with its decimal only where it has one. */
export const formatUpToOneDecimal = (value: number): string => plain(upToOneDecimal.format(value));

/** The unit a sum of kroner reads best in: milliarder, millioner or kroner. */
function kronerUnit(kr: number): { divisor: number; unit: string } {
  if (Math.abs(kr) >= 1_000_000_000) return { divisor: 1_000_000_000, unit: 'mrd. kr' };
  if (Math.abs(kr) >= 1_000_000) return { divisor: 1_000_000, unit: 'mill. kr' };
  return { divisor: 1, unit: 'kr' };
}

const amount = (kr: number, divisor: number) =>
  divisor === 1 ? formatInteger(kr) : plain(oneDecimal.format(kr / divisor));

/** "212,4 mill. kr", "1,1 mrd. kr", "850 000 kr". */
export function formatKroner(kr: number): string {
  const { divisor, unit } = kronerUnit(kr);
  return `${amount(kr, divisor)} ${unit}`;
}

/** "162,2–270,3 mill. kr": both ends in the unit of the higher one. */
export function formatKronerRange(low: number, high: number): string {
  const { divisor, unit } = kronerUnit(high);
  return `${amount(low, divisor)}–${amount(high, divisor)} ${unit}`;
}
