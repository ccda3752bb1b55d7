import TestDriver from '@airtable/blocks-testing';
import { render } from '@testing-library/react';
import { TomtekartApp } from '../../extension/frontend/app.js';
import { tomtejaktBaseFixture, type BaseFixtureOptions } from './fixtures/base-fixture.js';
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
