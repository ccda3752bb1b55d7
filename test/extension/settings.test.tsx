import TestDriver from '@airtable/blocks-testing';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { TomterField } from '@tomtejakt/sync/crm/schema';
import { KARTVERKET_TOPO } from '../../extension/frontend/map/tile-source.js';
import { fieldsToLoad, resolveLotSchema } from '../../extension/frontend/settings/lot-schema.js';
import { LOT_FIELD_KEYS } from '../../extension/frontend/settings/lot-fields.js';
import { tomtejaktBaseFixture } from './fixtures/base-fixture.js';
import { fixtureLotRows } from './fixtures/lots.js';
import { choose, renderApp, setupExtensionTests } from './render-app.js';

const RENAMED = {
  name: 'Tomteliste',
  renames: { [TomterField.geometri]: 'Omriss', [TomterField.score]: 'Poeng' },
};

const description = (label: string) =>
  screen.getByText(label, { selector: 'label' }).closest('div')!.parentElement!.textContent;

describe('settings', () => {
  setupExtensionTests();

  it('lets a base with other names pick its table and fields, stored in GlobalConfig', async () => {
    const { testDriver } = renderApp({ tomter: RENAMED });
    expect((await screen.findByRole('alert')).textContent).toContain('Fant ikke tabellen «Tomter»');

    choose('Tabell med tomter', 'Tomteliste');
    await screen.findByText('Kartet trenger feltet med tomtenes geometri (GeoJSON). Velg det under.');
    expect(testDriver.globalConfig.get('tableId')).toBe('tblTomter0000001');
    expect(screen.getByText(/Bruker «Kommune»\./)).toBeTruthy(); // found by its default name
    expect(screen.getAllByText(/Ikke funnet – panelet viser «–»\./).length).toBe(1); // Score → Poeng
    // What needs attention comes first: the geometry, then the missing score.
    const labels = Array.from(document.querySelectorAll('fieldset label')).map((l) => l.textContent);
    expect(labels.slice(0, 3)).toEqual(['Geometri', 'Score', 'Tomt-ID']);

    choose('Score', 'Poeng');
    choose('Geometri', 'Omriss');
    const table = testDriver.base.getTableByName('Tomteliste');
    expect(testDriver.globalConfig.get(['fieldIds', 'geometri'])).toBe(table.getFieldByName('Omriss').id);
    expect(testDriver.globalConfig.get(['fieldIds', 'score'])).toBe(table.getFieldByName('Poeng').id);

    // With a geometry the map shows; the remapped score reaches the filters and the panel.
    await waitFor(() => expect(screen.getByText('Viser 11 av 11 tomter')).toBeTruthy());
    fireEvent.change(screen.getByRole('slider'), { target: { value: '80' } });
    expect(screen.getByText('Viser 2 av 11 tomter')).toBeTruthy();
  });

  it('shows read-only users the settings without letting them change anything', async () => {
    renderApp({ tomter: RENAMED, permissionCheck: () => false });
    expect(
      await screen.findByText(/Bare redaktører og eiere av basen kan endre innstillingene/),
    ).toBeTruthy();
    expect(screen.getByRole('combobox', { name: 'Tabell med tomter' })).toHaveProperty('disabled', true);
    expect(screen.queryByRole('button', { name: 'Tilbakestill til standard' })).toBeNull();
  });

  it('falls back to the default name when a chosen field is deleted, and says so', async () => {
    const testDriver = new TestDriver(tomtejaktBaseFixture({ lots: fixtureLotRows() }));
    const table = testDriver.base.getTableByName('Tomter');
    await testDriver.globalConfig.setPathsAsync([
      { path: ['fieldIds', 'score'], value: table.getFieldByName(TomterField.arealM2).id },
      { path: ['fieldIds', 'kommune'], value: 'fldDoesNotExist01' },
    ]);
    const schema = resolveLotSchema(testDriver.base, testDriver.globalConfig);
    expect(schema.fields.score).toMatchObject({ source: 'chosen', warning: null });
    expect(schema.fields.score.field?.name).toBe(TomterField.arealM2);
    expect(schema.fields.kommune).toMatchObject({
      source: 'default',
      warning: 'Det valgte feltet finnes ikke lenger',
    });

    await testDriver.deleteFieldAsync('Tomter', TomterField.arealM2);
    const after = resolveLotSchema(testDriver.base, testDriver.globalConfig);
    expect(after.fields.score.source).toBe('default');
    expect(after.fields.score.field?.name).toBe(TomterField.score);
  });

  it('asks useRecords for exactly the fields the extension reads', () => {
    const testDriver = new TestDriver(tomtejaktBaseFixture({ lots: fixtureLotRows() }));
    const names = fieldsToLoad(resolveLotSchema(testDriver.base, testDriver.globalConfig)).map((f) => f.name);
    expect(names).toEqual(LOT_FIELD_KEYS.map((key) => TomterField[key]));
    expect(names).not.toContain(TomterField.notater); // the team's notes are not the map's business
    expect(names).toHaveLength(30);
  });

  it('uses a configured tile URL, and Kartverket while the URL is not valid', async () => {
    const { map } = renderApp({
      globalConfig: {
        tileUrl: 'https://tiles.example.no/{z}/{x}/{y}.png',
        tileAttribution: '© Eksempel <AS>',
      },
    });
    await waitFor(() => expect(map.seen.props?.tiles.url).toBe('https://tiles.example.no/{z}/{x}/{y}.png'));
    expect(map.seen.props?.tiles.attribution).toBe('© Eksempel &lt;AS&gt;');
    cleanup();

    const broken = renderApp({ globalConfig: { tileUrl: 'https://tiles.example.no/{z}/{x}.png' } });
    await waitFor(() => expect(broken.map.seen.props?.tiles).toEqual(KARTVERKET_TOPO));
  });

  it('explains an invalid tile URL in the settings', async () => {
    renderApp({ tomter: RENAMED, globalConfig: { tileUrl: 'tiles.example.no/{z}/{x}/{y}.png' } });
    await screen.findByRole('alert');
    expect(description('Bakgrunnskart (URL-mal for kartfliser)')).toContain(
      'Adressen må begynne med https://. Bruker Kartverkets topografiske kart til adressen er rettet.',
    );
  });
});
