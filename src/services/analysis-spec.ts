import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatTemplateProblem } from '../config/analysis/problems.js';
import { loadAnalysisTemplates } from '../config/analysis/load-templates.js';
import type { ResolvedAnalysis } from '../domain/analysis/index.js';
import { resolve } from '../domain/analysis/index.js';
import { RampartError } from '../platform/errors.js';
import { BUILTIN_TEMPLATE_DIR, TEMPLATE_FORMS, type TemplateForm } from '../templates/load-builtin-templates.js';

/** Everything needed to resolve an analysis again: the template texts themselves, the args, dry run. */
export interface AnalysisSpec {
  templates: Array<{ file: string; text: string }>;
  args: Record<string, string>;
  dryRun: boolean;
  /** What `valueFrom: {release: …}` args read (a rollout's service, canary version, namespace). */
  release?: { service?: string; version?: string; namespace?: string };
  /**
   * For `judge: statistical`: the service and the two versions whose built-in proxy counts the
   * judge compares (a rollout's canary against its stable). Without it such a run ends in Error.
   */
  compare?: { service: string; canary: string; stable: string };
}

/**
 * Finds a template by reference: a shipped template name (`slo-guard`, or `slo-guard@builtin` for
 * its builtin-metrics form), or a YAML file path. The text is kept, so a stored run resolves the
 * same way after an upgrade.
 */
export function templateSource(ref: string, defaultForm: TemplateForm = 'prometheus'): { file: string; text: string } {
  const [name, form = defaultForm] = ref.split('@') as [string, string | undefined];
  if (/^[a-z0-9-]+$/.test(name) && !existsSync(ref)) {
    if (!(TEMPLATE_FORMS as readonly string[]).includes(form)) throw new RampartError('BAD_REQUEST', `template form "${form}": use ${TEMPLATE_FORMS.join(' or ')}`);
    const file = join(BUILTIN_TEMPLATE_DIR, form, `${name}.yaml`);
    if (!existsSync(file)) throw new RampartError('NOT_FOUND', `no built-in template "${name}" (${form}); see \`rampart analysis templates\``);
    return { file: `builtin:${form}/${name}`, text: readFileSync(file, 'utf8') };
  }
  try {
    return { file: ref, text: readFileSync(ref, 'utf8') };
  } catch (err) {
    throw new RampartError('BAD_REQUEST', `template ${ref}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such built-in template or file' : (err as Error).message}`);
  }
}

/** Loads and resolves; any template or argument problem is a 400/exit 2 listing every problem. */
export function resolveSpec(spec: AnalysisSpec, options: { keepPlaceholders?: boolean } = {}): ResolvedAnalysis {
  const templates = spec.templates.flatMap(({ file, text }) => {
    const loaded = loadAnalysisTemplates(text, file);
    if (!loaded.ok) throw new RampartError('VALIDATION_FAILED', loaded.problems.filter((p) => p.severity === 'error').map(formatTemplateProblem).join('\n'), { problems: loaded.problems });
    return loaded.templates.map((t) => t.template);
  });
  if (templates.length === 0) throw new RampartError('VALIDATION_FAILED', 'no AnalysisTemplate found in the given templates');
  const r = resolve(templates, { args: spec.args, ...(spec.release ? { release: spec.release } : {}), ...(options.keepPlaceholders ? { keepPlaceholders: true } : {}) });
  if (!r.ok) throw new RampartError('VALIDATION_FAILED', r.problems.map((p) => p.message).join('\n'), { problems: r.problems });
  if (!spec.dryRun) return r.analysis;
  // A dry run measures and explains, but no metric can fail it (Argo's dryRun, on every metric).
  return { ...r.analysis, metrics: r.analysis.metrics.map((m) => ({ ...m, dryRun: true })) };
}

export function parseArgs(pairs: string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (const pair of pairs) {
    const i = pair.indexOf('=');
    if (i <= 0) throw new RampartError('BAD_REQUEST', `--arg ${pair}: expected NAME=VALUE`);
    args[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return args;
}
