import { CelScalar, celEnv, celFunc, isCelError, isCelList, isCelMap, parse, plan } from '@bufbuild/cel';
import { ExprSyntaxError } from './expr-lexer.js';
import { exprToCel } from './expr-to-cel.js';
import type { MetricValue } from './value.js';

/** A condition translated from Argo's expr syntax to CEL and planned once. */
export interface CompiledCondition {
  /** The condition as the user wrote it (expr syntax). */
  readonly source: string;
  /** The CEL it was translated to; shown to users so they see what was evaluated. */
  readonly cel: string;
  readonly evaluate: (value: MetricValue) => ConditionOutcome;
}

export type ConditionOutcome = { ok: true; value: boolean } | { ok: false; message: string };

export interface ConditionProblem {
  readonly code: 'CONDITION_SYNTAX' | 'CONDITION_UNSUPPORTED';
  /** 0-based offset into the condition text. */
  readonly position: number;
  readonly message: string;
}

export type CompileResult = { ok: true; condition: CompiledCondition } | { ok: false; problem: ConditionProblem };

const num = (fn: string, x: unknown): number => {
  if (typeof x === 'number') return x;
  throw new Error(`${fn}() needs a number, got ${describe(x)}`);
};

const toNumber = (fn: string, x: unknown, parse: (s: string) => number): number => {
  if (typeof x === 'number') return x;
  if (typeof x === 'bigint') return Number(x);
  if (typeof x === 'string') {
    const parsed = parse(x.trim());
    if (x.trim() !== '' && !Number.isNaN(parsed)) return parsed;
    throw new Error(`${fn}(): "${x}" is not a number`);
  }
  throw new Error(`${fn}() not supported on ${describe(x)}`);
};

const parseIntStrict = (s: string): number => (/^[+-]?\d+$/.test(s) ? Number(s) : Number.NaN);
const parseFloatStrict = (s: string): number => (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(Inf|inf|NaN)$/.test(s)
  ? Number(s.replace(/inf/i, 'Infinity').replace(/^\+?NaN$|^-NaN$/, 'NaN')) : Number.NaN);

// All numbers are doubles in Rampart's condition model (see expr-to-cel.ts), so asInt truncates
// to a whole double instead of producing a CEL int.
const ENV = celEnv({
  variables: { result: CelScalar.DYN },
  funcs: [
    celFunc('isNaN', [CelScalar.DYN], CelScalar.BOOL, (x) => Number.isNaN(num('isNaN', x))),
    celFunc('isInf', [CelScalar.DYN], CelScalar.BOOL, (x) => {
      const n = num('isInf', x);
      return n === Infinity || n === -Infinity;
    }),
    celFunc('asInt', [CelScalar.DYN], CelScalar.DOUBLE, (x) => Math.trunc(toNumber('asInt', x, parseIntStrict))),
    celFunc('asFloat', [CelScalar.DYN], CelScalar.DOUBLE, (x) => toNumber('asFloat', x, parseFloatStrict)),
    celFunc('abs', [CelScalar.DYN], CelScalar.DOUBLE, (x) => Math.abs(num('abs', x))),
    celFunc('pow', [CelScalar.DYN, CelScalar.DYN], CelScalar.DOUBLE, (x, y) => num('pow', x) ** num('pow', y)),
  ],
});

// Conditions differ per run once args are substituted, so the cache is bounded (oldest out).
const CACHE_LIMIT = 2000;
const cache = new Map<string, CompileResult>();

/**
 * Translates an expr condition to CEL and plans it; results (including failures) are cached by
 * source text (up to 2,000 distinct texts), so compiling the same condition again is free.
 * Never throws.
 */
export function compileCondition(source: string): CompileResult {
  const hit = cache.get(source);
  if (hit) return hit;
  const result = compileUncached(source);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(source, result);
  return result;
}

function compileUncached(source: string): CompileResult {
  let cel: string;
  try {
    cel = exprToCel(source);
  } catch (error) {
    if (error instanceof ExprSyntaxError) return { ok: false, problem: { code: error.code, position: error.pos, message: error.message } };
    throw error;
  }
  let program: ReturnType<typeof plan<{ result: typeof CelScalar.DYN }>>;
  try {
    program = plan(ENV, parse(cel));
  } catch (error) {
    // The translator only emits CEL it knows; reaching here is a translator bug, reported as data.
    return { ok: false, problem: { code: 'CONDITION_SYNTAX', position: 0, message: `translated CEL "${cel}" did not compile: ${(error as Error).message}` } };
  }
  const evaluate = (value: MetricValue): ConditionOutcome => {
    let out: unknown;
    try {
      out = program({ result: toCel(value) as never });
    } catch (error) {
      return { ok: false, message: `evaluating ${source}: ${(error as Error).message}` };
    }
    if (isCelError(out)) return { ok: false, message: `evaluating ${source}: ${out.message}` };
    if (typeof out !== 'boolean') return { ok: false, message: `condition ${source} must be true or false, got ${describe(out)}` };
    return { ok: true, value: out };
  };
  return { ok: true, condition: Object.freeze({ source, cel, evaluate }) };
}

/** JSON-like values pass through; `undefined` (absent) becomes null, like Go's nil. */
function toCel(value: MetricValue): unknown {
  if (value === undefined) return null;
  return value;
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x) || isCelList(x)) return 'a list';
  if (isCelMap(x) || typeof x === 'object') return 'an object';
  return `${typeof x} ${String(x)}`;
}
