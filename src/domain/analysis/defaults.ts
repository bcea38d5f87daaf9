import type { NoDataPolicy } from './template.js';

/**
 * Every default an analysis applies, in one place. The Argo values come from argo-rollouts'
 * analysis controller (`DefaultConsecutiveErrorLimit`, `DefaultErrorRetryInterval`,
 * `DefaultMeasurementHistoryLimit`); the no-data values apply to `semantics: rampart/v1` only.
 */
export const DEFAULTS = Object.freeze({
  failureLimit: 0,
  inconclusiveLimit: 0,
  consecutiveErrorLimit: 4,
  errorRetryMs: 10_000,
  measurementRetention: 10,
  noDataPolicy: 'inconclusive' as NoDataPolicy,
  minSamples: 1,
  minRequests: 0,
});
