import { describe, expect, it } from 'vitest';
import { MAPPING_WORDING } from '../../../../sync/src/scoring/lot/mapping-wording.js';

describe('the wording for land NVE has not mapped', () => {
  it('says "the lot" from 99.5 % unmapped, and the share below', () => {
    expect(MAPPING_WORDING.confidenceReason([{ label: 'flomfare', fraction: 0.995 }])).toBe(
      'NVE har ikke kartlagt flomfare for tomten.',
    );
    expect(
      MAPPING_WORDING.confidenceReason([
        { label: 'flomfare', fraction: 0.994 },
        { label: 'skredfare', fraction: 0.4 },
      ]),
    ).toBe('NVE har ikke kartlagt flomfare for 99 % av tomten og skredfare for 40 % av tomten.');
  });

  it('names each unmapped layer with its share in the explanation', () => {
    expect(
      MAPPING_WORDING.notMapped([
        { label: 'flomsoner', fraction: 1 },
        { label: 'aktsomhetsområder for flom', fraction: 0.4 },
      ]),
    ).toBe('Ikke kartlagt av NVE: flomsoner (hele tomten) og aktsomhetsområder for flom (40 % av tomten).');
  });
});
