import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAnalysisTemplates } from '../config/analysis/load-templates.js';
import type { TemplateProblem } from '../config/analysis/problems.js';
import type { AnalysisTemplate } from '../domain/analysis/template.js';

/** `prometheus`: PromQL against a Prometheus server. `builtin`: Rampart's own proxy metrics (and local jobs / web checks). */
export type TemplateForm = 'prometheus' | 'builtin';

export const TEMPLATE_FORMS: readonly TemplateForm[] = ['prometheus', 'builtin'];

export interface BuiltinTemplate {
  readonly name: string;
  readonly form: TemplateForm;
  readonly template: AnalysisTemplate;
  /** Path of the YAML file it came from. */
  readonly file: string;
}

export interface BuiltinTemplateSet {
  /** True when every file loaded without errors (warnings, such as an ignored job image, allowed). */
  readonly ok: boolean;
  readonly templates: readonly BuiltinTemplate[];
  readonly problems: readonly TemplateProblem[];
  /** The template of that name in that form, if shipped. */
  find(name: string, form: TemplateForm): BuiltinTemplate | undefined;
}

/**
 * Where the shipped YAML lives: next to this file. tsc does not copy YAML into dist/, so the
 * compiled loader (dist/templates/) falls back to the sources (src/templates/analysis/) until
 * the build copies them.
 */
export const BUILTIN_TEMPLATE_DIR = [new URL('./analysis/', import.meta.url), new URL('../../src/templates/analysis/', import.meta.url)]
  .map((u) => fileURLToPath(u))
  .find((dir) => existsSync(dir)) ?? fileURLToPath(new URL('./analysis/', import.meta.url));

/**
 * Reads the analysis templates Rampart ships (`analysis/<form>/<name>.yaml`) through the same
 * loader as user templates. Each file must hold exactly one template named like the file; a
 * mismatch is reported as a problem. Synchronous: called once at start-up.
 */
export function loadBuiltinTemplates(dir: string = BUILTIN_TEMPLATE_DIR): BuiltinTemplateSet {
  const templates: BuiltinTemplate[] = [];
  const problems: TemplateProblem[] = [];
  for (const form of TEMPLATE_FORMS) {
    const folder = join(dir, form);
    if (!existsSync(folder)) {
      problems.push({ severity: 'error', code: 'TEMPLATE_DIR', file: folder, line: 0, column: 0, path: '', message: `the built-in ${form} templates are missing: ${folder} does not exist (the build must copy src/templates/analysis)` });
      continue;
    }
    for (const entry of readdirSync(folder).filter((f) => f.endsWith('.yaml')).sort()) {
      const file = join(folder, entry);
      const result = loadAnalysisTemplates(readFileSync(file, 'utf8'), file);
      problems.push(...result.problems);
      const expected = entry.replace(/\.yaml$/, '');
      if (result.templates.length !== 1 || result.templates[0]?.template.name !== expected) {
        problems.push({ severity: 'error', code: 'TEMPLATE_FILE', file, line: 1, column: 1, path: '', message: `${file} must hold exactly one template named "${expected}"` });
      }
      for (const loaded of result.templates) templates.push({ name: loaded.template.name, form, template: loaded.template, file });
    }
  }
  return {
    ok: problems.every((p) => p.severity !== 'error'),
    templates,
    problems,
    find: (name, form) => templates.find((t) => t.name === name && t.form === form),
  };
}
