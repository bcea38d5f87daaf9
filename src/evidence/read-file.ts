import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { fail } from './errors.js';
import { parseEvidence, type ParseEvidenceOptions } from './index.js';
import type { EvidenceResult } from './types.js';

/**
 * Parses an evidence file from disk, streaming it (see `parseEvidence`). A missing file is
 * `not_found`, an unreadable one `read_failed`: missing evidence is data for the gate to fail,
 * never an exception. `displayName` (default: the path) is what errors and sources name.
 */
export async function parseEvidenceFile(
  filePath: string,
  options: ParseEvidenceOptions & { displayName?: string } = {},
): Promise<EvidenceResult> {
  const name = options.displayName ?? filePath;
  // Open first so a missing file or a directory is reported before any parsing starts.
  try {
    const handle = await open(filePath, 'r');
    const stat = await handle.stat();
    await handle.close();
    if (stat.isDirectory()) return fail('read_failed', name, `${name} is a directory; expected an evidence file`);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return fail('not_found', name, `${name} does not exist (${basename(filePath)} was not produced?)`);
    return fail('read_failed', name, `${name} could not be opened: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  return parseEvidence(name, createReadStream(filePath, { highWaterMark: 256 * 1024 }), options);
}
