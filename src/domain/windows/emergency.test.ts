import { describe, it, expect } from 'vitest';
import { assessEmergency } from './emergency.js';

const overriders = ['alice', 'bob'];

describe('assessEmergency', () => {
  it.each([
    [{ emergency: false, approver: 'alice', incidentId: 'INC-1' }, { kind: 'none' }],
    [{ emergency: true, approver: 'alice', incidentId: 'INC-1' }, { kind: 'granted', approver: 'alice', incidentId: 'INC-1', auditLevel: 'critical' }],
    [{ emergency: true, approver: 'mallory', incidentId: 'INC-1' }, { kind: 'refused', reasons: ['approver "mallory" is not in authorized_overriders'], auditLevel: 'critical' }],
    [{ emergency: true, approver: ' alice', incidentId: 'INC-1' }, { kind: 'refused', reasons: ['approver " alice" is not in authorized_overriders'], auditLevel: 'critical' }],
    [{ emergency: true, approver: 'bob', incidentId: '' }, { kind: 'refused', reasons: ['an emergency override needs a non-empty incident id'], auditLevel: 'critical' }],
    [{ emergency: true, approver: 'bob', incidentId: '   ' }, { kind: 'refused', reasons: ['an emergency override needs a non-empty incident id'], auditLevel: 'critical' }],
    [{ emergency: true }, { kind: 'refused', reasons: ['an emergency override needs an approver', 'an emergency override needs a non-empty incident id'], auditLevel: 'critical' }],
  ])('%j → %j', (claim, verdict) => {
    expect(assessEmergency(claim, overriders)).toEqual(verdict);
  });
});
