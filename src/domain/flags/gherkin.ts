/**
 * A small Gherkin reader: the subset the flagd testbed uses.
 *
 * Understands Feature, Background, Scenario, Scenario Outline (and its Examples with their own
 * names and tags), tags, comments, Given/When/Then/And/But steps and data tables. Outlines are
 * expanded into one `Pickle` per Examples row with `<column>` placeholders substituted. Pure:
 * takes the file text, returns data or a located error; never throws.
 */

export type DataTable = readonly (readonly string[])[];

export interface PickleStep {
  /** The keyword as written (Given, When, Then, And, But). */
  readonly keyword: string;
  readonly text: string;
  readonly table: DataTable | undefined;
  readonly line: number;
}

/** One runnable scenario (an outline row counts as one). */
export interface Pickle {
  readonly feature: string;
  readonly name: string;
  /** Feature, scenario and examples tags, with the leading `@`. */
  readonly tags: readonly string[];
  readonly steps: readonly PickleStep[];
  readonly line: number;
}

export type GherkinResult =
  | { readonly ok: true; readonly pickles: readonly Pickle[] }
  | { readonly ok: false; readonly line: number; readonly message: string };

interface RawStep { keyword: string; text: string; table: string[][] | undefined; line: number }
interface RawExamples { name: string; tags: string[]; table: string[][]; rowLines: number[]; line: number }
interface RawScenario { name: string; tags: string[]; outline: boolean; steps: RawStep[]; examples: RawExamples[]; line: number }

const STEP = /^(Given|When|Then|And|But|\*)\s+(.*)$/;
const SECTION = /^(Feature|Background|Scenario Outline|Scenario Template|Scenario|Example|Examples|Scenarios):\s*(.*)$/;

/** Splits a table row into cells, honouring Gherkin's `\|`, `\\` and `\n` escapes. */
export function parseTableRow(line: string): string[] {
  const body = line.trim();
  const cells: string[] = [];
  let cell = '';
  for (let i = 1; i < body.length; i++) {
    const ch = body[i] as string;
    if (ch === '\\' && i + 1 < body.length) {
      const next = body[i + 1] as string;
      if (next === '|' || next === '\\') { cell += next; i++; continue; }
      if (next === 'n') { cell += '\n'; i++; continue; }
      cell += ch;
    } else if (ch === '|') {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += ch;
    }
  }
  return cells;
}

/** Parses one `.feature` file. */
export function parseGherkin(source: string): GherkinResult {
  let featureName = '';
  let featureTags: string[] = [];
  let pendingTags: string[] = [];
  const background: RawStep[] = [];
  const scenarios: RawScenario[] = [];
  let current: { kind: 'background' } | { kind: 'scenario'; scenario: RawScenario } | { kind: 'examples'; examples: RawExamples } | null = null;
  let lastStep: RawStep | undefined;

  const lines = source.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const lineNo = index + 1;
    const line = (lines[index] as string).trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('@')) {
      pendingTags.push(...line.split(/\s+/).filter((tag) => tag.startsWith('@')));
      continue;
    }
    if (line.startsWith('|')) {
      const row = parseTableRow(line);
      if (current?.kind === 'examples') {
        current.examples.table.push(row);
        current.examples.rowLines.push(lineNo);
      }
      else if (lastStep) (lastStep.table ??= []).push(row);
      else return { ok: false, line: lineNo, message: 'a table row must follow a step or an Examples header' };
      continue;
    }
    const section = SECTION.exec(line);
    if (section) {
      const [, keyword, name = ''] = section;
      lastStep = undefined;
      if (keyword === 'Feature') {
        featureName = name;
        featureTags = pendingTags;
      } else if (keyword === 'Background') {
        current = { kind: 'background' };
      } else if (keyword === 'Examples' || keyword === 'Scenarios') {
        const owner = scenarios[scenarios.length - 1];
        if (!owner?.outline) return { ok: false, line: lineNo, message: 'Examples outside a Scenario Outline' };
        const examples: RawExamples = { name, tags: pendingTags, table: [], rowLines: [], line: lineNo };
        owner.examples.push(examples);
        current = { kind: 'examples', examples };
      } else {
        const outline = keyword === 'Scenario Outline' || keyword === 'Scenario Template';
        const scenario: RawScenario = { name, tags: pendingTags, outline, steps: [], examples: [], line: lineNo };
        scenarios.push(scenario);
        current = { kind: 'scenario', scenario };
      }
      pendingTags = [];
      continue;
    }
    const step = STEP.exec(line);
    if (step) {
      const raw: RawStep = { keyword: step[1] as string, text: step[2] as string, table: undefined, line: lineNo };
      if (current?.kind === 'background') background.push(raw);
      else if (current?.kind === 'scenario') current.scenario.steps.push(raw);
      else return { ok: false, line: lineNo, message: `step outside a Scenario or Background: "${line}"` };
      lastStep = raw;
      continue;
    }
    // Free text under a Feature or Scenario header is description; ignore it.
    if (current?.kind === 'examples' || (current?.kind === 'scenario' && current.scenario.steps.length > 0)) {
      return { ok: false, line: lineNo, message: `unrecognised line: "${line}"` };
    }
  }

  const pickles: Pickle[] = [];
  for (const scenario of scenarios) {
    const steps = [...background, ...scenario.steps];
    if (!scenario.outline) {
      pickles.push({ feature: featureName, name: scenario.name, tags: [...featureTags, ...scenario.tags], steps: steps.map(freeze), line: scenario.line });
      continue;
    }
    for (const examples of scenario.examples) {
      const [header, ...rows] = examples.table;
      if (!header) return { ok: false, line: examples.line, message: 'Examples without a header row' };
      for (const [rowIndex, row] of rows.entries()) {
        const values = new Map(header.map((column, i) => [column, row[i] ?? '']));
        const fill = (text: string): string => text.replace(/<([^<>]+)>/g, (match, column: string) => values.get(column) ?? match);
        pickles.push({
          feature: featureName,
          name: `${scenario.name}${examples.name ? ` [${examples.name}]` : ''} #${rowIndex + 1} (${row.join(', ')})`,
          tags: [...featureTags, ...scenario.tags, ...examples.tags],
          steps: steps.map((step) => ({
            keyword: step.keyword,
            text: fill(step.text),
            table: step.table?.map((cells) => cells.map(fill)),
            line: step.line,
          })),
          line: examples.rowLines[rowIndex + 1] ?? examples.line,
        });
      }
    }
  }
  return { ok: true, pickles };
}

function freeze(step: RawStep): PickleStep {
  return { keyword: step.keyword, text: step.text, table: step.table, line: step.line };
}
