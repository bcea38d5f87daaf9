/**
 * Matches a name against a glob where `*` is any run of characters (including none) and `?` is
 * exactly one; every other character matches itself. The whole name must match.
 */
export function globMatch(pattern: string, name: string): boolean {
  let source = '^';
  for (const ch of pattern) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    // Escape only regex syntax characters: with the `u` flag an escaped `-` is an error.
    else source += /[.+^${}()|[\]\\]/.test(ch) ? `\\${ch}` : ch;
  }
  return new RegExp(`${source}$`, 'u').test(name);
}
