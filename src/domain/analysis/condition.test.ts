import { describe, expect, it } from 'vitest';
import { compileCondition } from './condition.js';
import type { MetricValue } from './value.js';

function evaluate(source: string, value: MetricValue): boolean | string {
  const compiled = compileCondition(source);
  if (!compiled.ok) throw new Error(compiled.problem.message);
  const outcome = compiled.condition.evaluate(value);
  return outcome.ok ? outcome.value : `error: ${outcome.message}`;
}

describe('expr conditions translated to CEL', () => {
  it.each<[string, MetricValue, boolean]>([
    ['result < 1', 0.5, true],
    ['result < 1', 1.5, false],
    ['result <= 0.02', 0.02, true],
    ['result == 1', 1, true],
    ['result != 1', 1.0, false],
    ['result[0] >= 0.99', [0.995], true],
    ['result[0] >= 0.99', [0.5, 1], false],
    ['result[-1] == 3', [1, 2, 3], true],
    ['len(result) == 0', [], true],
    ['len(result) > 1', [1], false],
    ['isNaN(result)', Number.NaN, true],
    ['isNaN(result)', 0.1, false],
    ['isInf(result)', Number.POSITIVE_INFINITY, true],
    ['isInf(result)', -Infinity, true],
    ['default(result, 0) < 1', null, true],
    ['default(result, 5) < 1', 0.5, true],
    ['isNil(result)', null, true],
    ['all(result, {# < 1})', [0.1, 0.2], true],
    ['all(result, {# < 1})', [0.1, 2], false],
    ['any(result, {# > 1})', [0.1, 2], true],
    ['none(result, {# > 1})', [0.1, 2], false],
    ['one(result, {# > 1})', [0.1, 2], true],
    ['count(result, {# > 0.5}) == 2', [0.6, 0.7, 0.1], true],
    ['len(filter(result, {# > 0.5})) == 1', [0.6, 0.1], true],
    ['all(result, {.ok == true})', [{ ok: true }, { ok: true }], true],
    ['result < 1 and result > 0', 0.5, true],
    ['result < 1 && result > 0', 1.5, false],
    ['result > 1 or result < 0', -1, true],
    ['result > 1 || result < 0', 0.5, false],
    ['not (result > 1)', 0.5, true],
    ['!(result > 1)', 2, false],
    ['result * 100 < 2', 0.01, true],
    ['result / 2 == 0.25', 0.5, true],
    ['result + 1 - 2 == -0.5', 0.5, true],
    ['1 + 2 * 3 == 7', 0, true],
    ['(1 + 2) * 3 == 9', 0, true],
    ['2 ** 3 ** 2 == 512', 0, true],
    ['-result < 0', 3, true],
    ['result % 2 == 1', 7, true],
    ['asInt(result) == 3', '3', true],
    ['asInt(result) == 3', 3.9, true],
    ['asFloat(result) > 1.2', '1.5', true],
    ['result == "It worked!"', 'It worked!', true],
    ["result == 'It worked!'", 'It worked!', true],
    ['result.data.errorRate < 0.1', { data: { errorRate: 0.05 } }, true],
    ['result["error-rate"] < 0.1', { 'error-rate': 0.05 }, true],
    ['result.status in ["ok", "green"]', { status: 'green' }, true],
    ['result.status not in ["ok", "green"]', { status: 'red' }, true],
    ['result contains "ok"', 'all ok', true],
    ['result startsWith "all"', 'all ok', true],
    ['result endsWith "ok"', 'all ok', true],
    ['result not contains "bad"', 'all ok', true],
    ['result not matches "^b"', 'all ok', true],
    ['result not startsWith "all"', 'all ok', false],
    ['result matches "^a.*k$"', 'all ok', true],
    ['result > 1 ? true : false', 2, true],
    ['result == true', true, true],
    ['result == nil', null, true],
    ['1_000 == 1000', 0, true],
    ['0x10 == 16', 0, true],
    ['1e3 == 1000', 0, true],
  ])('%s with %j → %s', (source, value, expected) => {
    expect(evaluate(source, value)).toBe(expected);
  });

  it.each<[string, MetricValue]>([
    ['result < 1', Number.NaN],
    ['result > 1', Number.NaN],
    ['result == 1', Number.NaN],
  ])('NaN makes every comparison false: %s', (source, value) => {
    expect(evaluate(source, value)).toBe(false);
  });

  it.each<[string, MetricValue, RegExp]>([
    ['result < 1', 'text', /no matching overload/],
    ['result[0] < 1', [], /index|range|invalid/i],
    ['isNaN(result)', [1], /needs a number/],
    ['result', 1, /must be true or false/],
    ['asInt(result) > 1', 'abc', /not a number/],
  ])('%s with %j is an evaluation error', (source, value, message) => {
    expect(evaluate(source, value)).toMatch(message);
  });

  it('emits doubles for every literal so int/double never mix', () => {
    const compiled = compileCondition('result * 100 < 2 && len(result) > 0');
    expect(compiled.ok && compiled.condition.cel).toBe('(((result * 100.0) < 2.0) && (double(size(result)) > 0.0))');
  });

  it('caches: compiling the same text twice returns the same plan', () => {
    expect(compileCondition('result < 42')).toBe(compileCondition('result < 42'));
  });
});

describe('unsupported or bad conditions are load errors with a position', () => {
  it.each<[string, 'CONDITION_SYNTAX' | 'CONDITION_UNSUPPORTED', number, RegExp]>([
    ['foo > 1', 'CONDITION_UNSUPPORTED', 0, /unknown name "foo"/],
    ['result..2', 'CONDITION_UNSUPPORTED', 6, /ranges/],
    ['result ?? 0', 'CONDITION_UNSUPPORTED', 7, /default/],
    ['result?.a > 1', 'CONDITION_UNSUPPORTED', 6, /optional chaining/],
    ['result[1:2]', 'CONDITION_UNSUPPORTED', 6, /slices/],
    ['upper(result) == "A"', 'CONDITION_UNSUPPORTED', 0, /function upper/],
    ['default(result[0], 1) > 0', 'CONDITION_UNSUPPORTED', 8, /always tests "result"/],
    ['{a: 1}', 'CONDITION_UNSUPPORTED', 0, /map literals/],
    ['# > 1', 'CONDITION_UNSUPPORTED', 0, /only defined inside a predicate/],
    ['result.size() > 1', 'CONDITION_UNSUPPORTED', 7, /method call/],
    ['result <', 'CONDITION_SYNTAX', 8, /end of condition/],
    ['result < 1)', 'CONDITION_SYNTAX', 10, /unexpected "\)"/],
    ['result == "open', 'CONDITION_SYNTAX', 10, /unterminated/],
    ['result @ 1', 'CONDITION_SYNTAX', 7, /unexpected character/],
    ['all(result)', 'CONDITION_SYNTAX', 0, /takes 2 arguments/],
    ['all(result, # < 1)', 'CONDITION_SYNTAX', 12, /predicate/],
  ])('%s', (source, code, position, message) => {
    const compiled = compileCondition(source);
    expect(compiled.ok).toBe(false);
    if (compiled.ok) return;
    expect(compiled.problem).toMatchObject({ code, position });
    expect(compiled.problem.message).toMatch(message);
  });
});
