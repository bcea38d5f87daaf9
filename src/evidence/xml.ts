import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { endPositionOf, fail } from './errors.js';
import type { EvidenceError } from './types.js';

/** Attribute keys carry this prefix in parsed trees, so they never collide with child elements. */
export const ATTR = '@_';

/**
 * Validates and parses an XML document into a tree (see `validateXmlText` for the errors).
 * `arrayTags` are always parsed as arrays, so one child and many children look the same.
 */
export function parseXmlText(
  text: string,
  file: string,
  expected: string,
  arrayTags: ReadonlySet<string>,
): { ok: true; doc: Record<string, unknown> } | { ok: false; error: EvidenceError } {
  const valid = validateXmlText(text, file, expected);
  if (!valid.ok) return valid;
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: ATTR,
    parseAttributeValue: false,
    parseTagValue: false,
    isArray: (name) => arrayTags.has(name),
  });
  try {
    return { ok: true, doc: parser.parse(text) as Record<string, unknown> };
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    return fail('malformed', file, `${file} could not be parsed as XML (${detail}); expected ${expected}`);
  }
}

/**
 * Checks that `text` is well-formed XML (fast-xml-parser's validator). Syntax errors become data
 * with line and column; a document that stops inside a tag or leaves elements open is reported
 * as truncated at its end.
 */
export function validateXmlText(text: string, file: string, expected: string): { ok: true } | { ok: false; error: EvidenceError } {
  if (text.trim().length === 0) return fail('empty', file, `${file} is empty; expected ${expected}`);
  if (!text.trimStart().startsWith('<')) {
    return fail('wrong_format', file, `${file} is not XML (it does not start with "<"); expected ${expected}`, { line: 1, column: 1 });
  }
  const verdict = XMLValidator.validate(text);
  if (verdict !== true) {
    const { line, col, msg } = verdict.err;
    const trimmed = text.trimEnd();
    // The validator reports unclosed elements at 1:1; what the user needs is "it stops here".
    const unclosed = /^Invalid '\[.*\]' found/s.test(msg) || /not closed|Unclosed|unclosed/.test(msg);
    if (unclosed || !trimmed.endsWith('>')) {
      const end = endPositionOf(text);
      return fail(
        'truncated',
        file,
        `${file} ends early at line ${end.line}, column ${end.column}: the XML is incomplete (${msg}); expected ${expected}`,
        end,
      );
    }
    return fail(
      'malformed',
      file,
      `${file} is not well-formed XML at line ${line}, column ${col} (${msg}); expected ${expected}`,
      { line, column: col },
    );
  }
  return { ok: true };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes XML's predefined entities and character references in an attribute value. */
export function decodeXmlEntities(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref.startsWith('#x') ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      // An out-of-range reference stays as written rather than throwing.
      return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[ref] ?? whole;
  });
}

/** An attribute of a parsed element, as a string, or undefined. */
export function attr(element: unknown, name: string): string | undefined {
  if (typeof element !== 'object' || element === null) return undefined;
  const value = (element as Record<string, unknown>)[ATTR + name];
  return typeof value === 'string' ? value : undefined;
}

/** The name of the document's root element (skipping the XML declaration). */
export function rootName(doc: Record<string, unknown>): string | undefined {
  return Object.keys(doc).find((key) => !key.startsWith('?') && !key.startsWith(ATTR) && key !== '#text');
}
