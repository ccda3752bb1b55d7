export * from '../util/norwegian-format.js';
export * from './style.js';
export * from './score-details.js';
export * from './lot-view.js';
export * from './panel.js';
export { tierOf } from '../domain/lot.js';
