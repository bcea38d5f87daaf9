import { parseCobertura } from './cobertura.js';
import { detectJsonFormat, detectTextFormat, detectXmlFormat, sniffSyntax, SYNTAX_OF } from './detect.js';
import { fail, parseJsonText } from './errors.js';
import { parseEslint } from './eslint.js';
import { parseGitleaks } from './gitleaks.js';
import { parseGrype } from './grype.js';
import { parseIstanbulSummary } from './istanbul-summary.js';
import { parseJunit } from './junit.js';
import { parseLcov } from './lcov.js';
import { parseNpmAudit } from './npm-audit.js';
import { parseSarif } from './sarif.js';
import { verifyImageSignature } from './sigstore-bundle.js';
import { parseSlsaProvenance } from './slsa-provenance.js';
import { DEFAULT_MAX_BYTES, InputTooLargeError, openSource, type EvidenceInput } from './source.js';
import { parseTrivy } from './trivy.js';
import { parseTsc } from './tsc.js';
import type { EvidenceFacts, EvidenceFormat, EvidenceResult, FactsResult } from './types.js';

export type { EvidenceInput } from './source.js';
export * from './types.js';
export { detectFormat, detectJsonFormat, sniffSyntax } from './detect.js';
export { deriveSlsaLevel, builderMatches, type SlsaAssessment, type SlsaLevel, type TrustedBuilder } from './slsa-level.js';
export { verifyImageSignature, type ImageSignatureCheck, type ImageSignatureOptions } from './sigstore-bundle.js';
export { pae, verifyDsseEnvelope, type DsseEnvelope } from './dsse.js';
export { parseStepArg, stepResult } from './step-result.js';
export { securitySeverityBand } from './sarif.js';
export { parseEvidenceFile } from './read-file.js';
export { combineFacts } from './combine.js';

export interface ParseEvidenceOptions {
  /** Forces the format (`--format`); otherwise it is detected from the content. */
  format?: EvidenceFormat;
  /** Byte limit for whole-document formats (JSON, XML). Default 256 MiB. lcov and tsc stream. */
  maxBytes?: number;
  /** PEM public keys for verifying signed provenance and Sigstore bundles. */
  publicKeys?: readonly string[];
}

const EXPECTED: Record<EvidenceFormat, string> = {
  junit: 'a JUnit XML report',
  cobertura: 'a Cobertura XML report',
  'istanbul-summary': 'an istanbul coverage-summary.json',
  lcov: 'an lcov tracefile',
  trivy: 'a Trivy JSON report (schema 2)',
  grype: 'a Grype JSON report',
  'npm-audit': 'npm audit --json output (v2)',
  gitleaks: 'a gitleaks JSON report',
  sarif: 'a SARIF 2.1.0 log',
  eslint: 'ESLint JSON output',
  tsc: 'tsc output',
  'slsa-provenance': 'SLSA provenance (in-toto statement, DSSE envelope or Sigstore bundle)',
  'sigstore-bundle': 'a Sigstore bundle',
};

const HEAD_CHARS = 64 * 1024;

/**
 * Parses one evidence file into facts. Detects the format from the content unless
 * `options.format` forces it. Never throws and never rejects: a truncated, malformed,
 * wrong-format or unreadable file returns `{ ok: false, error }` naming `fileName`, the position
 * when known, and what was expected. lcov and tsc are streamed line by line; JSON and XML are
 * read whole up to `maxBytes`.
 */
export async function parseEvidence(
  fileName: string,
  input: EvidenceInput,
  options: ParseEvidenceOptions = {},
): Promise<EvidenceResult> {
  try {
    const source = openSource(input);
    const head = await source.head(HEAD_CHARS);
    const syntax = options.format ? SYNTAX_OF[options.format] : sniffSyntax(head);
    if (syntax === 'empty') {
      return fail('empty', fileName, `${fileName} is empty; expected an evidence report (pass --format to say which)`);
    }
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;

    if (syntax === 'text') {
      const detected = options.format ? { ok: true as const, format: options.format } : detectTextFormat(head);
      if (!detected.ok) return fail('unknown_format', fileName, `${fileName}: ${detected.message}; pass --format to force one`, { line: 1, column: 1 });
      const parsed = detected.format === 'lcov' ? await parseLcov(source.lines(), fileName) : await parseTsc(source.lines(), fileName);
      return withFormat(detected.format, parsed);
    }

    const text = await source.text(maxBytes);
    if (syntax === 'xml') {
      const detected = options.format ? { ok: true as const, format: options.format } : detectXmlFormat(head);
      if (!detected.ok) return fail('unknown_format', fileName, `${fileName}: ${detected.message}; pass --format to force one`, { line: 1, column: 1 });
      const parsed = detected.format === 'junit' ? parseJunit(text, fileName) : parseCobertura(text, fileName);
      return withFormat(detected.format, parsed);
    }

    const json = parseJsonText(text, fileName, options.format ? EXPECTED[options.format] : 'a JSON evidence report');
    if (!json.ok) return json;
    const detected = options.format ? { ok: true as const, format: options.format } : detectJsonFormat(json.value, fileName);
    if (!detected.ok) return fail('unknown_format', fileName, `${fileName}: ${detected.message}; pass --format to force one`);
    return withFormat(detected.format, parseJsonFormat(detected.format, json.value, fileName, options));
  } catch (cause) {
    if (cause instanceof InputTooLargeError) {
      return fail('too_large', fileName, `${fileName} is larger than ${cause.limit} bytes; raise maxBytes or trim the report`);
    }
    const detail = cause instanceof Error ? cause.message : String(cause);
    return fail('read_failed', fileName, `${fileName} could not be read: ${detail}`);
  }
}

function parseJsonFormat(
  format: EvidenceFormat,
  value: unknown,
  file: string,
  options: ParseEvidenceOptions,
): FactsResult {
  switch (format) {
    case 'istanbul-summary':
      return parseIstanbulSummary(value, file);
    case 'trivy':
      return parseTrivy(value, file);
    case 'grype':
      return parseGrype(value, file);
    case 'npm-audit':
      return parseNpmAudit(value, file);
    case 'gitleaks':
      return parseGitleaks(value, file);
    case 'sarif':
      return parseSarif(value, file);
    case 'eslint':
      return parseEslint(value, file);
    case 'slsa-provenance':
      return parseSlsaProvenance(value, file, { publicKeys: options.publicKeys ?? [] });
    case 'sigstore-bundle':
      return verifyImageSignature(value, options.publicKeys?.length ? { publicKey: options.publicKeys } : {}, file);
    default:
      // A text or XML format forced onto JSON content.
      return fail('wrong_format', file, `${file} is JSON; expected ${EXPECTED[format]}`, { line: 1, column: 1 });
  }
}

function withFormat(format: EvidenceFormat, parsed: FactsResult<EvidenceFacts>): EvidenceResult {
  return parsed.ok ? { ok: true, format, facts: parsed.facts } : parsed;
}
