export * from './types.js';
export * from './tomter.js';
export * from './kommuner.js';
export * from './eiere.js';
export * from './varsler.js';
export * from './rapporter.js';
