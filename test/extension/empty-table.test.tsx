import '@airtable/blocks-testing';
import { act, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { lotRow } from './fixtures/lots.js';
import { renderApp, setupExtensionTests } from './render-app.js';

describe('an empty Tomter table', () => {
  setupExtensionTests();

  it('says how to run the first sync, and shows the map as soon as lots arrive', async () => {
    const { testDriver, map } = renderApp({ lots: [] });
    expect(await screen.findByText('Ingen tomter ennå')).toBeTruthy();
    expect(screen.getByText(/Tabellen «Tomter» er tom/)).toBeTruthy();
    expect(screen.getByText('npx tomtejakt setup-base')).toBeTruthy();
    expect(screen.getByText('npx tomtejakt run')).toBeTruthy();
    expect(map.seen.props).toBeNull();

    const row = lotRow({
      id: 'unused',
      kommunenummer: '3205',
      kommune: 'Lillestrøm',
      gnr: 81,
      bnr: 12,
      score: 91,
    });
    const table = testDriver.base.getTableByName('Tomter');
    const fields = Object.fromEntries(
      Object.entries(row.fields).flatMap(([name, value]) => {
        const field = table.getFieldByNameIfExists(name);
        if (!field || value === null || field.type === 'multipleRecordLinks') return [];
        return [[field.id, field.type === 'singleSelect' ? { name: value } : value]];
      }),
    );
    await act(async () => void (await table.createRecordAsync(fields)));
    await waitFor(() => expect(screen.getByText('Viser 1 av 1 tomter')).toBeTruthy());
    expect(map.seen.props?.lots.map((l) => l.matrikkelnummer)).toEqual(['81/12']);
  });
});
