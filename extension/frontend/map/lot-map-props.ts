import type { ComponentType } from 'react';
import type { LotSummary } from '../lots/lot-summary.js';
import type { TileSource } from './tile-source.js';

/** Asks the map to move; `seq` grows with every request so asking twice moves twice. */
export interface MapRequest {
  seq: number;
}

export interface LotMapProps {
  /** The lots that pass the filter (those without geometry are skipped by the map). */
  lots: ReadonlyArray<LotSummary>;
  selected: LotSummary | null;
  /** Bring the selected lot into view. */
  focus: MapRequest | null;
  /** Fit the view to all lots (first load, a new kommune filter, "Vis alle"). */
  fit: MapRequest | null;
  tiles: TileSource;
  onSelect(recordId: string): void;
}

/** The map is a component prop of the app so tests without a canvas can stand in for Leaflet. */
export type LotMapComponent = ComponentType<LotMapProps>;
