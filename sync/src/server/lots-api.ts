import { Router } from 'express';
import type { TrackedLot } from '../lot-record/lifecycle.js';
import { trackedLotPanel } from '../presentation/lot-panel.js';
import { lotMapFeatures } from '../presentation/map-features.js';

/** What the map routes read: the known lots (the store implements it). */
export interface LotReader {
  /** Lots found by the last run of their kommune, in tomt-id order. */
  active(): readonly TrackedLot[];
  byId(tomtId: string): TrackedLot | null;
}

/** `GET /api/lots` (GeoJSON for the map, lon/lat) and `GET /api/lots/:tomtId` (the lot's panel). */
export function lotsRouter(lots: LotReader): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.json(lotMapFeatures(lots.active().map((lot) => lot.record)));
  });
  router.get('/:tomtId', (req, res) => {
    const lot = lots.byId(req.params.tomtId);
    if (lot) res.json(trackedLotPanel(lot));
    else res.status(404).json({ error: 'no such lot' });
  });
  return router;
}
