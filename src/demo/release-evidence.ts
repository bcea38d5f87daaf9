import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateKeyPairSync, sign } from 'node:crypto';
import { pae } from '../evidence/dsse.js';

// The evidence parsers' fixtures are genuine tool outputs; they ship with the sources.
const fixtures = [resolve(import.meta.dirname, '../evidence/fixtures'), resolve(import.meta.dirname, '../../src/evidence/fixtures')].find((d) => existsSync(join(d, 'istanbul-coverage-summary.json')))!;
export const trustedGenerator = 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml';
const payloadType = 'application/vnd.in-toto+json';

/**
 * Writes a release's reports that pass every gate into `dir/evidence`: JUnit with no failures,
 * coverage above 80 %, a Trivy scan with no findings, a clean gitleaks report, SLSA provenance
 * and an image attestation signed with a fresh key (its PEM in `dir/signing.pub`), plus a
 * rampart.yaml that trusts that key and builder. Steps without reports go in `steps`.
 */
export function writeGoodEvidence(dir: string, extraConfig = ''): { evidenceDir: string; configFile: string; steps: string[] } {
  const evidenceDir = join(dir, 'evidence');
  mkdirSync(evidenceDir, { recursive: true });
  writeFileSync(join(evidenceDir, 'junit.xml'),
    '<?xml version="1.0"?>\n<testsuites tests="3" failures="0" errors="0"><testsuite name="unit" tests="3" failures="0" errors="0" skipped="0">'
    + '<testcase name="a" classname="x"/><testcase name="b" classname="x"/><testcase name="c" classname="x"/></testsuite></testsuites>\n');
  copyFileSync(join(fixtures, 'istanbul-coverage-summary.json'), join(evidenceDir, 'coverage-summary.json'));
  copyFileSync(join(fixtures, 'trivy-alpine-no-vulnerabilities-key.json'), join(evidenceDir, 'trivy.json'));
  copyFileSync(join(fixtures, 'gitleaks-clean.json'), join(evidenceDir, 'gitleaks.json'));
  writeFileSync(join(evidenceDir, 'eslint.json'), '[{"filePath":"/src/a.ts","messages":[],"errorCount":0,"fatalErrorCount":0,"warningCount":0,"fixableErrorCount":0,"fixableWarningCount":0}]\n');

  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signingKey = join(dir, 'signing.pub');
  writeFileSync(signingKey, publicKey.export({ type: 'spki', format: 'pem' }).toString());
  const envelope = (statement: Buffer) => ({
    payloadType, payload: statement.toString('base64'),
    signatures: [{ keyid: 'release', sig: sign('sha256', pae(payloadType, statement), privateKey).toString('base64') }],
  });
  const provenance = readFileSync(join(fixtures, 'slsa-provenance-v1.intoto.json'));
  writeFileSync(join(evidenceDir, 'provenance.intoto.jsonl'), JSON.stringify(envelope(provenance)));
  const digest = (JSON.parse(provenance.toString()) as { subject: Array<{ digest: { sha256: string } }> }).subject[0]!.digest.sha256;
  const attestation = Buffer.from(JSON.stringify({
    _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'ghcr.io/example/shop', digest: { sha256: digest } }],
    predicateType: 'https://cosign.sigstore.dev/attestation/v1', predicate: {},
  }));
  writeFileSync(join(evidenceDir, 'image.sigstore.json'), JSON.stringify({
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', verificationMaterial: { publicKey: { hint: 'release' } }, dsseEnvelope: envelope(attestation),
  }));

  const configFile = join(dir, 'rampart.yaml');
  writeFileSync(configFile, `gates:\n  timeZone: UTC\n  signingKeys: [signing.pub]\n  trustedBuilders:\n    - { id: "${trustedGenerator}", level: 3 }\n  authorizedOverriders: [vp-on-call]\n${extraConfig}`);
  return { evidenceDir, configFile, steps: ['typecheck=pass', 'build=pass', 'format=pass', 'e2e=pass', 'golden_path=pass'] };
}
