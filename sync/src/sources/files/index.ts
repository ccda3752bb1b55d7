export { readPlanFeatures } from './read-plan-features.js';
export { readParcels, dedupeParcels } from './read-parcels.js';
export type { ReadOptions, ReadWarning } from './read-options.js';
