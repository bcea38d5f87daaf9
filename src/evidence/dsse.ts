import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { isRecord } from './errors.js';
import type { SignatureCheck } from './types.js';

/** A DSSE envelope (https://github.com/secure-systems-lab/dsse): payload and signatures in base64. */
export interface DsseEnvelope {
  payloadType: string;
  payload: string;
  signatures: Array<{ keyid?: string; sig: string }>;
}

/** Narrows an unknown value to a DSSE envelope (shape only; nothing is verified). */
export function asDsseEnvelope(value: unknown): DsseEnvelope | undefined {
  if (!isRecord(value) || typeof value.payloadType !== 'string' || typeof value.payload !== 'string') return undefined;
  if (!Array.isArray(value.signatures)) return undefined;
  const signatures = value.signatures.filter(
    (s): s is { keyid?: string; sig: string } => isRecord(s) && typeof s.sig === 'string',
  );
  return { payloadType: value.payloadType, payload: value.payload, signatures };
}

/**
 * DSSE pre-authentication encoding: `"DSSEv1" SP len(type) SP type SP len(body) SP body`, lengths
 * as ASCII decimal byte counts. This, not the payload, is what a DSSE signature signs.
 */
export function pae(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, 'utf8'),
    type,
    Buffer.from(` ${payload.length} `, 'utf8'),
    payload,
  ]);
}

/** Parses PEM public keys; a key that does not parse is reported, not thrown. */
export function loadPublicKeys(pems: readonly string[]): { keys: KeyObject[]; errors: string[] } {
  const keys: KeyObject[] = [];
  const errors: string[] = [];
  for (const [i, pem] of pems.entries()) {
    try {
      keys.push(createPublicKey(pem));
    } catch (cause) {
      errors.push(`public key #${i + 1} is not a PEM public key (${cause instanceof Error ? cause.message : String(cause)})`);
    }
  }
  return { keys, errors };
}

/**
 * Verifies `signature` over `data` with an ECDSA (P-256/P-384, SHA-256/384), Ed25519 or RSA
 * (PKCS#1 v1.5, SHA-256) public key. ECDSA signatures may be DER or raw r‖s. Never throws.
 */
export function verifyWithKey(key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    const type = key.asymmetricKeyType;
    if (type === 'ed25519' || type === 'ed448') return verify(null, data, key, signature);
    if (type === 'ec') {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      const hash = curve === 'secp384r1' ? 'sha384' : curve === 'secp521r1' ? 'sha512' : 'sha256';
      const raw = signature.length === 64 || signature.length === 96 || signature.length === 132;
      return verify(hash, data, { key, dsaEncoding: raw ? 'ieee-p1363' : 'der' }, signature);
    }
    if (type === 'rsa' || type === 'rsa-pss') return verify('sha256', data, key, signature);
    return false;
  } catch {
    return false;
  }
}

/**
 * Verifies a DSSE envelope: true when at least one signature over PAE(payloadType, payload)
 * verifies with one of the supplied keys. Without keys the result is `unverified`, saying so.
 */
export function verifyDsseEnvelope(envelope: DsseEnvelope, publicKeys: readonly string[]): SignatureCheck {
  if (publicKeys.length === 0) return { status: 'unverified', reason: 'no public key was supplied to verify the DSSE signature' };
  if (envelope.signatures.length === 0) return { status: 'unverified', reason: 'the DSSE envelope has no signatures' };
  const { keys, errors } = loadPublicKeys(publicKeys);
  if (keys.length === 0) return { status: 'unverified', reason: errors.join('; ') };
  const message = pae(envelope.payloadType, Buffer.from(envelope.payload, 'base64'));
  for (const signature of envelope.signatures) {
    const sig = Buffer.from(signature.sig, 'base64');
    if (keys.some((key) => verifyWithKey(key, message, sig))) {
      return { status: 'verified', keyId: signature.keyid ? signature.keyid : null };
    }
  }
  return { status: 'unverified', reason: 'no DSSE signature verifies with the supplied public key(s)' };
}
