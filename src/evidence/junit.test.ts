import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEvidence } from './index.js';
import { parseJunit } from './junit.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('JUnit XML', () => {
  it('reads a Maven Surefire report: error beats failure, flaky reruns pass', async () => {
    const result = await parseEvidence('TEST-OrderServiceTest.xml', fixture('surefire-TEST-com.example.OrderServiceTest.xml'));
    expect(result).toEqual({
      ok: true,
      format: 'junit',
      facts: {
        kind: 'tests',
        tool: 'junit',
        tests: 6,
        passed: 3,
        failures: 1,
        errors: 1,
        skipped: 1,
        failingCases: ['com.example.OrderServiceTest.appliesDiscount', 'com.example.OrderServiceTest.persistsOrder'],
        failingCasesTruncated: false,
      },
    });
  });

  it('reads jest-junit output without repeating the title jest puts in both attributes', async () => {
    const result = await parseEvidence('junit.xml', fixture('jest-junit.xml'));
    expect(result.ok && result.facts).toMatchObject({
      tests: 5,
      passed: 3,
      failures: 1,
      errors: 0,
      skipped: 1,
      failingCases: ['cart applies the discount code'],
    });
  });

  it('counts each case of nested suites once, ignoring the repeated suite totals', () => {
    const result = parseJunit(fixture('junit-nested-suites.xml'), 'nested.xml');
    expect(result.ok && result.facts).toMatchObject({ tests: 4, failures: 1, skipped: 1, passed: 2, failingCases: ['api.users.rejects a bad token'] });
  });

  it('uses the counters of a suite that lists no cases', () => {
    const xml = '<testsuites><testsuite name="a" tests="3" failures="1" errors="1"/><testsuite name="b"><testcase name="x"/></testsuite></testsuites>';
    const result = parseJunit(xml, 'summary.xml');
    expect(result.ok && result.facts).toMatchObject({ tests: 4, failures: 1, errors: 1, passed: 2 });
  });

  it('ignores tags inside CDATA and comments, and ">" inside attribute values', () => {
    const xml = [
      '<testsuite name="s">',
      '  <!-- <testcase name="commented out"/> -->',
      '  <testcase classname="a &amp; b" name="x &gt; y"><failure message="expected > 1"/>',
      '    <system-out><![CDATA[log: <testcase name="fake"><error/></testcase>]]></system-out>',
      '  </testcase>',
      '</testsuite>',
    ].join('\n');
    const result = parseJunit(xml, 'tricky.xml');
    expect(result.ok && result.facts).toMatchObject({ tests: 1, failures: 1, errors: 0, failingCases: ['a & b.x > y'] });
  });

  it('only counts failure, error and skipped that are direct children of the case', () => {
    const xml = '<testsuite><testcase name="a"><properties><skipped/></properties></testcase><testcase name="b"><skipped/><failure/></testcase></testsuite>';
    const result = parseJunit(xml, 'depth.xml');
    expect(result.ok && result.facts).toMatchObject({ tests: 2, passed: 1, failures: 1, skipped: 0 });
  });

  it('keeps the first 20 failing names and says there were more', () => {
    const cases = Array.from({ length: 25 }, (_, i) => `<testcase classname="c" name="t${i}"><failure/></testcase>`).join('');
    const result = parseJunit(`<testsuite name="s">${cases}</testsuite>`, 'many.xml');
    expect(result.ok && result.facts.failingCases).toHaveLength(20);
    expect(result.ok && result.facts.failingCases[19]).toBe('c.t19');
    expect(result.ok && result.facts.failingCasesTruncated).toBe(true);
    expect(result.ok && result.facts.failures).toBe(25);
  });

  it('reports a truncated file as truncated, with the file and the end position', async () => {
    const text = fixture('junit-truncated.xml');
    const result = await parseEvidence('junit.xml', text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('truncated');
    expect(result.error.file).toBe('junit.xml');
    expect(result.error.line).toBe(text.trimEnd().split('\n').length);
    expect(result.error.message).toMatch(/junit\.xml ends early at line \d+, column \d+.*JUnit/);
  });

  it.each([
    ['<testsuite>\n  <testcase name="a"></testsuite>\n</testsuite>', 2, 22, /<\/testsuite> closes <testcase>/],
    ['<testsuite>\n  <testcase name=a/>\n</testsuite>', 2, 3, /starts no valid tag/],
    ['<testsuite/>\n<testsuite/>', 2, 1, /after the root element/],
    ['<testsuite>\n</testcase>', 2, 1, /closes <testsuite>/],
  ])('reports a structural error in %j at line %i, column %i', (xml, line, column, message) => {
    const result = parseJunit(xml, 'bad.xml');
    expect(!result.ok && result.error).toMatchObject({ code: 'malformed', file: 'bad.xml', line, column });
    expect(!result.ok && result.error.message).toMatch(message);
  });

  it.each(['<testsuite><testcase name="a"/>', '<testsuite><testcase name="a', '<testsuite><!-- unfinished'])(
    'reports %j as truncated',
    (xml) => {
      const result = parseJunit(xml, 'cut.xml');
      expect(!result.ok && result.error.code).toBe('truncated');
    },
  );

  it('rejects XML with another root as the wrong format', () => {
    const result = parseJunit('<project><name>x</name></project>', 'pom.xml');
    expect(!result.ok && result.error).toMatchObject({ code: 'wrong_format', file: 'pom.xml' });
  });
});
