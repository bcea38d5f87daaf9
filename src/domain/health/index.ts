export * from './thresholds.js';
export * from './evaluate.js';
