import { fail, fieldError, isRecord, succeed } from './errors.js';
import type { FactsResult, StaticAnalysisFacts } from './types.js';

type Level = keyof StaticAnalysisFacts['byLevel'];
type Band = keyof StaticAnalysisFacts['bySecuritySeverity'];
type Rule = Record<string, unknown>;

/** CodeQL / GitHub code scanning bands for a `security-severity` score (a CVSS-like 0–10). */
export function securitySeverityBand(score: number): Band {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  return 'low';
}

/**
 * Reads SARIF 2.1.0 (CodeQL, Semgrep, Trivy --format sarif…). Counts `runs[].results[]` by
 * effective level: the result's `level`; else `none` when its `kind` is not `fail`; else the
 * rule's `defaultConfiguration.level`; else `warning` (SARIF §3.27.10). Results whose rule has a
 * numeric `properties['security-severity']` (or, failing that, the result itself) are banded:
 * ≥ 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, below 4 low. A run with `results: []` is a
 * clean run; a run without `results` did not complete (§3.14.23) and is an error.
 */
export function parseSarif(value: unknown, file: string): FactsResult<StaticAnalysisFacts> {
  if (!isRecord(value) || !Array.isArray(value.runs)) {
    return fail('wrong_format', file, `${file} has no "runs" array; expected a SARIF 2.1.0 log`);
  }
  if (value.version !== '2.1.0') {
    return fail('unsupported_version', file, `${file} is SARIF version ${JSON.stringify(value.version)}; expected "2.1.0"`);
  }
  const facts: StaticAnalysisFacts = {
    kind: 'static-analysis',
    tool: 'sarif',
    tools: [],
    runs: value.runs.length,
    total: 0,
    byLevel: { error: 0, warning: 0, note: 0, none: 0 },
    bySecuritySeverity: { critical: 0, high: 0, medium: 0, low: 0 },
    withoutSecuritySeverity: 0,
  };
  for (const [r, run] of value.runs.entries()) {
    if (!isRecord(run)) return fieldError(file, `runs[${r}]`, 'an object');
    const tool = isRecord(run.tool) ? run.tool : {};
    const driver = isRecord(tool.driver) ? tool.driver : {};
    facts.tools.push(typeof driver.name === 'string' ? driver.name : '(unnamed)');
    if (!Array.isArray(run.results)) {
      return fieldError(
        file,
        `runs[${r}].results`,
        'an array (absent means the analysis did not complete — SARIF 2.1.0 §3.14.23; an empty array means no findings)',
      );
    }
    const rules = createRuleLookup(driver, tool.extensions);
    for (const [i, result] of run.results.entries()) {
      if (!isRecord(result)) return fieldError(file, `runs[${r}].results[${i}]`, 'an object');
      const rule = rules.find(result);
      facts.total += 1;
      facts.byLevel[effectiveLevel(result, rule)] += 1;
      const score = securitySeverityOf(rule) ?? securitySeverityOf(result);
      if (score === undefined) facts.withoutSecuritySeverity += 1;
      else facts.bySecuritySeverity[securitySeverityBand(score)] += 1;
    }
  }
  return succeed(facts);
}

function effectiveLevel(result: Record<string, unknown>, rule: Rule | undefined): Level {
  const level = result.level;
  if (level === 'error' || level === 'warning' || level === 'note' || level === 'none') return level;
  if (result.kind !== undefined && result.kind !== 'fail') return 'none';
  const config = rule && isRecord(rule.defaultConfiguration) ? rule.defaultConfiguration.level : undefined;
  if (config === 'error' || config === 'warning' || config === 'note' || config === 'none') return config;
  return 'warning';
}

function securitySeverityOf(holder: Record<string, unknown> | undefined): number | undefined {
  const properties = holder && isRecord(holder.properties) ? holder.properties : undefined;
  const raw = properties?.['security-severity'];
  const score = typeof raw === 'string' ? Number(raw) : typeof raw === 'number' ? raw : NaN;
  return typeof raw === 'string' && raw.trim() === '' ? undefined : Number.isFinite(score) ? score : undefined;
}

/**
 * Finds a result's rule: by `rule.index` in the tool component it names (CodeQL puts query
 * packs in `tool.extensions`), by `ruleIndex` in the driver, else by id anywhere.
 */
function createRuleLookup(driver: Record<string, unknown>, extensions: unknown) {
  const components: Rule[][] = [driver, ...(Array.isArray(extensions) ? extensions : [])].map((component) =>
    isRecord(component) && Array.isArray(component.rules) ? component.rules.filter(isRecord) : [],
  );
  let byId: Map<string, Rule> | undefined;
  const lookupId = (id: string) => {
    if (!byId) {
      byId = new Map();
      for (const rules of components) for (const rule of rules) if (typeof rule.id === 'string' && !byId.has(rule.id)) byId.set(rule.id, rule);
    }
    return byId.get(id);
  };
  return {
    find(result: Record<string, unknown>): Rule | undefined {
      const reference = isRecord(result.rule) ? result.rule : undefined;
      if (reference && typeof reference.index === 'number') {
        const component = isRecord(reference.toolComponent) && typeof reference.toolComponent.index === 'number'
          ? components[reference.toolComponent.index + 1]
          : components[0];
        const rule = component?.[reference.index];
        if (rule) return rule;
      }
      if (typeof result.ruleIndex === 'number') {
        const rule = components[0]?.[result.ruleIndex];
        if (rule) return rule;
      }
      const id = typeof result.ruleId === 'string' ? result.ruleId : reference && typeof reference.id === 'string' ? reference.id : undefined;
      return id === undefined ? undefined : lookupId(id);
    },
  };
}
