import type { LineCounter } from 'yaml';

/** One problem found while loading an analysis template file, placed so an editor can jump to it. */
export interface TemplateProblem {
  readonly severity: 'error' | 'warning';
  /** Stable machine code, e.g. PROVIDER_UNSUPPORTED, CONDITION_UNSUPPORTED, FIELD_UNKNOWN. */
  readonly code: string;
  readonly file: string;
  /** 1-based; 0 when the file could not be read at all. */
  readonly line: number;
  readonly column: number;
  /** Field path inside the document, e.g. `spec.metrics[0].provider.datadog`. */
  readonly path: string;
  readonly message: string;
  /** The template the problem belongs to, when known. */
  readonly template?: string;
  readonly metric?: string;
}

/** `file:line:col: [template/metric] path: message`, the format editors and CI annotate. */
export function formatTemplateProblem(p: TemplateProblem): string {
  const owner = p.template ? `[${p.template}${p.metric ? `/${p.metric}` : ''}] ` : '';
  return `${p.file}:${p.line}:${p.column}: ${p.severity}: ${owner}${p.path ? `${p.path}: ` : ''}${p.message}`;
}

/** A YAML document's syntax errors as problems, each at its line and column (the first line of the parser's message). */
export function yamlSyntaxProblems(errors: ReadonlyArray<{ pos: [number, number]; message: string }>, file: string, lines: LineCounter): TemplateProblem[] {
  return errors.map((e) => {
    const pos = lines.linePos(e.pos[0]);
    return { severity: 'error', code: 'YAML_SYNTAX', file, line: pos.line, column: pos.col, path: '', message: `YAML syntax: ${e.message.split('\n')[0]}` };
  });
}
