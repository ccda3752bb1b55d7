import type { Coverage, KommuneData } from '../../sync/src/domain/kommune.js';
import type { GeneratedKommune } from './kommune-generator.js';

/**
 * The generated kommune as the engine and the lot score receive it. With `reguleringsplan:
 * 'not-covered'` it is a kommune whose reguleringsplaner the source lacks (no features, the flag set).
 */
export function kommuneDataOf(
  generated: GeneratedKommune,
  coverage: { reguleringsplan?: Coverage } = {},
): KommuneData {
  const { options } = generated;
  const reguleringsplan = coverage.reguleringsplan ?? 'covered';
  return {
    kommune: {
      kommunenummer: options.kommunenummer,
      navn: options.kommunenavn,
      fylkesnummer: options.kommunenummer.slice(0, 2),
      fylkesnavn: null,
    },
    kommuneplan: generated.kommuneplan,
    reguleringsplan: reguleringsplan === 'not-covered' ? [] : generated.reguleringsplan,
    parcels: generated.parcels,
    coverage: { kommuneplan: 'covered', reguleringsplan, parcels: 'covered' },
    boundary: null,
    centre: generated.centre,
    sources: { kommuneplan: 'generated', reguleringsplan: 'generated', parcels: 'generated' },
  };
}
