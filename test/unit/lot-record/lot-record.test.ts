import { describe, expect, it } from 'vitest';
import type { Position } from '../../../sync/src/domain/geometry.js';
import { mapPositions } from '../../../sync/src/geo/crs.js';
import { lotFingerprint } from '../../../sync/src/lot-record/fingerprint.js';
import { lotCentreOf, lotRecordOf } from '../../../sync/src/lot-record/lot-record.js';
import { AAS_SOURCES, aasLots, aasRecords } from '../../fixtures/crm/lots.js';

describe('the lot record', () => {
  it('adds the kommune name, the sources and a label point to the scored lot', () => {
    const [lot] = aasLots({ count: 1 });
    const record = lotRecordOf(lot!, { navn: 'Ås', sources: AAS_SOURCES });
    expect(record).toMatchObject({ ...lot, kommuneNavn: 'Ås', sources: AAS_SOURCES });
    expect(record.centre.east).toBeGreaterThan(261_950);
    expect(record.centre.east).toBeLessThan(262_050);
    expect(record.centre.lat).toBeCloseTo(59.67, 1);
    expect(record.centre.lon).toBeCloseTo(10.76, 1);
  });

  it('puts the label point inside an L-shaped lot, where the centre of mass falls outside', () => {
    const l: Position[] = [
      [262_000, 6_621_000],
      [262_100, 6_621_000],
      [262_100, 6_621_010],
      [262_010, 6_621_010],
      [262_010, 6_621_100],
      [262_000, 6_621_100],
      [262_000, 6_621_000],
    ];
    const centre = lotCentreOf({ type: 'Polygon', coordinates: [l] });
    const insideArm =
      (centre.east >= 262_000 && centre.east <= 262_010) ||
      (centre.north >= 6_621_000 && centre.north <= 6_621_010);
    expect(insideArm).toBe(true);
    expect(centre.lat).toBeCloseTo(59.7, 0);
  });
});

describe('the lot fingerprint', () => {
  const [record] = aasRecords(aasLots({ count: 1 }));

  it('is the same for the same lot found again', () => {
    expect(lotFingerprint(record!)).toBe(lotFingerprint(aasRecords(aasLots({ count: 1 }))[0]!));
  });

  it('changes when the score, the explanation or the source changes', () => {
    const [rescored] = aasRecords(aasLots({ count: 1, variant: 1 }));
    expect(lotFingerprint(rescored!)).not.toBe(lotFingerprint(record!));
    const explained = { ...record!, score: { ...record!.score, explanation: 'Ny forklaring.' } };
    expect(lotFingerprint(explained)).not.toBe(lotFingerprint(record!));
    const resourced = { ...record!, sources: { ...record!.sources, parcels: 'files:/teiger' } };
    expect(lotFingerprint(resourced)).not.toBe(lotFingerprint(record!));
  });

  it('changes when the geometry moves by a centimetre, not by floating-point noise', () => {
    const shift = (d: number) => ({
      ...record!,
      geometry: mapPositions(record!.geometry, ([x, y]) => [x + d, y] as Position),
    });
    expect(lotFingerprint(shift(1e-7))).toBe(lotFingerprint(record!));
    expect(lotFingerprint(shift(0.01))).not.toBe(lotFingerprint(record!));
  });
});
