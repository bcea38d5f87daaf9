import { isMap, isScalar, isSeq, Scalar } from 'yaml';
import type { LineCounter, Node, Pair } from 'yaml';
import type { TemplateProblem } from './problems.js';

/** Where problems go, and who owns them (template / metric), while walking one document. */
export interface Reporter {
  readonly file: string;
  readonly lines: LineCounter;
  readonly problems: TemplateProblem[];
  template?: string;
  metric?: string;
}

/**
 * A position in a YAML document: the node (possibly absent) and its field path. Walking with
 * cursors instead of plain JS values keeps the line and column for every message.
 */
export class Cursor {
  constructor(
    readonly node: Node | null | undefined,
    readonly path: string,
    private readonly report: Reporter,
    private readonly fallback: number = 0,
  ) {}

  get exists(): boolean {
    return this.node !== undefined && this.node !== null && !(isScalar(this.node) && this.node.value === null);
  }

  /** The child at `key` of a map (a missing child is placed at its parent). */
  get(key: string): Cursor {
    const pair = this.pairs().find((p) => keyText(p) === key);
    return new Cursor(pair?.value as Node | null | undefined, this.path ? `${this.path}.${key}` : key, this.report, this.offset);
  }

  keys(): string[] {
    return this.pairs().map(keyText);
  }

  items(): Cursor[] {
    if (!isSeq(this.node)) return [];
    return this.node.items.map((item, i) => new Cursor(item as Node, `${this.path}[${i}]`, this.report, this.offset));
  }

  isMap(): boolean {
    return isMap(this.node);
  }

  isSeq(): boolean {
    return isSeq(this.node);
  }

  /** A scalar's value, or undefined for collections and absent nodes. */
  scalar(): unknown {
    return isScalar(this.node) ? this.node.value : undefined;
  }

  /** A string (numbers and booleans written plainly are turned into their text). */
  string(required = false): string | undefined {
    if (!this.exists) {
      if (required) this.error('FIELD_REQUIRED', 'is required');
      return undefined;
    }
    const v = this.scalar();
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    this.error('FIELD_TYPE', 'must be a string');
    return undefined;
  }

  /** 0-based offset in the file of this node (or of the nearest present ancestor). */
  get offset(): number {
    return this.node?.range?.[0] ?? this.fallback;
  }

  /** Offset of the character `index` of a one-line scalar's text, for positions inside conditions. */
  offsetInside(index: number): number {
    const node = this.node;
    if (!isScalar(node) || !node.range) return this.offset;
    if (node.type === Scalar.PLAIN) return node.range[0] + index;
    if (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE) return node.range[0] + 1 + index;
    return node.range[0];
  }

  error(code: string, message: string, at: number = this.offset): void {
    this.push('error', code, message, at);
  }

  warn(code: string, message: string, at: number = this.offset): void {
    this.push('warning', code, message, at);
  }

  /** Reports every key outside `allowed` as unknown. */
  allowOnly(allowed: readonly string[], hint = ''): void {
    for (const key of this.keys()) {
      if (!allowed.includes(key)) this.get(key).error('FIELD_UNKNOWN', `unknown field "${key}"${hint}; expected one of: ${allowed.join(', ')}`);
    }
  }

  private pairs(): Pair[] {
    return isMap(this.node) ? (this.node.items as Pair[]) : [];
  }

  private push(severity: 'error' | 'warning', code: string, message: string, at: number): void {
    const { line, col } = this.report.lines.linePos(at);
    this.report.problems.push({
      severity, code, file: this.report.file, line, column: col, path: this.path, message,
      ...(this.report.template ? { template: this.report.template } : {}),
      ...(this.report.metric ? { metric: this.report.metric } : {}),
    });
  }
}

function keyText(pair: Pair): string {
  const key = pair.key;
  return isScalar(key) ? String(key.value) : String(key);
}
