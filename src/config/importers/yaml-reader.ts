/**
 * Reading imported YAML with positions: every value is read through a reader that knows its
 * path and line, and every key not read is reported as unsupported. Nothing is dropped silently.
 */

import { LineCounter, isMap, isNode, isPair, isScalar, parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';

export interface ImportIssue {
  severity: 'error' | 'warning';
  file: string;
  /** 1-based line in the file (multi-document files count from the file's start). */
  line: number;
  /** Dotted path inside the document (`spec.objectives[0].target`), prefixed by the document index when >0. */
  field: string;
  message: string;
}

export interface Issues {
  file: string;
  list: ImportIssue[];
}

type Path = Array<string | number>;

export function formatPath(path: Path): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

/** One parsed document with a way to find the line of any path in it. */
export interface YamlDoc {
  index: number;
  /** How many documents the file holds; paths name their document only when there are several. */
  documents: number;
  value: unknown;
  lineOf(path: Path): number;
}

/** Parses every document of `text`; syntax errors become issues with their line. */
export function readYamlDocuments(text: string, issues: Issues): YamlDoc[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines });
  const out: YamlDoc[] = [];
  docs.forEach((doc: Document.Parsed, index) => {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        // The parser's message repeats the position and draws a caret; keep the sentence.
        const message = (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
        issues.list.push({ severity: 'error', file: issues.file, line: e.linePos?.[0].line ?? 1, field: `document ${index + 1}`, message });
      }
      return;
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return; // an empty document between `---`s
    const startLine = doc.range ? lines.linePos(doc.range[0]).line : 1;
    out.push({
      index,
      documents: docs.length,
      value,
      lineOf(path) {
        // The key's line for a mapping entry, else the nearest ancestor with a position.
        for (let n = path.length; n >= 0; n--) {
          const parentPath = path.slice(0, Math.max(0, n - 1));
          const parent = n === 0 ? undefined : doc.getIn(parentPath, true);
          const key = path[n - 1];
          if (isMap(parent)) {
            const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
            if (pair && isNode(pair.key) && pair.key.range) return lines.linePos(pair.key.range[0]).line;
          }
          const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
          if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
        }
        return startLine;
      },
    });
  });
  return out;
}

/** Reads one mapping; tracks which keys were consumed so the rest can be reported. */
export interface ObjectReader {
  readonly path: Path;
  readonly raw: Record<string, unknown>;
  has(key: string): boolean;
  string(key: string, required?: boolean): string | undefined;
  number(key: string, required?: boolean): number | undefined;
  boolean(key: string): boolean | undefined;
  object(key: string, required?: boolean): ObjectReader | undefined;
  array(key: string, required?: boolean): unknown[] | undefined;
  /** Makes `child` finish with this reader (for list items read with `elementReader`). */
  adopt(child: ObjectReader): void;
  /** Marks a key as handled without reading it through the reader. */
  take(key: string): unknown;
  error(key: string | number | undefined, message: string): void;
  warn(key: string | number | undefined, message: string): void;
  /**
   * Reports every key not read as an unsupported field (a warning), first in the child readers
   * this one created. Idempotent: a second call reports nothing.
   */
  finish(note?: string): void;
}

export function createReader(doc: YamlDoc, issues: Issues, path: Path, value: unknown): ObjectReader | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const raw = value as Record<string, unknown>;
  const read = new Set<string>();
  const children: ObjectReader[] = [];
  let finished = false;
  const where = (key: string | number | undefined) => (key === undefined ? path : [...path, key]);
  const field = (key: string | number | undefined) => {
    const p = formatPath(where(key)) || '(document)';
    return doc.documents > 1 ? `document ${doc.index + 1}: ${p}` : p;
  };
  const push = (severity: ImportIssue['severity'], key: string | number | undefined, message: string) =>
    issues.list.push({ severity, file: issues.file, line: doc.lineOf(where(key)), field: field(key), message });
  const missing = (key: string) => push('error', key, 'required field is missing');

  const reader: ObjectReader = {
    path,
    raw,
    has: (key) => raw[key] !== undefined,
    take(key) {
      read.add(key);
      return raw[key];
    },
    string(key, required = false) {
      const v = reader.take(key);
      if (v === undefined || v === null) return required ? void missing(key) : undefined;
      if (typeof v === 'string' && v.trim() !== '') return v;
      if (typeof v === 'number') return String(v);
      return void push('error', key, `must be a non-empty string, got ${JSON.stringify(v)}`);
    },
    number(key, required = false) {
      const v = reader.take(key);
      if (v === undefined || v === null) return required ? void missing(key) : undefined;
      const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
      if (typeof n === 'number' && Number.isFinite(n)) return n;
      return void push('error', key, `must be a number, got ${JSON.stringify(v)}`);
    },
    boolean(key) {
      const v = reader.take(key);
      if (v === undefined || v === null) return undefined;
      if (typeof v === 'boolean') return v;
      return void push('error', key, `must be true or false, got ${JSON.stringify(v)}`);
    },
    object(key, required = false) {
      const v = reader.take(key);
      if (v === undefined || v === null) return required ? void missing(key) : undefined;
      const r = createReader(doc, issues, where(key), v);
      if (r) children.push(r);
      else push('error', key, 'must be a mapping');
      return r;
    },
    array(key, required = false) {
      const v = reader.take(key);
      if (v === undefined || v === null) return required ? void missing(key) : undefined;
      if (Array.isArray(v)) return v;
      return void push('error', key, 'must be a list');
    },
    error: (key, message) => push('error', key, message),
    warn: (key, message) => push('warning', key, message),
    adopt(child) {
      children.push(child);
    },
    finish(note) {
      if (finished) return;
      finished = true;
      for (const child of children) child.finish();
      for (const key of Object.keys(raw)) {
        if (!read.has(key)) push('warning', key, `unsupported field, not imported${note ? ` (${note})` : ''}`);
      }
    },
  };
  return reader;
}

/** Issues in file order (stable for equal lines), for messages a person reads top to bottom. */
export function inFileOrder(list: readonly ImportIssue[]): ImportIssue[] {
  return list.map((issue, i) => ({ issue, i })).sort((a, b) => a.issue.line - b.issue.line || a.i - b.i).map((x) => x.issue);
}

/** A child reader for list element `index` of `parent[key]`; reports an error if not a mapping. */
export function elementReader(doc: YamlDoc, issues: Issues, parent: ObjectReader, key: string, index: number, value: unknown): ObjectReader | undefined {
  const r = createReader(doc, issues, [...parent.path, key, index], value);
  if (r) parent.adopt(r);
  else parent.error(key, `item ${index} must be a mapping`);
  return r;
}
