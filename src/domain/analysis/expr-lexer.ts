/**
 * Tokenizer for the subset of antonmedv/expr (the condition language of Argo Rollouts) that
 * Rampart translates to CEL. Positions are 0-based offsets into the condition text.
 */
export type TokenKind = 'number' | 'string' | 'ident' | 'op' | 'punct' | 'end';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** For numbers: the value; for strings: the unescaped text. */
  readonly value?: number | string;
  /** True for a number written without a fraction or exponent (an expr int). */
  readonly integer?: boolean;
  readonly pos: number;
}

/** A condition the translator cannot accept: bad syntax, or expr syntax with no CEL translation. */
export class ExprSyntaxError extends Error {
  constructor(
    message: string,
    readonly pos: number,
    readonly code: 'CONDITION_SYNTAX' | 'CONDITION_UNSUPPORTED' = 'CONDITION_SYNTAX',
  ) {
    super(message);
  }
}

// Longest first, so "**" wins over "*" and "==" over "=".
const OPERATORS = ['...', '..', '**', '==', '!=', '<=', '>=', '&&', '||', '??', '?.', '<', '>', '+', '-', '*', '/', '%', '^', '!', '?', ':', '.', '#'];
const PUNCT = new Set(['(', ')', '[', ']', '{', '}', ',']);
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };

/** Splits a condition into tokens; throws ExprSyntaxError with a position on bad input. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (/\s/.test(ch)) { i++; continue; }
    const start = i;
    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const match = /^(0[xX][0-9a-fA-F_]+|(?:[0-9][0-9_]*)?(?:\.[0-9_]+)?(?:[eE][+-]?[0-9]+)?)/.exec(text.slice(i));
      // A fraction needs digits after the dot, so "1..5" lexes as 1, "..", 5 (a range).
      const raw = match?.[0] ?? '';
      const clean = raw.replaceAll('_', '');
      const integer = /^(0[xX][0-9a-fA-F]+|[0-9]+)$/.test(clean);
      tokens.push({ kind: 'number', text: raw, value: Number(clean), integer, pos: start });
      i += raw.length;
      continue;
    }
    if (ch === '"' || ch === "'") {
      let out = '';
      i++;
      while (i < text.length && text[i] !== ch) {
        if (text[i] === '\\') {
          const next = text[i + 1] ?? '';
          const mapped = ESCAPES[next];
          if (mapped === undefined) throw new ExprSyntaxError(`unsupported escape \\${next} in string`, i);
          out += mapped;
          i += 2;
        } else {
          out += text[i];
          i++;
        }
      }
      if (i >= text.length) throw new ExprSyntaxError('unterminated string literal', start);
      i++;
      tokens.push({ kind: 'string', text: text.slice(start, i), value: out, pos: start });
      continue;
    }
    if (ch === '`') throw new ExprSyntaxError('backtick strings are not supported; use "…" or \'…\'', start);
    if (/[A-Za-z_$]/.test(ch)) {
      const match = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(text.slice(i));
      const word = match?.[0] ?? ch;
      tokens.push({ kind: 'ident', text: word, pos: start });
      i += word.length;
      continue;
    }
    if (PUNCT.has(ch)) {
      tokens.push({ kind: 'punct', text: ch, pos: start });
      i++;
      continue;
    }
    const op = OPERATORS.find((candidate) => text.startsWith(candidate, i));
    if (!op) throw new ExprSyntaxError(`unexpected character "${ch}"`, start);
    tokens.push({ kind: 'op', text: op, pos: start });
    i += op.length;
  }
  tokens.push({ kind: 'end', text: '', pos: text.length });
  return tokens;
}
