// What the Airtable extension shares with the service: browser-safe modules only (no proj4, GEOS or Node).
export * from '../util/norwegian-format.js';
export * from './labels.js';
export * from './style.js';
export * from './score-details.js';
export type * from './lot-view.js';
export * from './panel.js';
export { tierOf } from '../domain/lot.js';
