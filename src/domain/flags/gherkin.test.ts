import { describe, it, expect } from 'vitest';
import { parseGherkin, parseTableRow } from './gherkin.js';
import type { Pickle } from './gherkin.js';

const feature = `@flags
Feature: Demo
  Free description text is ignored.

  Background:
    Given an evaluator

  # a comment
  Scenario: Plain
    Given a flag "x"
    When it is evaluated
    Then the metadata should contain
      | key | value |
      | a   | 1     |

  @outline
  Scenario Outline: Outline <name>
    Given a flag "<name>"
    Then the value should be "<value>"

    @v1
    Examples: first
      | name | value |
      | one  | 1     |

    @v2 @extra
    Examples:
      | name | value |
      | two  | 2     |
      | three |      |
`;

function pickles(source: string): readonly Pickle[] {
  const result = parseGherkin(source);
  if (!result.ok) throw new Error(`${result.line}: ${result.message}`);
  return result.pickles;
}

describe('parseGherkin', () => {
  const all = pickles(feature);

  it('expands outlines into one pickle per row, prefixing Background steps', () => {
    expect(all.map((p) => p.name)).toEqual([
      'Plain',
      'Outline <name> [first] #1 (one, 1)',
      'Outline <name> #1 (two, 2)',
      'Outline <name> #2 (three, )',
    ]);
    expect(all[0]?.steps.map((s) => `${s.keyword} ${s.text}`)).toEqual([
      'Given an evaluator',
      'Given a flag "x"',
      'When it is evaluated',
      'Then the metadata should contain',
    ]);
  });

  it('substitutes <placeholders> in step text, empty cells included', () => {
    expect(all[2]?.steps.map((s) => s.text)).toEqual(['an evaluator', 'a flag "two"', 'the value should be "2"']);
    expect(all[3]?.steps[2]?.text).toBe('the value should be ""');
  });

  it('collects feature, scenario and examples tags', () => {
    expect(all[0]?.tags).toEqual(['@flags']);
    expect(all[1]?.tags).toEqual(['@flags', '@outline', '@v1']);
    expect(all[2]?.tags).toEqual(['@flags', '@outline', '@v2', '@extra']);
  });

  it('attaches data tables to their step and records row lines', () => {
    expect(all[0]?.steps[3]?.table).toEqual([['key', 'value'], ['a', '1']]);
    expect(all[2]?.line).toBe(feature.split('\n').findIndex((line) => line.includes('| two')) + 1);
  });

  it.each<[string, string[]]>([
    ['| a | b |', ['a', 'b']],
    ['|  spaced  |x|', ['spaced', 'x']],
    ['| a \\| b | c |', ['a | b', 'c']],
    ['| back\\\\slash |', ['back\\slash']],
    ['| line\\nbreak |', ['line\nbreak']],
    ['| {\\"a\\": 1} |', ['{\\"a\\": 1}']],
    ['| |', ['']],
  ])('splits table row %j', (row, cells) => {
    expect(parseTableRow(row)).toEqual(cells);
  });

  it.each<[string, string, number]>([
    ['step outside a scenario', 'Feature: X\n  Given nothing\n', 2],
    ['Examples under a plain Scenario', 'Feature: X\n  Scenario: S\n    Given a\n  Examples:\n    | a |\n', 4],
    ['table row without a step', 'Feature: X\n  | a |\n', 2],
    ['unrecognised line among steps', 'Feature: X\n  Scenario: S\n    Given a\n    Whatever this is\n', 4],
  ])('reports %s with its line', (_name, source, line) => {
    const result = parseGherkin(source);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.line).toBe(line);
  });
});
