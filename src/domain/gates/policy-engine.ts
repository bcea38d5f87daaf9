import { CelScalar, celEnv, celError, celFunc, celList, celMap, isCelError, listType, parse, plan } from '@bufbuild/cel';
import type { CelInput, CelList } from '@bufbuild/cel';
import { sha256Hex } from '../canonical-json.js';
import { opaSprintf } from './opa-sprintf.js';
import type { PolicyExpr, PolicyIssue } from './policy-file.js';
import { parsePolicyFile } from './policy-file.js';
import { freeIdentifiers } from './cel-idents.js';

/** The outcome of one policy evaluation. Never thrown: CEL errors are collected in `errors`. */
export interface PolicyEvaluation {
  allow: boolean;
  /** Names of the allow expressions that held. */
  allowedBy: string[];
  /** Every rule's value; a rule that errored (e.g. a field absent) is false, as undefined is in rego. */
  rules: Record<string, boolean>;
  /** Messages, de-duplicated and sorted like a rego set so OPA and this engine print the same. */
  violations: string[];
  errors: { at: string; message: string }[];
}

export interface CompiledPolicy {
  name: string;
  file: string;
  /** `sha256:` of the source text exactly as given. */
  digest: string;
  source: string;
  evaluate(input: Record<string, unknown>): PolicyEvaluation;
}

export type CompilePolicyResult = { ok: true; policy: CompiledPolicy } | { ok: false; issues: PolicyIssue[] };

type Program = (bindings: Record<string, unknown>) => unknown;

const sprintf = celFunc('sprintf', [CelScalar.STRING, listType(CelScalar.DYN)], CelScalar.STRING, (format: string, args: CelList) => {
  const values: unknown[] = [];
  for (let i = 0; i < args.size; i++) values.push(args.get(i));
  return opaSprintf(format, values);
});

const cache = new Map<string, CompilePolicyResult>();

/**
 * Parses and plans a policy once; the same (file, source) returns the cached plans, so the
 * per-decision cost is evaluation only. Reports every problem with file, line and field: a YAML
 * error, CEL syntax, a rule used before it is defined. Never throws.
 */
export function compilePolicy(source: string, file = 'release-gate.yaml'): CompilePolicyResult {
  const key = `${file}\u0000${source}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const result = compileUncached(source, file);
  if (cache.size > 64) cache.clear();
  cache.set(key, result);
  return result;
}

function compileUncached(source: string, file: string): CompilePolicyResult {
  const parsed = parsePolicyFile(source, file);
  if (!parsed.ok) return parsed;
  const { definition } = parsed;
  const issues: PolicyIssue[] = [];
  const ruleNames = definition.rules.map((r) => r.name);
  const variables: Record<string, typeof CelScalar.DYN> = { input: CelScalar.DYN, data: CelScalar.DYN, now: CelScalar.DYN };
  for (const name of ruleNames) variables[name] = CelScalar.DYN;
  const env = celEnv({ variables, funcs: [sprintf] });

  const compileOne = (expr: PolicyExpr, visible: ReadonlySet<string>): Program | undefined => {
    try {
      const ast = parse(expr.expr);
      for (const ident of freeIdentifiers(ast.expr)) {
        if (visible.has(ident)) continue;
        const later = ruleNames.includes(ident);
        issues.push({ code: 'POLICY_INVALID', file, line: expr.line, field: expr.name, message: `${file}:${expr.line}: ${expr.name}: ${later ? `rule "${ident}" is used before it is defined; move it above` : `unknown name "${ident}"; use input, data, now or an earlier rule`}` });
      }
      return plan(env, ast) as Program;
    } catch (error) {
      issues.push({ code: 'POLICY_INVALID', file, line: expr.line, field: expr.name, message: `${file}:${expr.line}: ${expr.name}: CEL syntax error: ${(error as Error).message}` });
      return undefined;
    }
  };

  const visible = new Set(['input', 'data', 'now']);
  const rules: { name: string; run: Program | undefined }[] = [];
  for (const rule of definition.rules) {
    rules.push({ name: rule.name, run: compileOne(rule, visible) });
    visible.add(rule.name);
  }
  const allow = definition.allow.map((a) => ({ name: a.name, run: compileOne(a, visible) }));
  const violations = definition.violations.map((v) => ({ at: v.when.name.replace(/\.when$/, ''), when: compileOne(v.when, visible), message: compileOne(v.message, visible) }));
  if (issues.length > 0) return { ok: false, issues };

  const evaluate = (input: Record<string, unknown>): PolicyEvaluation => {
    const errors: PolicyEvaluation['errors'] = [];
    const tree = toCelTree(input) as { get(key: string): unknown };
    const bindings: Record<string, unknown> = { input: tree, data: tree.get('data') ?? celMap(new Map()), now: tree.get('now') ?? celMap(new Map()) };
    // A CEL runtime that throws (rather than returning an error value) is an error like any other.
    const call = (run: Program): unknown => {
      try {
        return run(bindings);
      } catch (error) {
        return celError(error);
      }
    };
    const truth = (at: string, run: Program): boolean => {
      const value = call(run);
      if (isCelError(value)) {
        errors.push({ at, message: value.message });
        return false;
      }
      if (typeof value !== 'boolean') {
        errors.push({ at, message: `expected a boolean, got ${typeof value}` });
        return false;
      }
      return value;
    };
    const ruleValues: Record<string, boolean> = {};
    for (const rule of rules) {
      ruleValues[rule.name] = truth(rule.name, rule.run!);
      bindings[rule.name] = ruleValues[rule.name];
    }
    const allowedBy = allow.filter((a) => truth(`allow ${a.name}`, a.run!)).map((a) => a.name);
    const messages = new Set<string>();
    for (const v of violations) {
      if (!truth(`${v.at}.when`, v.when!)) continue;
      const message = call(v.message!);
      // As in rego, a message that cannot be built (an absent field) contributes no violation.
      if (isCelError(message)) errors.push({ at: `${v.at}.message`, message: message.message });
      else if (typeof message !== 'string') errors.push({ at: `${v.at}.message`, message: `expected a string, got ${typeof message}` });
      else messages.add(message);
    }
    return { allow: allowedBy.length > 0, allowedBy, rules: ruleValues, violations: [...messages].sort(compareCodePoints), errors };
  };
  return { ok: true, policy: { name: definition.name, file, digest: sha256Hex(source), source, evaluate } };
}

/**
 * Converts a JSON tree to CEL maps and lists once per evaluation. Left as plain objects, the CEL
 * runtime would rebuild a map at every field access of every expression.
 */
function toCelTree(value: unknown): CelInput {
  if (Array.isArray(value)) return celList(value.map(toCelTree));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]): [string, CelInput] => [k, toCelTree(v)]);
    return celMap(new Map(entries));
  }
  return value as CelInput;
}

/** Rego sorts set members by byte order; for strings that is code-point order. */
function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
