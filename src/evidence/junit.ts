import { fail, succeed } from './errors.js';
import type { FactsResult, TestFacts } from './types.js';
import { attr, children, hasChild, parseXmlText, rootName } from './xml.js';

const EXPECTED = 'a JUnit XML report (<testsuites> or <testsuite> root)';
const ARRAY_TAGS = new Set(['testsuite', 'testcase']);
const MAX_FAILING_NAMES = 20;

/**
 * Parses JUnit XML (Surefire, jest-junit, pytest, Gradle…). Counts each `<testcase>` exactly
 * once wherever it is nested; suite-level totals are ignored when cases are present, because
 * nested suites repeat their children's totals and adding them would double count. A suite
 * with no cases and no child suites contributes its own `tests/failures/errors/skipped`
 * attributes (summary-only reports). A case with `<error>` counts as an error, else with
 * `<failure>` as a failure, else with `<skipped>` as skipped; Surefire's `flakyFailure` and
 * `rerunFailure` (passed on rerun) count as passed.
 */
export function parseJunit(text: string, file: string): FactsResult<TestFacts> {
  const parsed = parseXmlText(text, file, EXPECTED, ARRAY_TAGS);
  if (!parsed.ok) return parsed;
  const root = rootName(parsed.doc);
  if (root !== 'testsuites' && root !== 'testsuite') {
    return fail('wrong_format', file, `${file} has root element <${root ?? 'none'}>; expected ${EXPECTED}`, {
      line: 1,
      column: 1,
    });
  }
  const totals = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const failingCases: string[] = [];
  let failingCount = 0;

  const visitCase = (testcase: unknown, suiteName: string) => {
    totals.tests += 1;
    const status = hasChild(testcase, 'error')
      ? 'errors'
      : hasChild(testcase, 'failure')
        ? 'failures'
        : hasChild(testcase, 'skipped')
          ? 'skipped'
          : 'passed';
    if (status === 'passed') return;
    totals[status] += 1;
    if (status === 'skipped') return;
    failingCount += 1;
    if (failingCases.length < MAX_FAILING_NAMES) {
      const name = attr(testcase, 'name') ?? '(unnamed)';
      const owner = attr(testcase, 'classname') ?? suiteName;
      // jest-junit's default puts the full title in both attributes; do not repeat it.
      failingCases.push(owner && owner !== name ? `${owner}.${name}` : name);
    }
  };

  // Iterative walk: deeply nested suites must not exhaust the call stack.
  const stack: Array<{ element: unknown; name: string }> = [];
  // `testsuite` is parsed as an array everywhere, the root included.
  const roots = children(parsed.doc, root);
  for (let i = roots.length - 1; i >= 0; i -= 1) stack.push({ element: roots[i], name: attr(roots[i], 'name') ?? '' });
  while (stack.length > 0) {
    const { element, name } = stack.pop() as { element: unknown; name: string };
    const cases = children(element, 'testcase');
    const suites = children(element, 'testsuite');
    for (const testcase of cases) visitCase(testcase, name);
    if (cases.length === 0 && suites.length === 0) {
      // Summary-only suite: trust its own counters (absent counters are zero).
      const count = (key: string) => {
        const n = Number(attr(element, key) ?? 0);
        return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
      };
      totals.tests += count('tests');
      totals.failures += count('failures');
      totals.errors += count('errors');
      totals.skipped += count('skipped') || count('disabled');
      failingCount += count('failures') + count('errors');
    }
    for (let i = suites.length - 1; i >= 0; i -= 1) {
      stack.push({ element: suites[i], name: attr(suites[i], 'name') ?? name });
    }
  }

  return succeed({
    kind: 'tests',
    tool: 'junit',
    ...totals,
    passed: Math.max(0, totals.tests - totals.failures - totals.errors - totals.skipped),
    failingCases,
    failingCasesTruncated: failingCount > failingCases.length,
  });
}
