import { describe, it, expect } from 'vitest';
import { compilePolicy } from './policy-engine.js';

const header = 'apiVersion: rampart.dev/v1alpha1\nkind: ReleasePolicy\nname: t\n';

describe('compilePolicy: file errors name file, line and field', () => {
  it.each([
    // policy body (after the 3 header lines), line, field, message part
    ['rules:\n  - name: a\n    expr: b\n  - name: b\n    expr: "true"\nallow:\n  - expr: a\n', 6, 'a', 'rule "b" is used before it is defined'],
    ['rules:\n  - name: a\n    expr: input.x && nope\nallow:\n  - expr: a\n', 6, 'a', 'unknown name "nope"'],
    ['rules:\n  - name: a\n    expr: "input.x &&"\nallow:\n  - expr: a\n', 6, 'a', 'CEL syntax error'],
    ['rules:\n  - name: a\n    expr: "true"\n', 1, 'allow', 'allow is required'],
    ['rules:\n  - name: a\n    expr: "true"\n  - name: a\n    expr: "false"\nallow:\n  - expr: a\n', 7, 'rules[1].name', 'defined twice'],
    ['rules:\n  - name: input\n    expr: "true"\nallow:\n  - expr: "true"\n', 5, 'rules[0].name', 'reserved'],
    ['rules:\n  - name: 2fast\n    expr: "true"\nallow:\n  - expr: "true"\n', 5, 'rules[0].name', 'not an identifier'],
    ['allow:\n  - expr: "true"\nviolations:\n  - when: "true"\n', 7, 'violations[0].message', 'message is required'],
    ['allow: [\n', 5, '(syntax)', 'YAML syntax error'],
  ])('case %#', (body, line, field, text) => {
    const result = compilePolicy(header + body, 'p.yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]).toMatchObject({ code: 'POLICY_INVALID', file: 'p.yaml', line, field });
    expect(result.issues[0]!.message).toContain(text);
  });
});

describe('policy evaluation semantics', () => {
  const source = `${header}rules:
  - name: big
    expr: input.n > 10
  - name: named
    expr: input.name
allow:
  - name: big
    expr: big
violations:
  - when: "!big"
    message: sprintf("%d is small", [input.n])
  - when: "!big"
    message: sprintf("%d is small", [input.n])
  - when: "true"
    message: input.missing_text
`;
  const compiled = compilePolicy(source, 'p.yaml');
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
  const policy = compiled.policy;

  it('returns the cached plans for the same source', () => {
    const again = compilePolicy(source, 'p.yaml');
    expect(again.ok && again.policy).toBe(policy);
  });

  it.each([
    [{ n: 11, name: 'x' }, true, [], ['named: expected a boolean, got string', 'violations[2].message: field not found: missing_text']],
    [{ n: 3, name: true }, false, ['3 is small'], ['violations[2].message: field not found: missing_text']],
    [{ name: true }, false, [], ['big: field not found: n']],
  ])('input %j → allow %s, violations %j', (input, allow, violations, errorsStart) => {
    const result = policy.evaluate(input);
    expect(result.allow).toBe(allow);
    expect(result.violations).toEqual(violations);
    const errors = result.errors.map((e) => `${e.at}: ${e.message}`);
    expect(errors.slice(0, errorsStart.length)).toEqual(errorsStart);
  });

  it('never throws, whatever the input holds', () => {
    const odd = compilePolicy(`${header}allow:\n  - expr: size(input.list) == 2 && input.list[1] == 1\n`, 'odd.yaml');
    if (!odd.ok) throw new Error(JSON.stringify(odd.issues));
    // A function is no JSON value: evaluation reports an error for it instead of throwing.
    const result = odd.policy.evaluate({ list: [1, () => 1] });
    expect(result.allow).toBe(false);
    expect(result.errors).toHaveLength(1);
  });

  it('an erroring rule is false, like an undefined rule in rego, and is reported', () => {
    const result = policy.evaluate({ name: true });
    expect(result.rules).toEqual({ big: false, named: true });
    expect(result.errors.map((e) => e.at)).toContain('big');
  });
});
