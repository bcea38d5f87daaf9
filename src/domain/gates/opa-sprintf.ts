/**
 * A subset of OPA's `sprintf` with its exact output for the verbs release policies use: `%d`, `%s`,
 * `%v` and `%%`. OPA hands numbers to Go's fmt as integers when they are integral and as float64
 * otherwise, so `sprintf("%d", [79.5])` is `%!d(float64=79.5)` in OPA, and so it is here.
 * Widths, flags and precisions are not supported: they are left in the text as Go would mark them.
 */
export function opaSprintf(format: string, args: readonly unknown[]): string {
  let out = '';
  let next = 0;
  for (let i = 0; i < format.length; i++) {
    const ch = format[i]!;
    if (ch !== '%') {
      out += ch;
      continue;
    }
    const verb = format[i + 1];
    i++;
    if (verb === undefined) return `${out}%!(NOVERB)`;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (next >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatArg(verb, toGo(args[next++]));
  }
  if (next < args.length) {
    out += `%!(EXTRA ${args.slice(next).map((a) => { const g = toGo(a); return `${g.type}=${plain(g)}`; }).join(', ')})`;
  }
  return out;
}

type GoArg = { type: 'int'; text: string } | { type: 'float64'; value: number } | { type: 'string'; text: string };

/** How OPA converts one argument before Go formats it (topdown `builtinSprintf`). */
function toGo(arg: unknown): GoArg {
  if (typeof arg === 'bigint') return { type: 'int', text: arg.toString() };
  if (typeof arg === 'number') {
    // OPA sees the number as JSON text: integral text → int (or big.Int), anything else → float64.
    const json = JSON.stringify(arg);
    return /^-?\d+$/.test(json) ? { type: 'int', text: json } : { type: 'float64', value: arg };
  }
  if (typeof arg === 'string') return { type: 'string', text: arg };
  return { type: 'string', text: typeof arg === 'boolean' || arg === null ? String(arg) : JSON.stringify(arg) ?? 'undefined' };
}

function plain(arg: GoArg): string {
  return arg.type === 'float64' ? goFloatG(arg.value) : arg.text;
}

function formatArg(verb: string, arg: GoArg): string {
  if (verb === 'v') return plain(arg);
  if (verb === 'd' && arg.type === 'int') return arg.text;
  if (verb === 's' && arg.type === 'string') return arg.text;
  return `%!${verb}(${arg.type}=${plain(arg)})`;
}

/**
 * Go's `%v` for a float64: shortest round-trip digits, exponent form when the decimal exponent
 * is below −4 or at least 6 (`1e+06`, `1.5e-05`), otherwise plain decimal.
 */
export function goFloatG(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  // toExponential() without digits gives the shortest digits that round-trip, as Go's 'g' -1 does.
  const [mantissa, expText] = value.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  // In this range JavaScript's own shortest decimal form is the plain one Go prints.
  return String(value);
}
