import type { ReleaseField, TemplateArg } from './template.js';

/** Resolved argument values by name. */
export type ArgValues = Readonly<Record<string, string>>;

/** The release an analysis runs for; fills `valueFrom.release` arguments. */
export type ReleaseContext = Readonly<Partial<Record<ReleaseField, string>>>;

export interface ArgProblem {
  readonly code: 'ARG_MISSING' | 'ARG_UNKNOWN' | 'PLACEHOLDER_UNKNOWN';
  readonly message: string;
}

export type ArgResult<T> = { ok: true; value: T } | { ok: false; problems: readonly ArgProblem[] };

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/**
 * Replaces every `{{args.name}}` (spaces inside the braces allowed, as in Argo) with its value.
 * Any placeholder that names a missing argument, or anything other than `args.*`, is a problem:
 * like Argo, a run never starts with an unresolved placeholder.
 */
export function substituteArgs(text: string, values: ArgValues): ArgResult<string> {
  const problems: ArgProblem[] = [];
  const out = text.replace(PLACEHOLDER, (whole, inner: string) => {
    const tag = inner.trim();
    if (!tag.startsWith('args.')) {
      problems.push({ code: 'PLACEHOLDER_UNKNOWN', message: `placeholder ${whole} is not an argument; only {{args.NAME}} is supported` });
      return whole;
    }
    const name = tag.slice('args.'.length);
    const value = values[name];
    if (value === undefined) {
      problems.push({ code: 'ARG_MISSING', message: `argument "${name}" used in ${whole} has no value; pass it (--arg ${name}=…) or give it a value in the template` });
      return whole;
    }
    return value;
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: out };
}

/** Names of the arguments a text refers to, in order of first use. */
export function referencedArgs(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    const tag = (match[1] ?? '').trim();
    if (tag.startsWith('args.') && !names.includes(tag.slice(5))) names.push(tag.slice(5));
  }
  return names;
}

/**
 * Merges the template's declared arguments with the caller's values (Argo's `MergeArgs`):
 * a supplied value wins over the template's, `valueFrom.release` reads the release, and an
 * argument left without a value is an error. Supplying an undeclared argument is an error too,
 * because it is almost always a typo.
 */
export function resolveArgValues(declared: readonly TemplateArg[], supplied: ArgValues, release: ReleaseContext = {}): ArgResult<ArgValues> {
  const problems: ArgProblem[] = [];
  const values: Record<string, string> = {};
  for (const arg of declared) {
    const value = supplied[arg.name] ?? (arg.valueFrom ? release[arg.valueFrom.release] : undefined) ?? arg.value;
    if (value === undefined) {
      const hint = arg.valueFrom ? `the release has no ${arg.valueFrom.release}` : 'no value given';
      problems.push({ code: 'ARG_MISSING', message: `args.${arg.name} was not resolved (${hint})` });
    } else {
      values[arg.name] = value;
    }
  }
  for (const name of Object.keys(supplied)) {
    if (!declared.some((arg) => arg.name === name)) {
      problems.push({ code: 'ARG_UNKNOWN', message: `argument "${name}" is not declared by the template (declared: ${declared.map((a) => a.name).join(', ') || 'none'})` });
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: values };
}
