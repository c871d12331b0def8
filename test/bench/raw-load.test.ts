/**
 * The bench's own load generators (raw-load.ts): the ratio's saturating one sends each request as
 * written, counts every response, however the bytes arrive, and tells a non-2xx apart; the
 * fixed-rate one keeps to its schedule and counts a request's wait for a free connection in its
 * latency. Nothing is held to a time limit here: the figures checked are counts and orders of
 * magnitude far from any machine's noise.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RawConnections, closedLoopOn, fixedRate, type RawRequest } from '../../src/bench/raw-load.js';

interface Seen {
  method: string;
  url: string;
  question: string | undefined;
  auth: string | undefined;
  body: string;
}

let server: http.Server | undefined;
/** Connections the server accepted. */
let accepted = 0;

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
  accepted = 0;
  server.on('connection', () => accepted++);
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

/** closedLoopOn on connections of its own. */
async function closedLoop(url: string, headers: Record<string, string>, reqs: readonly RawRequest[], o: { connections: number; seconds: number }) {
  const c = await RawConnections.open(url, headers, o.connections);
  try {
    return await closedLoopOn(c, c.prepare(reqs), o.seconds);
  } finally {
    await c.close();
  }
}

describe('closedLoopOn', () => {
  it('sends each request with the shared headers and counts every answer', async () => {
    const { url, seen } = await serve((_req, res, body) => res.end(body));
    const r = await closedLoop(url, { authorization: 'Bearer t' }, requests, { connections: 2, seconds: 0.2 });
    expect(r.requests).toBeGreaterThan(10);
    expect(r.non2xx).toBe(0);
    expect(r.seconds).toBeGreaterThan(0.15);
    // Every request sent was answered and counted: the run lets its answers in flight arrive.
    expect(seen.length).toBe(r.requests);
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

  it('fails when the server closes a connection during a run', async () => {
    const { url } = await serve((req) => req.socket.destroy());
    await expect(closedLoop(url, {}, requests, { connections: 2, seconds: 0.2 })).rejects.toThrow(/closed a connection/);
  });

  it('runs one workload after another on the same connections, each counting its own answers', async () => {
    const { url, seen } = await serve((_req, res, body) => res.end(body));
    const c = await RawConnections.open(url, {}, 3);
    try {
      const first = await closedLoopOn(c, c.prepare(requests.slice(0, 1)), 0.1);
      const second = await closedLoopOn(c, c.prepare(requests.slice(1)), 0.1);
      expect(seen.filter((s) => s.url === '/a')).toHaveLength(first.requests);
      expect(seen.filter((s) => s.url === '/b')).toHaveLength(second.requests);
      expect(accepted).toBe(3);
    } finally {
      await c.close();
    }
  });
});

describe('fixedRate', () => {
  it('sends at the rate asked, walking the requests in order', async () => {
    const { url, seen } = await serve((_req, res, body) => res.end(body));
    const r = await fixedRate(url, { authorization: 'Bearer t' }, requests, { connections: 4, seconds: 0.5, rate: 200 });
    // ~100 due in 0.5 s; a slow start of the timer may cost a few.
    expect(r.requests).toBeGreaterThan(80);
    expect(r.requests).toBeLessThanOrEqual(101);
    expect(r.non2xx).toBe(0);
    expect(r.latencyUs.count).toBe(r.requests);
    expect(seen.slice(0, 4).map((s) => s.url)).toEqual(['/a', '/b', '/a', '/b']);
  });

  it("counts a request's wait for a free connection in its latency", async () => {
    // One connection and 20 ms an answer serve 50 a second; asked 200 a second, the queue grows.
    const { url } = await serve((_req, res) => setTimeout(() => res.end('{}'), 20));
    const r = await fixedRate(url, {}, requests, { connections: 1, seconds: 0.5, rate: 200 });
    expect(r.requests).toBeLessThan(30);
    // The last answers were due ~0.3 s before they came: far above the 20 ms the server took.
    expect(r.latencyUs.max).toBeGreaterThan(150_000);
  });
});
