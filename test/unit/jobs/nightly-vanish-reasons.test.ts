import { describe, expect, it } from 'vitest';
import { vanishReason } from '../../../sync/src/jobs/nightly-vanish-reasons.js';
import { aasData, aasLots, aasRecords } from '../../fixtures/crm/lots.js';

const lots = aasLots({ count: 2 });
const [lot, other] = aasRecords(lots);

describe('why a lot vanished', () => {
  it('the zone is gone from the kommuneplan', () => {
    expect(vanishReason(lot!, aasData([other!]), [other!], [3, 6])).toBe(
      'Sonen i kommuneplanen er fjernet eller erstattet',
    );
  });

  it('the zone now has another purpose', () => {
    const data = aasData([lot!]);
    data.kommuneplan[0]!.properties['arealformål'] = 1300;
    expect(vanishReason(lot!, data, [], [3, 6])).toBe('Arealformålet er endret til 1300 Næringsbebyggelse');
  });

  it('an adopted reguleringsplan now covers it (a plan in progress does not count)', () => {
    const data = aasData([lot!]);
    const [e, n] = lot!.geometry.type === 'Polygon' ? lot!.geometry.coordinates[0]![0]! : [0, 0];
    const plan = (planstatus: number, id: string) => ({
      objekttypenavn: 'RpOmråde',
      properties: { planstatus, 'arealplanId.kommunenummer': '3218', 'arealplanId.planidentifikasjon': id },
      geometry: {
        type: 'Polygon' as const,
        coordinates: [
          [
            [e - 200, n - 200],
            [e + 200, n - 200],
            [e + 200, n + 200],
            [e - 200, n + 200],
            [e - 200, n - 200],
          ] as [number, number][],
        ],
      },
    });
    data.reguleringsplan = [plan(2, '2025010')];
    expect(vanishReason(lot!, data, [], [3, 6])).not.toMatch(/Regulert/);
    data.reguleringsplan.push(plan(3, '2025011'));
    expect(vanishReason(lot!, data, [], [3, 6])).toBe('Regulert: vedtatt reguleringsplan 3218-2025011');
  });

  it('the parcel got a new number', () => {
    const renumbered = {
      ...lot!,
      tomtId: lot!.tomtId.replace('45/1-', '45/99-'),
      teigId: 'teig-45-99',
      matrikkelnummertekst: '45/99',
    };
    const data = aasData([renumbered]);
    expect(vanishReason(lot!, data, [renumbered], [3, 6])).toBe(
      `Eiendommen er endret i matrikkelen (nå 45/99, tomt ${renumbered.tomtId})`,
    );
  });

  it('otherwise gives the general reason', () => {
    expect(vanishReason(lot!, aasData([lot!]), [], [3, 6])).toMatch(/^Ikke funnet i siste kjøring/);
  });
});
