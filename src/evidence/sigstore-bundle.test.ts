import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pae } from './dsse.js';
import { parseEvidence } from './index.js';
import { verifyImageSignature } from './sigstore-bundle.js';

const IMAGE_DIGEST = 'ca738abb87a8d58f112d3400ebb079b61ceae7dc290beb34bda735be4b1941d5';

function keys() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** A cosign-style "simple signing" payload naming the image digest. */
const simpleSigning = Buffer.from(
  JSON.stringify({ critical: { identity: { 'docker-reference': 'ghcr.io/example/shop' }, image: { 'docker-manifest-digest': `sha256:${IMAGE_DIGEST}` }, type: 'cosign container image signature' }, optional: null }),
);

function messageBundle(privateKey: ReturnType<typeof keys>['privateKey']) {
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { publicKey: { hint: 'cosign.pub' }, tlogEntries: [] },
    messageSignature: {
      messageDigest: { algorithm: 'SHA2_256', digest: createHash('sha256').update(simpleSigning).digest('base64') },
      signature: sign('sha256', simpleSigning, privateKey).toString('base64'),
    },
  };
}

function dsseBundle(privateKey: ReturnType<typeof keys>['privateKey'], digest = IMAGE_DIGEST) {
  const statement = Buffer.from(
    JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'ghcr.io/example/shop', digest: { sha256: digest } }], predicateType: 'https://cosign.sigstore.dev/attestation/v1', predicate: {} }),
  );
  const payloadType = 'application/vnd.in-toto+json';
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { publicKey: { hint: 'cosign.pub' } },
    dsseEnvelope: { payloadType, payload: statement.toString('base64'), signatures: [{ sig: sign('sha256', pae(payloadType, statement), privateKey).toString('base64'), keyid: '' }] },
  };
}

describe('verifyImageSignature (public-key path)', () => {
  it('verifies a messageSignature bundle over the signed payload', () => {
    const { privateKey, publicPem } = keys();
    const result = verifyImageSignature(messageBundle(privateKey), { publicKey: publicPem, artifact: simpleSigning });
    expect(result).toEqual({
      ok: true,
      facts: { kind: 'image-signature', mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', content: 'message-signature', signature: { status: 'verified', keyId: null } },
    });
  });

  it('does not verify a messageSignature without the artifact, or with a different artifact', () => {
    const { privateKey, publicPem } = keys();
    const bundle = messageBundle(privateKey);
    const noArtifact = verifyImageSignature(bundle, { publicKey: publicPem });
    expect(noArtifact.ok && noArtifact.facts.signature).toMatchObject({ status: 'unverified', reason: expect.stringMatching(/pass the artifact/) });
    const other = verifyImageSignature(bundle, { publicKey: publicPem, artifact: Buffer.from('something else') });
    expect(other.ok && other.facts.signature).toMatchObject({ status: 'unverified', reason: expect.stringMatching(/messageDigest/) });
  });

  it('verifies a DSSE bundle and checks the image digest among its subjects', () => {
    const { privateKey, publicPem } = keys();
    const good = verifyImageSignature(dsseBundle(privateKey), { publicKey: publicPem, expectedDigest: `sha256:${IMAGE_DIGEST}` });
    expect(good.ok && good.facts.signature.status).toBe('verified');
    const wrongImage = verifyImageSignature(dsseBundle(privateKey), { publicKey: publicPem, expectedDigest: `sha256:${'0'.repeat(64)}` });
    expect(wrongImage.ok && wrongImage.facts.signature).toMatchObject({ status: 'unverified', reason: expect.stringMatching(/no subject has digest/) });
  });

  it('does not verify with another key', () => {
    const { privateKey } = keys();
    const result = verifyImageSignature(dsseBundle(privateKey), { publicKey: keys().publicPem });
    expect(result.ok && result.facts.signature.status).toBe('unverified');
  });

  it('says a trusted root alone needs @sigstore/verify, and does not pass', () => {
    const { privateKey } = keys();
    const result = verifyImageSignature(dsseBundle(privateKey), { trustedRoot: { mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1' } });
    expect(result.ok && result.facts.signature).toMatchObject({ status: 'unverified', reason: expect.stringMatching(/@sigstore\/verify/) });
  });

  it.each([
    [{ mediaType: 'application/json' }, 'wrong_format'],
    [{ mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1', verificationMaterial: {} }, 'invalid_field'],
    [{ mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', dsseEnvelope: { payload: 1 } }, 'invalid_field'],
  ])('rejects %j as %s', (bundle, code) => {
    const result = verifyImageSignature(bundle, {});
    expect(!result.ok && result.error.code).toBe(code);
  });

  it('is detected as a sigstore bundle by parseEvidence and verified with publicKeys', async () => {
    const { privateKey, publicPem } = keys();
    const result = await parseEvidence('image.sigstore.json', JSON.stringify(dsseBundle(privateKey)), { publicKeys: [publicPem] });
    expect(result.ok && result.format).toBe('sigstore-bundle');
    expect(result.ok && result.facts).toMatchObject({ kind: 'image-signature', content: 'dsse', signature: { status: 'verified' } });
  });
});
