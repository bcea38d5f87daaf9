import { createHash } from 'node:crypto';
import { asDsseEnvelope, loadPublicKeys, verifyDsseEnvelope, verifyWithKey } from './dsse.js';
import { fail, fieldError, isRecord, succeed } from './errors.js';
import { isSigstoreBundle } from './slsa-provenance.js';
import type { FactsResult, ImageSignatureFacts, SignatureCheck } from './types.js';

export interface ImageSignatureOptions {
  /** PEM public key(s) of a keyed signer (`cosign generate-key-pair`, KMS). */
  publicKey?: string | readonly string[];
  /**
   * A Sigstore trusted root (Fulcio CAs, Rekor and TSA keys). Verifying keyless signatures
   * against it needs `@sigstore/verify`, which is not installed: supplying only a trusted root
   * yields `unverified` with that reason, never a pass.
   */
  trustedRoot?: unknown;
  /** The signed bytes, needed for a `messageSignature` bundle (it signs the artifact itself). */
  artifact?: Uint8Array;
  /** `sha256:<hex>` the signature must cover (an image digest); checked against DSSE subjects or the message digest. */
  expectedDigest?: string;
}

export interface ImageSignatureCheck {
  content: 'dsse' | 'message-signature';
  mediaType: string;
  signature: SignatureCheck;
}

/**
 * Checks a Sigstore bundle (v0.1–v0.3) offline with a public key. DSSE bundles: the envelope
 * signature over PAE, then (with `expectedDigest`) that an in-toto subject carries the digest.
 * messageSignature bundles: sha256 of `artifact` must equal `messageDigest`, and the signature
 * must verify over `artifact`. Certificate chains, Rekor inclusion proofs and signed timestamps
 * are NOT checked here (see the trustedRoot option). Never throws: a bad bundle is an error result.
 */
export function verifyImageSignature(bundle: unknown, options: ImageSignatureOptions, file = 'bundle'): FactsResult<ImageSignatureFacts> {
  if (!isRecord(bundle) || !isSigstoreBundle(bundle)) {
    return fail('wrong_format', file, `${file} has no Sigstore bundle mediaType; expected application/vnd.dev.sigstore.bundle…+json`);
  }
  const mediaType = bundle.mediaType as string;
  const keys = options.publicKey === undefined ? [] : typeof options.publicKey === 'string' ? [options.publicKey] : [...options.publicKey];
  const noKey: SignatureCheck = {
    status: 'unverified',
    reason:
      options.trustedRoot !== undefined
        ? 'keyless verification against a trusted root (Fulcio certificate chain, Rekor inclusion, timestamps) needs @sigstore/verify, which is not installed'
        : 'no public key was supplied',
  };

  if (bundle.dsseEnvelope !== undefined) {
    const envelope = asDsseEnvelope(bundle.dsseEnvelope);
    if (!envelope) return fieldError(file, 'dsseEnvelope', 'a DSSE envelope with payloadType, payload and signatures');
    let signature = keys.length === 0 ? noKey : verifyDsseEnvelope(envelope, keys);
    if (signature.status === 'verified' && options.expectedDigest !== undefined) {
      if (!dsseSubjectsInclude(envelope.payload, options.expectedDigest)) {
        signature = { status: 'unverified', reason: `the signature is valid but no subject has digest ${options.expectedDigest}` };
      }
    }
    return succeed({ kind: 'image-signature', mediaType, content: 'dsse', signature });
  }

  const message = bundle.messageSignature;
  if (!isRecord(message) || typeof message.signature !== 'string') {
    return fieldError(file, 'dsseEnvelope or messageSignature', 'present (a Sigstore bundle carries one of them)');
  }
  const digest = isRecord(message.messageDigest) ? message.messageDigest : undefined;
  return succeed({
    kind: 'image-signature',
    mediaType,
    content: 'message-signature',
    signature: keys.length === 0 ? noKey : checkMessageSignature(message.signature, digest, keys, options),
  });
}

function checkMessageSignature(
  signatureB64: string,
  digest: Record<string, unknown> | undefined,
  keys: readonly string[],
  options: ImageSignatureOptions,
): SignatureCheck {
  if (!options.artifact) {
    return { status: 'unverified', reason: 'a messageSignature signs the artifact bytes; pass the artifact to verify it' };
  }
  const actual = createHash('sha256').update(options.artifact).digest();
  if (digest && digest.algorithm === 'SHA2_256' && typeof digest.digest === 'string') {
    if (!Buffer.from(digest.digest, 'base64').equals(actual)) {
      return { status: 'unverified', reason: 'the artifact does not match the bundle messageDigest' };
    }
  }
  if (options.expectedDigest !== undefined && options.expectedDigest !== `sha256:${actual.toString('hex')}`) {
    return { status: 'unverified', reason: `the artifact digest is not ${options.expectedDigest}` };
  }
  const { keys: loaded, errors } = loadPublicKeys(keys);
  if (loaded.length === 0) return { status: 'unverified', reason: errors.join('; ') };
  const signature = Buffer.from(signatureB64, 'base64');
  return loaded.some((key) => verifyWithKey(key, options.artifact as Uint8Array, signature))
    ? { status: 'verified', keyId: null }
    : { status: 'unverified', reason: 'the message signature does not verify with the supplied public key(s)' };
}

function dsseSubjectsInclude(payload: string, expected: string): boolean {
  const [algorithm, hex] = expected.includes(':') ? expected.split(':', 2) : ['sha256', expected];
  try {
    const statement = JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as unknown;
    if (!isRecord(statement) || !Array.isArray(statement.subject)) return false;
    return statement.subject.some(
      (subject) => isRecord(subject) && isRecord(subject.digest) && subject.digest[algorithm as string] === hex,
    );
  } catch {
    return false;
  }
}
