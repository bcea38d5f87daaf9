import { DEFAULT_SPRT } from './statistical/error-rate-sprt.js';
import { DEFAULT_LATENCY_TEST } from './statistical/mann-whitney.js';
import type { ResolvedJudge, ResolveProblem } from './resolved.js';
import type { AnalysisTemplate } from './template.js';

/** One judge per run: templates that set one must agree; statistical settings get their defaults. */
export function resolveJudge(templates: readonly AnalysisTemplate[], problems: ResolveProblem[]): ResolvedJudge {
  const judges = templates.flatMap((t) => (t.judge ? [t.judge] : []));
  const first = judges[0];
  if (judges.some((j) => JSON.stringify(j) !== JSON.stringify(first))) {
    problems.push({ code: 'SEMANTICS_CONFLICT', message: `templates ${templates.map((t) => t.name).join(', ')} set different judges; set the judge in one template`, path: 'judge' });
  }
  if (!first || first.type === 'threshold') return { type: 'threshold' };
  const errorRate = { ...DEFAULT_SPRT, ...first.errorRate };
  const latency = { ...DEFAULT_LATENCY_TEST, ...first.latency };
  const inOpenUnit = (v: number): boolean => v > 0 && v < 1;
  if (!inOpenUnit(errorRate.alpha) || !inOpenUnit(errorRate.beta) || !inOpenUnit(latency.alpha)) {
    problems.push({ code: 'INVALID_VALUE', message: 'judge alpha and beta must be between 0 and 1', path: 'judge' });
  }
  if (!(errorRate.k > 1 + errorRate.tolerance) || errorRate.tolerance < 0) {
    problems.push({ code: 'INVALID_VALUE', message: `judge.errorRate.k (${errorRate.k}) must exceed 1 + tolerance (${1 + errorRate.tolerance})`, path: 'judge.errorRate' });
  }
  if (latency.looks < 1 || latency.minSamples < 1 || latency.minEffect < 0 || latency.minEffect > 1) {
    problems.push({ code: 'INVALID_VALUE', message: 'judge.latency needs looks >= 1, minSamples >= 1 and 0 <= minEffect <= 1', path: 'judge.latency' });
  }
  return { type: 'statistical', errorRate, latency };
}
