import { ExprSyntaxError, tokenize } from './expr-lexer.js';
import type { Token } from './expr-lexer.js';

/** The syntax tree of an expr condition. `pos` is the 0-based offset of the node's first token. */
export type ExprNode =
  | { readonly t: 'number'; readonly value: number; readonly integer: boolean; readonly pos: number }
  | { readonly t: 'string'; readonly value: string; readonly pos: number }
  | { readonly t: 'bool'; readonly value: boolean; readonly pos: number }
  | { readonly t: 'nil'; readonly pos: number }
  | { readonly t: 'ident'; readonly name: string; readonly pos: number }
  | { readonly t: 'pointer'; readonly pos: number }
  | { readonly t: 'member'; readonly object: ExprNode; readonly name: string; readonly pos: number }
  | { readonly t: 'index'; readonly object: ExprNode; readonly index: ExprNode; readonly pos: number }
  | { readonly t: 'call'; readonly name: string; readonly args: readonly ExprNode[]; readonly pos: number }
  | { readonly t: 'closure'; readonly body: ExprNode; readonly pos: number }
  | { readonly t: 'unary'; readonly op: string; readonly operand: ExprNode; readonly pos: number }
  | { readonly t: 'binary'; readonly op: string; readonly left: ExprNode; readonly right: ExprNode; readonly pos: number }
  | { readonly t: 'ternary'; readonly cond: ExprNode; readonly then: ExprNode; readonly otherwise: ExprNode; readonly pos: number }
  | { readonly t: 'array'; readonly items: readonly ExprNode[]; readonly pos: number };

// expr's operator table (parser/operator): higher binds tighter; ** and ^ are right-associative.
const BINARY: Readonly<Record<string, number>> = {
  or: 10, '||': 10, and: 15, '&&': 15,
  '==': 20, '!=': 20, '<': 20, '>': 20, '<=': 20, '>=': 20,
  in: 20, matches: 20, contains: 20, startsWith: 20, endsWith: 20,
  'not in': 20, 'not matches': 20, 'not contains': 20, 'not startsWith': 20, 'not endsWith': 20,
  '..': 25, '+': 30, '-': 30, '*': 60, '/': 60, '%': 60, '**': 100, '^': 100, '??': 500,
};
const RIGHT_ASSOC = new Set(['**', '^']);
const UNARY: Readonly<Record<string, number>> = { not: 50, '!': 50, '-': 90, '+': 90 };

/** Parses an expr condition; throws ExprSyntaxError with the offending position. */
export function parseExpr(text: string): ExprNode {
  const parser = new Parser(tokenize(text));
  const node = parser.expression(0);
  parser.expectEnd();
  return node;
}

class Parser {
  private at = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  expectEnd(): void {
    const tok = this.peek();
    if (tok.kind !== 'end') throw new ExprSyntaxError(`unexpected "${tok.text}"`, tok.pos);
  }

  expression(minPrec: number): ExprNode {
    let left = this.unary();
    for (;;) {
      const { op, width } = this.binaryOperator();
      const prec = op === undefined ? undefined : BINARY[op];
      if (op === undefined || prec === undefined || prec < minPrec) break;
      const tok = this.peek();
      this.at += width;
      const right = this.expression(RIGHT_ASSOC.has(op) ? prec : prec + 1);
      left = { t: 'binary', op, left, right, pos: tok.pos };
    }
    if (minPrec === 0 && this.isOp('?')) {
      const pos = this.next().pos;
      const then = this.expression(0);
      this.expect(':');
      const otherwise = this.expression(0);
      left = { t: 'ternary', cond: left, then, otherwise, pos };
    }
    return left;
  }

  private binaryOperator(): { op: string | undefined; width: number } {
    const tok = this.peek();
    // expr allows "not" before in/matches/contains/startsWith/endsWith as a negated operator.
    const after = this.peek(1);
    if (tok.kind === 'ident' && tok.text === 'not' && after.kind === 'ident' && `not ${after.text}` in BINARY) return { op: `not ${after.text}`, width: 2 };
    if ((tok.kind === 'op' || tok.kind === 'ident') && tok.text in BINARY) return { op: tok.text, width: 1 };
    return { op: undefined, width: 0 };
  }

  private unary(): ExprNode {
    const tok = this.peek();
    const prec = (tok.kind === 'op' || tok.kind === 'ident') ? UNARY[tok.text] : undefined;
    if (prec !== undefined) {
      this.next();
      return { t: 'unary', op: tok.text, operand: this.expression(prec), pos: tok.pos };
    }
    return this.postfix(this.primary());
  }

  private postfix(start: ExprNode): ExprNode {
    let node = start;
    for (;;) {
      const tok = this.peek();
      if (this.isOp('?.')) throw new ExprSyntaxError('optional chaining "?." is not supported', tok.pos, 'CONDITION_UNSUPPORTED');
      if (this.isOp('.')) {
        this.next();
        const name = this.next();
        if (name.kind !== 'ident') throw new ExprSyntaxError('expected a field name after "."', name.pos);
        if (this.isPunct('(')) throw new ExprSyntaxError(`method call .${name.text}() is not supported`, name.pos, 'CONDITION_UNSUPPORTED');
        node = { t: 'member', object: node, name: name.text, pos: tok.pos };
      } else if (this.isPunct('[')) {
        this.next();
        if (this.isOp(':')) throw new ExprSyntaxError('slices ([a:b]) are not supported', tok.pos, 'CONDITION_UNSUPPORTED');
        const index = this.expression(0);
        if (this.isOp(':')) throw new ExprSyntaxError('slices ([a:b]) are not supported', tok.pos, 'CONDITION_UNSUPPORTED');
        this.expect(']');
        node = { t: 'index', object: node, index, pos: tok.pos };
      } else {
        return node;
      }
    }
  }

  private primary(): ExprNode {
    const tok = this.next();
    switch (tok.kind) {
      case 'number': return { t: 'number', value: tok.value as number, integer: tok.integer ?? false, pos: tok.pos };
      case 'string': return { t: 'string', value: tok.value as string, pos: tok.pos };
      case 'ident': return this.identifier(tok);
      case 'punct':
        if (tok.text === '(') {
          const inner = this.expression(0);
          this.expect(')');
          return inner;
        }
        if (tok.text === '[') return { t: 'array', items: this.list(']'), pos: tok.pos };
        if (tok.text === '{') throw new ExprSyntaxError('map literals are not supported ({…} is only allowed as a predicate of all/any/none/one/filter/map/count)', tok.pos, 'CONDITION_UNSUPPORTED');
        break;
      case 'op':
        if (tok.text === '#') return { t: 'pointer', pos: tok.pos };
        if (tok.text === '.') {
          // ".field" inside a predicate is shorthand for "#.field".
          const name = this.next();
          if (name.kind !== 'ident') throw new ExprSyntaxError('expected a field name after "."', name.pos);
          return { t: 'member', object: { t: 'pointer', pos: tok.pos }, name: name.text, pos: tok.pos };
        }
        break;
      case 'end':
        throw new ExprSyntaxError('unexpected end of condition', tok.pos);
    }
    throw new ExprSyntaxError(`unexpected "${tok.text}"`, tok.pos);
  }

  private identifier(tok: Token): ExprNode {
    if (tok.text === 'true' || tok.text === 'false') return { t: 'bool', value: tok.text === 'true', pos: tok.pos };
    if (tok.text === 'nil') return { t: 'nil', pos: tok.pos };
    if (!this.isPunct('(')) return { t: 'ident', name: tok.text, pos: tok.pos };
    this.next();
    return { t: 'call', name: tok.text, args: this.list(')'), pos: tok.pos };
  }

  /** Comma-separated items up to `close`; a `{…}` item is a predicate closure. */
  private list(close: string): ExprNode[] {
    const items: ExprNode[] = [];
    while (!this.isPunct(close)) {
      if (this.isPunct('{')) {
        const pos = this.next().pos;
        const body = this.expression(0);
        this.expect('}');
        items.push({ t: 'closure', body, pos });
      } else {
        items.push(this.expression(0));
      }
      if (!this.isPunct(close)) this.expect(',');
    }
    this.next();
    return items;
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.at + ahead, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const tok = this.peek();
    if (tok.kind !== 'end') this.at++;
    return tok;
  }

  private isOp(text: string): boolean {
    const tok = this.peek();
    return tok.kind === 'op' && tok.text === text;
  }

  private isPunct(text: string): boolean {
    const tok = this.peek();
    return tok.kind === 'punct' && tok.text === text;
  }

  private expect(text: string): void {
    const tok = this.next();
    if (tok.text !== text || (tok.kind !== 'punct' && tok.kind !== 'op')) {
      throw new ExprSyntaxError(`expected "${text}" but found ${tok.kind === 'end' ? 'the end' : `"${tok.text}"`}`, tok.pos);
    }
  }
}
