import { existsSync } from 'node:fs';

/**
 * Integration tests need real programs. Under CI=true a missing one fails the test; locally the
 * test is skipped with a message that says what to install.
 */
export function requireComponent(name: string, paths: string[], install: string): { available: boolean; reason: string } {
  const found = paths.some((p) => existsSync(p));
  if (found) return { available: true, reason: '' };
  const reason = `${name} is not installed (looked for ${paths.join(', ')}); install it with: ${install}`;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${reason}`);
  console.warn(`skipping: ${reason}`);
  return { available: false, reason };
}
