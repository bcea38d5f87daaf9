import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { REDACTED, redact, scrub, secret, secretForms, secretValues } from './secrets.js';

const schema = z.strictObject({
  url: secret(z.url()),
  key: secret(z.string()).optional(),
  withDefault: secret(z.string()).default('d-secret'),
  lostMark: secret(z.string()).describe('describe() returns a new schema, so this field is NOT secret'),
  plain: z.string(),
});

describe('secret fields', () => {
  it('redact replaces marked fields (through optional and default), keeps plain ones, drops unknown ones', () => {
    expect(redact(schema, { url: 'https://h/x', key: 'k', withDefault: 'w', lostMark: 'shown', plain: 'p', extra: 'e' }))
      .toEqual({ url: REDACTED, key: REDACTED, withDefault: REDACTED, lostMark: 'shown', plain: 'p' });
    expect(redact(schema, { url: 'https://h/x', plain: 'p' })).toEqual({ url: REDACTED, plain: 'p' });
  });

  it.each([
    [['https://hooks.example/services/T1/B2/abc?x=1'], ['https://hooks.example/services/T1/B2/abc?x=1', '/services/T1/B2/abc?x=1', '/services/T1/B2/abc', '?x=1']],
    [['https://hooks.example/'], ['https://hooks.example/']],
    [['plain-token', ''], ['plain-token']],
  ])('secretForms(%j) = %j (longest first)', (values, forms) => {
    expect(secretForms(values)).toEqual(forms);
  });

  it('secretValues lists the marked values and their URL parts; scrub removes every occurrence', () => {
    const values = secretValues(schema, { url: 'https://h.example/p/SECRET', key: 'KEY-1', withDefault: 'w', lostMark: 'shown', plain: 'p' });
    expect(values.sort()).toEqual(['/p/SECRET', 'KEY-1', 'https://h.example/p/SECRET', 'w'].sort());
    expect(scrub('GET /p/SECRET with KEY-1 and KEY-1 at https://h.example/p/SECRET', secretForms(['https://h.example/p/SECRET', 'KEY-1'])))
      .toBe(`GET ${REDACTED} with ${REDACTED} and ${REDACTED} at ${REDACTED}`);
  });
});
