import { describe, expect, it } from 'vitest';
import { createManualClock } from './clock.js';

describe('manual clock', () => {
  it('fires timers in due order, each at its own due time', () => {
    const clock = createManualClock(0);
    const fired: string[] = [];
    clock.setTimer(300, () => fired.push(`b@${clock.now()}`));
    clock.setTimer(100, () => {
      fired.push(`a@${clock.now()}`);
      clock.setTimer(50, () => fired.push(`c@${clock.now()}`));
    });
    const cancel = clock.setTimer(200, () => fired.push('cancelled'));
    cancel();
    clock.advance(1000);
    expect(fired).toEqual(['a@100', 'c@150', 'b@300']);
    expect(clock.now()).toBe(1000);
  });
});
