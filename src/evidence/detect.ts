import { isRecord } from './errors.js';
import { isSigstoreBundle, SLSA_PROVENANCE_V02, SLSA_PROVENANCE_V1 } from './slsa-provenance.js';
import { isTscLine } from './tsc.js';
import type { EvidenceFormat } from './types.js';

export type Syntax = 'json' | 'xml' | 'text' | 'empty';

/** Which formats are whole JSON documents, XML documents, or line-oriented text. */
export const SYNTAX_OF: Record<EvidenceFormat, Exclude<Syntax, 'empty'>> = {
  junit: 'xml',
  cobertura: 'xml',
  'istanbul-summary': 'json',
  trivy: 'json',
  grype: 'json',
  'npm-audit': 'json',
  gitleaks: 'json',
  sarif: 'json',
  eslint: 'json',
  'slsa-provenance': 'json',
  'sigstore-bundle': 'json',
  lcov: 'text',
  tsc: 'text',
};

export type Detection = { ok: true; format: EvidenceFormat } | { ok: false; message: string };

/** The syntax family of a document from its first characters. */
export function sniffSyntax(head: string): Syntax {
  const start = head.trimStart();
  if (start === '') return 'empty';
  if (start.startsWith('{') || start.startsWith('[')) return 'json';
  if (start.startsWith('<')) return 'xml';
  return 'text';
}

/** XML formats by root element, from the head (declaration, comments and DOCTYPE skipped). */
export function detectXmlFormat(head: string): Detection {
  const withoutProlog = head.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>/g, '');
  const root = /<([A-Za-z_][\w.:-]*)/.exec(withoutProlog)?.[1];
  if (root === 'testsuites' || root === 'testsuite') return { ok: true, format: 'junit' };
  if (root === 'coverage') return { ok: true, format: 'cobertura' };
  return { ok: false, message: `XML root element <${root ?? '?'}> is neither JUnit (<testsuites>/<testsuite>) nor Cobertura (<coverage>)` };
}

/** Text formats from the head: lcov tracefile or tsc output. */
export function detectTextFormat(head: string): Detection {
  const lines = head.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const first = lines[0] ?? '';
  if (/^(TN|SF|VER):/.test(first)) return { ok: true, format: 'lcov' };
  if (lines.slice(0, 50).some(isTscLine)) return { ok: true, format: 'tsc' };
  return { ok: false, message: 'text is neither an lcov tracefile (starts with TN: or SF:) nor tsc output ("error TSnnnn" lines)' };
}

/**
 * JSON formats by structure. `fileName` only breaks the one real tie: `[]` is both a clean
 * gitleaks report and an ESLint run over no files.
 */
export function detectJsonFormat(value: unknown, fileName = ''): Detection {
  if (Array.isArray(value)) {
    const first: unknown = value[0];
    if (value.length === 0) {
      const name = fileName.toLowerCase();
      if (name.includes('gitleaks') || name.includes('secret')) return { ok: true, format: 'gitleaks' };
      if (name.includes('eslint') || name.includes('lint')) return { ok: true, format: 'eslint' };
      return { ok: false, message: 'an empty JSON array could be a gitleaks or an ESLint report; pass --format gitleaks or --format eslint' };
    }
    if (isRecord(first) && 'RuleID' in first) return { ok: true, format: 'gitleaks' };
    if (isRecord(first) && 'filePath' in first && 'messages' in first) return { ok: true, format: 'eslint' };
    return { ok: false, message: 'a JSON array whose entries are neither gitleaks findings (RuleID) nor ESLint results (filePath, messages)' };
  }
  if (!isRecord(value)) return { ok: false, message: 'JSON that is not an object or array' };
  if ('SchemaVersion' in value && ('Results' in value || 'ArtifactName' in value)) return { ok: true, format: 'trivy' };
  if (Array.isArray(value.matches)) return { ok: true, format: 'grype' };
  if ('auditReportVersion' in value || ('advisories' in value && 'metadata' in value)) return { ok: true, format: 'npm-audit' };
  if (Array.isArray(value.runs) && (typeof value.version === 'string' || typeof value.$schema === 'string')) return { ok: true, format: 'sarif' };
  if (isRecord(value.total) && 'lines' in value.total) return { ok: true, format: 'istanbul-summary' };
  if (isSigstoreBundle(value)) {
    return { ok: true, format: carriesSlsaStatement(value.dsseEnvelope) ? 'slsa-provenance' : 'sigstore-bundle' };
  }
  if (typeof value._type === 'string' && value._type.startsWith('https://in-toto.io/Statement')) return { ok: true, format: 'slsa-provenance' };
  if (typeof value.payloadType === 'string' && typeof value.payload === 'string') return { ok: true, format: 'slsa-provenance' };
  return { ok: false, message: 'a JSON object with none of the keys of a known report (SchemaVersion, matches, auditReportVersion, runs, total, mediaType, _type, payloadType)' };
}

function carriesSlsaStatement(envelope: unknown): boolean {
  if (!isRecord(envelope) || typeof envelope.payload !== 'string') return false;
  try {
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as unknown;
    return isRecord(statement) && (statement.predicateType === SLSA_PROVENANCE_V1 || statement.predicateType === SLSA_PROVENANCE_V02);
  } catch {
    return false;
  }
}

/** Detects the format of a whole document held in memory (convenience for small inputs). */
export function detectFormat(input: string, fileName = ''): Detection {
  const content = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const syntax = sniffSyntax(content);
  if (syntax === 'empty') return { ok: false, message: 'the file is empty' };
  if (syntax === 'xml') return detectXmlFormat(content.slice(0, 4096));
  if (syntax === 'text') return detectTextFormat(content.slice(0, 65536));
  try {
    return detectJsonFormat(JSON.parse(content), fileName);
  } catch {
    return { ok: false, message: 'the file starts like JSON but does not parse' };
  }
}
