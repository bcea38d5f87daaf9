export * from './types.js';
export * from './transitions.js';
export * from './grant.js';
export * from './emergency.js';
