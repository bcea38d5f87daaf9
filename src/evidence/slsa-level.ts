import type { ProvenanceFacts } from './types.js';

export type SlsaLevel = 0 | 1 | 2 | 3 | 4;

/** A builder the organisation trusts, and the SLSA build level it is known to provide. */
export interface TrustedBuilder {
  /** Builder id; without an `@`, it also matches the same id pinned to any ref (`id@refs/tags/v1.9.0`). */
  id: string;
  level: SlsaLevel;
}

export interface SlsaAssessment {
  level: SlsaLevel;
  reason: string;
}

/**
 * Derives the SLSA build level of an artifact from its provenance. Pure. No provenance: 0.
 * Provenance from a builder not in `trusted`: 1 (provenance exists, nothing vouches for it).
 * Trusted builder: its configured level, but at most 1 unless the provenance signature was
 * verified — an unsigned claim of level 3 proves level 1 only.
 */
export function deriveSlsaLevel(
  provenance: Pick<ProvenanceFacts, 'builderId' | 'signature'> | undefined,
  trusted: readonly TrustedBuilder[],
): SlsaAssessment {
  if (!provenance) return { level: 0, reason: 'no provenance' };
  const builder = trusted.find((candidate) => builderMatches(candidate.id, provenance.builderId));
  if (!builder) {
    return { level: 1, reason: `builder ${provenance.builderId} is not in the trusted builders list` };
  }
  if (provenance.signature.status !== 'verified') {
    return {
      level: Math.min(builder.level, 1) as SlsaLevel,
      reason: `trusted builder (level ${builder.level}) but the signature is unverified: ${provenance.signature.reason}`,
    };
  }
  return { level: builder.level, reason: `trusted builder ${builder.id} with a verified signature` };
}

export function builderMatches(trustedId: string, builderId: string): boolean {
  if (trustedId === builderId) return true;
  return !trustedId.includes('@') && builderId.startsWith(`${trustedId}@`);
}
