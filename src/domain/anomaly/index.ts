export * from './rules.js';
export * from './signal.js';
export * from './alert-state.js';
