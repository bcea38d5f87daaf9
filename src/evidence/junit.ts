import { fail, positionOf, succeed } from './errors.js';
import type { FactsResult, TestFacts } from './types.js';
import { decodeXmlEntities, validateXmlText } from './xml.js';

const EXPECTED = 'a JUnit XML report (<testsuites> or <testsuite> root)';
const MAX_FAILING_NAMES = 20;

// After validation the document is well-formed, so one pass over its tags suffices. Comments,
// CDATA, DOCTYPE and processing instructions are matched first so text inside them (a stack
// trace mentioning "<testcase>") is never read as a tag. Quoted attribute values may hold ">".
const TOKEN =
  /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<![^>]*>|<\?[\s\S]*?\?>|<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
const ATTRIBUTE = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

interface Suite {
  name: string;
  attributes: string;
  depth: number;
  hasCases: boolean;
  hasSuites: boolean;
}

interface OpenCase {
  name: string;
  classname: string | undefined;
  depth: number;
  status: 'passed' | 'failures' | 'errors' | 'skipped';
}

function readAttributes(source: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of source.matchAll(ATTRIBUTE)) attributes[match[1] as string] = match[2] ?? match[3] ?? '';
  return attributes;
}

/**
 * Parses JUnit XML (Surefire, jest-junit, pytest, Gradle…). fast-xml-parser validates the
 * document (errors with line and column; truncation reported at the end), then a single tag
 * scan counts — a tree would cost ~4× the time on 20,000 cases. Each `<testcase>` is counted
 * exactly once wherever it is nested; suite-level totals are ignored when cases are present,
 * because nested suites repeat their children's totals and adding them would double count. A
 * suite with no cases and no child suites contributes its own `tests/failures/errors/skipped`
 * attributes (summary-only reports). A case whose direct child is `<error>` counts as an error,
 * else `<failure>` as a failure, else `<skipped>` as skipped; Surefire's `flakyFailure` and
 * `rerunFailure` (passed on rerun) count as passed.
 */
export function parseJunit(text: string, file: string): FactsResult<TestFacts> {
  const valid = validateXmlText(text, file, EXPECTED);
  if (!valid.ok) return valid;
  const totals = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const failingCases: string[] = [];
  let failingCount = 0;
  const suites: Suite[] = [];
  let current: OpenCase | undefined;
  let depth = 0;
  let sawRoot = false;

  const addSummary = (attributes: string) => {
    const counters = readAttributes(attributes);
    const count = (key: string) => {
      const n = Number(counters[key] ?? 0);
      return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
    };
    totals.tests += count('tests');
    totals.failures += count('failures');
    totals.errors += count('errors');
    totals.skipped += count('skipped') || count('disabled');
    failingCount += count('failures') + count('errors');
  };

  const closeCase = (testcase: OpenCase) => {
    totals.tests += 1;
    if (testcase.status === 'passed') return;
    totals[testcase.status] += 1;
    if (testcase.status === 'skipped') return;
    failingCount += 1;
    if (failingCases.length < MAX_FAILING_NAMES) {
      const name = decodeXmlEntities(testcase.name);
      const owner = testcase.classname === undefined ? suites.at(-1)?.name : decodeXmlEntities(testcase.classname);
      // jest-junit's default puts the full title in both attributes; do not repeat it.
      failingCases.push(owner && owner !== name ? `${owner}.${name}` : name);
    }
  };

  for (const match of text.matchAll(TOKEN)) {
    const tag = match[2];
    if (tag === undefined) continue;
    const closing = match[1] === '/';
    const selfClosing = match[4] === '/';
    if (!sawRoot) {
      sawRoot = true;
      if (tag !== 'testsuites' && tag !== 'testsuite') {
        const at = positionOf(text, match.index);
        return fail('wrong_format', file, `${file} has root element <${tag}>; expected ${EXPECTED}`, at);
      }
    }
    if (closing) {
      depth -= 1;
      if (tag === 'testcase' && current && current.depth === depth) {
        closeCase(current);
        current = undefined;
      } else if ((tag === 'testsuite' || tag === 'testsuites') && suites.at(-1)?.depth === depth) {
        const suite = suites.pop() as Suite;
        if (!suite.hasCases && !suite.hasSuites) addSummary(suite.attributes);
      }
      continue;
    }
    const attributes = match[3] ?? '';
    if (tag === 'testsuite' || tag === 'testsuites') {
      const parent = suites.at(-1);
      if (parent) parent.hasSuites = true;
      if (selfClosing) addSummary(attributes);
      else suites.push({ name: decodeXmlEntities(readAttributes(attributes).name ?? parent?.name ?? ''), attributes, depth, hasCases: false, hasSuites: false });
    } else if (tag === 'testcase') {
      const parent = suites.at(-1);
      if (parent) parent.hasCases = true;
      const { name, classname } = readAttributes(attributes);
      const testcase: OpenCase = { name: name ?? '(unnamed)', classname, depth, status: 'passed' };
      if (selfClosing) closeCase(testcase);
      else current = testcase;
    } else if (current && depth === current.depth + 1) {
      if (tag === 'error') current.status = 'errors';
      else if (tag === 'failure' && current.status !== 'errors') current.status = 'failures';
      else if (tag === 'skipped' && current.status === 'passed') current.status = 'skipped';
    }
    if (!selfClosing) depth += 1;
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
