/** What an importer returns: the SLOs it could build and every issue, each with file, line and field. */

import type { SloDefinition } from '../../domain/slo/types.js';
import type { ImportIssue } from './yaml-reader.js';

export interface SloImport {
  slos: SloDefinition[];
  /** Errors (an SLO or document was not imported) and warnings (a field was not imported). */
  issues: ImportIssue[];
}

export function errorsOf(result: SloImport): ImportIssue[] {
  return result.issues.filter((i) => i.severity === 'error');
}

export function warningsOf(result: SloImport): ImportIssue[] {
  return result.issues.filter((i) => i.severity === 'warning');
}

/** One line per issue: `file:line: error: field: message`. */
export function formatIssue(issue: ImportIssue): string {
  return `${issue.file}:${issue.line}: ${issue.severity}: ${issue.field}: ${issue.message}`;
}
