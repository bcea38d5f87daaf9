import { ExprSyntaxError } from './expr-lexer.js';
import { parseExpr } from './expr-parser.js';
import type { ExprNode } from './expr-parser.js';

/**
 * Translates an Argo (antonmedv/expr) condition to CEL. Throws ExprSyntaxError (with a
 * position and a code) for bad syntax or syntax Rampart does not translate.
 *
 * Number model: expr mixes ints and floats freely, CEL does not (`1.5 * 2` has no overload).
 * Every number a condition can see is a double (Prometheus values, JSON numbers), so every
 * numeric literal is emitted as a double and `len()` is wrapped in `double(…)`; list indexes
 * stay ints. `/` is float division in expr as it is for CEL doubles.
 *
 * Known differences, both only where Argo would already be at an edge:
 * - CEL's `&&`/`||` absorb an error when the other side decides the result, where expr fails
 *   on the first error, so a few measurements Argo marks Error get a decided phase instead.
 * - A missing field (`result.nope`) is an evaluation error (measurement Error) in CEL, where
 *   expr yields nil; missing data is never a pass either way.
 */
export function exprToCel(condition: string): string {
  return emit(parseExpr(condition), -1);
}

const COMPARISONS: Readonly<Record<string, string>> = {
  '==': '==', '!=': '!=', '<': '<', '>': '>', '<=': '<=', '>=': '>=', '+': '+', '-': '-', '*': '*', '/': '/',
  or: '||', '||': '||', and: '&&', '&&': '&&', in: 'in',
};
const METHODS: Readonly<Record<string, string>> = { matches: 'matches', contains: 'contains', startsWith: 'startsWith', endsWith: 'endsWith' };
const PREDICATES = new Set(['all', 'any', 'none', 'one', 'filter', 'map', 'count']);

/** `depth` is the innermost predicate's nesting level (-1 outside any predicate). */
function emit(node: ExprNode, depth: number): string {
  switch (node.t) {
    case 'number': return formatDouble(node.value);
    case 'string': return JSON.stringify(node.value);
    case 'bool': return String(node.value);
    case 'nil': return 'null';
    case 'ident':
      if (node.name === 'result') return 'result';
      throw unsupported(`unknown name "${node.name}": only "result" is defined in a condition`, node.pos);
    case 'pointer':
      if (depth < 0) throw unsupported('"#" is only defined inside a predicate such as all(result, {# < 1})', node.pos);
      return `it${depth}`;
    case 'member': return `${emit(node.object, depth)}.${node.name}`;
    case 'index': return emitIndex(node.object, node.index, depth);
    case 'array': return `[${node.items.map((item) => emit(item, depth)).join(', ')}]`;
    case 'closure': throw unsupported('a {…} predicate is only allowed as the second argument of all/any/none/one/filter/map/count', node.pos);
    case 'ternary': return `(${emit(node.cond, depth)} ? ${emit(node.then, depth)} : ${emit(node.otherwise, depth)})`;
    case 'unary': return emitUnary(node.op, node.operand, node.pos, depth);
    case 'binary': return emitBinary(node.op, node.left, node.right, node.pos, depth);
    case 'call': return emitCall(node.name, node.args, node.pos, depth);
  }
}

function emitIndex(object: ExprNode, index: ExprNode, depth: number): string {
  const target = emit(object, depth);
  if (index.t === 'number' && index.integer) return `${target}[${index.value}]`;
  // expr counts a negative literal index from the end: result[-1] is the last element.
  if (index.t === 'unary' && index.op === '-' && index.operand.t === 'number' && index.operand.integer) {
    return `${target}[size(${target}) - ${index.operand.value}]`;
  }
  if (index.t === 'string') return `${target}[${JSON.stringify(index.value)}]`;
  return `${target}[int(${emit(index, depth)})]`;
}

function emitUnary(op: string, operand: ExprNode, pos: number, depth: number): string {
  const inner = emit(operand, depth);
  if (op === 'not' || op === '!') return `!(${inner})`;
  if (op === '-') return operand.t === 'number' ? `-${inner}` : `-(${inner})`;
  if (op === '+') return inner;
  throw unsupported(`operator "${op}" is not supported`, pos);
}

function emitBinary(op: string, left: ExprNode, right: ExprNode, pos: number, depth: number): string {
  const l = emit(left, depth);
  const r = emit(right, depth);
  const cel = COMPARISONS[op];
  if (cel) return `(${l} ${cel} ${r})`;
  const method = METHODS[op];
  if (method) return `${l}.${method}(${r})`;
  if (op.startsWith('not ')) {
    const negated = op.slice(4);
    return negated === 'in' ? `!(${l} in ${r})` : `!${l}.${METHODS[negated] ?? negated}(${r})`;
  }
  switch (op) {
    case '**':
    case '^': return `pow(${l}, ${r})`;
    // expr's % is integer-only; the result is whole, and numbers are doubles here.
    case '%': return `double(int(${l}) % int(${r}))`;
    case '..': throw unsupported('ranges (a..b) are not supported', pos);
    case '??': throw unsupported('"??" is not supported; use default(result, value)', pos);
  }
  throw unsupported(`operator "${op}" is not supported`, pos);
}

function emitCall(name: string, args: readonly ExprNode[], pos: number, depth: number): string {
  const arity = (n: number): void => {
    if (args.length !== n) throw new ExprSyntaxError(`${name}() takes ${n} argument${n === 1 ? '' : 's'}, got ${args.length}`, pos);
  };
  if (PREDICATES.has(name)) {
    arity(2);
    const [list, predicate] = args as [ExprNode, ExprNode];
    if (predicate.t !== 'closure') throw new ExprSyntaxError(`${name}() needs a {…} predicate as its second argument`, startOf(predicate));
    const v = `it${depth + 1}`;
    const l = emit(list, depth);
    const body = emit(predicate.body, depth + 1);
    switch (name) {
      case 'all': return `${l}.all(${v}, ${body})`;
      case 'any': return `${l}.exists(${v}, ${body})`;
      case 'none': return `!${l}.exists(${v}, ${body})`;
      case 'one': return `${l}.exists_one(${v}, ${body})`;
      case 'filter': return `${l}.filter(${v}, ${body})`;
      case 'map': return `${l}.map(${v}, ${body})`;
      default: return `double(size(${l}.filter(${v}, ${body})))`;
    }
  }
  const emitted = args.map((arg) => emit(arg, depth));
  switch (name) {
    case 'len': arity(1); return `double(size(${emitted[0]}))`;
    case 'isNaN':
    case 'isInf':
    case 'asInt':
    case 'asFloat':
    case 'abs': arity(1); return `${name}(${emitted[0]})`;
    case 'int': arity(1); return `asInt(${emitted[0]})`;
    case 'float': arity(1); return `asFloat(${emitted[0]})`;
    case 'string': arity(1); return `string(${emitted[0]})`;
    case 'isNil':
      // Argo's isNil ignores its argument and tests `result`.
      arity(1);
      requireResult(name, args[0] as ExprNode);
      return '(result == null)';
    case 'default':
      // Argo's default(x, d) ignores x and returns d when `result` is nil, else `result`.
      arity(2);
      requireResult(name, args[0] as ExprNode);
      return `(result == null ? ${emitted[1]} : result)`;
  }
  throw unsupported(`function ${name}() is not supported; supported: len, isNaN, isInf, default, isNil, asInt, asFloat, abs, all, any, none, one, filter, map, count`, pos);
}

function requireResult(name: string, arg: ExprNode): void {
  if (arg.t !== 'ident' || arg.name !== 'result') {
    throw unsupported(`Argo's ${name}() always tests "result" whatever its first argument; write ${name}(result${name === 'default' ? ', …' : ''})`, startOf(arg));
  }
}

/** Where the text of a node begins (an operator node's own position is its operator's). */
function startOf(node: ExprNode): number {
  switch (node.t) {
    case 'binary': return startOf(node.left);
    case 'ternary': return startOf(node.cond);
    case 'member':
    case 'index': return Math.min(node.pos, startOf(node.object));
    default: return node.pos;
  }
}

function formatDouble(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return `${value}.0`;
  const text = String(value);
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

function unsupported(message: string, pos: number): ExprSyntaxError {
  return new ExprSyntaxError(message, pos, 'CONDITION_UNSUPPORTED');
}
