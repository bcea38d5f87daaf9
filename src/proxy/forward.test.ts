import { describe, expect, it } from 'vitest';
import { responseHeaders } from './forward.js';

const raw = (...pairs: string[]) => pairs.map((p) => Buffer.from(p, 'latin1'));

describe('responseHeaders (upstream raw headers to the client response)', () => {
  it.each([
    ['plain headers, names as the upstream spelled them', raw('Content-Type', 'text/plain', 'x-version', 'v1'), false, ['Content-Type', 'text/plain', 'x-version', 'v1']],
    ['hop-by-hop headers dropped whatever their case', raw('Connection', 'keep-alive', 'Keep-Alive', 'timeout=5', 'TRANSFER-ENCODING', 'chunked', 'Trailer', 'x', 'Upgrade', 'h2c', 'Proxy-Connection', 'keep-alive', 'etag', '"1"'), false, ['etag', '"1"']],
    ['a header of a dropped name\'s length that is not dropped', raw('connectio', 'a', 'x-trailer', 'b', 'content-length', '3'), false, ['connectio', 'a', 'x-trailer', 'b', 'content-length', '3']],
    ['repeated headers kept, in order', raw('set-cookie', 'a=1', 'Set-Cookie', 'b=2'), false, ['set-cookie', 'a=1', 'Set-Cookie', 'b=2']],
    ['latin1 values kept byte for byte', raw('x-name', 'caf\u00e9'), false, ['x-name', 'caf\u00e9']],
    ['connection: close added while draining', raw('connection', 'keep-alive', 'x-version', 'v1'), true, ['x-version', 'v1', 'connection', 'close']],
    ['no headers', [], false, []],
  ])('%s', (_name, input, close, expected) => {
    expect(responseHeaders(input, close)).toEqual(expected);
  });
});
