/**
 * A clean stop, on the real process tree `npm start` runs (npm → node dist/src/main.js): SIGTERM
 * to npm reaches the server; readiness turns 503 at once; a request in flight finishes; idle
 * keep-alive connections are closed; no new connection is accepted; the server exits 0 within
 * 2 s. Connections are raw sockets, so the test controls exactly when each request completes.
 */
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive, npmStart, type StartedServer } from './npm-start.js';

const ADMIN = 'stop-test-admin-token-0123456789';

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: any;
}

/** One HTTP/1.1 connection driven by hand. */
class Conn {
  readonly socket: net.Socket;
  readonly opened: Promise<void>;
  /** When the server closed it (ms since epoch). */
  readonly closedAt: Promise<number>;
  private buffer = '';
  private waiters: (() => void)[] = [];

  constructor(port: number) {
    this.socket = net.connect(port, '127.0.0.1');
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('error', reject);
    });
    this.closedAt = new Promise((resolve) => this.socket.once('close', () => resolve(Date.now())));
    this.socket.on('data', (d: Buffer) => {
      this.buffer += d.toString();
      for (const w of this.waiters.splice(0)) w();
    });
    this.socket.on('error', () => undefined);
  }

  send(text: string): void {
    this.socket.write(text);
  }

  /** The next complete response (Content-Length bodies only, as the server sends). */
  async response(timeoutMs = 5000): Promise<RawResponse> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end >= 0) {
        const [statusLine, ...lines] = this.buffer.slice(0, end).split('\r\n');
        const headers = Object.fromEntries(
          lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
        );
        const length = Number(headers['content-length'] ?? 0);
        if (this.buffer.length >= end + 4 + length) {
          const body = this.buffer.slice(end + 4, end + 4 + length);
          this.buffer = this.buffer.slice(end + 4 + length);
          return { status: Number(statusLine!.split(' ')[1]), headers, body: body ? JSON.parse(body) : undefined };
        }
      }
      if (Date.now() > deadline) throw new Error(`no complete response; got: ${this.buffer}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }
}

const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`;

describe('stopping on SIGTERM (npm start, compiled)', () => {
  let s: StartedServer;
  beforeAll(async () => {
    s = await npmStart({ PORTCULLIS_ADMIN_TOKEN: ADMIN });
  }, 300_000);
  afterAll(() => s?.kill());

  it('runs the compiled server as npm start\'s own child, without tsx', () => {
    const cmdline = readFileSync(`/proc/${s.pid}/cmdline`, 'utf8').split('\0');
    expect(cmdline).toContain('dist/src/main.js');
    expect(cmdline.join(' ')).not.toMatch(/tsx/);
    const parent = Number(readFileSync(`/proc/${s.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
    expect(parent).toBe(s.npm.pid);
  });

  it('turns readiness 503 at once, finishes the request in flight, closes keep-alive connections and exits 0 within 2 s', async () => {
    // An idle keep-alive connection that has served one request.
    const idle = new Conn(s.port);
    await idle.opened;
    idle.send(get('/readyz'));
    expect((await idle.response()).status).toBe(200);

    // A request in flight: headers and half of its body sent.
    const body = JSON.stringify({ subject: { type: 'user', id: 'alice' }, action: { name: 'read' }, resource: { type: 'doc', id: '1' } });
    const inFlight = new Conn(s.port);
    await inFlight.opened;
    inFlight.send(
      `POST /access/v1/evaluation HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer ${ADMIN}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 20)}`,
    );
    // A readiness probe whose request line is on the wire, headers not yet finished.
    const probe = new Conn(s.port);
    await probe.opened;
    probe.send('GET /readyz HTTP/1.1\r\nHost: test\r\n');
    await new Promise((r) => setTimeout(r, 200));

    const sigterm = Date.now();
    s.npm.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 150));

    probe.send('\r\n');
    const ready = await probe.response();
    expect(ready.status).toBe(503);
    expect(ready.body.status).toBe('shutting down');
    expect(ready.headers.connection).toBe('close');

    inFlight.send(body.slice(20));
    const decision = await inFlight.response();
    expect(decision.status).toBe(200);
    expect(decision.body).toMatchObject({ decision: false });
    expect(decision.headers.connection).toBe('close');

    expect((await idle.closedAt) - sigterm).toBeLessThan(1000);
    await probe.closedAt;
    await inFlight.closedAt;

    const refused = new Conn(s.port);
    await expect(refused.opened).rejects.toThrow(/ECONNREFUSED/);

    while (alive(s.pid) && Date.now() - sigterm < 5000) await new Promise((r) => setTimeout(r, 10));
    const serverGone = Date.now() - sigterm;
    const npmExit = await s.exited;
    const npmGone = Date.now() - sigterm;
    console.log(`stop timing: server exited ${serverGone} ms after SIGTERM, npm ${npmGone} ms`);
    expect(serverGone).toBeLessThan(2000);
    expect(npmExit.code).toBe(0);
    // npm itself takes 1-2 s to wind down after its child exits (its own exit handling).
    expect(npmGone).toBeLessThan(4000);
    expect(s.output()).toMatch(/"msg":"stopped"/);
  }, 30_000);
});
