export type OutputFormat = 'table' | 'json';

/** Writes machine output (JSON) or a people's table; never both. */
export interface Out {
  format: OutputFormat;
  json(value: unknown): void;
  table(rows: ReadonlyArray<Record<string, unknown>>, columns: ReadonlyArray<[key: string, header: string]>): void;
  line(text: string): void;
  /** Progress and notes for people: stderr, so stdout stays parseable. */
  note(text: string): void;
}

export function cell(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (Array.isArray(v)) return v.map(cell).join(',') || '-';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function renderTable(rows: ReadonlyArray<Record<string, unknown>>, columns: ReadonlyArray<[string, string]>): string {
  const cells = rows.map((r) => columns.map(([k]) => cell(r[k])));
  const widths = columns.map(([, h], i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const fmt = (values: string[]) => values.map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]!))).join('  ').trimEnd();
  return [fmt(columns.map(([, h]) => h)), ...cells.map(fmt)].join('\n');
}

export function createOut(format: OutputFormat, stdout: NodeJS.WritableStream = process.stdout, stderr: NodeJS.WritableStream = process.stderr): Out {
  return {
    format,
    json: (value) => void stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    table: (rows, columns) => void stdout.write(`${rows.length ? renderTable(rows, columns) : '(none)'}\n`),
    line: (text) => void stdout.write(`${text}\n`),
    note: (text) => void stderr.write(`${text}\n`),
  };
}
