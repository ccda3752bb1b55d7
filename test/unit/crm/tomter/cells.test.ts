import { describe, expect, it } from 'vitest';
import { tomterCellsOf } from '../../../../sync/src/crm/tomter/cells.js';
import { norgeskartUrl, seeiendomUrl } from '../../../../sync/src/presentation/links.js';
import { tomterTable } from '../../../../sync/src/crm/schema/tomter.js';
import { aasLots, aasRecords } from '../../../fixtures/crm/lots.js';

const records = (options: Parameters<typeof aasLots>[0]) => aasRecords(aasLots(options));

describe('Tomter cells of a lot record', () => {
  it('fills every sync-owned field of the lot in Airtable formats', () => {
    const lot = records({ count: 12 })[11]!;
    const content = tomterCellsOf(lot);
    expect(content).toMatchObject({
      Kommunenummer: '3218',
      Kommune: 'Ås',
      Matrikkelnummer: '45/12',
      Gnr: 45,
      Bnr: 12,
      Fnr: 0,
      Snr: 0,
      'Areal m²': Math.round(lot.arealM2),
      Arealformål: '1110 Boligbebyggelse',
      Arealbruksstatus: 'Framtidig',
      'Kommuneplan-ID': '3218-2019001',
      Score: Math.round(lot.score.total),
      Klasse: lot.score.tier,
      Konfidens: 'Høy',
      'Planarbeid pågår': '3218-2024007',
      Seeiendom: 'https://seeiendom.kartverket.no/eiendom/3218/45/12/0/0',
      Kilde: 'Kommuneplan: nap; reguleringsplan: nap; eiendom: teig-wfs',
    });
    expect(content['Areal daa']).toBe(Math.round(lot.arealM2 / 100) / 10);
    expect(JSON.parse(content.Scoredetaljer as string)).toMatchObject({
      version: 1,
      factors: expect.any(Array),
    });
    expect(content.Norgeskart).toMatch(
      /^https:\/\/norgeskart\.no\/#!\?project=norgeskart&layers=1002&zoom=16&lat=66\d{5}\.\d\d&lon=2\d{5}\.\d\d/,
    );
    expect(content['Senter lat']).toBeCloseTo(59.67, 1);
    expect([content['Senter lon'], content['Senter lat']]).toEqual([lot.centre.lon, lot.centre.lat]);
    const owners = new Map(tomterTable.fields.map((f) => [f.name, f.owner]));
    for (const field of Object.keys(content)) expect(owners.get(field)).toBe('sync');
  });

  it('lists restrictions in Norwegian and leaves empty fields empty', () => {
    const lots = records({ count: 40 });
    const flooded = lots.find((l) => l.score.constraints.length)!;
    expect(tomterCellsOf(flooded).Begrensninger).toMatch(/^Flomfare: \d+ % av tomten/);
    const plain = lots.find((l) => !l.score.constraints.length && !l.planarbeidPagar.length)!;
    expect(tomterCellsOf(plain)).toMatchObject({ Begrensninger: null, 'Planarbeid pågår': null });
  });

  it('builds Kartverket links in their published formats', () => {
    expect(seeiendomUrl({ kommunenummer: '0301', gnr: 208, bnr: 420, fnr: 0, snr: 3 })).toBe(
      'https://seeiendom.kartverket.no/eiendom/0301/208/420/0/3',
    );
    expect(norgeskartUrl(262_012.345, 6_621_000)).toBe(
      'https://norgeskart.no/#!?project=norgeskart&layers=1002&zoom=16&lat=6621000.00&lon=262012.35&markerLat=6621000.00&markerLon=262012.35',
    );
  });
});
