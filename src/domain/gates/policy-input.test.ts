import { describe, it, expect } from 'vitest';
import { approvalGate } from './approval-gate.js';
import { buildGate } from './build-gate.js';
import { resolveThresholds } from './config.js';
import type { Evidence } from './evidence.js';
import { missing, present } from './evidence.js';
import { buildPolicyInput, policyClock } from './policy-input.js';
import { qualityGate } from './quality-gate.js';
import { securityGate } from './security-gate.js';
import { sloGate } from './slo-gate.js';
import { passingEvidence } from './test-fixtures.js';

const T = resolveThresholds(undefined, undefined);
const NOW = Date.parse('2026-01-05T10:00:00.123Z');
function inputFor(evidence: Evidence, emergency?: { approver: string; incidentId: string }) {
  const gates = [buildGate(evidence), qualityGate(evidence, T), securityGate(evidence, T, 'production'), sloGate(evidence, T),
    approvalGate(evidence, { window: { error: 'n/a' }, windowSource: { kind: 'config', ref: 'w' }, activeFreezes: [], freezeSource: { kind: 'file', ref: 'f' } })];
  return buildPolicyInput(evidence, gates, { id: 'd', service: 'api', version: '2.0.0', environment: 'production', ...(emergency ? { emergency } : {}) },
    { epochMs: NOW, zone: 'UTC' },
    { authorizedOverriders: ['alice'], freezes: [{ id: 'f1', startMs: NOW, endMs: NOW + 1000, reason: 'r', services: [], tiers: [] }] });
}

describe('buildPolicyInput', () => {
  it('has the rego input shape plus clock and data', () => {
    expect(inputFor(passingEvidence())).toEqual({
      service: 'api', version: '2.0.0', environment: 'production',
      gates: {
        build: { typescript: 'pass', compile: 'pass', lint: 'pass', format: 'pass' },
        quality: { unit_tests: 'pass', coverage: 86.5, golden_path: 'pass', e2e: 'pass' },
        security: { critical_cves: 0, high_cves: 0, secrets_found: 0, slsa_level: 3, image_signed: true },
      },
      slo: { error_budget_remaining: 64, burn_rate: 0.4, active_p1_incidents: 0, rollbacks_24h: 0 },
      emergency_override: false, override_approver: '', incident_id: '',
      now: { iso: '2026-01-05T10:00:00.123Z', ns: NOW * 1e6, zone: 'UTC', weekday: 'Monday', hour: 10 },
      data: { authorized_overriders: ['alice'], active_freezes: [{ id: 'f1', start_ns: NOW * 1e6, end_ns: (NOW + 1000) * 1e6, reason: 'r' }] },
    });
  });

  it('leaves out fields whose evidence is missing, so rego sees them undefined', () => {
    const e = passingEvidence();
    e.quality.coverage = missing('no evidence supplied');
    e.build.lint = missing('eslint.json: not JSON', { kind: 'file', ref: 'eslint.json' });
    e.slo.fastBurnRate = missing('no evidence supplied');
    const input = inputFor(e);
    expect('coverage' in input.gates.quality).toBe(false);
    expect('lint' in input.gates.build).toBe(false);
    expect('burn_rate' in input.slo).toBe(false);
  });

  it('takes step results from the checks: a lint report with errors is "fail"', () => {
    const e = passingEvidence();
    e.build.lint = present({ outcome: 'pass', errorCount: 3 }, { kind: 'file', ref: 'eslint.json' });
    expect(inputFor(e).gates.build.lint).toBe('fail');
  });

  it('carries the emergency claim as the rego reads it', () => {
    const input = inputFor(passingEvidence(), { approver: 'alice', incidentId: 'INC-1' });
    expect([input.emergency_override, input.override_approver, input.incident_id]).toEqual([true, 'alice', 'INC-1']);
  });

  it('writes nanoseconds that JSON prints exactly (what OPA receives)', () => {
    expect(JSON.stringify(inputFor(passingEvidence()).now.ns)).toBe('1767607200123000000');
  });
});

describe('policyClock', () => {
  it.each([
    ['2026-01-05T10:00:00Z', 'UTC', 'Monday', 10],
    ['2026-01-05T03:00:00Z', 'America/New_York', 'Sunday', 22],
    ['2026-03-29T01:30:00Z', 'Europe/Berlin', 'Sunday', 3], // just after the spring-forward gap
    ['2026-10-25T00:30:00Z', 'Europe/Berlin', 'Sunday', 2], // first 02:30 of the repeated hour
    ['2026-10-25T01:30:00Z', 'Europe/Berlin', 'Sunday', 2], // second 02:30
  ])('%s in %s → %s %d h', (iso, zone, weekday, hour) => {
    expect(policyClock(Date.parse(iso), zone)).toMatchObject({ weekday, hour, zone, ns: Date.parse(iso) * 1e6 });
  });
});
