import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './harness.ts';

// What Node's HTTP parser and Fastify's router refuse before any route runs (too large headers, too long a URL,
// a broken request) is answered as a problem like every other error. inject() skips the parser, so these requests
// go over a real port, byte for byte.

let t: TestApp;
let port: number;

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as net.AddressInfo).port;
});
afterAll(() => t.close());

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends `request` as it is and reads the answer until the server closes the connection. */
function send(request: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const end = text.indexOf('\r\n\r\n');
      const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
      const headers = Object.fromEntries(
        lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: text.slice(end + 4) });
    });
    socket.end(request);
  });
}

function expectRawProblem(res: RawResponse, status: number, code: string): void {
  expect({ status: res.status, code: res.headers['x-error-code'] }).toEqual({ status, code });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(res.body) as Record<string, unknown>;
  expect(body).toMatchObject({ status, code, type: `urn:novapos:problem:${code}` });
  expect(body.request_id).toEqual(expect.any(String));
  expect(res.headers['x-request-id']).toBe(body.request_id);
  expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.body));
}

describe("requests Node's HTTP parser refuses", () => {
  it('answers headers past 16 KiB with 431 headers_too_large', async () => {
    const res = await send(`GET /v1/me HTTP/1.1\r\nHost: pos\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expectRawProblem(res, 431, 'headers_too_large');
  });

  it('answers a URL past 16 KiB with 414 uri_too_long', async () => {
    const res = await send(`GET /v1/products?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: pos\r\n\r\n`);
    expectRawProblem(res, 414, 'uri_too_long');
  });

  it('answers a message that is not HTTP with 400 malformed_request', async () => {
    expectRawProblem(await send('HELLO THERE\r\n\r\n'), 400, 'malformed_request');
    expectRawProblem(await send('GET /v1/me HTTP/1.1\r\nHost: pos\r\nBad Header\r\n\r\n'), 400, 'malformed_request');
    expectRawProblem(
      await send('GET /v1/me HTTP/1.1\r\nHost: pos\r\nX-Nul: a\u0000b\r\n\r\n'),
      400,
      'malformed_request',
    );
  });
});

describe('requests the router refuses', () => {
  it('answers a path parameter past 200 characters with 414 uri_too_long', async () => {
    const res = await send(`GET /v1/products/${'a'.repeat(300)} HTTP/1.1\r\nHost: pos\r\nConnection: close\r\n\r\n`);
    expectRawProblem(res, 414, 'uri_too_long');
    const injected = await t.app.inject({ method: 'GET', url: `/v1/products/${'a'.repeat(300)}` });
    expect(injected.statusCode).toBe(414);
    expect(injected.json()).toMatchObject({ code: 'uri_too_long', request_id: injected.headers['x-request-id'] });
  });

  it('answers a path that is not valid percent-encoding with 400 malformed_request', async () => {
    const res = await send('GET /v1/products/%E0%A4%A HTTP/1.1\r\nHost: pos\r\nConnection: close\r\n\r\n');
    expectRawProblem(res, 400, 'malformed_request');
  });

  it('still serves ordinary requests on the same server', async () => {
    const res = await send('GET /healthz HTTP/1.1\r\nHost: pos\r\nConnection: close\r\n\r\n');
    expect(res.status).toBe(200);
  });
});
