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
