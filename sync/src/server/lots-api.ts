import { Router } from 'express';
import type { Alert } from '../domain/alert.js';
import type { TrackedLot } from '../lot-record/lifecycle.js';
import { trackedLotPanel } from '../presentation/lot-panel.js';
import { lotMapFeatures } from '../presentation/map-features.js';
import type { MapAnswer, MapReader } from './map-api.js';

/** What the map routes read: the known lots (the store implements it). */
export interface LotReader {
  /** Lots found by the last run of their kommune, in tomt-id order. */
  active(): readonly TrackedLot[];
  byId(tomtId: string): TrackedLot | null;
  /** The lot's change alerts, newest first (none when the reader does not keep alerts). */
  alertsOf?(tomtId: string): readonly Alert[];
}

/**
 * `GET /api/lots/:tomtId` (the lot's panel) and the deprecated `GET /api/lots` (every active lot
 * as one GeoJSON collection, lon/lat, whole polygons; the map page reads `/api/map/lots` by box
 * and zoom instead). With a map reader the collection is built on its worker thread once per map
 * version; without one (tests) in place, per request.
 */
export function lotsRouter(lots: LotReader, map?: { reader: MapReader; answer: MapAnswer }): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    res.set({ deprecation: 'true', link: '</api/map/lots>; rel="successor-version"' });
    if (map) await map.answer(req, res, 'all', () => map.reader.all());
    else res.json(lotMapFeatures(lots.active().map((lot) => lot.record)));
  });
  router.get('/:tomtId', (req, res) => {
    const lot = lots.byId(req.params.tomtId);
    if (lot) res.json(trackedLotPanel(lot, lots.alertsOf?.(lot.record.tomtId) ?? []));
    else res.status(404).json({ error: 'no such lot' });
  });
  return router;
}
