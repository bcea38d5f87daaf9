import type { parse } from '@bufbuild/cel';

type Expr = ReturnType<typeof parse>['expr'];

/**
 * The identifiers an expression reads that it does not bind itself (comprehension variables such
 * as `f` in `xs.exists(f, …)` are bound). Used to report a rule used before its definition at load
 * time instead of as an evaluation error on every decision.
 */
export function freeIdentifiers(expr: Expr): Set<string> {
  const found = new Set<string>();
  visit(expr, new Set(), found);
  return found;
}

function visit(expr: Expr | undefined, bound: ReadonlySet<string>, found: Set<string>): void {
  if (!expr) return;
  const kind = expr.exprKind;
  switch (kind.case) {
    case 'identExpr':
      if (!bound.has(kind.value.name)) found.add(kind.value.name);
      return;
    case 'selectExpr':
      return visit(kind.value.operand, bound, found);
    case 'callExpr':
      visit(kind.value.target, bound, found);
      for (const arg of kind.value.args) visit(arg, bound, found);
      return;
    case 'listExpr':
      for (const element of kind.value.elements) visit(element, bound, found);
      return;
    case 'structExpr':
      for (const entry of kind.value.entries) {
        if (entry.keyKind.case === 'mapKey') visit(entry.keyKind.value, bound, found);
        visit(entry.value, bound, found);
      }
      return;
    case 'comprehensionExpr': {
      const c = kind.value;
      visit(c.iterRange, bound, found);
      visit(c.accuInit, bound, found);
      const inner = new Set([...bound, c.iterVar, c.iterVar2, c.accuVar].filter((v) => v !== ''));
      visit(c.loopCondition, inner, found);
      visit(c.loopStep, inner, found);
      visit(c.result, inner, found);
      return;
    }
    default:
      return;
  }
}
