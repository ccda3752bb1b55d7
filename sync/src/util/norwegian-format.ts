/** Norwegian number formatting for what the sales team reads ("12 345 m²", "12,3 daa", "48 %"). */
const integer = new Intl.NumberFormat('nb-NO', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('nb-NO', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** Intl in nb-NO uses a narrow no-break space as thousands separator; plain space reads the same everywhere. */
const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ').replace('−', '-');

export const formatInteger = (value: number): string => plain(integer.format(value));
export const formatM2 = (m2: number): string => `${formatInteger(m2)} m²`;
export const formatDaa = (m2: number): string => `${plain(oneDecimal.format(m2 / 1000))} daa`;
export const formatArea = (m2: number): string => `${formatM2(m2)} (${formatDaa(m2)})`;
export const formatPercent = (fraction: number): string => `${formatInteger(fraction * 100)} %`;
export const formatPoints = (points: number): string => plain(oneDecimal.format(points));

/** "212,4 mill. kr" from a million up, else "850 000 kr". */
export function formatKroner(kr: number): string {
  if (Math.abs(kr) >= 1_000_000) return `${plain(oneDecimal.format(kr / 1_000_000))} mill. kr`;
  return `${formatInteger(kr)} kr`;
}
