import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { RampartError } from '../platform/errors.js';

/** Reads a JSON or YAML file the user named; a missing file or a syntax error names file and line (exit 2). */
export function readDataFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new RampartError('BAD_REQUEST', `${what} ${file}: ${code === 'ENOENT' ? 'file not found' : (err as Error).message}`);
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = lc.linePos(e.pos[0]);
    throw new RampartError('BAD_REQUEST', `${file}:${pos.line}:${pos.col}: not valid JSON or YAML: ${e.message.split('\n')[0]}`);
  }
  return doc.toJS();
}

/** Parses a JSON option value (e.g. --context); names the option on error. */
export function parseJsonOption(value: string, option: string): unknown {
  try {
    return JSON.parse(value);
  } catch (err) {
    throw new RampartError('BAD_REQUEST', `${option} must be JSON, e.g. ${option} '{"targetingKey":"user-1"}' (${(err as Error).message})`);
  }
}
