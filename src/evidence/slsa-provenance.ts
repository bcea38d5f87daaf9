import { asDsseEnvelope, verifyDsseEnvelope } from './dsse.js';
import { fail, fieldError, isRecord, succeed } from './errors.js';
import type { EvidenceError, FactsResult, ProvenanceFacts, ProvenanceSubject, SignatureCheck } from './types.js';

export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
export const SLSA_PROVENANCE_V02 = 'https://slsa.dev/provenance/v0.2';
const IN_TOTO_STATEMENTS = ['https://in-toto.io/Statement/v1', 'https://in-toto.io/Statement/v0.1'];
const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
const EXPECTED = 'SLSA provenance: an in-toto statement, a DSSE envelope of one, or a Sigstore bundle of one';

export interface ProvenanceOptions {
  /** PEM public keys trusted to sign provenance; without them the signature stays unverified. */
  publicKeys?: readonly string[];
}

/**
 * Reads SLSA provenance (predicate v1, and v0.2 for older generators) from a bare in-toto
 * statement, a DSSE envelope (base64 payload), or a Sigstore bundle's `dsseEnvelope`. Returns
 * the builder id, build type and subject digests; the envelope's signature is checked against
 * `publicKeys` (a bare statement is always unverified). The SLSA level is not decided here:
 * see `deriveSlsaLevel`.
 */
export function parseSlsaProvenance(value: unknown, file: string, options: ProvenanceOptions = {}): FactsResult<ProvenanceFacts> {
  if (!isRecord(value)) return fail('wrong_format', file, `${file} is not a JSON object; expected ${EXPECTED}`);
  let statement: unknown = value;
  let envelopeKind: ProvenanceFacts['envelope'] = 'none';
  let signature: SignatureCheck = { status: 'unverified', reason: 'a bare in-toto statement carries no signature' };
  const envelopeValue = isSigstoreBundle(value) ? value.dsseEnvelope : 'payloadType' in value ? value : undefined;
  if (envelopeValue !== undefined) {
    envelopeKind = envelopeValue === value ? 'dsse' : 'sigstore-bundle';
    const envelope = asDsseEnvelope(envelopeValue);
    if (!envelope) return fieldError(file, envelopeKind === 'dsse' ? '(envelope)' : 'dsseEnvelope', 'a DSSE envelope with payloadType, payload and signatures');
    if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
      return fail('wrong_format', file, `${file}: DSSE payloadType is ${JSON.stringify(envelope.payloadType)}; expected "${IN_TOTO_PAYLOAD_TYPE}"`);
    }
    const decoded = decodeStatement(envelope.payload, file);
    if (!decoded.ok) return decoded;
    statement = decoded.value;
    signature = verifyDsseEnvelope(envelope, options.publicKeys ?? []);
  } else if (isSigstoreBundle(value)) {
    return fail('wrong_format', file, `${file} is a Sigstore bundle without a dsseEnvelope (a messageSignature carries no provenance); expected ${EXPECTED}`);
  }
  return readStatement(statement, file, envelopeKind, signature);
}

export function isSigstoreBundle(value: Record<string, unknown>): boolean {
  return typeof value.mediaType === 'string' && value.mediaType.startsWith('application/vnd.dev.sigstore.bundle');
}

function decodeStatement(payload: string, file: string): { ok: true; value: unknown } | { ok: false; error: EvidenceError } {
  try {
    return { ok: true, value: JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as unknown };
  } catch {
    return fail('malformed', file, `${file}: the DSSE payload is not base64-encoded JSON; expected an in-toto statement`);
  }
}

function readStatement(
  statement: unknown,
  file: string,
  envelope: ProvenanceFacts['envelope'],
  signature: SignatureCheck,
): FactsResult<ProvenanceFacts> {
  if (!isRecord(statement) || typeof statement._type !== 'string' || !IN_TOTO_STATEMENTS.includes(statement._type)) {
    return fail('wrong_format', file, `${file}: _type is not an in-toto Statement (v1 or v0.1); expected ${EXPECTED}`);
  }
  const predicateType = statement.predicateType;
  if (predicateType !== SLSA_PROVENANCE_V1 && predicateType !== SLSA_PROVENANCE_V02) {
    return fail('unsupported_version', file, `${file}: predicateType ${JSON.stringify(predicateType)} is not SLSA provenance; expected "${SLSA_PROVENANCE_V1}"`);
  }
  const predicate = isRecord(statement.predicate) ? statement.predicate : undefined;
  if (!predicate) return fieldError(file, 'predicate', 'an object');
  let builderId: unknown;
  let buildType: unknown;
  if (predicateType === SLSA_PROVENANCE_V1) {
    const runDetails = isRecord(predicate.runDetails) ? predicate.runDetails : {};
    builderId = isRecord(runDetails.builder) ? runDetails.builder.id : undefined;
    buildType = isRecord(predicate.buildDefinition) ? predicate.buildDefinition.buildType : undefined;
    if (typeof builderId !== 'string' || builderId === '') return fieldError(file, 'predicate.runDetails.builder.id', 'a non-empty string');
  } else {
    builderId = isRecord(predicate.builder) ? predicate.builder.id : undefined;
    buildType = predicate.buildType;
    if (typeof builderId !== 'string' || builderId === '') return fieldError(file, 'predicate.builder.id', 'a non-empty string');
  }
  if (!Array.isArray(statement.subject) || statement.subject.length === 0) return fieldError(file, 'subject', 'a non-empty array');
  const subjects: ProvenanceSubject[] = [];
  for (const [i, subject] of statement.subject.entries()) {
    if (!isRecord(subject) || !isRecord(subject.digest)) return fieldError(file, `subject[${i}].digest`, 'an object of algorithm → hex digest');
    const digest: Record<string, string> = {};
    for (const [algorithm, hex] of Object.entries(subject.digest)) if (typeof hex === 'string') digest[algorithm] = hex;
    subjects.push({ name: typeof subject.name === 'string' ? subject.name : '', digest });
  }
  return succeed({
    kind: 'provenance',
    predicateType,
    builderId,
    buildType: typeof buildType === 'string' ? buildType : null,
    subjects,
    envelope,
    signature,
  });
}
