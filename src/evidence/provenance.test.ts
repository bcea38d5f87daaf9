import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pae, verifyDsseEnvelope, type DsseEnvelope } from './dsse.js';
import { parseEvidence } from './index.js';
import { deriveSlsaLevel, type TrustedBuilder } from './slsa-level.js';
import { parseSlsaProvenance } from './slsa-provenance.js';
import type { SignatureCheck } from './types.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const statementText = fixture('slsa-provenance-v1.intoto.json');
const PAYLOAD_TYPE = 'application/vnd.in-toto+json';
const GENERATOR = 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml';

function keyPair(kind: 'ec' | 'ed25519') {
  const pair = kind === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  return { privateKey: pair.privateKey, publicPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

function signEnvelope(payload: string, privateKey: KeyObject, payloadType = PAYLOAD_TYPE): DsseEnvelope {
  const body = Buffer.from(payload, 'utf8');
  const algorithm = privateKey.asymmetricKeyType === 'ec' ? 'sha256' : null;
  const sig = sign(algorithm, pae(payloadType, body), privateKey);
  return { payloadType, payload: body.toString('base64'), signatures: [{ keyid: 'release-key', sig: sig.toString('base64') }] };
}

describe('DSSE', () => {
  it('encodes PAE as in the DSSE specification', () => {
    // The example from the DSSE protocol document.
    expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe(
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
  });

  it('counts bytes, not characters, in PAE lengths', () => {
    expect(pae('t', Buffer.from('é', 'utf8')).toString('utf8')).toBe('DSSEv1 1 t 2 é');
  });

  it.each(['ec', 'ed25519'] as const)('verifies a %s signature and rejects a tampered payload', (kind) => {
    const { privateKey, publicPem } = keyPair(kind);
    const envelope = signEnvelope(statementText, privateKey);
    expect(verifyDsseEnvelope(envelope, [publicPem])).toEqual({ status: 'verified', keyId: 'release-key' });
    const tampered = { ...envelope, payload: Buffer.from(statementText.replace('v1.4.2', 'v6.6.6')).toString('base64') };
    expect(verifyDsseEnvelope(tampered, [publicPem]).status).toBe('unverified');
    const otherType = { ...envelope, payloadType: 'application/json' };
    expect(verifyDsseEnvelope(otherType, [publicPem]).status).toBe('unverified');
  });

  it('does not verify with another key, with no key, or with a key that is not PEM', () => {
    const { privateKey } = keyPair('ec');
    const other = keyPair('ec');
    const envelope = signEnvelope(statementText, privateKey);
    expect(verifyDsseEnvelope(envelope, [other.publicPem])).toMatchObject({ status: 'unverified', reason: expect.stringMatching(/no DSSE signature verifies/) });
    expect(verifyDsseEnvelope(envelope, [])).toMatchObject({ status: 'unverified', reason: expect.stringMatching(/no public key/) });
    expect(verifyDsseEnvelope(envelope, ['not a key'])).toMatchObject({ status: 'unverified', reason: expect.stringMatching(/not a PEM public key/) });
  });

  it('accepts a raw r||s ECDSA signature as well as DER', () => {
    const { privateKey, publicPem } = keyPair('ec');
    const body = Buffer.from(statementText);
    const sig = sign('sha256', pae(PAYLOAD_TYPE, body), { key: privateKey, dsaEncoding: 'ieee-p1363' });
    const envelope = { payloadType: PAYLOAD_TYPE, payload: body.toString('base64'), signatures: [{ sig: sig.toString('base64') }] };
    expect(verifyDsseEnvelope(envelope, [publicPem])).toEqual({ status: 'verified', keyId: null });
  });
});

describe('SLSA provenance', () => {
  it('reads builder id, build type and subject digests from a bare statement (unverified)', async () => {
    const result = await parseEvidence('provenance.intoto.json', statementText);
    expect(result).toEqual({
      ok: true,
      format: 'slsa-provenance',
      facts: {
        kind: 'provenance',
        predicateType: 'https://slsa.dev/provenance/v1',
        builderId: `${GENERATOR}@refs/tags/v2.0.0`,
        buildType: 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1',
        subjects: [{ name: 'ghcr.io/example/shop', digest: { sha256: 'ca738abb87a8d58f112d3400ebb079b61ceae7dc290beb34bda735be4b1941d5' } }],
        envelope: 'none',
        signature: { status: 'unverified', reason: 'a bare in-toto statement carries no signature' },
      },
    });
  });

  it('reads a DSSE envelope and verifies it with the supplied key', async () => {
    const { privateKey, publicPem } = keyPair('ed25519');
    const envelope = JSON.stringify(signEnvelope(statementText, privateKey));
    const verified = await parseEvidence('provenance.dsse.json', envelope, { publicKeys: [publicPem] });
    expect(verified.ok && verified.facts).toMatchObject({ envelope: 'dsse', builderId: `${GENERATOR}@refs/tags/v2.0.0`, signature: { status: 'verified' } });
    const unverified = await parseEvidence('provenance.dsse.json', envelope);
    expect(unverified.ok && verified.ok && unverified.facts.kind === 'provenance' && unverified.facts.signature.status).toBe('unverified');
  });

  it('reads provenance from a Sigstore bundle dsseEnvelope', async () => {
    const { privateKey, publicPem } = keyPair('ec');
    const bundle = {
      mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      verificationMaterial: { publicKey: { hint: 'release-key' } },
      dsseEnvelope: signEnvelope(statementText, privateKey),
    };
    const result = await parseEvidence('shop.sigstore.json', JSON.stringify(bundle), { publicKeys: [publicPem] });
    expect(result.ok && result.format).toBe('slsa-provenance');
    expect(result.ok && result.facts).toMatchObject({ envelope: 'sigstore-bundle', signature: { status: 'verified' } });
  });

  it('reads the builder of v0.2 provenance from predicate.builder.id', () => {
    const statement = {
      _type: 'https://in-toto.io/Statement/v0.1',
      predicateType: 'https://slsa.dev/provenance/v0.2',
      subject: [{ name: 'a.tgz', digest: { sha256: 'ab' } }],
      predicate: { builder: { id: 'https://github.com/actions/runner' }, buildType: 'https://github.com/npm/cli/gha/v2' },
    };
    const result = parseSlsaProvenance(statement, 'p.json');
    expect(result.ok && result.facts).toMatchObject({ builderId: 'https://github.com/actions/runner', buildType: 'https://github.com/npm/cli/gha/v2' });
  });

  it.each([
    [{ _type: 'https://in-toto.io/Statement/v1', predicateType: 'https://spdx.dev/Document', subject: [], predicate: {} }, 'unsupported_version'],
    [{ _type: 'https://in-toto.io/Statement/v1', predicateType: 'https://slsa.dev/provenance/v1', subject: [{ digest: { sha256: 'a' } }], predicate: { runDetails: {} } }, 'invalid_field'],
    [{ _type: 'https://in-toto.io/Statement/v1', predicateType: 'https://slsa.dev/provenance/v1', subject: [], predicate: { runDetails: { builder: { id: 'b' } } } }, 'invalid_field'],
    [{ payloadType: 'text/plain', payload: 'aGk=', signatures: [] }, 'wrong_format'],
    [{ payloadType: PAYLOAD_TYPE, payload: '!!!', signatures: [] }, 'malformed'],
  ])('rejects %j as %s', (value, code) => {
    const result = parseSlsaProvenance(value, 'p.json');
    expect(!result.ok && result.error.code).toBe(code);
  });
});

describe('deriveSlsaLevel', () => {
  const trusted: TrustedBuilder[] = [
    { id: GENERATOR, level: 3 },
    { id: 'https://github.com/actions/runner/github-hosted', level: 2 },
  ];
  const verified: SignatureCheck = { status: 'verified', keyId: null };
  const unverified: SignatureCheck = { status: 'unverified', reason: 'no public key was supplied' };

  it.each([
    ['no provenance', undefined, 0],
    ['trusted builder pinned to a tag, verified', { builderId: `${GENERATOR}@refs/tags/v2.0.0`, signature: verified }, 3],
    ['trusted builder, exact id, verified', { builderId: 'https://github.com/actions/runner/github-hosted', signature: verified }, 2],
    ['trusted level-3 builder, unverified signature', { builderId: `${GENERATOR}@refs/tags/v2.0.0`, signature: unverified }, 1],
    ['untrusted builder, verified', { builderId: 'https://ci.example.com/builder', signature: verified }, 1],
    ['look-alike builder id', { builderId: `${GENERATOR}-fork@refs/tags/v2.0.0`, signature: verified }, 1],
  ])('%s → level %i', (_name, provenance, level) => {
    expect(deriveSlsaLevel(provenance, trusted).level).toBe(level);
  });

  it('explains an unverified cap', () => {
    expect(deriveSlsaLevel({ builderId: GENERATOR, signature: unverified }, trusted).reason).toMatch(/unverified: no public key was supplied/);
  });
});
