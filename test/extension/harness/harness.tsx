import * as blocksTesting from '@airtable/blocks-testing';
import { render } from 'react-dom';
import type L from 'leaflet';
import { TomtekartApp } from '../../../extension/frontend/app.js';
import { LeafletLotMap } from '../../../extension/frontend/map/leaflet-lot-map.js';
import type { LotMapProps } from '../../../extension/frontend/map/lot-map-props.js';
import { tomtejaktBaseFixture, type Row } from '../fixtures/base-fixture.js';
import { NaiveLotMap } from './naive-lot-map.js';

/**
 * The browser test's page: the real extension (Leaflet, canvas, the SDK's UI) inside the
 * blocks-testing driver, over a generated base served by the test. `window.harness` lets the
 * test drive what a user or the lookup service would do outside the extension.
 */
/**
 * This file sits in an ES-module package, so esbuild gives a CommonJS default import Node's
 * meaning (the whole `module.exports`), where the driver class is one level down.
 */
type TestDriverClass = typeof blocksTesting.default;
const TestDriver: TestDriverClass =
  (blocksTesting.default as unknown as { default?: TestDriverClass }).default ?? blocksTesting.default;

interface HarnessData {
  lots: Row[];
  owners: Row[];
  tileUrl: string;
}

let leaflet: L.Map | null = null;
function HarnessMap(props: LotMapProps) {
  return <LeafletLotMap {...props} onMapCreated={(map) => (leaflet = map)} />;
}

const map = () => {
  const created = leaflet ?? (window as unknown as { harnessMap?: L.Map }).harnessMap;
  if (!created) throw new Error('the map is not created yet');
  return created;
};

const params = new URLSearchParams(location.search);
/** `?map=naive` renders the benchmark's baseline instead of the extension's map. */
const MapView = params.get('map') === 'naive' ? NaiveLotMap : HarnessMap;

async function main() {
  performance.mark('harness:script-start');
  const data = (await (await fetch('/fixture.json')).json()) as HarnessData;
  performance.mark('harness:data-loaded');
  const driver = new TestDriver(
    tomtejaktBaseFixture({
      lots: data.lots,
      owners: data.owners,
      // `?tiles=default` leaves the tile settings empty, as in a freshly installed extension.
      globalConfig:
        params.get('tiles') === 'default' ? {} : { tileUrl: data.tileUrl, tileAttribution: '© Kartverket' },
    }),
  );
  const tomter = driver.base.getTableByName('Tomter');
  Object.assign(window, {
    harness: {
      driver,
      zoom: () => map().getZoom(),
      /** Pans (pixels) or zooms (levels), and resolves with the ms until the map is painted. */
      moveAndPaint: (move: { pan: [number, number] } | { zoom: number }) =>
        new Promise<number>((resolve) => {
          const start = performance.now();
          map().once('moveend', () =>
            requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - start))),
          );
          if ('pan' in move) map().panBy(move.pan, { animate: false });
          else map().setZoom(move.zoom, { animate: false });
        }),
      center: () => map().getCenter(),
      setView: (lon: number, lat: number, zoom: number) =>
        map().setView([lat, lon], zoom, { animate: false }),
      /** Page coordinates of a lon/lat, for a real mouse click. */
      pixelOf: (lon: number, lat: number) => {
        const point = map().latLngToContainerPoint([lat, lon]);
        const rect = map().getContainer().getBoundingClientRect();
        return { x: rect.left + point.x, y: rect.top + point.y };
      },
      selectInGrid: (recordIds: string[]) => {
        driver.setActiveCursorModels({ table: 'Tomter' });
        driver.userSelectRecords(recordIds);
      },
      /** What the lookup service writes back through the Airtable API. */
      serviceWrites: (recordId: string, fields: Record<string, unknown>) =>
        tomter.updateRecordAsync(recordId, fields),
    },
  });
  performance.mark('harness:render-start');
  render(
    <driver.Container>
      <TomtekartApp MapView={MapView} />
    </driver.Container>,
    document.getElementById('root'),
  );
}

void main();
