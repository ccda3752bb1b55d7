import TestDriver from '@airtable/blocks-testing';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach } from 'vitest';
import { TomtekartApp } from '../../extension/frontend/app.js';
import { tomtejaktBaseFixture, type BaseFixtureOptions } from './fixtures/base-fixture.js';
import { failOnConsoleErrors } from './fixtures/console-guard.js';
import { createFakeMap } from './fixtures/fake-map.js';
import { fixtureLotRows } from './fixtures/lots.js';

/** Renders the extension against a fixture base as setup-base creates it, with the map stood in. */
export function renderApp(
  options: Partial<BaseFixtureOptions> & {
    permissionCheck?: Parameters<TestDriver['simulatePermissionCheck']>[0];
  } = {},
) {
  const { permissionCheck, ...fixture } = options;
  const testDriver = new TestDriver(tomtejaktBaseFixture({ lots: fixtureLotRows(), ...fixture }));
  if (permissionCheck) testDriver.simulatePermissionCheck(permissionCheck);
  const map = createFakeMap();
  const result = render(
    <testDriver.Container>
      <TomtekartApp MapView={map.FakeMap} />
    </testDriver.Container>,
  );
  return { testDriver, map, ...result };
}

/** Each test starts with no stored filter, unmounts what it rendered, and fails on console errors. */
export function setupExtensionTests(): void {
  failOnConsoleErrors();
  beforeEach(() => sessionStorage.clear());
  afterEach(cleanup);
}

/** The SDK's Select stores JSON in the option values, so pick options by their label. */
export function choose(name: string, label: string | RegExp): void {
  const select = screen.getByRole('combobox', { name });
  const option = within(select).getByRole('option', { name: label }) as HTMLOptionElement;
  fireEvent.change(select, { target: { value: option.value } });
}
