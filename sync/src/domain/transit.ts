import type { Position } from './geometry.js';

/** A public transport stop place (Entur's national stop register, NSR) with regular departures. */
export interface TransitStop {
  /** NSR id, e.g. "NSR:StopPlace:59872". */
  id: string;
  name: string;
  /** EPSG:25833. */
  position: Position;
  /** Entur transport modes served ("rail", "metro", "tram", "bus", "water" …). */
  modes: string[];
  /** Distinct lines calling at the stop's quays in the current timetable. */
  lines: number;
  /**
   * Departures an hour by the line's transport mode in the representative weekday window (Journey
   * Planner `estimatedCalls`); absent in copies kept before departures were counted.
   */
  departuresPerHour?: Record<string, number>;
}

/**
 * The stops a kommune's lots are measured against, and where they came from. `unavailable`: no
 * stop data (the service failed and nothing was kept): Sentralitet is then measured from the
 * centre alone and the lots' confidence says so.
 */
export interface TransitData {
  status: 'fetched' | 'cached' | 'stale' | 'bundled' | 'unavailable';
  /** "entur-journey-planner", "bundled-sample" … */
  source: string;
  /** ISO time the stops were fetched (null for bundled or unavailable). */
  fetchedAt: string | null;
  stops: TransitStop[];
  /** Why the data is stale, bundled or unavailable. */
  reason?: string;
}
