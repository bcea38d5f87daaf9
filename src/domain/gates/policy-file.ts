import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node, YAMLMap } from 'yaml';

/**
 * A release policy file (`policies/release-gate.yaml`):
 *
 * ```yaml
 * apiVersion: rampart.dev/v1alpha1
 * kind: ReleasePolicy
 * name: companyos.release
 * rules:                     # named booleans, evaluated in order; each may use earlier ones
 *   - name: all_build_gates_pass
 *     expr: has(input.gates.build.lint) && input.gates.build.lint == "pass"
 * allow:                     # allow = any of these is true (like several rego `allow if` bodies)
 *   - name: all_gates
 *     expr: all_build_gates_pass
 * violations:                # each true `when` contributes its `message` (a CEL string expression)
 *   - when: '!all_build_gates_pass'
 *     message: '"Build gates not satisfied"'
 * ```
 *
 * Expressions are CEL. They see `input` (the policy input), `data` (= `input.data`), `now`
 * (= `input.now`), the rules defined above them, and `sprintf(format, [args])` with OPA's output.
 */
export interface PolicyDefinition {
  name: string;
  rules: PolicyExpr[];
  allow: PolicyExpr[];
  violations: { when: PolicyExpr; message: PolicyExpr }[];
}

export interface PolicyExpr {
  /** Rule name; for allow entries an optional label; for violations `violations[i]`. */
  name: string;
  expr: string;
  /** 1-based line of the expression in the policy file. */
  line: number;
}

export interface PolicyIssue {
  code: 'POLICY_INVALID';
  file: string;
  line: number;
  field: string;
  message: string;
}

export const RESERVED_NAMES: ReadonlySet<string> = new Set(['input', 'data', 'now', 'sprintf']);
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses and shape-checks a policy file. CEL syntax is checked by `compilePolicy`. Never throws. */
export function parsePolicyFile(source: string, file: string): { ok: true; definition: PolicyDefinition } | { ok: false; issues: PolicyIssue[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false });
  const issues: PolicyIssue[] = [];
  const lineOf = (node: Node | null | undefined) => (node?.range ? lineCounter.linePos(node.range[0]).line : 0);
  const issue = (node: Node | null | undefined, field: string, message: string) => {
    const line = lineOf(node);
    issues.push({ code: 'POLICY_INVALID', file, line, field, message: `${file}:${line}: ${field}: ${message}` });
  };
  for (const error of doc.errors) {
    const line = lineCounter.linePos(error.pos[0]).line;
    issues.push({ code: 'POLICY_INVALID', file, line, field: '(syntax)', message: `${file}:${line}: YAML syntax error: ${error.message.split('\n')[0]}` });
  }
  if (issues.length > 0) return { ok: false, issues };
  const root = doc.contents;
  if (!isMap(root)) {
    issue(root, '(document)', 'a policy file is a mapping with rules, allow and violations');
    return { ok: false, issues };
  }
  const kind = root.get('kind', true) as Node | undefined;
  if (kind !== undefined && !(isScalar(kind) && kind.value === 'ReleasePolicy')) issue(kind, 'kind', 'must be ReleasePolicy');

  const text = (map: YAMLMap, key: string, at: string, required: boolean): { value: string; line: number } | undefined => {
    const node = map.get(key, true) as Node | undefined;
    if (node === undefined) {
      if (required) issue(map, `${at}.${key}`, `${key} is required`);
      return undefined;
    }
    if (!isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '') {
      issue(node, `${at}.${key}`, 'must be a non-empty string');
      return undefined;
    }
    return { value: node.value, line: lineOf(node) };
  };
  const list = (key: string): YAMLMap[] => {
    const node = root.get(key, true) as Node | undefined;
    if (node === undefined) return [];
    if (!isSeq(node)) {
      issue(node, key, 'must be a list');
      return [];
    }
    return node.items.filter((item, i) => (isMap(item) ? true : (issue(item as Node, `${key}[${i}]`, 'must be a mapping'), false))) as YAMLMap[];
  };

  const seen = new Set<string>();
  const rules: PolicyExpr[] = [];
  list('rules').forEach((item, i) => {
    const at = `rules[${i}]`;
    const name = text(item, 'name', at, true);
    const expr = text(item, 'expr', at, true);
    if (name && !IDENT.test(name.value)) issue(item.get('name', true) as Node, `${at}.name`, `"${name.value}" is not an identifier (letters, digits, _)`);
    else if (name && RESERVED_NAMES.has(name.value)) issue(item.get('name', true) as Node, `${at}.name`, `"${name.value}" is reserved`);
    else if (name && seen.has(name.value)) issue(item.get('name', true) as Node, `${at}.name`, `rule "${name.value}" is defined twice`);
    if (name) seen.add(name.value);
    if (name && expr) rules.push({ name: name.value, expr: expr.value, line: expr.line });
  });
  const allow: PolicyExpr[] = [];
  list('allow').forEach((item, i) => {
    const at = `allow[${i}]`;
    const label = text(item, 'name', at, false);
    const expr = text(item, 'expr', at, true);
    if (expr) allow.push({ name: label?.value ?? at, expr: expr.value, line: expr.line });
  });
  if (root.get('allow', true) === undefined) issue(root, 'allow', 'allow is required: with no allow expression every release would be denied');
  const violations: PolicyDefinition['violations'] = [];
  list('violations').forEach((item, i) => {
    const at = `violations[${i}]`;
    const when = text(item, 'when', at, true);
    const message = text(item, 'message', at, true);
    if (when && message) violations.push({ when: { name: `${at}.when`, expr: when.value, line: when.line }, message: { name: `${at}.message`, expr: message.value, line: message.line } });
  });
  const nameNode = root.get('name', true) as Node | undefined;
  const name = isScalar(nameNode) ? String(nameNode.value) : 'release-policy';
  return issues.length > 0 ? { ok: false, issues } : { ok: true, definition: { name, rules, allow, violations } };
}
