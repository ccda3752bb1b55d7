import '@airtable/blocks-testing';
// eslint-disable-next-line no-duplicate-imports -- the side-effect import above installs the SDK test environment first
import type TestDriver from '@airtable/blocks-testing';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { EiereField, TomterField } from '@tomtejakt/sync/crm/schema';
import { requestedMessage } from '../../extension/frontend/panel/lookup-steps.js';
import { renderApp, setupExtensionTests } from './render-app.js';

type Driver = InstanceType<typeof TestDriver>;
type Mutation = Parameters<Parameters<Driver['watch']>[1]>[0] & {
  type: string;
  records?: Array<{ id: string; cellValuesByFieldId?: Record<string, unknown> }>;
};

const LOT = 'recLotB000000001';
const OWNERS = [
  {
    id: 'recOwner00000003',
    fields: {
      [EiereField.eierId]: '3205-90/3-c',
      [EiereField.navn]: 'Forrige Eier',
      [EiereField.type]: 'Person',
      [EiereField.eierstatus]: 'Tidligere eier',
    },
  },
  {
    id: 'recOwner00000001',
    fields: {
      [EiereField.eierId]: '3205-90/3-a',
      [EiereField.navn]: 'Testeiendom AS',
      [EiereField.type]: 'Organisasjon',
      [EiereField.andel]: '1/2',
      [EiereField.organisasjonsnummer]: '999999999',
    },
  },
  {
    id: 'recOwner00000002',
    fields: {
      [EiereField.eierId]: '3205-90/3-b',
      [EiereField.navn]: 'Eier Testesen',
      [EiereField.type]: 'Person',
      [EiereField.andel]: '1/2',
      [EiereField.rolle]: 'Fester',
      [EiereField.eierstatus]: 'Gjeldende',
    },
  },
];

const tomter = (driver: Driver) => driver.base.getTableByName('Tomter');
const fieldId = (driver: Driver, name: string) => tomter(driver).getFieldByName(name).id;

async function openLot(driver: Driver) {
  driver.setActiveCursorModels({ table: 'Tomter' });
  driver.userSelectRecords([LOT]);
  return screen.findByRole('complementary', { name: 'Tomt 90/3 Lillestrøm' });
}

/** The service's side of the lookup, written through the SDK as the backend would. */
async function serviceWrites(driver: Driver, fields: Record<string, unknown>) {
  await act(() => tomter(driver).updateRecordAsync(LOT, fields));
}

const steps = (panel: HTMLElement) =>
  within(panel)
    .getAllByRole('listitem')
    .filter((li) => li.className.includes('tomtekart-step'))
    .map((li) => `${li.textContent}:${li.className.replace(/.*--/, '')}`);

describe('Finn eier', () => {
  setupExtensionTests();

  it('sets Eieroppslag to Forespurt, then shows the state as the service moves it and the owners it links', async () => {
    const { testDriver } = renderApp({ owners: OWNERS });
    const mutations: Mutation[] = [];
    testDriver.watch('mutation', (m) => mutations.push(m as Mutation));
    const panel = await openLot(testDriver);
    expect(within(panel).getAllByText('Ikke bestilt')).toHaveLength(1);

    fireEvent.click(within(panel).getByRole('button', { name: 'Finn eier' }));
    await waitFor(() => expect(steps(panel)).toEqual(['Forespurt:current', 'Pågår:todo', 'Ferdig:todo']));
    const lookupField = fieldId(testDriver, TomterField.eieroppslag);
    expect(mutations).toHaveLength(1);
    expect(mutations[0]!.type).toBe('setMultipleRecordsCellValues');
    expect(mutations[0]!.records).toEqual([
      {
        id: LOT,
        cellValuesByFieldId: {
          [lookupField]: expect.objectContaining({ name: 'Forespurt' }),
          [fieldId(testDriver, TomterField.eieroppslagMelding)]: expect.stringMatching(
            /^Bestilt \d{2}\.\d{2}\.\d{4} kl\. \d{2}:\d{2}\.$/,
          ),
        },
      },
    ]);
    expect(within(panel).getByRole('button', { name: 'Eieroppslag pågår …' })).toHaveProperty(
      'disabled',
      true,
    );
    expect(within(panel).getByRole('status', { name: '' }).textContent).toMatch(/automasjonen/);

    await serviceWrites(testDriver, { [lookupField]: { name: 'Pågår' } });
    expect(steps(panel)).toEqual(['Forespurt:done', 'Pågår:current', 'Ferdig:todo']);
    expect(panel.textContent).toContain('Henter hjemmelshavere fra Matrikkelen');

    await serviceWrites(testDriver, {
      [lookupField]: { name: 'Ferdig' },
      [TomterField.antallEiere]: 2,
      [TomterField.eiere]: OWNERS.map((o) => ({ id: o.id })),
    });
    expect(steps(panel)).toEqual(['Forespurt:done', 'Pågår:done', 'Ferdig:done']);
    const owners = await within(panel).findByRole('list', { name: 'Hjemmelshavere' });
    expect(
      within(owners)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      // Current owners first (a fester says so), the former owner last and marked.
      'Testeiendom ASOrganisasjon · andel 1/2 · org.nr. 999999999',
      'Eier TestesenFester · Person · andel 1/2',
      'Forrige EierTidligere eier · Person',
    ]);
    expect(within(panel).getByText('Antall eiere', { selector: 'dt' }).nextElementSibling?.textContent).toBe(
      '2',
    );
    expect(within(panel).getByRole('button', { name: 'Finn eier på nytt' })).toHaveProperty(
      'disabled',
      false,
    );
  });

  it('explains a failed lookup and offers to try again', async () => {
    const { testDriver } = renderApp();
    const panel = await openLot(testDriver);
    await serviceWrites(testDriver, {
      [TomterField.eieroppslag]: { name: 'Feilet' },
      [TomterField.eieroppslagMelding]: 'Matrikkelen svarte ikke innen 30 s',
    });
    expect(steps(panel)).toEqual(['Forespurt:done', 'Pågår:done', 'Feilet:failed']);
    expect(panel.textContent).toContain('Eieroppslaget feilet: Matrikkelen svarte ikke innen 30 s');
    expect(within(panel).getByRole('button', { name: 'Prøv igjen' })).toBeTruthy();
  });

  it('offers to try again on a request left "Forespurt" for more than five minutes, and re-triggers the automation', async () => {
    const { testDriver } = renderApp();
    const lookupField = fieldId(testDriver, TomterField.eieroppslag);
    const panel = await openLot(testDriver);
    const old = new Date(Date.now() - 20 * 60_000);
    await serviceWrites(testDriver, {
      [lookupField]: { name: 'Forespurt' },
      [TomterField.eieroppslagMelding]: requestedMessage(old),
    });
    expect(panel.textContent).toContain('Bestillingen har stått på «Forespurt» i mer enn 5 minutter');
    const mutations: Mutation[] = [];
    testDriver.watch('mutation', (m) => mutations.push(m as Mutation));
    fireEvent.click(within(panel).getByRole('button', { name: 'Prøv igjen' }));
    await waitFor(() => expect(mutations).toHaveLength(2));
    // Cleared first: "when a record matches conditions" fires only when the lot starts to match.
    expect(mutations.map((m) => m.records![0]!.cellValuesByFieldId![lookupField])).toEqual([
      null,
      expect.objectContaining({ name: 'Forespurt' }),
    ]);
    await waitFor(() =>
      expect(within(panel).getByRole('button', { name: 'Eieroppslag pågår …' })).toHaveProperty(
        'disabled',
        true,
      ),
    );
  });

  it('keeps a fresh "Forespurt" waiting', async () => {
    const { testDriver } = renderApp();
    const panel = await openLot(testDriver);
    await serviceWrites(testDriver, {
      [TomterField.eieroppslag]: { name: 'Forespurt' },
      [TomterField.eieroppslagMelding]: requestedMessage(new Date(Date.now() - 60_000)),
    });
    expect(within(panel).getByRole('button', { name: 'Eieroppslag pågår …' })).toHaveProperty(
      'disabled',
      true,
    );
  });

  it('checks the permission first and explains a denial without writing', async () => {
    const { testDriver } = renderApp();
    const lookupField = fieldId(testDriver, TomterField.eieroppslag);
    // May edit records in general, but not the Eieroppslag field (a field-level restriction).
    testDriver.simulatePermissionCheck(
      (m) => !(m as Mutation).records?.some((r) => lookupField in (r.cellValuesByFieldId ?? {})),
    );
    const mutations: unknown[] = [];
    testDriver.watch('mutation', (m) => mutations.push(m));
    const panel = await openLot(testDriver);

    fireEvent.click(within(panel).getByRole('button', { name: 'Finn eier' }));
    const alert = await within(panel).findByRole('alert');
    expect(alert.textContent).toContain('Airtable tillater deg ikke å endre «Eieroppslag» på denne tomten');
    expect(alert.textContent).toContain('The testing environment has been configured to deny this mutation.');
    expect(mutations).toEqual([]);
    expect(steps(panel)).toEqual(['Forespurt:todo', 'Pågår:todo', 'Ferdig:todo']);
  });

  it('gives read-only collaborators the panel without write buttons, and says why', async () => {
    const { testDriver } = renderApp();
    testDriver.simulatePermissionCheck(() => false);
    const expanded: string[] = [];
    testDriver.watch('expandRecord', ({ recordId }) => expanded.push(recordId));
    const panel = await openLot(testDriver);

    expect(within(panel).queryByRole('button', { name: /Finn eier|Prøv igjen/ })).toBeNull();
    expect(panel.textContent).toContain(
      'Du har bare lesetilgang til denne basen, så du kan ikke bestille eieroppslag.',
    );
    fireEvent.click(within(panel).getByRole('button', { name: 'Åpne post' }));
    expect(expanded).toEqual([LOT]);
  });

  it('says what is missing when the base has no Eieroppslag field', async () => {
    const { testDriver } = renderApp({ tomter: { omit: [TomterField.eieroppslag] } });
    const panel = await openLot(testDriver);
    expect(panel.textContent).toContain('Tabellen har ikke feltet «Eieroppslag»');
    expect(within(panel).queryByRole('button', { name: 'Finn eier' })).toBeNull();
  });
});
