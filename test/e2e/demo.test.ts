import { describe, expect, it } from 'vitest';
import { runRampart } from '../../src/testing/cli.js';

describe('rampart demo', () => {
  it('rolls a bad v2 back on its own and promotes a good v3, printing the timeline', async () => {
    const r = await runRampart(['demo', '--port', '0', '--exit']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/gates ALLOW api v2\.0\.0/);
    expect(r.stdout).toMatch(/rollout\.aborted .*error-rate.*successCondition result < 0\.02/);
    expect(r.stdout).toMatch(/v2\.0\.0 ended Aborted/);
    expect(r.stdout).toMatch(/rollout\.promoted .*v3\.0\.0 promoted to stable/);
    expect(r.stdout).toMatch(/v3\.0\.0 ended Healthy/);
  }, 120_000);
});
