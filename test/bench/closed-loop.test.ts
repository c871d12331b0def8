/**
 * The ratio's load generator (closed-loop.ts) sends each request as written, counts every
 * response, however the bytes arrive, and tells a non-2xx apart. Nothing is timed here.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { closedLoop } from '../../src/bench/closed-loop.js';

interface Seen {
  method: string;
  url: string;
  question: string | undefined;
  auth: string | undefined;
  body: string;
}

let server: http.Server | undefined;

/** A server that records each request and answers with `answer`. */
async function serve(answer: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, question: req.headers['x-bench-question'] as string | undefined, auth: req.headers.authorization, body });
      answer(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

const requests = [
  { method: 'POST', path: '/a', body: '{"n":"é"}', headers: { 'x-bench-question': '0' } },
  { method: 'POST', path: '/b', body: '{"n":2}', headers: { 'x-bench-question': '1' } },
];

describe('closedLoop', () => {
  it('sends each request with the shared headers and counts every answer', async () => {
    const { url, seen } = await serve((_req, res, body) => res.end(body));
    const r = await closedLoop(url, { authorization: 'Bearer t' }, requests, { connections: 2, seconds: 0.2 });
    expect(r.requests).toBeGreaterThan(10);
    expect(r.non2xx).toBe(0);
    expect(r.seconds).toBeGreaterThan(0.15);
    // Answers that arrive after the deadline are not counted.
    expect(seen.length).toBeGreaterThanOrEqual(r.requests);
    expect(seen.every((s) => s.auth === 'Bearer t' && s.method === 'POST')).toBe(true);
    expect(new Set(seen.map((s) => `${s.url} ${s.question} ${s.body}`))).toEqual(new Set(['/a 0 {"n":"é"}', '/b 1 {"n":2}']));
  });

  it('reads an answer that arrives in many pieces', async () => {
    const big = 'x'.repeat(200_000);
    const { url } = await serve((_req, res) => {
      res.setHeader('content-length', big.length);
      res.write(big.slice(0, 10));
      setTimeout(() => res.end(big.slice(10)), 5);
    });
    const r = await closedLoop(url, {}, requests, { connections: 1, seconds: 0.2 });
    expect(r.requests).toBeGreaterThan(2);
    expect(r.non2xx).toBe(0);
  });

  it('counts the answers that are not 2xx', async () => {
    const { url } = await serve((req, res) => {
      res.statusCode = req.url === '/b' ? 409 : 200;
      res.end('{}');
    });
    const r = await closedLoop(url, {}, requests, { connections: 1, seconds: 0.2 });
    expect(r.non2xx).toBeGreaterThan(0);
    expect(r.non2xx).toBeLessThan(r.requests);
  });

  it('fails on an answer without Content-Length', async () => {
    const { url } = await serve((_req, res) => {
      res.write('chunked');
      res.end();
    });
    await expect(closedLoop(url, {}, requests, { connections: 1, seconds: 0.2 })).rejects.toThrow(/Content-Length/);
  });
});
