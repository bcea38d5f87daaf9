/** `{{name}}` placeholders in command, env and URL templates. */

const placeholder = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

/** The placeholder names a template uses that are not in `allowed`. */
export function unknownPlaceholders(template: string, allowed: readonly string[]): string[] {
  return [...template.matchAll(placeholder)].map((m) => m[1] as string).filter((n) => !allowed.includes(n));
}

/** Replaces every `{{name}}` with `values[name]`; callers validate names first. */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(placeholder, (whole, name: string) => values[name] ?? whole);
}
