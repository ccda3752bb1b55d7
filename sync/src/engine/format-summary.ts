import type { EngineSummary } from './find-lots.js';

// `|| 0`: a total a hair below zero rounds to -0, which toLocaleString prints as "-0".
const daa = (m2: number) => `${(Math.round(m2 / 1000) || 0).toLocaleString('en-GB')} daa`;
const m2 = (value: number) => `${(Math.round(value) || 0).toLocaleString('en-GB')} m²`;
const ms = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`);

/** The engine's run summary for people at a terminal (English, like every log and CLI text). */
export function formatEngineSummary(summary: EngineSummary): string[] {
  const skipped = Object.entries(summary.skipped)
    .map(([reason, count]) => `${reason}: ${count}`)
    .join('; ');
  return [
    `Kommune ${summary.kommunenummer}: ${summary.candidateZones} candidate zones (${daa(summary.zoneAreaM2)}), ` +
      `${summary.regulatedFeatures} regulated areas, ${summary.plansInProgress} plans in progress` +
      (summary.coverage.reguleringsplan === 'covered'
        ? ''
        : ` (reguleringsplan coverage: ${summary.coverage.reguleringsplan})`),
    `  subtracted by plans   ${daa(summary.subtractedAreaM2)}` +
      (summary.zonesClippedByNewerPlans
        ? ` (${summary.zonesClippedByNewerPlans} zones clipped by newer kommuneplaner)`
        : ''),
    `  slivers removed       ${m2(summary.sliverAreaM2)}`,
    `  small parts dropped   ${summary.smallParts} (${m2(summary.smallPartsAreaM2)})`,
    `  opportunity           ${summary.opportunityParts} parts, ${daa(summary.opportunityAreaM2)}`,
    `  lots                  ${summary.lots}, ${daa(summary.lotAreaM2)} (not in any lot: ${daa(summary.unparcelledAreaM2)})`,
    `  recently regulated    ${daa(summary.recentlyRegulatedAreaM2)} of the zones since ${summary.recentSince}`,
    `  repairs               zones ${summary.repairs.zones}, regulated ${summary.repairs.regulated}, parcels ${summary.repairs.parcels}, ` +
      `dropped ${summary.repairs.dropped}; overlay precision fallbacks ${summary.overlayFallbacks}`,
    ...(skipped ? [`  left out              ${skipped}`] : []),
    `  time                  classify ${ms(summary.ms.classify)}, prepare ${ms(summary.ms.prepare)}, subtract ${ms(summary.ms.subtract)}, ` +
      `opening ${ms(summary.ms.opening)}, lots ${ms(summary.ms.lots)}, plan evidence ${ms(summary.ms.evidence)}; total ${ms(summary.ms.total)} ` +
      `(${summary.workers} thread${summary.workers === 1 ? '' : 's'})`,
  ];
}
