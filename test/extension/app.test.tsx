import '@airtable/blocks-testing';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FIXTURE_LOTS } from './fixtures/lots.js';
import { choose, renderApp, setupExtensionTests } from './render-app.js';

const drawn = () =>
  Array.from(document.querySelectorAll<HTMLButtonElement>('[data-lot]')).map((b) => b.dataset.lot);
const count = () => screen.getByText(/^Viser .* tomter$/).textContent;
const chip = (group: string, name: string) =>
  within(screen.getByRole('group', { name: group })).getByRole('button', { name });

describe('the lot map extension', () => {
  setupExtensionTests();

  it('finds the default schema without setup and draws every lot that has a usable geometry', async () => {
    renderApp();
    await waitFor(() => expect(count()).toBe('Viser 11 av 11 tomter'));
    const mappable = FIXTURE_LOTS.filter((l) => l.geometryText === undefined).map((l) => l.id);
    expect(drawn()).toEqual(mappable);
  });

  it('lists lots with missing or broken geometry with the reason, and still opens them', async () => {
    renderApp();
    fireEvent.click(
      await screen.findByRole('button', { name: /3 tomter i utvalget kan ikke vises på kartet/ }),
    );
    const list = screen.getByRole('list', { name: 'Tomter uten kartgeometri' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      '95/1 Lillestrøm Mangler geometri',
      '110/8 Nordre Follo Geometrien kan ikke leses (ugyldig GeoJSON)',
      '171/9 Bergen Koordinatene er ikke lengde-/breddegrader (EPSG:4326)',
    ]);
    fireEvent.click(within(list).getByRole('button', { name: '110/8 Nordre Follo' }));
    const panel = await screen.findByRole('complementary', { name: 'Tomt 110/8 Nordre Follo' });
    expect(panel.textContent).toContain(
      'Tomten kan ikke vises på kartet: Geometrien kan ikke leses (ugyldig GeoJSON).',
    );
    expect(panel.textContent).toContain('58 (klasse C)');
  });

  it('filters by score, tier, kommune, status, confidence and plans with a live count', async () => {
    const { map } = renderApp();
    await waitFor(() => expect(count()).toBe('Viser 11 av 11 tomter'));

    fireEvent.change(screen.getByRole('slider'), { target: { value: '60' } });
    // 91, 84, 72, 63, 67 (no geometry) — a missing score never passes a minimum.
    expect(count()).toBe('Viser 5 av 11 tomter');
    fireEvent.change(screen.getByRole('slider'), { target: { value: '0' } });

    fireEvent.click(chip('Klasse', 'A'));
    expect(count()).toBe('Viser 2 av 11 tomter');
    fireEvent.click(chip('Klasse', 'D'));
    expect(count()).toBe('Viser 3 av 11 tomter');
    expect(drawn()).toEqual(['recLotA000000001', 'recLotA000000002', 'recLotD000000001']);
    fireEvent.click(chip('Klasse', 'A'));
    fireEvent.click(chip('Klasse', 'D'));

    const fitsBefore = map.seen.props?.fit?.seq ?? 0;
    choose('Kommune', 'Bergen (4601) – 4');
    expect(count()).toBe('Viser 4 av 11 tomter');
    expect(map.seen.props?.fit?.seq).toBe(fitsBefore + 1); // a new kommune moves the map there

    fireEvent.click(chip('Status', 'Avvist'));
    expect(drawn()).toEqual(['recLotD000000001']);
    fireEvent.click(chip('Status', 'Avvist'));

    fireEvent.click(chip('Konfidens', 'Lav'));
    expect(drawn()).toEqual(['recLotU000000001']);
    fireEvent.click(chip('Konfidens', 'Lav'));

    choose('Planarbeid', 'Med planarbeid');
    expect(drawn()).toEqual(['recLotC000000002']);

    fireEvent.click(screen.getByRole('button', { name: 'Nullstill filter (2)' }));
    expect(count()).toBe('Viser 11 av 11 tomter');
  });

  it('remembers the filter for the session and restores it when the extension reloads', async () => {
    const first = renderApp();
    await waitFor(() => expect(count()).toBe('Viser 11 av 11 tomter'));
    fireEvent.click(chip('Klasse', 'B'));
    choose('Planarbeid', 'Uten planarbeid');
    expect(drawn()).toEqual(['recLotB000000002']);
    expect(count()).toBe('Viser 2 av 11 tomter');
    first.unmount();

    renderApp();
    // B without plans: 104/55 on the map and 95/1, which has no geometry.
    await waitFor(() => expect(count()).toBe('Viser 2 av 11 tomter'));
    expect(chip('Klasse', 'B').getAttribute('aria-pressed')).toBe('true');
    expect(drawn()).toEqual(['recLotB000000002']);
  });

  it('keeps a remembered kommune that no longer has lots choosable, showing none', async () => {
    sessionStorage.setItem(
      'tomtekart:filter:v1:appTomtejaktTest1:usrSelger0000001',
      JSON.stringify({ kommune: '5001' }),
    );
    renderApp();
    await waitFor(() => expect(count()).toBe('Viser 0 av 11 tomter'));
    const select = screen.getByRole('combobox', { name: 'Kommune' }) as HTMLSelectElement;
    expect(select.selectedOptions[0]?.textContent).toBe('5001 – 0');
    choose('Kommune', 'Alle kommuner');
    expect(count()).toBe('Viser 11 av 11 tomter');
  });

  it('folds the filters away in a narrow frame, saying how many are in use', async () => {
    sessionStorage.setItem(
      'tomtekart:filter:v1:appTomtejaktTest1:usrSelger0000001',
      JSON.stringify({ tiers: ['A'], minScore: 50 }),
    );
    const width = window.innerWidth;
    window.innerWidth = 480;
    try {
      renderApp();
      const toggle = await screen.findByRole('button', { name: 'Vis filter (2 i bruk)' });
      expect(screen.queryByRole('slider')).toBeNull();
      expect(count()).toBe('Viser 2 av 11 tomter');
      fireEvent.click(toggle);
      expect(screen.getByRole('slider')).toHaveProperty('value', '50');
      expect(screen.getByRole('button', { name: 'Skjul filter' }).getAttribute('aria-expanded')).toBe('true');
    } finally {
      window.innerWidth = width;
    }
  });

  it('opens the Norwegian side panel when a lot is clicked, and "Åpne post" expands the record', async () => {
    const { testDriver, map } = renderApp();
    const expanded: string[] = [];
    testDriver.watch('expandRecord', ({ recordId }) => expanded.push(recordId));
    fireEvent.click(await screen.findByRole('button', { name: /kart: 3205-81\/12/ }));

    const panel = screen.getByRole('complementary', { name: 'Tomt 81/12 Lillestrøm' });
    const row = (label: string) =>
      within(panel)
        .getAllByText(label, { selector: 'dt' })
        .map((dt) => dt.nextElementSibling?.textContent);
    expect(row('Matrikkelnummer')).toEqual(['81/12']);
    expect(row('Areal')).toEqual(['2 400 m² (2,4 daa)']);
    expect(row('Estimerte boliger')).toEqual(['24 (%-BYA)']);
    expect(row('Score')).toEqual(['91 (klasse A)']);
    expect(row('Konfidens')).toEqual(['Høy']);
    expect(row('Størrelse')).toEqual(['13,7 av 15 poeng – Tomten er stor nok til et feltprosjekt.']);
    expect(row('Eierstruktur')).toEqual(['0,0 av 10 poeng (uten data) – Eierne er ikke slått opp ennå.']);
    expect(row('Flomfare')).toEqual(['12 % av tomten']);
    expect(within(panel).getByRole('link', { name: 'seeiendom.kartverket.no' }).getAttribute('href')).toBe(
      'https://seeiendom.kartverket.no/eiendom/3205/81/12/0/0',
    );
    expect(map.seen.props?.selected?.recordId).toBe('recLotA000000001');
    expect(map.seen.props?.focus).toBeNull(); // a click on the map does not move the map

    fireEvent.click(within(panel).getByRole('button', { name: 'Åpne post' }));
    expect(expanded).toEqual(['recLotA000000001']);

    fireEvent.click(within(panel).getByRole('button', { name: 'Lukk panelet' }));
    expect(screen.queryByRole('complementary')).toBeNull();
  });

  it('follows the cursor: records selected in the grid open in the panel and the map moves to them', async () => {
    const { testDriver, map } = renderApp();
    await waitFor(() => expect(count()).toBe('Viser 11 av 11 tomter'));
    testDriver.setActiveCursorModels({ table: 'Tomter' });

    testDriver.userSelectRecords(['recLotC000000001']);
    await screen.findByRole('complementary', { name: 'Tomt 104/60 Nordre Follo' });
    expect(map.seen.props?.selected?.recordId).toBe('recLotC000000001');
    expect(map.seen.props?.focus?.seq).toBe(1);

    testDriver.userSelectRecords(['recLotD000000001', 'recLotA000000001']);
    const panel = await screen.findByRole('complementary', { name: 'Tomt 167/717 Bergen' });
    expect(panel.textContent).toContain('2 poster er valgt i tabellen; panelet viser den første.');
    expect(map.seen.props?.focus?.seq).toBe(2);

    // A lot the filter hides still opens, and says why it is not on the map.
    fireEvent.click(chip('Klasse', 'A'));
    testDriver.userSelectRecords(['recLotB000000001']);
    const hidden = await screen.findByRole('complementary', { name: 'Tomt 90/3 Lillestrøm' });
    expect(hidden.textContent).toContain('Filteret ditt skjuler denne tomten på kartet.');
  });

  it('ignores a selection in another table', async () => {
    const { testDriver } = renderApp({
      owners: [{ id: 'recOwner00000001', fields: { 'Eier-ID': '3205-81/12-1', Navn: 'Testeiendom AS' } }],
    });
    await waitFor(() => expect(count()).toBe('Viser 11 av 11 tomter'));
    testDriver.setActiveCursorModels({ table: 'Eiere', view: 'viwEiere00000001' });
    testDriver.userSelectRecords(['recOwner00000001']);
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByRole('complementary')).toBeNull();
  });
});
