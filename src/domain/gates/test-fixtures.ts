import type { Evidence, EvidenceSource } from './evidence.js';
import { present } from './evidence.js';

/** Fixtures shared by the gate tests: evidence where every check passes. Not used by runtime code. */
const file = (ref: string): EvidenceSource => ({ kind: 'file', ref });
const flag = (ref: string): EvidenceSource => ({ kind: 'flag', ref });
const api = (ref: string): EvidenceSource => ({ kind: 'api', ref });

export function passingEvidence(): Evidence {
  return {
    build: {
      typecheck: present({ outcome: 'pass', errorCount: 0 }, file('tsc.log')),
      compile: present({ outcome: 'pass' }, flag('--step build=pass')),
      lint: present({ outcome: 'pass', errorCount: 0, warningCount: 2 }, file('eslint.json')),
      format: present({ outcome: 'pass' }, flag('--step format=pass')),
    },
    quality: {
      unitTests: present({ total: 120, failed: 0, errors: 0, skipped: 3 }, file('junit.xml')),
      coverage: present({ linesPct: 86.5 }, file('coverage-summary.json')),
      e2e: present({ outcome: 'pass' }, flag('--step e2e=pass')),
      goldenPath: present({ outcome: 'pass' }, flag('--step golden_path=pass')),
      changes: present({ highRiskFilesChanged: false, apiChanged: false }, api('/api/v1/releases')),
    },
    security: {
      cves: present({ critical: 0, high: 0, medium: 4, low: 9, ids: {} }, file('trivy.json')),
      secrets: present({ count: 0, ruleIds: [] }, file('gitleaks.json')),
      slsa: present({ level: 3, builderId: 'https://github.com/actions/runner' }, file('provenance.intoto.jsonl')),
      imageSigned: present({ signed: true }, file('image.sigstore.json')),
    },
    slo: {
      errorBudgetRemainingPct: present(64, api('/api/v1/services/api/slo-status')),
      fastBurnRate: present(0.4, api('/api/v1/services/api/slo-status')),
      activeP1Incidents: present({ count: 0, ids: [] }, api('/api/v1/incidents')),
      rollbacksLast24h: present({ count: 0 }, api('/api/v1/incidents')),
    },
    approval: { releaseCaptain: present({ approver: 'carol', approvedAt: '2026-01-05T09:30:00.000Z' }, api('/api/v1/releases/r1/approvals')) },
  };
}
