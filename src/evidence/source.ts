/**
 * Reading evidence input in bounded memory. Input is a string, bytes, or a stream of chunks
 * (a Node `Readable` is one). The head can be inspected without consuming it; line-oriented
 * formats then stream line by line, whole-document formats (JSON, XML) read up to a byte limit.
 */

export type EvidenceInput = string | Uint8Array | AsyncIterable<Uint8Array | string>;

/** Default cap for whole-document formats: 256 MiB. */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

export class InputTooLargeError extends Error {
  readonly code = 'too_large';
  constructor(readonly limit: number) {
    super(`input exceeds ${limit} bytes`);
  }
}

export interface EvidenceSource {
  /** Up to `chars` characters from the start, without consuming them. */
  head(chars: number): Promise<string>;
  /** The whole decoded text; rejects with InputTooLargeError past `maxBytes`. Call once. */
  text(maxBytes: number): Promise<string>;
  /**
   * The decoded lines, without their terminators, streamed in batches (one batch per chunk read:
   * an await per line would dominate the cost of large files). Call once.
   */
  lines(): AsyncIterable<string[]>;
}

async function* asChunks(input: EvidenceInput): AsyncGenerator<Uint8Array | string> {
  if (typeof input === 'string' || input instanceof Uint8Array) {
    yield input;
    return;
  }
  yield* input;
}

/** Wraps an input; decoding is UTF-8, a leading byte-order mark is dropped. */
export function openSource(input: EvidenceInput): EvidenceSource {
  const iterator = asChunks(input)[Symbol.asyncIterator]();
  const decoder = new TextDecoder('utf-8');
  const pending: string[] = [];
  let pendingChars = 0;
  let bytesRead = 0;
  let done = false;
  let first = true;

  /** Reads one more chunk into `pending`; false at the end of input. */
  const pull = async (): Promise<boolean> => {
    if (done) return false;
    const next = await iterator.next();
    let piece: string;
    if (next.done) {
      done = true;
      piece = decoder.decode();
    } else if (typeof next.value === 'string') {
      bytesRead += Buffer.byteLength(next.value);
      piece = next.value;
    } else {
      bytesRead += next.value.byteLength;
      piece = decoder.decode(next.value, { stream: true });
    }
    if (first && piece.length > 0) {
      first = false;
      if (piece.charCodeAt(0) === 0xfeff) piece = piece.slice(1);
    }
    if (piece.length > 0) {
      pending.push(piece);
      pendingChars += piece.length;
    }
    return !done;
  };

  const takePending = (): string => {
    const joined = pending.join('');
    pending.length = 0;
    pendingChars = 0;
    return joined;
  };

  return {
    async head(chars) {
      while (pendingChars < chars && (await pull()));
      return pending.join('').slice(0, chars);
    },
    async text(maxBytes) {
      while (await pull()) {
        if (bytesRead > maxBytes) throw new InputTooLargeError(maxBytes);
      }
      if (bytesRead > maxBytes) throw new InputTooLargeError(maxBytes);
      return takePending();
    },
    lines() {
      return {
        async *[Symbol.asyncIterator]() {
          let carry = '';
          for (;;) {
            if (pendingChars === 0) {
              if (done) break;
              await pull();
              continue;
            }
            const parts = (carry + takePending()).split('\n');
            carry = parts.pop() ?? '';
            for (let i = 0; i < parts.length; i += 1) {
              const part = parts[i] as string;
              if (part.endsWith('\r')) parts[i] = part.slice(0, -1);
            }
            if (parts.length > 0) yield parts;
          }
          if (carry.length > 0) yield [carry.endsWith('\r') ? carry.slice(0, -1) : carry];
        },
      };
    },
  };
}
