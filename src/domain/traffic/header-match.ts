/**
 * Header matching with Argo Rollouts `headerValue` semantics: exactly one of exact, prefix or regex.
 * An absent header never matches. Regexes are compiled once when a route is set, never per request.
 */
export interface HeaderValueMatch {
  exact?: string;
  prefix?: string;
  regex?: string;
}

export interface HeaderMatchSpec {
  headerName: string;
  headerValue: HeaderValueMatch;
}

export interface CompiledHeaderMatch {
  /** Lower-case header name. */
  readonly header: string;
  readonly kind: 'exact' | 'prefix' | 'regex';
  readonly value: string;
  readonly regex: RegExp | null;
}

export type CompileResult<T> = { ok: true; value: T } | { ok: false; message: string };

const headerNamePattern = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Validates and compiles one match; the message names the offending field and the fix. */
export function compileHeaderMatch(spec: HeaderMatchSpec, path: string): CompileResult<CompiledHeaderMatch> {
  if (typeof spec.headerName !== 'string' || !headerNamePattern.test(spec.headerName)) {
    return { ok: false, message: `${path}.headerName must be an HTTP header name (letters, digits, '-')` };
  }
  const v = spec.headerValue ?? {};
  const given = (['exact', 'prefix', 'regex'] as const).filter((k) => typeof v[k] === 'string');
  if (given.length !== 1) {
    return { ok: false, message: `${path}.headerValue must set exactly one of exact, prefix or regex (got ${given.length})` };
  }
  const kind = given[0] as 'exact' | 'prefix' | 'regex';
  const value = v[kind] as string;
  let regex: RegExp | null = null;
  if (kind === 'regex') {
    try {
      regex = new RegExp(value);
    } catch (err) {
      return { ok: false, message: `${path}.headerValue.regex is not a valid regular expression: ${(err as Error).message}` };
    }
  }
  return { ok: true, value: Object.freeze({ header: spec.headerName.toLowerCase(), kind, value, regex }) };
}

/** Compiles a list of matches (all must hold); an empty list is allowed only when `allowEmpty`. */
export function compileHeaderMatches(specs: readonly HeaderMatchSpec[], path: string, allowEmpty: boolean): CompileResult<readonly CompiledHeaderMatch[]> {
  if (!Array.isArray(specs)) return { ok: false, message: `${path} must be a list of { headerName, headerValue }` };
  if (specs.length === 0 && !allowEmpty) return { ok: false, message: `${path} must hold at least one header match` };
  const out: CompiledHeaderMatch[] = [];
  for (let i = 0; i < specs.length; i++) {
    const r = compileHeaderMatch(specs[i] as HeaderMatchSpec, `${path}[${i}]`);
    if (!r.ok) return r;
    out.push(r.value);
  }
  return { ok: true, value: Object.freeze(out) };
}

/** Whether one header value satisfies one compiled match. */
export function matchesValue(m: CompiledHeaderMatch, actual: string | undefined): boolean {
  if (actual === undefined) return false;
  switch (m.kind) {
    case 'exact':
      return actual === m.value;
    case 'prefix':
      return actual.startsWith(m.value);
    case 'regex':
      return (m.regex as RegExp).test(actual);
  }
}

/** True when every match holds (an empty list holds). */
export function matchesAll(matches: readonly CompiledHeaderMatch[], headers: (lowerName: string) => string | undefined): boolean {
  for (let i = 0; i < matches.length; i++) {
    const m = matches[i] as CompiledHeaderMatch;
    if (!matchesValue(m, headers(m.header))) return false;
  }
  return true;
}
