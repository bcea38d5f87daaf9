/**
 * The flagd-testbed evaluator suite, run through our Gherkin reader against testkit-flags.json.
 * Every scenario runs except outline rows tagged only for the legacy v1 fractional algorithm.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseGherkin } from './gherkin.js';
import type { Pickle, PickleStep } from './gherkin.js';
import { parseFlagSetJson } from './parse-flag-set.js';
import { evaluate } from './evaluate.js';
import type { FlagSet } from './flag-model.js';
import type { FlagValueType, ResolutionDetails } from './resolution.js';

const root = path.resolve(process.cwd(), '../shared/conformance/flagd-testbed/evaluator');
const present = existsSync(path.join(root, 'gherkin')) && existsSync(path.join(root, 'flags/testkit-flags.json'));
const NOW = Date.UTC(2026, 0, 5, 10, 0, 0);

/** Rows that exist only for flagd's legacy v1 bucketing (float math over abs(int32 hash)). */
function isLegacyV1Only(tags: readonly string[]): boolean {
  return tags.includes('@fractional-v1') && !tags.includes('@fractional-v2');
}

const TYPES: Record<string, FlagValueType> = { Boolean: 'boolean', String: 'string', Integer: 'integer', Float: 'float', Object: 'object' };

/** Converts a table/step string to the typed value the testbed means. */
function typed(kind: string, text: string): unknown {
  switch (kind) {
    case 'Boolean': return text === 'true';
    case 'Integer': return Number.parseInt(text, 10);
    case 'Float': return Number.parseFloat(text);
    // Object literals are written with \" inside table cells.
    case 'Object': return JSON.parse(text.replace(/\\"/g, '"'));
    default: return text;
  }
}

interface World {
  flagType?: string;
  key?: string;
  fallback?: unknown;
  context: Record<string, unknown>;
  result?: ResolutionDetails<unknown>;
}

type StepHandler = (world: World, match: RegExpExecArray, step: PickleStep) => void;

function resolved(world: World): ResolutionDetails<unknown> {
  if (!world.result) throw new Error('no evaluation happened before this Then step');
  return world.result;
}

function stepsFor(flagSet: FlagSet): [RegExp, StepHandler][] {
  return [
    [/^an evaluator$/, () => {}],
    [/^a (\w+)-flag with key "(.*)" and a fallback value "(.*)"$/, (w, m) => {
      w.flagType = m[1] as string;
      w.key = m[2] as string;
      w.fallback = typed(w.flagType, m[3] as string);
    }],
    [/^a context containing a targeting key with value "(.*)"$/, (w, m) => { w.context['targetingKey'] = m[1]; }],
    [/^a context containing a key "(.*)", with type "(\w+)" and with value "(.*)"$/, (w, m) => {
      w.context[m[1] as string] = typed(m[2] as string, m[3] as string);
    }],
    [/^a context containing a nested property with outer key "(.*)" and inner key "(.*)", with value "(.*)"$/, (w, m) => {
      w.context[m[1] as string] = { [m[2] as string]: m[3] };
    }],
    [/^the flag was evaluated with details$/, (w) => {
      const type = TYPES[w.flagType ?? ''];
      if (!type || w.key === undefined) throw new Error(`unknown flag type ${w.flagType}`);
      w.result = evaluate(flagSet, w.key, type, w.fallback as never, w.context, NOW);
    }],
    [/^the resolved details value should be "(.*)"$/, (w, m) => {
      expect(resolved(w).value).toEqual(typed(w.flagType ?? 'String', m[1] as string));
    }],
    [/^the reason should be "(.*)"$/, (w, m) => { expect(resolved(w).reason).toBe(m[1]); }],
    [/^the error-code should be "(.*)"$/, (w, m) => { expect(resolved(w).errorCode).toBe(m[1]); }],
    [/^the resolved metadata is empty$/, (w) => { expect(resolved(w).flagMetadata).toEqual({}); }],
    [/^the resolved metadata should contain$/, (w, _m, step) => {
      const [header, ...rows] = step.table ?? [];
      expect(header).toEqual(['key', 'metadata_type', 'value']);
      expect(rows.length).toBeGreaterThan(0);
      for (const [key, kind, value] of rows) {
        expect(resolved(w).flagMetadata[key as string]).toEqual(typed(kind as string, value as string));
      }
    }],
  ];
}

function run(pickle: Pickle, flagSet: FlagSet): void {
  const world: World = { context: {} };
  const steps = stepsFor(flagSet);
  for (const step of pickle.steps) {
    const handler = steps.map(([pattern, fn]) => [pattern.exec(step.text), fn] as const).find(([match]) => match);
    // An unknown step is a failure, never a silent pass.
    if (!handler) throw new Error(`line ${step.line}: no step definition for "${step.keyword} ${step.text}"`);
    handler[1](world, handler[0] as RegExpExecArray, step);
  }
}

describe('flagd-testbed evaluator conformance', () => {
  if (!present) {
    const missing = `missing ${root} (gherkin/*.feature and flags/testkit-flags.json)`;
    if (process.env.CI === 'true') it('conformance folder is present in CI', () => expect.fail(missing));
    else it.skip(`skipped: ${missing}`, () => {});
    return;
  }

  const parsed = parseFlagSetJson(readFileSync(path.join(root, 'flags/testkit-flags.json'), 'utf8'));
  if (!parsed.ok) throw new Error(`testkit-flags.json rejected: ${JSON.stringify(parsed.errors)}`);
  const flagSet = parsed.flagSet;
  const files = readdirSync(path.join(root, 'gherkin')).filter((file) => file.endsWith('.feature')).sort();
  const counts = { run: 0, passed: 0, excluded: 0, legacyRun: 0, legacyPassed: 0 };

  it('finds feature files', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    const result = parseGherkin(readFileSync(path.join(root, 'gherkin', file), 'utf8'));
    if (!result.ok) {
      it(`${file} parses`, () => expect.fail(`${file}:${result.line}: ${result.message}`));
      continue;
    }
    const runnable = result.pickles.filter((pickle) => !isLegacyV1Only(pickle.tags));
    counts.excluded += result.pickles.length - runnable.length;
    counts.run += runnable.length;
    describe(file, () => {
      it.each(runnable.map((pickle) => [`${pickle.name} (line ${pickle.line})`, pickle] as const))('%s', (_name, pickle) => {
        run(pickle, flagSet);
        counts.passed++;
      });
    });
  }

  // Not part of the required run: the legacy rows, evaluated with the flags bucketed by v1.
  const legacy = parseFlagSetJson(readFileSync(path.join(root, 'flags/testkit-flags.json'), 'utf8'), { defaultBucketingVersion: 'v1' });
  describe('legacy v1 rows with bucketingVersion v1', () => {
    const rows = files.flatMap((file) => {
      const result = parseGherkin(readFileSync(path.join(root, 'gherkin', file), 'utf8'));
      return result.ok ? result.pickles.filter((pickle) => isLegacyV1Only(pickle.tags)) : [];
    });
    counts.legacyRun = rows.length;
    it.each(rows.map((pickle) => [`${pickle.name} (line ${pickle.line})`, pickle] as const))('%s', (_name, pickle) => {
      if (!legacy.ok) expect.fail('testkit-flags.json rejected');
      run(pickle, legacy.flagSet);
      counts.legacyPassed++;
    });
  });

  afterAll(() => {
    console.log(
      `flagd-testbed evaluator: ${counts.passed}/${counts.run} scenarios passed, ${counts.excluded} excluded (@fractional-v1 only); ` +
        `the excluded rows under bucketingVersion v1: ${counts.legacyPassed}/${counts.legacyRun} passed`,
    );
  });
});
